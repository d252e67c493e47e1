"""The museums directory in a real browser: filters, search, map, keyboard."""

import re
from urllib.parse import parse_qs, urlsplit

from .conftest import DESKTOP, PHONE, screenshot

DIRECTORY = "/musees/"
CARD = "main article.card--museum"
CARD_LINK = "main a.card__link"


def result_count(page) -> int:
    """The number of matching museums as the page announces it ("12 musées")."""
    marked = page.locator("[data-result-count]")
    if marked.count():
        value = (marked.first.get_attribute("data-result-count") or "").strip()
        if value.isdigit():
            return int(value)
        text = marked.first.inner_text()
    else:
        text = page.locator("main").inner_text()
    match = re.search(r"(\d[\d\s\u202f\u00a0]*)\s+musées?\b", text)
    assert match, f"aucun nombre de résultats trouvé dans la page : {text[:300]!r}"
    return int(re.sub(r"\D", "", match.group(1)))


def filter_form(page):
    return page.locator("main form").filter(has=page.locator("[name=departement]")).first


def submit(page):
    with page.expect_navigation():
        filter_form(page).locator("[type=submit]").first.click()


MAP_TOTAL_JS = """() => {
    let total = 0;
    for (const icon of document.querySelectorAll('.map .leaflet-marker-icon')) {
        if (icon.classList.contains('marker-cluster')) {
            total += parseInt(icon.textContent.trim(), 10);
        } else {
            total += 1;
        }
    }
    return total;
}"""


def map_total(page, expected: int) -> int:
    """Markers shown by Leaflet plus the museums counted inside each cluster.

    Leaflet and markercluster draw in steps (fit to bounds, cluster animations): read the total
    until it equals the expected one or five seconds have passed, and return the last reading.
    """
    page.wait_for_selector(".leaflet-marker-icon", state="attached")
    total = page.evaluate(MAP_TOTAL_JS)
    for _ in range(25):
        if total == expected:
            break
        page.wait_for_timeout(200)
        total = page.evaluate(MAP_TOTAL_JS)
    return total


def map_data(page) -> list:
    """The museums the map was given (the JSON script its data-map-markers names)."""
    return page.evaluate(
        """() => {
            const map = document.querySelector('[data-map][data-map-markers]');
            const data = document.getElementById(map.dataset.mapMarkers);
            return JSON.parse(data.textContent);
        }"""
    )


def busiest_departement(demo_site) -> str:
    """The département with the most museums (one whose list differs from the whole region)."""
    return max(demo_site.by_departement, key=demo_site.by_departement.get)


def test_filter_by_departement(open_page, demo_site):
    page = open_page(DIRECTORY)
    assert result_count(page) == demo_site.museum_count
    code = min(demo_site.by_departement, key=lambda c: (demo_site.by_departement[c] < 3, c))
    name = demo_site.departement_names[code]

    page.locator("select[name=departement]").select_option(code)
    submit(page)

    assert parse_qs(urlsplit(page.url).query).get("departement") == [code]
    expected = demo_site.by_departement[code]
    assert result_count(page) == expected
    assert expected != demo_site.museum_count
    cards = page.locator(CARD)
    assert cards.count() == min(expected, 24)
    for text in cards.all_inner_texts():
        assert name in text, f"une carte ne montre pas le département {name} : {text!r}"
    screenshot(page, f"annuaire-departement-{code}")


def test_text_search_ignores_accents(open_page):
    page = open_page(DIRECTORY)
    filter_form(page).locator("[name=q]").fill("ceret")
    submit(page)
    assert parse_qs(urlsplit(page.url).query).get("q") == ["ceret"]
    titles = page.locator(CARD_LINK).all_inner_texts()
    assert titles, "la recherche « ceret » ne trouve aucun musée"
    assert any("Céret" in t for t in page.locator(CARD).all_inner_texts()), titles


def test_map_shows_every_matching_museum(open_page, demo_site):
    page = open_page(DIRECTORY)
    markers = map_data(page)
    assert len(markers) == demo_site.with_coordinates
    assert map_total(page, len(markers)) == len(markers)
    screenshot(page, "annuaire")


def test_map_follows_the_filters(open_page, demo_site):
    code = busiest_departement(demo_site)
    page = open_page(f"{DIRECTORY}?departement={code}")
    markers = map_data(page)
    assert len(markers) == demo_site.with_coordinates_by_departement[code]
    assert map_total(page, len(markers)) == len(markers)


def test_open_now_filter_lists_the_museums_with_hours(open_page, demo_site):
    page = open_page(f"{DIRECTORY}?ouvert=maintenant")
    assert result_count(page) == len(demo_site.open_now)


def focus_description(page) -> dict:
    """The focused element, and whether it (or the card around it) shows a focus indicator."""
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            const shows = (node) => {
                const style = getComputedStyle(node);
                return (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0)
                    || style.boxShadow !== 'none';
            };
            // The indicator may be drawn by an ancestor (`.card:focus-within`). Tab also visits
            // the calendar button inside a date input, whose focus ring Chromium draws in the
            // input's own shadow tree, out of reach of getComputedStyle.
            const dateLike = el.matches('input[type=date], input[type=time], input[type=month]');
            let visible = dateLike;
            for (let node = el, depth = 0; node && depth < 4; node = node.parentElement, depth++) {
                if (shows(node)) { visible = true; break; }
            }
            return {
                tag: el.tagName.toLowerCase(),
                name: el.getAttribute('name') || '',
                type: el.getAttribute('type') || '',
                cls: typeof el.className === 'string' ? el.className : '',
                href: el.getAttribute('href') || '',
                text: (el.innerText || el.value || '').trim().slice(0, 60),
                visible: visible,
                inMap: !!el.closest('.leaflet-container'),
            };
        }"""
    )


def test_keyboard_only_navigation(open_page, demo_site):
    page = open_page(DIRECTORY, width=DESKTOP)
    seen = []
    reached = {"skip": False, "q": False, "filter": False, "submit": False, "museum": None}
    for _ in range(400):
        page.keyboard.press("Tab")
        el = focus_description(page)
        if not el["visible"]:  # give the browser a frame to paint the focus style
            page.wait_for_timeout(100)
            el = focus_description(page)
        seen.append(el)
        assert el["visible"], f"le focus n'est pas visible sur {el}"
        if el["href"] == "#contenu" or "skip" in el["cls"]:
            reached["skip"] = True
        elif el["name"] == "q":
            reached["q"] = True
        elif el["name"] in {"departement", "commune", "domaine", "label", "acces", "gratuit"}:
            reached["filter"] = True
        elif el["type"] == "submit" and reached["filter"]:
            reached["submit"] = True
        elif "card__link" in el["cls"]:
            reached["museum"] = el["href"]
            break
    trail = " → ".join(f"{e['tag']}[{e['name'] or e['href'] or e['text']}]" for e in seen[:40])
    assert seen[0]["href"] == "#contenu" or "skip" in seen[0]["cls"], (
        f"le premier Tab n'atteint pas le lien d'évitement : {trail}"
    )
    for key in ("skip", "q", "filter", "submit"):
        assert reached[key], f"Tab n'atteint pas {key} : {trail}"
    assert reached["museum"], f"Tab n'atteint pas le premier musée : {trail}"

    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert urlsplit(page.url).path == reached["museum"]
    assert page.locator("h1").count() == 1


def test_directory_works_on_a_phone(open_page, demo_site):
    page = open_page(DIRECTORY, width=PHONE)
    assert result_count(page) == demo_site.museum_count
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"la page déborde de {overflow} px en largeur sur un téléphone"
