"""Fixtures shared by the whole suite: the page tree every public page hangs from."""

import pytest
from django.conf import settings
from django.utils import translation
from wagtail.models import Page, Site

from tests.museums.factories import HomePageFactory, MuseumIndexPageFactory


@pytest.fixture(autouse=True)
def french_by_default():
    """Each test starts in French: a request to /en/ leaves English active in its thread."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def search_index(settings, tmp_path):
    """Each test gets an empty search index folder and an engine that has read nothing yet.

    The index is derived from the database (musees/search): a test's database is rolled back,
    its index files must go with it.
    """
    from musees.search.engine import engine

    settings.SEARCH_INDEX_DIR = str(tmp_path / "search-index")
    engine.forget()
    yield engine
    engine.forget()


@pytest.fixture
def home_page(db):
    """The site's home page, set as the root of the default Site."""
    root = Page.get_first_root_node()
    home = HomePageFactory(parent=root)
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": home, "site_name": "Test"},
    )
    # Wagtail ships a "Welcome" page as the default site root: retire it like setup_site does.
    Page.objects.filter(depth=2).exclude(pk=home.pk).delete()
    return home


@pytest.fixture
def museum_index(home_page):
    """The museums directory page (/musees/)."""
    return MuseumIndexPageFactory(parent=home_page)


# Staff of two museums and of the network. `museum_a` and `museum_b` come from the suite that
# asks (each chooses its own real museums); the accounts are the same everywhere.


@pytest.fixture
def editor_a(museum_a):
    from musees.accounts.services import role_grant
    from tests.accounts.people import make_user

    return role_grant(user=make_user("paul@musee-a.fr"), role="redacteur", museum=museum_a)


@pytest.fixture
def manager_a(museum_a):
    from musees.accounts.services import role_grant
    from tests.accounts.people import make_user

    return role_grant(user=make_user("claire@musee-a.fr"), role="responsable", museum=museum_a)


@pytest.fixture
def editor_b(museum_b):
    from musees.accounts.services import role_grant
    from tests.accounts.people import make_user

    return role_grant(user=make_user("marc@musee-b.fr"), role="redacteur", museum=museum_b)


@pytest.fixture
def manager_b(museum_b):
    from musees.accounts.services import role_grant
    from tests.accounts.people import make_user

    return role_grant(user=make_user("lea@musee-b.fr"), role="responsable", museum=museum_b)


@pytest.fixture
def moderator(museum_index):
    from musees.accounts.services import role_grant
    from tests.accounts.people import make_user

    return role_grant(user=make_user("moderation@reseau.fr"), role="moderateur")


@pytest.fixture
def administrator(museum_index):
    from musees.accounts.services import role_grant
    from tests.accounts.people import make_user

    return role_grant(user=make_user("admin@reseau.fr"), role="administrateur")
