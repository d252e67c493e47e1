"""The museums directory (/musees/): filters, sort, pagination, bad input, map data, queries."""

import datetime as dt
import json
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from musees.core import clock
from musees.museums.views import PER_PAGE
from tests.museums.factories import (
    DomainFactory,
    MuseumClosureFactory,
    MuseumPageFactory,
    OpeningHoursFactory,
)

URL = "/musees/"


@pytest.fixture(autouse=True)
def empty_page_cache():
    """Anonymous pages are cached by URL: each test starts with an empty cache."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def network(museum_index):
    """Four museums in four départements, with different labels, domains and access."""
    beaux_arts = DomainFactory(slug="beaux-arts", label="Beaux-arts")
    archeologie = DomainFactory(slug="archeologie", label="Archéologie")
    museums = {
        "ceret": MuseumPageFactory(
            parent=museum_index,
            title="Musée d'art moderne",
            commune="Céret",
            departement_code="66",
            departement_name="Pyrénées-Orientales",
            latitude=42.4853,
            longitude=2.7487,
            admission_free=True,
            access_motor=True,
        ),
        "nimes": MuseumPageFactory(
            parent=museum_index,
            title="Musée de la Romanité",
            commune="Nîmes",
            departement_code="30",
            departement_name="Gard",
            latitude=43.8367,
            longitude=4.3601,
            access_visual=True,
            tourisme_handicap=True,
        ),
        "toulouse": MuseumPageFactory(
            parent=museum_index,
            title="Musée des Augustins",
            commune="Toulouse",
            departement_code="31",
            departement_name="Haute-Garonne",
            latitude=43.6007,
            longitude=1.4466,
            access_motor=True,
            access_hearing=True,
        ),
        "lectoure": MuseumPageFactory(
            parent=museum_index,
            title="Musée archéologique Eugène Camoreyt",
            commune="Lectoure",
            departement_code="32",
            departement_name="Gers",
            latitude=43.934,
            longitude=0.622,
            is_musee_de_france=False,
            admission_free=True,
        ),
    }
    for key, domains in [
        ("ceret", [beaux_arts]),
        ("nimes", [archeologie]),
        ("toulouse", [beaux_arts]),
        ("lectoure", [archeologie]),
    ]:
        museums[key].domains.set(domains)
        museums[key].save()
    return museums


def listed(response) -> list[str]:
    """The titles of the museums on the page, in order."""
    return [card.museum.title for card in response.context["cards"]]


def markers(response) -> list[dict]:
    match = re.search(
        r'<script id="directory-markers" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    return json.loads(match.group(1)) if match else []


def get(client, query=""):
    response = client.get(URL + query)
    assert response.status_code == 200
    return response


def set_clock(monkeypatch, *args):
    moment = timezone.make_aware(dt.datetime(*args))  # noqa: DTZ001 made aware right here
    monkeypatch.setattr(clock, "now", lambda: moment)


# --- Listing and each filter alone --------------------------------------------------------


def test_lists_every_published_museum_by_name(client, network, museum_index):
    MuseumPageFactory(parent=museum_index, title="Brouillon", live=False)
    response = get(client)
    assert listed(response) == [
        "Musée archéologique Eugène Camoreyt",
        "Musée d'art moderne",
        "Musée de la Romanité",
        "Musée des Augustins",
    ]
    assert "4 musées" in response.content.decode()
    assert "set-cookie" not in {k.lower() for k in response.headers}
    assert not response.cookies


def test_one_result_heading_is_singular(client, network):
    assert "1 musée<" in get(client, "?departement=30").content.decode()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?departement=32", ["Musée archéologique Eugène Camoreyt"]),
        ("?commune=nimes", ["Musée de la Romanité"]),
        ("?domaine=beaux-arts", ["Musée d'art moderne", "Musée des Augustins"]),
        (
            "?label=1",
            ["Musée d'art moderne", "Musée de la Romanité", "Musée des Augustins"],
        ),
        ("?acces=moteur", ["Musée d'art moderne", "Musée des Augustins"]),
        ("?acces=auditif", ["Musée des Augustins"]),
        ("?acces=visuel", ["Musée de la Romanité"]),
        ("?acces=th", ["Musée de la Romanité"]),
        ("?gratuit=1", ["Musée archéologique Eugène Camoreyt", "Musée d'art moderne"]),
        ("?q=ceret", ["Musée d'art moderne"]),
        ("?q=NIMES", ["Musée de la Romanité"]),
        ("?q=Nîmes", ["Musée de la Romanité"]),
        ("?q=musee+romanite", ["Musée de la Romanité"]),
        ("?q=romanite+ceret", []),
    ],
)
def test_each_filter_alone(client, network, query, expected):
    assert listed(get(client, query)) == expected


def test_filters_combine_with_and(client, network):
    assert listed(get(client, "?acces=moteur&acces=auditif")) == ["Musée des Augustins"]
    assert listed(get(client, "?domaine=beaux-arts&gratuit=1")) == ["Musée d'art moderne"]
    assert listed(get(client, "?domaine=archeologie&label=1&q=nimes")) == ["Musée de la Romanité"]
    assert listed(get(client, "?departement=66&domaine=archeologie")) == []


def test_form_keeps_what_the_user_typed(client, network):
    html = get(client, "?q=Céret&departement=66&domaine=beaux-arts&acces=moteur&gratuit=1").content
    html = html.decode()
    assert 'name="q" value="Céret"' in html
    assert '<option value="66" selected>' in html
    assert '<option value="beaux-arts" selected>' in html
    assert re.search(r'name="acces" value="moteur"[^>]*checked', html)
    assert re.search(r'name="gratuit" value="1"[^>]*checked', html)


def test_choices_come_from_published_museums(client, network, museum_index):
    MuseumPageFactory(parent=museum_index, commune="Albi", departement_code="81", live=False)
    html = get(client).content.decode()
    assert '<option value="30">30 · Gard</option>' in html
    assert '<option value="nimes">Nîmes (30)</option>' in html
    assert 'value="81"' not in html
    assert '<option value="archeologie">Archéologie</option>' in html


def test_active_filters_are_removable_chips(client, network):
    response = get(client, "?departement=66&acces=moteur&acces=auditif")
    chips = dict(response.context["chips"])
    assert chips["66 · Pyrénées-Orientales"] == "/musees/?acces=moteur&acces=auditif"
    assert chips["Mobilité réduite"] == "/musees/?departement=66&acces=auditif"
    assert chips["Handicap auditif"] == "/musees/?departement=66&acces=moteur"


def test_empty_result_suggests_removing_filters(client, network):
    html = get(client, "?departement=66&domaine=archeologie").content.decode()
    assert "Aucun musée ne correspond à tous ces critères." in html
    assert 'href="/musees/?domaine=archeologie"' in html
    assert 'href="/musees/?departement=66"' in html


# --- Sort by distance -----------------------------------------------------------------------


def test_sort_by_distance_from_coordinates_shows_kilometres(client, network):
    response = get(client, "?tri=distance&lat=43.6045&lon=1.4440")  # Toulouse, Capitole
    assert listed(response) == [
        "Musée des Augustins",
        "Musée archéologique Eugène Camoreyt",
        "Musée d'art moderne",
        "Musée de la Romanité",
    ]
    first = response.context["cards"][0]
    assert first.distance_km == pytest.approx(0.43, abs=0.05)
    assert "à 0,5 km" in response.content.decode()


def test_sort_by_distance_from_a_commune(client, network):
    response = get(client, "?tri=distance&pres_de=nimes")
    assert listed(response)[0] == "Musée de la Romanité"
    assert response.context["cards"][0].distance_km == pytest.approx(0, abs=0.01)
    assert listed(response)[-1] == "Musée archéologique Eugène Camoreyt"


def test_a_point_without_explicit_sort_sorts_by_distance(client, network):
    assert listed(get(client, "?pres_de=ceret"))[0] == "Musée d'art moderne"


def test_distance_sort_keeps_museums_without_coordinates_last(client, network, museum_index):
    MuseumPageFactory(parent=museum_index, title="AAA sans carte", latitude=None, longitude=None)
    titles = listed(get(client, "?tri=distance&pres_de=nimes"))
    assert titles[0] == "Musée de la Romanité"
    assert titles[-1] == "AAA sans carte"


def test_distance_sort_combines_with_filters(client, network):
    assert listed(get(client, "?tri=distance&pres_de=nimes&gratuit=1")) == [
        "Musée d'art moderne",
        "Musée archéologique Eugène Camoreyt",
    ]


# --- Pagination ---------------------------------------------------------------------------


def test_pagination_keeps_the_filters(client, museum_index):
    for _ in range(PER_PAGE + 3):
        MuseumPageFactory(parent=museum_index, departement_code="32", admission_free=True)
    MuseumPageFactory(parent=museum_index, departement_code="30")
    response = get(client, "?departement=32&gratuit=1")
    assert len(response.context["cards"]) == PER_PAGE
    assert response.context["result_count"] == PER_PAGE + 3
    html = response.content.decode()
    assert '<nav class="directory__pagination" aria-label="Pages de résultats">' in html
    assert 'href="/musees/?departement=32&amp;gratuit=1&amp;page=2"' in html
    assert 'aria-current="page"' in html
    second = get(client, "?departement=32&gratuit=1&page=2")
    assert len(second.context["cards"]) == 3
    assert 'href="/musees/?departement=32&amp;gratuit=1" rel="prev"' in second.content.decode()


# --- Hours ----------------------------------------------------------------------------------


@pytest.fixture
def hours(network):
    """Céret: Tue-Sun 10-18 with a lunch break; Nîmes: every day 9-19, closed 2-3 June 2026."""
    ceret, nimes = network["ceret"], network["nimes"]
    OpeningHoursFactory(page=ceret, opens=dt.time(10), closes=dt.time(12))
    OpeningHoursFactory(page=ceret, opens=dt.time(14), closes=dt.time(18))
    OpeningHoursFactory(
        page=nimes, weekdays=[str(d) for d in range(7)], opens=dt.time(9), closes=dt.time(19)
    )
    MuseumClosureFactory(page=nimes, start_date=dt.date(2026, 6, 2), end_date=dt.date(2026, 6, 3))
    return network


def test_open_now_uses_the_clock(client, hours, monkeypatch):
    set_clock(monkeypatch, 2026, 6, 1, 11, 0)  # Monday: Céret closed, Nîmes open
    response = get(client, "?ouvert=maintenant")
    assert listed(response) == ["Musée de la Romanité"]
    html = response.content.decode()
    assert "Horaires connus pour 2 musées sur 4" in html
    assert "jusqu&#x27;à 19 h" in html
    set_clock(monkeypatch, 2026, 6, 4, 13, 0)  # Thursday lunch: Céret closed, Nîmes open
    cache.clear()
    assert listed(get(client, "?ouvert=maintenant")) == ["Musée de la Romanité"]
    set_clock(monkeypatch, 2026, 6, 4, 15, 0)
    cache.clear()
    assert listed(get(client, "?ouvert=maintenant")) == [
        "Musée d'art moderne",
        "Musée de la Romanité",
    ]


def test_open_on_date(client, hours):
    assert listed(get(client, "?date=2026-06-02")) == ["Musée d'art moderne"]  # Nîmes closed
    assert listed(get(client, "?date=2026-06-01")) == ["Musée de la Romanité"]  # Monday
    assert listed(get(client, "?date=2026-06-04")) == [
        "Musée d'art moderne",
        "Musée de la Romanité",
    ]


def test_hours_filters_combine_with_others(client, hours, monkeypatch):
    set_clock(monkeypatch, 2026, 6, 4, 15, 0)
    assert listed(get(client, "?ouvert=maintenant&gratuit=1")) == ["Musée d'art moderne"]
    assert listed(get(client, "?date=2026-06-04&departement=30")) == ["Musée de la Romanité"]


def test_card_shows_open_status_when_hours_are_known(client, hours, monkeypatch):
    set_clock(monkeypatch, 2026, 6, 1, 11, 0)  # Monday
    response = get(client, "?commune=ceret")
    status = response.context["cards"][0].status
    assert status["open"] is False
    assert "demain à 10 h" in status["detail"]
    assert get(client, "?commune=toulouse").context["cards"][0].status is None


def test_hours_filter_without_any_hours_explains_why(client, network, monkeypatch):
    set_clock(monkeypatch, 2026, 6, 4, 15, 0)
    html = get(client, "?ouvert=maintenant").content.decode()
    assert "Aucun des 4 musées correspondant à vos autres critères" in html
    assert "renseigné ses horaires" in html
    assert 'href="/musees/"' in html


# --- Bad input: 200, a message, museums still listed ----------------------------------------


ALL_FOUR = 4


@pytest.mark.parametrize(
    ("query", "message", "count"),
    [
        (
            "?departement=99",
            "Le département « 99 » n&#x27;existe pas dans le réseau : ce filtre est ignoré.",
            ALL_FOUR,
        ),
        ("?commune=atlantide", "La commune « atlantide » n&#x27;a pas de musée", ALL_FOUR),
        ("?domaine=cuisine", "Le domaine « cuisine » n&#x27;existe pas", ALL_FOUR),
        (
            "?date=2026-13-45",
            "La date « 2026-13-45 » n&#x27;est pas valide (format attendu : AAAA-MM-JJ).",
            ALL_FOUR,
        ),
        ("?date=demain", "La date « demain » n&#x27;est pas valide", ALL_FOUR),
        (
            "?tri=distance&lat=123&lon=2",
            "Coordonnées invalides : le tri par distance est ignoré.",
            ALL_FOUR,
        ),
        (
            "?tri=distance&lat=abc&lon=def",
            "Coordonnées invalides : le tri par distance est ignoré.",
            ALL_FOUR,
        ),
        ("?lat=43&lon=nan", "Coordonnées invalides", ALL_FOUR),
        ("?lat=43", "Coordonnées invalides", ALL_FOUR),
        ("?tri=distance&pres_de=atlantide", "le tri par distance est ignoré", ALL_FOUR),
        ("?tri=distance", "Pour trier par distance, choisissez une commune", ALL_FOUR),
        ("?tri=hasard", "Le tri « hasard » n&#x27;existe pas", ALL_FOUR),
        ("?acces=volant", "Le critère d&#x27;accessibilité « volant » n&#x27;existe pas", ALL_FOUR),
        ("?page=abc", "La page « abc » n&#x27;existe pas : voici la première page.", ALL_FOUR),
        ("?page=9999", "La page « 9999 » n&#x27;existe pas (1 page en tout)", ALL_FOUR),
        ("?page=0", "La page « 0 » n&#x27;existe pas", ALL_FOUR),
        ("?departement=99&gratuit=1", "Le département « 99 »", 2),
        ("?acces=volant&acces=moteur", "« volant »", 2),
    ],
)
def test_bad_input_is_ignored_with_a_message(client, network, query, message, count):
    response = get(client, query)
    html = response.content.decode()
    assert message in html
    assert len(listed(response)) == count


def test_bad_values_are_not_carried_into_links(client, network):
    response = get(client, "?departement=99&gratuit=1")
    assert dict(response.context["chips"]) == {"Gratuit": "/musees/"}


def test_bad_date_is_kept_in_the_field(client, network):
    html = get(client, "?date=2026-13-45").content.decode()
    assert 'name="date" value="2026-13-45"' in html
    assert 'id="id_date_error"' in html


def test_page_beyond_the_last_shows_the_last(client, museum_index):
    for _ in range(PER_PAGE + 1):
        MuseumPageFactory(parent=museum_index)
    response = get(client, "?page=9999")
    assert response.context["page_obj"].number == 2
    assert "(2 pages en tout)" in response.content.decode()


# --- Map --------------------------------------------------------------------------------------


def test_map_data_has_every_filtered_museum_not_just_the_page(client, museum_index):
    for _ in range(PER_PAGE + 5):
        MuseumPageFactory(parent=museum_index, departement_code="32")
    MuseumPageFactory(parent=museum_index, departement_code="30")
    MuseumPageFactory(parent=museum_index, departement_code="32", latitude=None, longitude=None)
    response = get(client, "?departement=32")
    assert len(response.context["cards"]) == PER_PAGE
    data = markers(response)
    assert len(data) == PER_PAGE + 5
    assert set(data[0]) == {"name", "url", "lat", "lon", "commune"}
    assert data[0]["url"].startswith("/musees/")


def test_map_container_follows_the_convention(client, network, settings):
    html = get(client).content.decode()
    assert 'data-map data-map-markers="directory-markers"' in html
    assert f'data-tile-url="{settings.MAP_TILE_URL}"' in html
    assert 'role="region"' in html
    assert "<script>" not in html and " onclick=" not in html and ' style="' not in html


# --- Query count --------------------------------------------------------------------------


def _add_museums(parent, count, domain):
    for _ in range(count):
        museum = MuseumPageFactory(parent=parent)
        museum.domains.add(domain)
        museum.save()
        OpeningHoursFactory(page=museum)
        MuseumClosureFactory(page=museum)


def _queries(client, query):
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        get(client, query)
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "query",
    ["", "?ouvert=maintenant&tri=distance&pres_de=lectoure", "?domaine=domaine-x&page=2"],
)
def test_query_count_does_not_grow_with_museums(client, museum_index, query):
    domain = DomainFactory(slug="domaine-x")
    _add_museums(museum_index, 3, domain)
    get(client, query)  # warm-up: content types and site root paths
    few = _queries(client, query)
    _add_museums(museum_index, 37, domain)
    many = _queries(client, query)
    assert few == many, f"{few} queries for 3 museums, {many} for 40"
