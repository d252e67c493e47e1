"""/collections/, the catalogue search, in Chromium: facets and sort in place with htmx (keyboard,
focus, URL), the autocompletion combobox, the form without JavaScript, the map view, axe-core.

The live server serves the real demo data: the Joconde costume records of Occitanie museums (34
of the Musée du Vieux Nîmes, among them many « gilet »).
"""

import re
import time
from urllib.parse import parse_qs, urlsplit

import pytest

from .conftest import DESKTOP, PHONE, WIDTHS, screenshot
from .test_accessibility import axe_violations, describe

SEARCH = "/collections/?q=gilet"


def _wait_until(page, condition, timeout=10.0):
    """Poll a condition (page.wait_for_function would need eval, which the CSP forbids)."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "délai dépassé"
        page.wait_for_timeout(50)


def count(page) -> int:
    return int(page.locator("#results-heading").get_attribute("data-result-count"))


def query(page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def focused_id(page) -> str:
    return page.evaluate("() => document.activeElement && document.activeElement.id")


def mark_document(page):
    """A flag that a full page load would lose: the update happened in place."""
    page.evaluate("() => { window.searchTestMark = 'same page'; }")


def same_document(page) -> bool:
    return page.evaluate("() => window.searchTestMark") == "same page"


def test_a_facet_ticked_from_the_keyboard_updates_results_url_and_keeps_focus(open_page):
    page = open_page(SEARCH)
    assert page.locator("form.search--live").count() == 1  # htmx is there
    assert page.locator(".search__apply").first.is_hidden()
    before = count(page)
    assert before > 1
    mark_document(page)

    page.locator("#search-q").focus()
    for _ in range(60):  # Tab through the form until a facet checkbox has the focus
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.classList.contains('facet__check')"):
            break
    checkbox_id = focused_id(page)
    assert checkbox_id.startswith("f-"), "aucune case de filtre atteinte au clavier"
    param, value = page.locator(f"#{checkbox_id}").evaluate("(el) => [el.name, el.value]")
    expected = int(
        re.sub(r"\D", "", page.locator(f"label[for='{checkbox_id}'] .facet__count").inner_text())
    )

    page.keyboard.press("Space")
    _wait_until(page, lambda: value in query(page).get(param, []))
    _wait_until(page, lambda: count(page) == expected)
    assert same_document(page), "la page a été rechargée au lieu d'être mise à jour"
    assert query(page)["q"] == ["gilet"]
    assert focused_id(page) == checkbox_id
    assert page.locator(f"#{checkbox_id}").is_checked()
    _wait_until(page, lambda: page.locator("#search-status").inner_text().strip() != "")
    assert page.locator("#search-status").inner_text().strip() == (
        page.locator("#results-heading").inner_text().strip()
    )
    assert page.locator(".collections__chip").count() == 2  # the text and the facet value

    # Space again removes the filter, still in place and with the focus kept.
    page.keyboard.press("Space")
    _wait_until(page, lambda: param not in query(page))
    _wait_until(page, lambda: count(page) == before)
    assert same_document(page)
    assert focused_id(page) == checkbox_id


def test_changing_the_sort_updates_the_list_and_the_url(open_page):
    page = open_page(SEARCH)
    mark_document(page)
    first = page.locator(".work-card .card__link").first.inner_text()
    page.locator("#search-sort").focus()
    page.locator("#search-sort").select_option("titre")
    _wait_until(page, lambda: query(page).get("tri") == ["titre"])
    assert same_document(page)
    assert focused_id(page) == "search-sort"
    titles = page.locator(".work-card .card__link").all_inner_texts()
    assert titles == sorted(titles, key=str.casefold) or titles[0] != first
    # The URL pushed is shareable: opening it gives the same list.
    other = open_page(page.url)
    assert other.locator(".work-card .card__link").all_inner_texts() == titles


def test_combobox_suggests_and_is_driven_by_the_keyboard(open_page):
    page = open_page("/collections/")
    box = page.locator("#search-q")
    assert box.get_attribute("role") == "combobox"
    assert box.get_attribute("aria-expanded") == "false"
    listbox_id = box.get_attribute("aria-controls")
    listbox = page.locator(f"#{listbox_id}")
    assert listbox.get_attribute("role") == "listbox"

    box.focus()
    page.keyboard.type("gil", delay=30)
    _wait_until(page, lambda: box.get_attribute("aria-expanded") == "true")
    options = listbox.locator("[role=option]")
    assert options.count() >= 1
    assert options.first.locator(".combobox__text").inner_text() == "gilet"
    status = page.locator("[data-combobox] [role=status]")
    assert "suggestion" in status.inner_text()

    page.keyboard.press("ArrowDown")
    assert box.get_attribute("aria-activedescendant") == options.first.get_attribute("id")
    assert options.first.get_attribute("aria-selected") == "true"
    page.keyboard.press("Escape")
    assert box.get_attribute("aria-expanded") == "false"
    assert box.get_attribute("aria-activedescendant") is None
    assert box.input_value() == "gil"

    page.keyboard.press("ArrowDown")  # opens again on the first suggestion
    assert box.get_attribute("aria-expanded") == "true"
    page.keyboard.press("Enter")
    _wait_until(page, lambda: query(page).get("q") == ["gilet"])
    _wait_until(page, lambda: page.locator("#search-q").input_value() == "gilet")
    assert count(page) > 1
    assert focused_id(page) == "search-q"


def test_combobox_with_the_mouse(open_page):
    page = open_page("/collections/")
    page.locator("#search-q").click()
    page.keyboard.type("gil", delay=30)
    option = page.locator("[role=option]").first
    option.wait_for()
    option.click()
    _wait_until(page, lambda: query(page).get("q") == ["gilet"])


def test_the_form_works_without_javascript(chromium, live_site):
    context = chromium.new_context(
        java_script_enabled=False, base_url=live_site.url, viewport={"width": PHONE, "height": 800}
    )
    try:
        page = context.new_page()
        page.goto("/collections/")
        box = page.locator("#search-q")
        assert box.get_attribute("role") is None  # a plain search field
        box.fill("gilet")
        with page.expect_navigation():
            page.locator(".search-box__button").click()
        assert query(page)["q"] == ["gilet"]
        total = count(page)
        checkbox = page.locator(".facet__check[name=musee]").first
        slug = checkbox.get_attribute("value")
        checkbox.check()
        with page.expect_navigation():
            page.get_by_role("button", name="Appliquer les filtres").click()
        assert query(page) == {"q": ["gilet"], "musee": [slug], "tri": ["pertinence"]}
        assert 0 < count(page) <= total
        assert page.locator(f"#f-musee-{slug}").is_checked()
        page.locator("#search-sort").select_option("titre")
        with page.expect_navigation():
            page.get_by_role("button", name="Trier", exact=True).click()
        assert query(page)["tri"] == ["titre"]
    finally:
        context.close()


def test_map_view_shows_one_marker_per_museum_with_results(open_page):
    page = open_page(SEARCH)
    with page.expect_navigation():
        page.get_by_role("link", name="Voir sur la carte").click()
    assert query(page) == {"q": ["gilet"], "vue": ["carte"]}
    page.wait_for_selector(".map--ready .leaflet-marker-icon", state="attached")
    museums = page.locator(".search-map__item").count()
    assert museums >= 1
    _wait_until(page, lambda: page.locator(".leaflet-marker-icon").count() >= 1)
    total = page.evaluate(
        """() => [...document.querySelectorAll('.map .leaflet-marker-icon')].reduce(
            (n, icon) => n + (icon.classList.contains('marker-cluster')
                ? parseInt(icon.textContent, 10) : 1), 0)"""
    )
    assert total == museums
    # Each museum leads to the list filtered on it.
    link = page.locator(".search-map__link").first
    with page.expect_navigation():
        link.click()
    assert set(query(page)) == {"q", "musee"}
    assert page.locator(".work-card").count() >= 1
    screenshot(page, "recherche-carte-suite")


@pytest.mark.parametrize("width", WIDTHS)
def test_search_page_has_no_accessibility_violation(open_page, width):
    page = open_page(
        f"{SEARCH}&domaine=costume-accessoires-du-costume", width=width, bypass_csp=True
    )
    page.wait_for_timeout(300)
    path = screenshot(page, "recherche")
    page.screenshot(path=f"/tmp/search-{width}.png", full_page=True)
    assert path.exists()
    violations = axe_violations(page)
    assert not violations, f"axe-core sur {SEARCH} à {width} px :\n{describe(violations)}"

    if width == DESKTOP:  # the combobox open, and the map view
        page.locator("#search-q").fill("")
        page.locator("#search-q").focus()
        page.keyboard.type("gil", delay=30)
        page.locator("[role=option]").first.wait_for()
        page.keyboard.press("ArrowDown")
        page.screenshot(path="/tmp/search-combobox.png")
        violations = axe_violations(page)
        assert not violations, f"axe-core, suggestions ouvertes :\n{describe(violations)}"
    map_page = open_page(f"{SEARCH}&vue=carte", width=width, bypass_csp=True)
    map_page.wait_for_selector(".leaflet-marker-icon", state="attached")
    map_page.wait_for_timeout(600)
    map_page.screenshot(path=f"/tmp/search-map-{width}.png", full_page=True)
    violations = axe_violations(map_page)
    assert not violations, f"axe-core sur la carte à {width} px :\n{describe(violations)}"


def test_empty_result_page_has_no_accessibility_violation(open_page):
    page = open_page("/collections/?q=gilett&musee=inconnu", width=PHONE, bypass_csp=True)
    assert page.locator(".collections__empty").count() == 1
    page.screenshot(path="/tmp/search-empty-375.png", full_page=True)
    violations = axe_violations(page)
    assert not violations, f"axe-core sur une recherche vide :\n{describe(violations)}"
