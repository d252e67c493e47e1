"""Fixtures of the open-data tests: a test museum, real test images, an empty IIIF cache."""

from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.files.images import ImageFile
from wagtail.images.models import Image

from musees.catalogue.models import WorkImage
from tests.catalogue.factories import WorkFactory, WorkImageFactory
from tests.museums.factories import MuseumPageFactory

IMAGES_DIR = Path(__file__).resolve().parent.parent / "data" / "images"
# Rough Waves, Ogata Kōrin, The Met (CC0): 1200 x 1070 px. See tests/data/images/README.md.
MEDIUM_IMAGE = IMAGES_DIR / "met_44918_korin_rough-waves.jpg"
# Basin, Master Potter A, The Met (CC0): 120 x 96 px.
SMALL_IMAGE = IMAGES_DIR / "thumb_met_674.jpg"


@pytest.fixture(autouse=True)
def iiif_cache(settings, tmp_path):
    """Each test starts with an empty IIIF cache, on disk and in memory."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    cache.clear()
    yield tmp_path / "media" / "iiif-cache"
    cache.clear()


def wagtail_image(path: Path, title: str) -> Image:
    """A Wagtail image made from a test file."""
    with path.open("rb") as handle:
        return Image.objects.create(title=title, file=ImageFile(handle, name=path.name))


@pytest.fixture
def museum(museum_index):
    """A published test museum with a neutral name."""
    return MuseumPageFactory(parent=museum_index, title="Musée d'essai", slug="musee-essai")


@pytest.fixture
def medium_image(db):
    return wagtail_image(MEDIUM_IMAGE, "Vagues (image d'essai)")


@pytest.fixture
def small_image(db):
    return wagtail_image(SMALL_IMAGE, "Bassin (image d'essai)")


@pytest.fixture
def public_image(museum, medium_image):
    """The medium image on a published work, high-resolution download allowed, CC0."""
    work = WorkFactory(museum=museum, inventory_number="ESSAI 1", title="Vagues")
    WorkImageFactory(
        work=work,
        image=medium_image,
        licence=WorkImage.Licence.CC0,
        high_resolution_download=True,
        photographer="The Metropolitan Museum of Art",
        copyright_line="CC0",
    )
    return medium_image
