"""Two museums, each with its responsable, and the network's moderator."""

import pytest
from django.core.cache import cache

from musees.accounts.services import role_grant
from tests.accounts.conftest import make_user
from tests.museums.factories import MuseumPageFactory


@pytest.fixture(autouse=True)
def empty_cache():
    """allauth's rate limits live in the cache: start each test clean."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def museum_a(museum_index):
    return MuseumPageFactory(parent=museum_index, title="Musée Rolin", museofile_id="M0017")


@pytest.fixture
def museum_b(museum_index):
    return MuseumPageFactory(
        parent=museum_index, title="Musée Toulouse-Lautrec", museofile_id="M0592"
    )


@pytest.fixture
def manager_a(museum_a):
    return role_grant(user=make_user("claire@musee-a.fr"), role="responsable", museum=museum_a)


@pytest.fixture
def manager_b(museum_b):
    return role_grant(user=make_user("lea@musee-b.fr"), role="responsable", museum=museum_b)


@pytest.fixture
def moderator(museum_index):
    return role_grant(user=make_user("moderation@reseau.fr"), role="moderateur")


@pytest.fixture
def administrator(museum_index):
    return role_grant(user=make_user("admin@reseau.fr"), role="administrateur")
