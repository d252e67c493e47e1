"""Two museums A and B with their staff (groups from museum_tenancy_ensure), and a work in each.

B's work carries unique strings (CANARY-B-...): a page reachable by A's staff must never show them.
"""

import pytest
from django.core.cache import cache

from musees.catalogue.models import Work
from tests.catalogue.factories import WagtailImageFactory, WorkFactory, WorkImageFactory
from tests.museums.factories import MuseumPageFactory

CANARY_TITLE = "CANARY-B-title-5e1f"
CANARY_INVENTORY = "CANARY-B-inv-5e1f"
CANARY_ALT = "CANARY-B-alt-5e1f"
CANARY_IMAGE = "CANARY-B-image-5e1f"
CANARIES = (CANARY_TITLE, CANARY_INVENTORY, CANARY_ALT, CANARY_IMAGE)


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def museum_a(museum_index):
    return MuseumPageFactory(parent=museum_index, title="Musée Ingres Bourdelle", slug="ingres")


@pytest.fixture
def museum_b(museum_index):
    return MuseumPageFactory(parent=museum_index, title="Musée Lautrec Albi", slug="lautrec")


@pytest.fixture
def work_a(museum_a):
    return WorkFactory(
        museum=museum_a,
        title="Portrait de Madame Gonse",
        inventory_number="MIB 2024.1",
        status=Work.Status.DRAFT,
    )


@pytest.fixture
def image_b(museum_b):
    museum_b.refresh_from_db()
    return WagtailImageFactory(title=CANARY_IMAGE, collection=museum_b.collection)


@pytest.fixture
def work_b(museum_b, image_b):
    work = WorkFactory(
        museum=museum_b,
        title=CANARY_TITLE,
        inventory_number=CANARY_INVENTORY,
        status=Work.Status.DRAFT,
        description="Notice du musée B.",
    )
    WorkImageFactory(work=work, image=image_b, alt_text=CANARY_ALT)
    return work


def snapshot(work) -> dict:
    """Every column of a work and its images, to check that nothing changed."""
    row = Work.objects.filter(pk=work.pk).values().get()
    images = list(Work.objects.get(pk=work.pk).images.values())
    return {"row": row, "images": images}
