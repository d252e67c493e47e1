"""/collections/, the catalogue search page: text, facets, sort, pages, map, suggestions.

The search index is files derived from the database (musees.search); tests/conftest.py gives
each test an empty index folder and an engine that has read nothing, so the first search of a
test builds the index from that test's works.
"""

import json
import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from musees.catalogue.forms import BAD_PAGE, BAD_SORT, BAD_VALUE, BAD_VIEW, CENTURY_GONE
from musees.catalogue.models import Work
from tests.catalogue.factories import (
    DenominationFactory,
    DomainFactory,
    PeriodFactory,
    PersonFactory,
    TechniqueFactory,
    WorkAuthorFactory,
    WorkFactory,
    WorkImageFactory,
)
from tests.museums.factories import MuseumPageFactory

URL = "/collections/"
CARD = 'class="card card--work work-card"'


@pytest.fixture(autouse=True)
def _fresh_page_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def nimes(museum_index):
    return MuseumPageFactory(
        parent=museum_index,
        title="musée du Vieux Nîmes",
        short_name="",
        slug="vieux-nimes",
        commune="Nîmes",
        departement_code="30",
        departement_name="Gard",
        latitude=43.8367,
        longitude=4.3601,
    )


@pytest.fixture
def toulouse(museum_index):
    return MuseumPageFactory(
        parent=museum_index,
        title="musée des Augustins",
        short_name="",
        slug="augustins",
        commune="Toulouse",
        departement_code="31",
        departement_name="Haute-Garonne",
        latitude=43.6008,
        longitude=1.4466,
    )


@pytest.fixture
def corpus(nimes, toulouse, museum_index):
    """Four public works in two museums, and four the public must never see."""
    archeologie = DomainFactory(label="archéologie", slug="archeologie")
    peinture = DomainFactory(label="peinture", slug="peinture")
    WorkFactory(
        museum=nimes,
        title="Amphore vinaire",
        description="Amphore gallo-romaine à fond plat, trouvée dans le port.",
        domains=[archeologie],
        year_start=50,
    )
    WorkFactory(museum=toulouse, title="Amphore à huile", domains=[archeologie], year_start=120)
    portrait = WorkFactory(
        museum=nimes, title="Portrait de femme", domains=[peinture], year_start=1812
    )
    WorkAuthorFactory(work=portrait, person=PersonFactory(label="Dupont Jean"))
    WorkFactory(museum=toulouse, title="Paysage du Gard", domains=[peinture], year_start=1890)
    WorkFactory(
        museum=nimes, title="Amphore brouillon", status=Work.Status.DRAFT, domains=[archeologie]
    )
    WorkFactory(
        museum=nimes, title="Amphore retirée", status=Work.Status.WITHDRAWN, domains=[archeologie]
    )
    hidden = MuseumPageFactory(parent=museum_index, title="musée fermé", slug="ferme")
    WorkFactory(museum=hidden, title="Amphore cachée", domains=[archeologie])
    hidden.unpublish()
    return {"archeologie": archeologie, "peinture": peinture, "portrait": portrait}


def page(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, (url, params)
    return response.content.decode()


def titles(html: str) -> list[str]:
    """The titles of the result cards, in order, without the <mark> of the words found."""
    links = re.findall(r'<a class="card__link" href="[^"]+">(.*?)</a>', html, re.S)
    return [unescape(re.sub(r"<[^>]+>", "", link)) for link in links]


def facet(html: str, param: str) -> dict[str, tuple[int, bool]]:
    """One facet's checkboxes: {value: (count, checked)}."""
    found = re.findall(
        rf'<input class="facet__check" type="checkbox" id="[^"]+" name="{param}" '
        r'value="([^"]+)"( checked)?>.*?<span class="facet__count">([\d\s\u202f\xa0]+)<',
        html,
        re.S,
    )
    return {
        value: (int(re.sub(r"\D", "", count)), bool(checked)) for value, checked, count in found
    }


def result_count(html: str) -> int:
    return int(re.search(r'data-result-count="(\d+)"', html).group(1))


# --- Text, visibility, highlighting ---------------------------------------------------------------


def test_text_search_finds_published_works_of_published_museums_only(client, corpus):
    html = page(client, URL, q="amphore")
    assert result_count(html) == 2
    assert sorted(titles(html)) == ["Amphore vinaire", "Amphore à huile"]
    for never in ("brouillon", "retirée", "cachée"):
        assert never not in html
    # The words found are marked in the title and the snippet.
    assert "<mark>Amphore</mark> vinaire" in html
    assert "<mark>Amphore</mark> gallo-romaine" in html
    assert "2 œuvres" in html


def test_bare_page_lists_every_public_work_and_is_indexable(client, corpus):
    html = page(client, URL)
    assert result_count(html) == 4
    assert 'name="robots"' not in html
    assert "Amphore cachée" not in html and "Amphore brouillon" not in html
    html = page(client, URL, q="portrait")
    assert '<meta name="robots" content="noindex">' in html
    assert "<title>« portrait » · 1 œuvre · Collections" in html


def test_work_withdrawn_after_a_search_disappears_from_the_next_one(client, corpus):
    assert result_count(page(client, URL, q="portrait")) == 1
    portrait = corpus["portrait"]
    portrait.status = Work.Status.WITHDRAWN
    portrait.save()
    cache.clear()
    assert result_count(page(client, URL, q="portrait")) == 0


# --- Facets ---------------------------------------------------------------------------------------


def test_facet_values_combine_or_within_a_facet_and_across_facets(client, corpus):
    html = page(client, URL, domaine=["peinture", "archeologie"])
    assert result_count(html) == 4  # OR within the domain facet

    html = page(client, URL, domaine="archeologie", musee="vieux-nimes")
    assert titles(html) == ["Amphore vinaire"]  # AND across facets

    html = page(client, URL, domaine="archeologie", musee=["vieux-nimes", "augustins"])
    assert result_count(html) == 2


def test_facet_counts_ignore_their_own_selection(client, corpus):
    html = page(client, URL, domaine="peinture")
    assert result_count(html) == 2
    # The domain facet still offers archaeology, with what ticking it would add.
    assert facet(html, "domaine") == {"peinture": (2, True), "archeologie": (2, False)}
    # The other facets count under the domain filter.
    assert facet(html, "musee") == {"vieux-nimes": (1, False), "augustins": (1, False)}
    assert facet(html, "departement") == {"30": (1, False), "31": (1, False)}
    assert facet(html, "auteur") == {"dupont-jean": (1, False)}
    # Each count is read as "2 œuvres" by a screen reader; the legend names the facet.
    assert re.search(r"<legend[^>]*>Domaine</legend>", html)
    assert '2<span class="visually-hidden"> œuvres</span>' in html


def test_selected_values_come_first_and_long_facets_fold(client, nimes):
    domains = [DomainFactory(label=f"domaine {n:02d}") for n in range(12)]
    for n, domain in enumerate(domains):
        for _ in range(12 - n):
            WorkFactory(museum=nimes, domains=[domain])
    html = page(client, URL, domaine="domaine-11")  # the smallest: last by count
    values = list(facet(html, "domaine"))
    assert values[0] == "domaine-11"
    visible, folded = html.split('<details class="facet__more" data-facet="domaine"', 1)
    assert visible.count('name="domaine"') == 8
    assert folded.split("</details>", 1)[0].count('name="domaine"') == 4
    assert "4 autres" in folded


def test_chips_remove_one_filter_and_tout_effacer_removes_all(client, corpus):
    html = page(client, URL, q="amphore", domaine="archeologie", musee="vieux-nimes")
    chips = {
        unescape(re.sub(r"<[^>]+>", "", label)).replace("×", "").strip(): unescape(href)
        for href, label in re.findall(
            r'<a class="tag tag--active collections__chip" href="([^"]+)">(.*?)</a>', html, re.S
        )
    }
    assert chips["Recherche : « amphore » (retirer ce filtre)"] == (
        "/collections/?musee=vieux-nimes&domaine=archeologie"
    )
    assert chips["Domaine : Archéologie (retirer ce filtre)"] == (
        "/collections/?q=amphore&musee=vieux-nimes"
    )
    assert chips["Musée : Musée du Vieux Nîmes (retirer ce filtre)"] == (
        "/collections/?q=amphore&domaine=archeologie"
    )
    assert '<a class="collections__reset" href="/collections/">Tout effacer</a>' in html


def test_links_from_museum_and_work_pages_filter_the_search(client, corpus, nimes):
    museum_html = page(client, nimes.url)
    assert 'href="/collections/?musee=vieux-nimes"' in museum_html
    assert sorted(titles(page(client, URL, musee="vieux-nimes"))) == [
        "Amphore vinaire",
        "Portrait de femme",
    ]
    work_html = page(client, corpus["portrait"].get_absolute_url())
    assert 'href="/collections/?auteur=dupont-jean"' in work_html
    assert titles(page(client, URL, auteur="dupont-jean")) == ["Portrait de femme"]


def test_work_page_period_strip_links_to_the_period_facet(client, nimes):
    period = PeriodFactory(label="1er quart 19e siècle", slug="1er-quart-19e-siecle")
    work = WorkFactory(museum=nimes, title="Gilet", periods=[period], year_start=1810)
    WorkFactory(museum=nimes, title="Veste", periods=[period], year_start=1815)
    html = page(client, work.get_absolute_url())
    assert 'href="/collections/?periode=1er-quart-19e-siecle"' in html
    assert "siecle=" not in html
    assert sorted(titles(page(client, URL, periode="1er-quart-19e-siecle"))) == ["Gilet", "Veste"]


def test_image_denomination_and_technique_facets(client, nimes):
    vase = DenominationFactory(label="vase", slug="vase")
    tour = TechniqueFactory(label="tournage", slug="tournage")
    with_image = WorkFactory(museum=nimes, title="Vase A", denominations=[vase], techniques=[tour])
    WorkImageFactory(work=with_image)
    WorkFactory(museum=nimes, title="Vase B", denominations=[vase])
    html = page(client, URL, image="1")
    assert titles(html) == ["Vase A"]
    assert facet(html, "image") == {"1": (1, True)}
    assert facet(page(client, URL), "denomination") == {"vase": (2, False)}
    assert titles(page(client, URL, technique="tournage")) == ["Vase A"]


# --- Sort and pages -------------------------------------------------------------------------------


def test_sorts(client, corpus):
    def order(tri):
        return titles(page(client, URL, tri=tri))

    assert order("titre") == [
        "Amphore à huile",
        "Amphore vinaire",
        "Paysage du Gard",
        "Portrait de femme",
    ]
    assert order("date") == [
        "Amphore vinaire",
        "Amphore à huile",
        "Portrait de femme",
        "Paysage du Gard",
    ]
    assert order("-date")[0] == "Paysage du Gard"
    assert order("recent")[0] == "Paysage du Gard"
    html = page(client, URL, tri="titre")
    assert '<option value="titre" selected>' in html


def test_pagination_24_per_page_elided_and_past_the_end(client, nimes):
    for n in range(30):
        WorkFactory(museum=nimes, inventory_number=f"A{n:03d}", title=f"Pièce {n:03d}")
    html = page(client, URL, tri="titre")
    assert html.count(CARD) == 24
    html = page(client, URL, tri="titre", page="2")
    assert html.count(CARD) == 6 and "Pièce 029" in html
    assert 'aria-current="page"><span class="visually-hidden">Page </span>2' in html
    assert "page 2 sur 2" in html
    html = page(client, URL, tri="titre", page="9")  # past the end: the last page
    assert html.count(CARD) == 6


def test_elided_pagination_on_a_large_result(client, nimes):
    for n in range(24 * 12):
        WorkFactory(museum=nimes, inventory_number=f"B{n:04d}")
    html = page(client, URL, page="6")
    nav = re.search(r'<nav class="collections__pagination".*?</nav>', html, re.S).group(0)
    numbers = re.findall(r"</span>(\d+)</a>", nav)
    assert numbers == ["1", "2", "5", "6", "7", "11", "12"]
    assert nav.count("…") == 2


# --- Bad parameters: notices, never an error ------------------------------------------------------


def test_bad_parameters_are_ignored_with_a_notice(client, corpus):
    html = page(
        client,
        URL,
        domaine=["inconnu", "archeologie"],
        image="2",
        tri="au-hasard",
        page="abc",
        vue="plan",
        musee="<script>",
    )
    assert result_count(html) == 2  # archaeology kept, the rest ignored
    text = unescape(html)
    assert str(BAD_VALUE % {"label": "Domaine", "value": "inconnu"}) in text
    assert str(BAD_VALUE % {"label": "Image", "value": "2"}) in text
    assert str(BAD_VALUE % {"label": "Musée", "value": "<script>"}) in text
    assert str(BAD_SORT % {"value": "au-hasard"}) in text
    assert str(BAD_PAGE % {"value": "abc"}) in text
    assert str(BAD_VIEW % {"value": "plan"}) in text
    assert "<script>" not in html
    # The links of the page keep only what was understood.
    body = html.split("<main", 1)[1]
    assert "inconnu" not in re.sub(r'<div class="notice.*?</div>', "", body, flags=re.S)


def test_old_century_urls_still_work(client, corpus):
    html = page(client, URL, siecle="19", domaine="peinture")
    assert result_count(html) == 2
    assert str(CENTURY_GONE) in unescape(html)


# --- Empty results --------------------------------------------------------------------------------


def test_empty_result_proposes_filters_to_remove_with_their_counts(client, corpus):
    html = page(client, URL, q="amphore", domaine="peinture")
    assert result_count(html) == 0
    assert "Aucune œuvre publiée ne correspond à cette recherche." in html
    empty = unescape(re.search(r'<div class="empty-state.*?</div>', html, re.S).group(0))
    assert 'href="/collections/?domaine=peinture">Retirer : Recherche : « amphore »</a>' in empty
    assert "(2 œuvres)" in empty
    assert 'href="/collections/?q=amphore">Retirer : Domaine : Peinture</a>' in empty
    assert "Vérifiez l’orthographe des mots." in empty


def test_empty_result_proposes_known_words_for_the_typed_ones(client, corpus):
    html = page(client, URL, q="amphorre")
    assert result_count(html) == 0
    empty = unescape(re.search(r'<div class="empty-state.*?</div>', html, re.S).group(0))
    assert "Retirer" not in empty  # the text is the only criterion: "Voir toutes les œuvres"
    assert re.search(
        r'<a href="/collections/\?q=amphore">amphore</a> <span[^>]*>\(2 œuvres\)', empty
    )


def test_empty_catalogue(client, nimes):
    html = page(client, URL)
    assert "Les musées n’ont pas encore publié d’œuvres." in html


# --- The map view ---------------------------------------------------------------------------------


def test_map_view_has_one_marker_per_museum_with_its_count(client, corpus):
    html = page(client, URL, q="amphore", vue="carte")
    markers = json.loads(
        re.search(
            r'<script id="search-markers" type="application/json">(.*?)</script>', html, re.S
        ).group(1)
    )
    by_name = {m["name"]: m for m in markers}
    assert set(by_name) == {"Musée du Vieux Nîmes", "Musée des Augustins"}
    nimes = by_name["Musée du Vieux Nîmes"]
    assert (nimes["lat"], nimes["lon"]) == (43.8367, 4.3601)
    assert nimes["commune"] == "1 œuvre · Nîmes"
    assert parse_qs(urlsplit(nimes["url"]).query) == {"q": ["amphore"], "musee": ["vieux-nimes"]}
    assert CARD not in html  # the map replaces the cards
    assert 'href="/collections/?q=amphore">Voir la liste des œuvres</a>' in html
    assert "2 musées conservent ces œuvres" in html
    assert 'src="/static/vendor/leaflet/leaflet.js"' in html


# --- Query count ----------------------------------------------------------------------------------


def _queries(client, url) -> int:
    client.get(url)  # the index takes in the latest changes (once)
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _work_with_everything(museum, n, vocabularies):
    domain, denomination, period, technique = vocabularies
    work = WorkFactory(
        museum=museum,
        title=f"Vase numéro {n}",
        domains=[domain],
        denominations=[denomination],
        periods=[period],
        techniques=[technique],
        year_start=1800 + n,
    )
    WorkAuthorFactory(work=work)
    WorkImageFactory(work=work)


def test_query_count_does_not_grow_with_the_results(client, nimes, toulouse):
    vocabularies = (
        DomainFactory(label="céramique"),
        DenominationFactory(label="vase"),
        PeriodFactory(label="19e siècle"),
        TechniqueFactory(label="tournage"),
    )
    for n in range(3):
        _work_with_everything(nimes if n % 2 else toulouse, n, vocabularies)
    url = f"{URL}?q=vase&domaine=ceramique"
    few = _queries(client, url)
    assert result_count(page(client, url)) == 3
    for n in range(3, 30):
        _work_with_everything(nimes if n % 2 else toulouse, n, vocabularies)
    assert _queries(client, url) == few
    assert result_count(page(client, url)) == 30


# --- Suggestions ----------------------------------------------------------------------------------


def test_suggestions_complete_the_last_word(client, corpus):
    response = client.get(f"{URL}suggestions/", {"q": "amph"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert data["suggestions"][0] == {"text": "amphore", "count": 2, "label": "2 œuvres"}
    data = client.get(f"{URL}suggestions/", {"q": "portrait de fem"}).json()
    assert [s["text"] for s in data["suggestions"]] == ["portrait de femme"]
    assert client.get(f"{URL}suggestions/", {"q": "a"}).json()["suggestions"] == []
    assert client.get(f"{URL}suggestions/").json()["suggestions"] == []


# --- Search boxes elsewhere -----------------------------------------------------------------------


def test_header_and_home_page_search_the_works_too(client, corpus, home_page):
    html = page(client, "/")
    assert re.search(r'<form class="big-search"[^>]*action="/collections/"', html)
    assert 'for="home-works-q">Rechercher une œuvre</label>' in html
    html = page(client, "/musees/")
    header = re.search(r'<form class="header-search".*?</form>', html, re.S).group(0)
    assert 'action="/musees/"' in header  # Enter searches the museums, as before
    assert 'formaction="/collections/"' in header


# --- Whatever is typed ----------------------------------------------------------------------------

PARAMS = ["q", "musee", "departement", "domaine", "periode", "auteur", "image", "tri", "page"]
PARAMS += ["vue", "siecle", "technique", "denomination"]


def test_any_parameters_give_a_page_never_an_error(client, corpus):
    suggestions = f"{URL}suggestions/"

    @settings(
        max_examples=2000,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        derandomize=True,
    )
    @given(
        st.one_of(
            st.dictionaries(
                st.sampled_from(PARAMS), st.lists(st.text(max_size=40), max_size=3), max_size=4
            ),
            st.text(max_size=80).map(lambda raw: {"raw": raw}),
        )
    )
    def check(params):
        if "raw" in params:
            response = client.get(f"{URL}?{params['raw']}")
        else:
            response = client.get(URL, params)
        assert response.status_code == 200
        if params.get("q"):
            assert client.get(suggestions, {"q": params["q"][0]}).status_code == 200

    check()
