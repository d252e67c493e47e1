"""The public pages of the catalogue: /collections/, a work's page, a museum's works."""

import json
import re
from urllib.parse import quote

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse
from pyld import jsonld

from musees.catalogue.models import Work, WorkPlace
from tests.catalogue.factories import (
    DenominationFactory,
    DomainFactory,
    PeriodFactory,
    PersonFactory,
    PlaceFactory,
    TechniqueFactory,
    WorkAuthorFactory,
    WorkFactory,
    WorkImageFactory,
    WorkPlaceFactory,
)
from tests.jsonld import SCHEMA, schema_loader
from tests.museums.factories import MuseumPageFactory


@pytest.fixture(autouse=True)
def _fresh_page_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def museum(museum_index):
    return MuseumPageFactory(
        parent=museum_index, title="musée du Vieux Nîmes", short_name="", slug="vieux-nimes"
    )


@pytest.fixture
def other_museum(museum_index):
    return MuseumPageFactory(
        parent=museum_index, title="musée du Vieux-Toulouse", short_name="", slug="vieux-toulouse"
    )


def html_of(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


def full_work(museum, **kwargs):
    """A work with every field filled, two authors, places of each role and an image."""
    fields = {
        "inventory_number": "2001/12 A",
        "joconde_ref": "07450012345",
        "title": "Portrait de femme à l'éventail",
        "appellation": "La dame de Nîmes",
        "authors_text": "Dupont Jean (peintre) ; Martin Paul (graveur)",
        "author_details": "Signé en bas à droite",
        "former_attributions": "attribué autrefois à Ingres",
        "school": "France",
        "periods_text": "1er quart 19e siècle",
        "millesime_text": "1812",
        "year_start": 1812,
        "year_end": 1812,
        "epoch": "néo-classicisme",
        "techniques_text": "huile sur toile",
        "dimensions_text": "H. 21 cm, l. 69,5 cm",
        "height_cm": 21.0,
        "width_cm": 69.5,
        "places_text": "Nîmes",
        "place_details": "atelier de la rue de l'Aspic",
        "historical_geography": "Languedoc",
        "genesis": "commande",
        "inscriptions": "signature",
        "inscription_details": "en bas à droite, à l'encre",
        "description": "Une femme assise tient un éventail.",
        "onomastics": "famille Durand",
        "subject": "portrait (femme, éventail)",
        "subject_details": "robe de mousseline",
        "subject_date": "vers 1810",
        "use": "décor",
        "use_details": "salon",
        "use_period": "19e siècle",
        "history": "Donné par la famille en 1901.",
        "discovery": "collecte",
        "discovery_details": "grenier de la maison",
        "site_number": "30189-1",
        "legal_status": "propriété de la commune",
        "acquisition_text": "1901 don",
        "acquisition_year": 1901,
        "former_owner": "famille Durand",
        "deposit": "dépôt de l'État",
        "deposit_date": "1950",
        "location": "Nîmes ; musée du Vieux Nîmes",
        "exhibitions": "Nîmes, 1950 # Montpellier, 1990",
        "bibliography": "Catalogue du musée, 1920, n° 12 # Revue du Gard, 1954",
        "comments": "Restauré en 1988.",
        "record_authors": "Marie Curie-Fiche",
        "photo_credits": "Photo Jean Photographe",
        "copyright_notice": "© Nîmes, musée du Vieux Nîmes",
        "links": "https://example.org/notice-12",
        "domains": [DomainFactory(label="peinture", slug="peinture")],
        "denominations": [DenominationFactory(label="tableau")],
        "periods": [PeriodFactory(label="1er quart 19e siècle", year_start=1800, year_end=1825)],
        "techniques": [TechniqueFactory(label="huile sur toile")],
    }
    work = WorkFactory(museum=museum, **{**fields, **kwargs})
    WorkAuthorFactory(
        work=work,
        person=PersonFactory(label="Dupont Jean", dates="1780-1850"),
        role="peintre",
        position=0,
    )
    WorkAuthorFactory(
        work=work, person=PersonFactory(label="Martin Paul"), role="graveur", position=1
    )
    WorkPlaceFactory(work=work, place=PlaceFactory(label="Nîmes"), role=WorkPlace.Role.CREATION)
    WorkPlaceFactory(work=work, place=PlaceFactory(label="Uzès"), role=WorkPlace.Role.USE)
    WorkPlaceFactory(
        work=work, place=PlaceFactory(label="Beaucaire"), role=WorkPlace.Role.DISCOVERY
    )
    WorkImageFactory(
        work=work,
        alt_text="Une femme en robe blanche tient un éventail",
        caption="Vue de face",
        photographer="Jean Photographe",
        copyright_line="© Ville de Nîmes",
        licence="cc-by",
    )
    return work


# --- The work page ------------------------------------------------------------------------------


def test_work_page_shows_every_group_of_a_full_work(client, museum):
    work = full_work(museum)
    html = html_of(client, work.get_absolute_url())
    headings = re.findall(r'<h2 class="work-group__title"[^>]*>([^<]+)</h2>', html)
    assert headings == [
        "Identification",
        "Création",
        "Description",
        "Historique et provenance",
        "Bibliographie et expositions",
        "Droits et crédits",
    ]
    labels = re.findall(r'<dt class="work-field__label">([^<]+)</dt>', html)
    for label in [
        "Titre",
        "Appellation",
        "Dénominations",
        "Domaines",
        "Numéro d&#x27;inventaire",
        "Référence Joconde",
        "Auteurs",
        "École",
        "Période",
        "Millésime",
        "Époque, style, mouvement",
        "Lieu de création",
        "Matériaux et techniques",
        "Mesures",
        "Description",
        "Inscriptions",
        "Précisions sur les inscriptions",
        "Sujet représenté",
        "Onomastique",
        "Utilisation, destination",
        "Lieu d&#x27;utilisation",
        "Historique",
        "Découverte, collecte",
        "Lieu de découverte",
        "Mode et date d&#x27;acquisition",
        "Ancienne appartenance",
        "Dépôt",
        "Statut juridique",
        "Localisation",
        "Bibliographie",
        "Expositions",
        "Copyright",
        "Crédits photographiques",
        "Images",
    ]:
        assert label in labels, label
    # Values, with the parsed measurements beside the verbatim text.
    assert "H. 21 cm, l. 69,5 cm" in html
    assert "hauteur 21 cm · largeur 69,5 cm" in html
    assert "Une femme assise tient un éventail." in html
    assert "Revue du Gard, 1954</li>" in html  # "#" blocks are separate items
    assert "https://www.pop.culture.gouv.fr/notice/joconde/07450012345" in html
    # Each author links to the other works of the same person, with role and dates.
    assert 'href="/collections/?auteur=dupont-jean"' in html
    assert "peintre, 1780-1850" in html
    # The image: alt text, caption, credit line and licence link.
    assert 'alt="Une femme en robe blanche tient un éventail"' in html
    assert "Jean Photographe · © Ville de Nîmes" in html
    assert 'href="https://creativecommons.org/licenses/by/4.0/" rel="license"' in html
    # Breadcrumbs: Accueil › Musées › museum › work.
    crumbs = re.search(r'<ol class="breadcrumbs__list">(.*?)</ol>', html, re.S).group(1)
    assert re.findall(r">([^<>]+)</(?:a|span)>", crumbs) == [
        "Accueil",
        "Musées",
        "Musée du Vieux Nîmes",
        "Portrait de femme à l&#x27;éventail",
    ]
    assert f'href="{museum.url}"' in html


def test_work_page_hides_empty_fields_and_shows_a_plate_without_image(client, museum):
    work = WorkFactory(
        museum=museum,
        title="",
        inventory_number="985.12.1",
        denominations=[DenominationFactory(label="robe")],
        domains=[DomainFactory(label="costume - accessoires du costume", slug="costume")],
    )
    html = html_of(client, work.get_absolute_url())
    headings = re.findall(r'<h2 class="work-group__title"[^>]*>([^<]+)</h2>', html)
    assert headings == ["Identification"]
    assert "Inscriptions" not in html and "Titre</dt>" not in html
    # Without title, the heading names what the work is; the plate shows its letter.
    assert '<h1 class="work-head__title" id="work-title">Robe</h1>' in html
    assert '<span class="card__initial">R</span>' in html
    assert "data-deepzoom" not in html and "openseadragon" not in html


@pytest.mark.parametrize(
    "change",
    [
        {"status": Work.Status.DRAFT},
        {"status": Work.Status.WITHDRAWN},
    ],
)
def test_work_page_404_for_works_the_public_may_not_see(client, museum, change):
    work = WorkFactory(museum=museum, inventory_number="X 1", **change)
    html_of(client, work.get_absolute_url(), status=404)


def test_work_page_404_in_an_unpublished_museum_or_for_an_unknown_number(client, museum):
    work = WorkFactory(museum=museum, inventory_number="X 1")
    html_of(client, work.get_absolute_url())
    html_of(client, "/oeuvres/vieux-nimes/X%202/", status=404)
    html_of(client, "/oeuvres/autre-musee/X%201/", status=404)
    museum.unpublish()
    cache.clear()
    html_of(client, work.get_absolute_url(), status=404)


@pytest.mark.parametrize(
    "number", ["2001/12 A", "Inv. n° 12#3", "éà", "50%", "D 12?x=1", "a/b/c/", "2001%2F12"]
)
def test_stable_url_round_trip_for_tricky_inventory_numbers(client, museum, number):
    work = WorkFactory(museum=museum, inventory_number=number, title=f"Œuvre {number}")
    url = work.get_absolute_url()
    assert url.startswith("/oeuvres/vieux-nimes/") and url.endswith("/")
    assert "#" not in url and "?" not in url and " " not in url
    assert resolve(url.replace("%", "%25") if False else url) is not None
    html = html_of(client, url)
    assert f'<h1 class="work-head__title" id="work-title">Œuvre {number}'.replace(
        "&", "&amp;"
    ) in html.replace("&#x27;", "'")
    # The fully quoted form of the number ("/" as %2F) reaches the same page.
    html_of(client, f"/oeuvres/vieux-nimes/{quote(number, safe='')}/")
    # And reverse() gives the same address from the raw or the quoted number.
    assert (
        reverse(
            "catalogue:work",
            kwargs={"museum_slug": "vieux-nimes", "inventory": quote(number, safe="")},
        )
        == url
    )


def test_related_works_by_author_domain_and_period(client, museum, other_museum):
    work = full_work(museum)
    person = work.work_authors.first().person
    by_author = WorkFactory(museum=other_museum, title="Autre œuvre de Dupont")
    WorkAuthorFactory(work=by_author, person=person)
    same_domain = WorkFactory(
        museum=museum, title="Une autre peinture", domains=list(work.domains.all())
    )
    same_period = WorkFactory(
        museum=museum, title="Du même quart de siècle", periods=list(work.periods.all())
    )
    draft = WorkFactory(
        museum=museum,
        title="Brouillon caché",
        status=Work.Status.DRAFT,
        domains=list(work.domains.all()),
    )
    WorkFactory(museum=museum, title="Sans rapport")
    html = html_of(client, work.get_absolute_url())
    sections = dict(
        re.findall(
            r'<section class="container section work-related"[^>]*>(.*?)</section>', html, re.S
        )
        and [
            (key, body)
            for key, body in re.findall(r'id="related-(\w+)">.*?</h2>(.*?)</section>', html, re.S)
        ]
    )
    assert by_author.title in sections["author"]
    assert same_domain.title in sections["domain"]
    assert same_period.title in sections["period"]
    assert draft.title not in html and "Sans rapport" not in html
    assert 'href="/collections/?domaine=peinture"' in html


def _count_queries(client, url) -> int:
    client.get(url)  # the first request of a test creates the site's settings row
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_work_page_query_count_does_not_grow_with_authors_domains_or_images(client, museum):
    small = full_work(museum)
    big = full_work(museum, inventory_number="B 2", joconde_ref="07450099999")
    for n in range(6):
        WorkAuthorFactory(work=big, person=PersonFactory(label=f"Auteur {n}"), position=n + 2)
        big.domains.add(DomainFactory(label=f"domaine {n}"))
        big.techniques.add(TechniqueFactory(label=f"technique {n}"))
        big.periods.add(PeriodFactory(label=f"période {n}"))
        big.save()
        WorkImageFactory(work=big, position=n + 1)
        related = WorkFactory(museum=museum, domains=[big.domains.first()])
        WorkAuthorFactory(work=related, person=big.work_authors.first().person)
    assert _count_queries(client, small.get_absolute_url()) == _count_queries(
        client, big.get_absolute_url()
    )


def test_work_page_has_no_inline_script_or_style_and_sets_no_cookie(client, museum):
    work = full_work(museum, description="</script><script>alert(1)</script>")
    response = client.get(work.get_absolute_url())
    html = response.content.decode()
    assert not response.cookies
    assert " style=" not in html and "<style" not in html
    assert not re.search(r"\son[a-z]+=", html)
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag or 'type="application/ld+json"' in tag, tag
    assert "<script>alert(1)</script>" not in html


def test_work_page_deep_zoom_and_iiif_links(client, museum):
    work = full_work(museum)
    image = work.images.first()
    html = html_of(client, work.get_absolute_url())
    assert f'data-iiif-info="/iiif/3/{image.image_id}/info.json"' in html
    assert f"/iiif/3/{image.image_id}/full/" in html  # the still image without JavaScript
    assert 'href="/iiif/3/manifests/vieux-nimes/2001%2F12%20A/manifest.json"' in html
    assert "Manifeste IIIF" in html
    assert "js/deepzoom.js" in html and "openseadragon.min.js" in html


# --- JSON-LD ------------------------------------------------------------------------------------


def _expanded(html):
    documents = [
        json.loads(text)
        for text in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    ]
    options = {"documentLoader": schema_loader}
    return [node for doc in documents for node in jsonld.expand(doc, options)]


def _values(node, key):
    return [v.get("@value", v.get("@id")) for v in node.get(SCHEMA + key, [])]


def test_jsonld_of_a_painting_is_a_visual_artwork(client, museum):
    work = full_work(museum)
    html = html_of(client, work.get_absolute_url())
    nodes = {node["@type"][0]: node for node in _expanded(html)}
    assert set(nodes) == {SCHEMA + "VisualArtwork", SCHEMA + "BreadcrumbList"}
    art = nodes[SCHEMA + "VisualArtwork"]
    url = "http://testserver/oeuvres/vieux-nimes/2001/12%20A/"
    assert _values(art, "name") == ["Portrait de femme à l'éventail"]
    assert _values(art, "url") == [url]
    assert _values(art, "dateCreated") == ["1812"]
    assert _values(art, "artMedium") == ["huile sur toile"]
    assert _values(art, "artform") == ["peinture"]
    inventory, joconde = art[SCHEMA + "identifier"]
    assert inventory["@type"] == [SCHEMA + "PropertyValue"]
    assert _values(inventory, "value") == ["2001/12 A"]
    assert _values(joconde, "value") == ["07450012345"]
    creators = art[SCHEMA + "creator"]
    assert [c["@type"] for c in creators] == [[SCHEMA + "Person"]] * 2
    assert [_values(c, "name")[0] for c in creators] == ["Dupont Jean", "Martin Paul"]
    (height,) = art[SCHEMA + "height"]
    assert height["@type"] == [SCHEMA + "QuantitativeValue"]
    assert _values(height, "value") == [21.0] and _values(height, "unitCode") == ["CMT"]
    assert _values(art[SCHEMA + "width"][0], "value") == [69.5]
    (place,) = art[SCHEMA + "locationCreated"]
    assert place["@type"] == [SCHEMA + "Place"] and _values(place, "name") == ["Nîmes"]
    (provider,) = art[SCHEMA + "provider"]
    assert provider["@type"] == [SCHEMA + "Museum"]
    assert provider["@id"] == f"http://testserver{museum.url}#musee"
    assert _values(art, "copyrightNotice") == ["© Nîmes, musée du Vieux Nîmes"]
    (image,) = art[SCHEMA + "image"]
    image_id = work.images.first().image_id
    assert _values(image, "contentUrl") == [
        f"http://testserver/iiif/3/{image_id}/full/max/0/default.jpg"
    ]
    assert _values(image, "license") == ["https://creativecommons.org/licenses/by/4.0/"]
    assert _values(image, "creditText") == ["Jean Photographe · © Ville de Nîmes"]
    crumbs = nodes[SCHEMA + "BreadcrumbList"][SCHEMA + "itemListElement"]
    assert [_values(c, "position")[0] for c in crumbs] == [1, 2, 3, 4]
    assert _values(crumbs[-1], "item") == [url]


def test_jsonld_of_a_costume_is_a_creative_work_with_a_year_range(client, museum):
    work = WorkFactory(
        museum=museum,
        title="Robe de mariée",
        year_start=1800,
        year_end=1825,
        periods_text="1er quart 19e siècle",
        techniques_text="soie",
        dimensions_text="H. 140 cm",
        height_cm=140.0,
        domains=[DomainFactory(label="costume - accessoires du costume", slug="costume")],
    )
    nodes = {n["@type"][0]: n for n in _expanded(html_of(client, work.get_absolute_url()))}
    work_node = nodes[SCHEMA + "CreativeWork"]
    assert _values(work_node, "dateCreated") == ["1800/1825"]
    assert _values(work_node, "material") == ["soie"]
    assert _values(work_node, "genre") == ["costume - accessoires du costume"]
    assert SCHEMA + "height" not in work_node  # not a CreativeWork property
    assert SCHEMA + "image" not in work_node


# --- /collections/ (its search, facets and pages: test_search_views.py) ----------------------


def test_collections_is_a_site_section(client, museum):
    WorkFactory(museum=museum)
    html = html_of(client, "/")
    assert 'href="/collections/"' in html


def test_collections_empty_catalogue(client, museum):
    html = html_of(client, "/collections/")
    assert "Les musées n’ont pas encore publié d’œuvres." in html


# --- The museum page ----------------------------------------------------------------------------


def test_museum_page_lists_its_published_works_only(client, museum, other_museum):
    for n in range(10):
        WorkFactory(museum=museum, title=f"Pièce {n:02d}")
    WorkFactory(museum=museum, title="Brouillon", status=Work.Status.DRAFT)
    WorkFactory(museum=other_museum, title="Ailleurs")
    html = html_of(client, museum.url)
    cards = re.findall(r'<a class="card__link" href="[^"]+">([^<]+)</a>', html)
    assert cards == [f"Pièce {n:02d}" for n in range(9, 1, -1)]  # the 8 most recent
    assert 'href="/collections/?musee=vieux-nimes"' in html


def test_museum_page_query_count_does_not_grow_with_its_works(client, museum):
    WorkFactory(museum=museum)
    few = _count_queries(client, museum.url)
    for _n in range(12):
        work = WorkFactory(museum=museum, domains=[DomainFactory()])
        WorkImageFactory(work=work)
    assert _count_queries(client, museum.url) == few
