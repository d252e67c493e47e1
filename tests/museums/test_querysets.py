"""MuseumPageQuerySet: the named queries of the directory, map and API."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from musees.museums.models import MuseumPage
from tests.museums.factories import (
    DomainFactory,
    MuseumClosureFactory,
    MuseumPageFactory,
    OpeningHoursFactory,
)


def titles(qs):
    return sorted(m.title for m in qs)


def test_published_excludes_drafts(museum_index):
    MuseumPageFactory(parent=museum_index, title="Visible")
    MuseumPageFactory(parent=museum_index, title="Brouillon", live=False)
    assert titles(MuseumPage.objects.published()) == ["Visible"]


def test_in_departement_and_in_commune_by_name_or_slug(museum_index):
    MuseumPageFactory(parent=museum_index, title="A", commune="Nîmes", departement_code="30")
    MuseumPageFactory(parent=museum_index, title="B", commune="Auch", departement_code="32")
    assert titles(MuseumPage.objects.in_departement("30")) == ["A"]
    assert titles(MuseumPage.objects.in_commune("NIMES")) == ["A"]
    assert titles(MuseumPage.objects.in_commune("nimes")) == ["A"]


def test_with_domain(museum_index):
    domain = DomainFactory(slug="archeologie", label="Archéologie")
    museum = MuseumPageFactory(parent=museum_index, title="A")
    museum.domains.add(domain)
    museum.save()
    MuseumPageFactory(parent=museum_index, title="B")
    assert titles(MuseumPage.objects.with_domain("archeologie")) == ["A"]


def test_label_free_and_accessibility_flags(museum_index):
    MuseumPageFactory(
        parent=museum_index,
        title="A",
        admission_free=True,
        access_motor=True,
        tourisme_handicap=True,
    )
    MuseumPageFactory(parent=museum_index, title="B", is_musee_de_france=False, access_motor=True)
    assert titles(MuseumPage.objects.musees_de_france()) == ["A"]
    assert titles(MuseumPage.objects.free()) == ["A"]
    assert titles(MuseumPage.objects.accessible_for(["moteur"])) == ["A", "B"]
    assert titles(MuseumPage.objects.accessible_for(["moteur", "th"])) == ["A"]


def test_matching_ignores_accents_case_and_needs_every_word(museum_index):
    MuseumPageFactory(parent=museum_index, title="Musée d'art moderne", commune="Céret")
    MuseumPageFactory(parent=museum_index, title="Musée de la Romanité", commune="Nîmes")
    assert titles(MuseumPage.objects.matching("ceret")) == ["Musée d'art moderne"]
    assert titles(MuseumPage.objects.matching("NIMES")) == ["Musée de la Romanité"]
    assert titles(MuseumPage.objects.matching("romanite nimes")) == ["Musée de la Romanité"]
    assert titles(MuseumPage.objects.matching("romanite ceret")) == []


def test_with_coordinates_and_centroid(museum_index):
    MuseumPageFactory(parent=museum_index, commune="Toulouse", latitude=43.0, longitude=1.0)
    MuseumPageFactory(parent=museum_index, commune="Toulouse", latitude=44.0, longitude=2.0)
    MuseumPageFactory(parent=museum_index, commune="Toulouse", latitude=None, longitude=None)
    assert MuseumPage.objects.with_coordinates().count() == 2
    lat, lon = MuseumPage.objects.in_commune("toulouse").centroid()
    assert (round(lat, 6), round(lon, 6)) == (43.5, 1.5)
    assert MuseumPage.objects.in_commune("nulle-part").centroid() is None


def test_by_distance_from_orders_nearest_first(museum_index):
    MuseumPageFactory(parent=museum_index, title="Loin", latitude=45.0, longitude=3.0)
    MuseumPageFactory(parent=museum_index, title="Près", latitude=43.61, longitude=1.45)
    near_toulouse = MuseumPage.objects.by_distance_from(43.6, 1.44)
    assert [m.title for m in near_toulouse] == ["Près", "Loin"]


def test_with_hours(museum_index):
    with_hours = MuseumPageFactory(parent=museum_index, title="A")
    OpeningHoursFactory(page=with_hours)
    OpeningHoursFactory(page=with_hours)
    MuseumPageFactory(parent=museum_index, title="B")
    assert titles(MuseumPage.objects.with_hours()) == ["A"]


def test_places_lists_each_commune_once(museum_index):
    MuseumPageFactory(parent=museum_index, commune="Nîmes", departement_code="30")
    MuseumPageFactory(parent=museum_index, commune="Nîmes", departement_code="30")
    MuseumPageFactory(parent=museum_index, commune="Auch", departement_code="32")
    rows = sorted(MuseumPage.objects.places())
    assert [(code, slug) for code, _name, slug, _commune in rows] == [
        ("30", "nimes"),
        ("32", "auch"),
    ]


def _count_listing_queries():
    with CaptureQueriesContext(connection) as ctx:
        for museum in MuseumPage.objects.published().base_queryset():
            list(museum.domains.all())
            museum.schedule.is_open_on(datetime.date(2026, 6, 2))
    return len(ctx.captured_queries)


def test_base_queryset_runs_constant_queries(museum_index):
    domain = DomainFactory()
    for _ in range(2):
        museum = MuseumPageFactory(parent=museum_index)
        museum.domains.add(domain)
        museum.save()
        OpeningHoursFactory(page=museum)
        MuseumClosureFactory(page=museum)
    few = _count_listing_queries()
    for _ in range(6):
        museum = MuseumPageFactory(parent=museum_index)
        museum.domains.add(domain)
        museum.save()
        OpeningHoursFactory(page=museum)
    assert _count_listing_queries() == few
