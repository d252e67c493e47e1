"""Two museums, each with its responsable, and the network's moderator."""

import pytest
from django.core.cache import cache

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
