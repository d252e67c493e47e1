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
