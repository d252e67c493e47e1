"""axe-core finds no WCAG 2.1 A/AA violation (nor best-practice issue) on the main pages."""

import pytest

from .conftest import AXE_JS, WIDTHS, screenshot

RULE_SETS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


def axe_violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        RULE_SETS,
    )
    return result["violations"]


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        targets = [", ".join(node["target"]) for node in v["nodes"][:5]]
        more = f" (+{len(v['nodes']) - 5})" if len(v["nodes"]) > 5 else ""
        lines.append(f"- {v['id']} [{v['impact']}] {v['help']}: {'; '.join(targets)}{more}")
    return "\n".join(lines)


def check_page(open_page, path: str, width: int, name: str):
    page = open_page(path, width=width, bypass_csp=True)
    if page.locator("[data-map]").count():
        page.wait_for_selector(".leaflet-marker-icon", state="attached")
        page.wait_for_timeout(600)
    screenshot(page, name)
    violations = axe_violations(page)
    assert not violations, f"axe-core sur {path} à {width} px :\n{describe(violations)}"


@pytest.mark.parametrize("width", WIDTHS)
def test_home(open_page, width):
    check_page(open_page, "/", width, "a11y-accueil")


@pytest.mark.parametrize("width", WIDTHS)
def test_english_home(open_page, width):
    check_page(open_page, "/en/", width, "a11y-accueil-en")


@pytest.mark.parametrize("width", WIDTHS)
def test_directory(open_page, width):
    check_page(open_page, "/musees/", width, "a11y-annuaire")


@pytest.mark.parametrize("width", WIDTHS)
def test_museum_page(open_page, demo_site, width):
    check_page(open_page, demo_site.museum_urls[0], width, "a11y-musee")
