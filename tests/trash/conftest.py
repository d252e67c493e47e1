"""Two museums A and B; in A a published work with everything a work can carry (images, authors,
places, vocabulary terms, revisions); in B a work whose strings are canaries (CANARY-B-...)
that no page reachable by A's staff may show once it is in the trash."""

import pytest
from django.core.cache import cache
from wagtail.models import Revision

from musees.catalogue.models import Work, WorkAuthor, WorkImage, WorkPlace
from tests.catalogue.factories import (
    DomainFactory,
    PersonFactory,
    PlaceFactory,
    TechniqueFactory,
    WagtailImageFactory,
    WorkAuthorFactory,
    WorkFactory,
    WorkImageFactory,
    WorkPlaceFactory,
)
from tests.museums.factories import MuseumPageFactory

CANARY_TITLE = "CANARY-B-trash-title-7d2a"
CANARY_INVENTORY = "CANARY-B-trash-inv-7d2a"


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def museum_a(museum_index):
    museum = MuseumPageFactory(parent=museum_index, title="Musée Fenaille", slug="fenaille")
    museum.refresh_from_db()
    return museum


@pytest.fixture
def museum_b(museum_index):
    museum = MuseumPageFactory(parent=museum_index, title="Musée Soulages", slug="soulages")
    museum.refresh_from_db()
    return museum


@pytest.fixture
def work_a(museum_a, editor_a):
    """A published statue-menhir with two images, an author, two places, terms, revisions."""
    work = WorkFactory(
        museum=museum_a,
        title="Statue-menhir de Saint-Sernin",
        inventory_number="2024.7.1",
        joconde_ref="M0355000001",
        status=Work.Status.PUBLISHED,
        description="Dame de Saint-Sernin, grès, vers 3300 av. J.-C.",
        domains=[DomainFactory(label="archéologie")],
        techniques=[TechniqueFactory(label="grès"), TechniqueFactory(label="gravure")],
    )
    for position, title in enumerate(["Face", "Revers"]):
        WorkImageFactory(
            work=work,
            image=WagtailImageFactory(title=title, collection=museum_a.collection),
            position=position,
            alt_text=f"La statue, {title.lower()}",
        )
    WorkAuthorFactory(work=work, person=PersonFactory(label="anonyme"), role="sculpteur")
    WorkPlaceFactory(work=work, place=PlaceFactory(label="Saint-Sernin-sur-Rance"))
    WorkPlaceFactory(
        work=work, place=PlaceFactory(label="Aveyron"), role=WorkPlace.Role.DISCOVERY, position=1
    )
    work.save_revision(user=editor_a)
    work.description += " Découverte en 1888."
    work.save_revision(user=editor_a)
    return Work.objects.get(pk=work.pk)


@pytest.fixture
def work_b(museum_b):
    work = WorkFactory(
        museum=museum_b,
        title=CANARY_TITLE,
        inventory_number=CANARY_INVENTORY,
        status=Work.Status.DRAFT,
    )
    WorkImageFactory(
        work=work, image=WagtailImageFactory(title="Outrenoir", collection=museum_b.collection)
    )
    return work


def everything_of(work_pk) -> dict:
    """Every row of a work and of what hangs from it, as plain values (`updated_at` aside:
    a restore is a change, harvesters must see it)."""
    row = Work.objects.filter(pk=work_pk).values().get()
    row.pop("updated_at")
    work = Work.objects.get(pk=work_pk)
    return {
        "work": row,
        "images": list(WorkImage.objects.filter(work_id=work_pk).order_by("pk").values()),
        "authors": list(WorkAuthor.objects.filter(work_id=work_pk).order_by("pk").values()),
        "places": list(WorkPlace.objects.filter(work_id=work_pk).order_by("pk").values()),
        "domains": sorted(work.domains.values_list("pk", flat=True)),
        "denominations": sorted(work.denominations.values_list("pk", flat=True)),
        "periods": sorted(work.periods.values_list("pk", flat=True)),
        "techniques": sorted(work.techniques.values_list("pk", flat=True)),
        "revisions": list(
            Revision.objects.filter(
                object_id=str(work_pk), base_content_type=work.get_base_content_type()
            )
            .order_by("pk")
            .values()
        ),
    }
