"""The public page of one museum: status now, hours, prices, access, contacts, JSON-LD, OG tags."""

import datetime
import json
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from pyld import jsonld

from musees.museums.models import MuseumSocialLink
from tests.jsonld import SCHEMA, schema_loader
from tests.museums.factories import (
    DomainFactory,
    MuseumClosureFactory,
    MuseumPageFactory,
    OpeningHoursFactory,
)

PARIS = ZoneInfo("Europe/Paris")


def at(year, month, day, hour, minute=0):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=PARIS)


@pytest.fixture
def clock(monkeypatch):
    """Set the site's clock: `clock(at(...))`. Empties the page cache so each request renders."""

    def set_now(moment):
        monkeypatch.setattr("musees.core.clock.now", lambda: moment)
        cache.clear()

    return set_now


@pytest.fixture
def museum(museum_index):
    """A museum open Tuesday to Sunday, 10:00-18:00, with prices, access and contacts."""
    page = MuseumPageFactory(
        parent=museum_index,
        title="musée archéologique Eugène Camoreyt",
        short_name="",
        museofile_id="M0572",
        commune="Lectoure",
        phone="05 62 68 70 22",
        email="musee@lectoure.fr",
        website="https://www.lectoure.fr/musee/",
        price_full=Decimal("6.00"),
        price_reduced=Decimal("3.50"),
        free_for="moins de 18 ans",
        free_first_sunday=True,
        access_motor=True,
        access_hearing=True,
        tourisme_handicap=True,
        closed_holidays=["fete_travail", "noel"],
        highlights="Autels tauroboliques & sarcophages </script><script>alert(1)</script>",
        museofile_updated_on=datetime.date(2023, 4, 12),
        search_description="Autels tauroboliques et sarcophages paléochrétiens.",
    )
    page.domains.add(DomainFactory(label="Archéologie", slug="archeologie"))
    page.save()  # a ParentalManyToManyField is written with the page
    OpeningHoursFactory(page=page)
    MuseumSocialLink.objects.create(
        page=page, network="facebook", url="https://www.facebook.com/museelectoure"
    )
    return page


def get(client, page):
    response = client.get(page.url)
    assert response.status_code == 200
    return response.content.decode()


def test_open_now_with_closing_time(client, museum, clock):
    clock(at(2026, 3, 4, 11, 0))  # a Wednesday
    html = get(client, museum)
    assert "status--open" in html
    assert "Ouvert maintenant" in html
    assert "Jusqu&#x27;à 18\u00a0h" in html or "Jusqu'à 18\u00a0h" in html


def test_closed_on_monday_says_when_it_reopens(client, museum, clock):
    clock(at(2026, 3, 2, 11, 0))  # a Monday
    html = get(client, museum)
    assert "status--closed" in html
    assert "Fermé" in html
    assert "Ouvre demain à 10\u00a0h" in html


def test_exceptional_closure_gives_its_reason(client, museum, clock):
    MuseumClosureFactory(page=museum, start_date=datetime.date(2026, 3, 4), reason="Inventaire")
    clock(at(2026, 3, 4, 11, 0))
    html = get(client, museum)
    assert "status--closed" in html
    assert "Fermeture exceptionnelle : Inventaire" in html
    # Listed among the upcoming closures too.
    assert "Le 4 mars 2026 : Inventaire" in html


def test_closed_on_a_public_holiday_it_observes(client, museum, clock):
    clock(at(2026, 5, 1, 11, 0))  # 1er mai, a Friday
    html = get(client, museum)
    assert "status--closed" in html
    assert "Jour férié (1er mai)" in html
    assert "Fermé les jours fériés" in html
    assert "1er mai, 25 décembre" in html


def test_week_table_starts_today(client, museum, clock):
    clock(at(2026, 3, 2, 9, 0))
    html = get(client, museum)
    table = html.split('<table class="hours-table">', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr[ >]", table)
    assert len(rows) == 8  # the header row and seven days
    assert 'class="is-today"' in table
    assert table.index("Lundi") < table.index("Mardi")
    assert "10\u00a0h\u00a0–\u00a018\u00a0h" in table


def test_seasonal_rules_are_listed(client, museum, clock):
    OpeningHoursFactory(
        page=museum,
        weekdays=["0", "1", "2", "3", "4", "5", "6"],
        opens=datetime.time(10),
        closes=datetime.time(19),
        season_label="été",
        from_day=1,
        from_month=7,
        to_day=31,
        to_month=8,
    )
    clock(at(2026, 3, 2, 9, 0))
    html = get(client, museum)
    assert "Selon la saison" in html
    assert "(du 1er juillet au 31 août)" in html
    assert "lundi – dimanche" in html


def test_prices_and_accessibility(client, museum, clock):
    clock(at(2026, 3, 4, 11, 0))
    html = get(client, museum)
    assert "Plein tarif" in html and "6\u00a0€" in html
    assert "Tarif réduit" in html and "3,50\u00a0€" in html
    assert "moins de 18 ans" in html
    assert "Gratuit le premier dimanche du mois" in html
    assert "Label Tourisme &amp; Handicap" in html
    assert "Mobilité réduite" in html and "Handicap auditif" in html
    assert "Handicap visuel" not in html


def test_free_admission(client, museum, clock):
    museum.admission_free = True
    museum.save()
    clock(at(2026, 3, 4, 11, 0))
    assert "Entrée gratuite pour tous" in get(client, museum)


def test_contacts_links_and_credit(client, museum, clock):
    clock(at(2026, 3, 4, 11, 0))
    html = get(client, museum)
    assert 'href="tel:+33562687022"' in html
    assert 'href="mailto:musee@lectoure.fr"' in html
    assert 'href="https://www.lectoure.fr/musee/"' in html
    assert 'href="https://www.facebook.com/museelectoure"' in html
    assert 'href="https://www.openstreetmap.org/directions?to=43.934000,0.622000"' in html
    assert 'href="/musees/?domaine=archeologie"' in html
    assert 'href="/musees/?departement=32"' in html
    assert "M0572" in html and "12 avril 2023" in html
    # Breadcrumbs: Accueil › Musées › the museum.
    crumbs = html.split('class="breadcrumbs"', 1)[1].split("</nav>", 1)[0]
    assert "Accueil" in crumbs and "Musées" in crumbs
    assert "Musée archéologique Eugène Camoreyt" in crumbs


def test_map_follows_the_map_convention(client, museum, clock):
    clock(at(2026, 3, 4, 11, 0))
    html = get(client, museum)
    assert re.search(r'<div class="map[^"]*"[^>]* data-map data-map-markers="museum-marker"', html)
    marker_json = re.search(
        r'<script id="museum-marker" type="application/json">(.*?)</script>', html, re.S
    ).group(1)
    (marker,) = json.loads(marker_json)
    assert marker == {
        "name": "Musée archéologique Eugène Camoreyt",
        "url": museum.url,
        "lat": 43.934,
        "lon": 0.622,
        "commune": "Lectoure",
    }
    assert 'data-tile-url="/static/img/map-tile-blank.png"' in html
    assert "vendor/leaflet/leaflet.js" in html and "js/map.js" in html


def test_hours_not_known(client, museum_index, clock):
    page = MuseumPageFactory(parent=museum_index, website="https://musee.example.fr")
    clock(at(2026, 3, 4, 11, 0))
    html = get(client, page)
    assert "Horaires non communiqués : consultez le site du musée." in html
    assert 'href="https://musee.example.fr"' in html
    assert "status--" not in html


def test_open_graph_and_description(client, museum, clock):
    clock(at(2026, 3, 4, 11, 0))
    html = get(client, museum)
    assert '<meta property="og:title" content="Musée archéologique Eugène Camoreyt">' in html
    assert '<meta property="og:type" content="website">' in html
    assert '<meta property="og:locale" content="fr_FR">' in html
    assert f'<meta property="og:url" content="http://testserver{museum.url}">' in html
    assert '<meta name="description" content="Autels tauroboliques et sarcophages' in html
    assert '<meta property="og:description" content="Autels tauroboliques' in html
    assert "og:image" not in html  # no image yet


def test_no_inline_code_or_style(client, museum, clock):
    clock(at(2026, 3, 4, 11, 0))
    html = get(client, museum)
    assert not re.search(r"\sstyle=", html)
    assert not re.search(r"\son[a-z]+\s*=", html, re.I)
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag or re.search(r'type="application/(ld\+)?json"', tag), tag
    # The hostile text in a field never closes a script element early.
    assert "<script>alert(1)</script>" not in html


def _ld_documents(html):
    return [
        json.loads(text)
        for text in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    ]


def _value(node, key):
    return [v.get("@value", v.get("@id")) for v in node.get(SCHEMA + key, [])]


def test_jsonld_is_a_valid_schema_org_museum(client, museum, clock):
    MuseumClosureFactory(
        page=museum, start_date=datetime.date(2026, 12, 24), end_date=datetime.date(2026, 12, 26)
    )
    clock(at(2026, 3, 4, 11, 0))
    html = get(client, museum)
    documents = _ld_documents(html)
    assert len(documents) == 2
    options = {"documentLoader": schema_loader}
    expanded = [node for doc in documents for node in jsonld.expand(doc, options)]
    by_type = {node["@type"][0]: node for node in expanded}
    assert set(by_type) == {SCHEMA + "Museum", SCHEMA + "BreadcrumbList"}

    m = by_type[SCHEMA + "Museum"]
    url = f"http://testserver{museum.url}"
    assert _value(m, "name") == ["Musée archéologique Eugène Camoreyt"]
    assert _value(m, "url") == [url]
    assert _value(m, "telephone") == ["05 62 68 70 22"]
    assert _value(m, "email") == ["musee@lectoure.fr"]
    assert set(_value(m, "sameAs")) == {
        "https://www.lectoure.fr/musee/",
        "https://www.facebook.com/museelectoure",
    }
    assert _value(m, "publicAccess") == [True]
    assert SCHEMA + "isAccessibleForFree" not in m

    (identifier,) = m[SCHEMA + "identifier"]
    assert identifier["@type"] == [SCHEMA + "PropertyValue"]
    assert _value(identifier, "propertyID") == ["Muséofile"]
    assert _value(identifier, "value") == ["M0572"]

    (address,) = m[SCHEMA + "address"]
    assert address["@type"] == [SCHEMA + "PostalAddress"]
    assert _value(address, "streetAddress") == ["1 place de la Mairie"]
    assert _value(address, "postalCode") == ["32700"]
    assert _value(address, "addressLocality") == ["Lectoure"]
    assert _value(address, "addressRegion") == ["Occitanie"]
    assert _value(address, "addressCountry") == ["FR"]

    (geo,) = m[SCHEMA + "geo"]
    assert geo["@type"] == [SCHEMA + "GeoCoordinates"]
    assert _value(geo, "latitude") == [43.934] and _value(geo, "longitude") == [0.622]

    specs = m[SCHEMA + "openingHoursSpecification"]
    weekly = next(s for s in specs if _value(s, "dayOfWeek"))
    assert weekly["@type"] == [SCHEMA + "OpeningHoursSpecification"]
    assert _value(weekly, "dayOfWeek") == [
        SCHEMA + day for day in ["Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    ]
    assert _value(weekly, "opens") == ["10:00"] and _value(weekly, "closes") == ["18:00"]
    closed = next(s for s in specs if not _value(s, "dayOfWeek"))
    assert _value(closed, "opens") == ["00:00"] and _value(closed, "closes") == ["00:00"]
    assert _value(closed, "validFrom") == ["2026-12-24"]
    assert _value(closed, "validThrough") == ["2026-12-26"]

    crumbs = by_type[SCHEMA + "BreadcrumbList"][SCHEMA + "itemListElement"]
    assert [_value(c, "position")[0] for c in crumbs] == [1, 2, 3]
    assert _value(crumbs[-1], "item") == [url]
    assert _value(crumbs[-1], "name") == ["Musée archéologique Eugène Camoreyt"]


def test_jsonld_seasonal_hours_use_the_next_occurrence_dates(client, museum, clock):
    OpeningHoursFactory(
        page=museum,
        weekdays=["0", "1", "2", "3", "4", "5", "6"],
        opens=datetime.time(10),
        closes=datetime.time(19),
        season_label="hiver",
        from_day=1,
        from_month=11,
        to_day=31,
        to_month=3,
    )
    museum.admission_free = True
    museum.save()
    clock(at(2026, 3, 4, 11, 0))  # inside the winter season that began in November 2025
    options = {"documentLoader": schema_loader}
    documents = _ld_documents(get(client, museum))
    m = next(n for n in jsonld.expand(documents[0], options) if n["@type"] == [SCHEMA + "Museum"])
    seasonal = next(s for s in m[SCHEMA + "openingHoursSpecification"] if _value(s, "validFrom"))
    assert _value(seasonal, "validFrom") == ["2025-11-01"]
    assert _value(seasonal, "validThrough") == ["2026-03-31"]
    assert _value(m, "isAccessibleForFree") == [True]


def test_english_version(client, museum, clock):
    clock(at(2026, 3, 4, 11, 0))
    url = "/musees/musee-archeologique-eugene-camoreyt/"
    assert museum.url == url
    response = client.get(f"/en{url}")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert f'href="{url}" hreflang="fr" lang="fr"' in html
    assert 'href="/en/musees/"' in html  # the breadcrumbs stay in English
    assert not response.cookies
