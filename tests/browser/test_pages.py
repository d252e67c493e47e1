"""Every public page opens in a real browser without a console error or a failed request.

The `open_page` fixture fails a test on any console error (CSP violations included), JavaScript
error, failed or outside request, or HTTP error of the page or of anything it loads.
"""

import pytest

from .conftest import WIDTHS, screenshot


@pytest.mark.parametrize("width", WIDTHS)
def test_home(open_page, width):
    page = open_page("/", width=width)
    assert page.locator("h1").count() == 1
    screenshot(page, "accueil")


@pytest.mark.parametrize("width", WIDTHS)
def test_directory(open_page, width):
    page = open_page("/musees/", width=width)
    page.wait_for_selector(".leaflet-marker-icon", state="attached")
    assert page.locator("h1").count() == 1
    screenshot(page, "annuaire")


@pytest.mark.parametrize("width", WIDTHS)
def test_museum_page(open_page, demo_site, width):
    page = open_page(demo_site.museum_urls[0], width=width)
    assert page.locator("h1").count() == 1
    screenshot(page, "musee")


def test_every_museum_page_sample_opens(open_page, demo_site):
    page = open_page(None)
    for url in demo_site.museum_urls:
        response = page.goto(url)
        assert response.status == 200, url


def test_legal_pages(open_page, demo_site):
    assert demo_site.legal_urls, "aucune page de texte (mentions légales...) n'est publiée"
    page = open_page(None)
    for url in [*demo_site.legal_urls, "/plan-du-site/"]:
        response = page.goto(url)
        assert response.status == 200, url
        assert page.locator("h1").count() == 1, url
        screenshot(page, "page-" + url.strip("/").replace("/", "-"))


def test_english_home(open_page):
    page = open_page("/en/")
    assert page.locator("html").get_attribute("lang") == "en"
    screenshot(page, "accueil-en")
