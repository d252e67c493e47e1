"""Two museums with their staff, and the network's moderator and administrator."""

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache

from musees.accounts.services import role_grant
from tests.museums.factories import MuseumPageFactory

PASSWORD = "un mot de passe solide"


@pytest.fixture(autouse=True)
def empty_cache():
    """allauth's rate limits and TOTP replay guard live in the cache: start each test clean."""
    cache.clear()
    yield
    cache.clear()


def make_user(email: str):
    return get_user_model().objects.create_user(
        username=email, email=email, password=PASSWORD, first_name=email.split("@")[0].title()
    )


@pytest.fixture
def museum_a(museum_index):
    return MuseumPageFactory(
        parent=museum_index, title="Musée Ingres Bourdelle", museofile_id="M0607"
    )


@pytest.fixture
def museum_b(museum_index):
    return MuseumPageFactory(
        parent=museum_index, title="Musée Toulouse-Lautrec", museofile_id="M0592"
    )


@pytest.fixture
def manager_a(museum_a):
    return role_grant(user=make_user("claire@musee-a.fr"), role="responsable", museum=museum_a)


@pytest.fixture
def editor_a(museum_a):
    return role_grant(user=make_user("paul@musee-a.fr"), role="redacteur", museum=museum_a)


@pytest.fixture
def manager_b(museum_b):
    return role_grant(user=make_user("lea@musee-b.fr"), role="responsable", museum=museum_b)


@pytest.fixture
def editor_b(museum_b):
    return role_grant(user=make_user("marc@musee-b.fr"), role="redacteur", museum=museum_b)


@pytest.fixture
def moderator(museum_index):
    return role_grant(user=make_user("moderation@reseau.fr"), role="moderateur")


@pytest.fixture
def administrator(museum_index):
    return role_grant(user=make_user("admin@reseau.fr"), role="administrateur")
