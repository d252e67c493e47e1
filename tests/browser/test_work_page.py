"""A work's page in Chromium: deep zoom loads IIIF tiles, zooms from the keyboard, passes axe-core.

The live server holds the real demo data (load_demo_data: the Occitanie museums and their
Joconde works, none with an image). For the viewer, this module adds ONE test work with a real
public-domain image from tests/data/images/ (Ogata Kōrin, *Rough Waves*, The Metropolitan Museum
of Art, CC0), titled and credited as what it is: test data, with its real holder and licence.
"""

import re
import time
from pathlib import Path

import pytest

from .conftest import WIDTHS, screenshot
from .test_accessibility import axe_violations, describe

IMAGE = (
    Path(__file__).resolve().parent.parent / "data" / "images" / "met_44918_korin_rough-waves.jpg"
)
TILE = re.compile(r"/iiif/3/\d+/[^/]+/[^/]+/0/default\.jpg$")


@pytest.fixture(scope="module")
def image_work(demo_site, django_db_blocker):
    """The URL of a published work with one image, in the first museum of the demo data."""
    from django.core.cache import cache
    from django.core.files.images import ImageFile
    from wagtail.images.models import Image

    from musees.catalogue.models import Work, WorkImage
    from musees.museums.models import MuseumPage

    with django_db_blocker.unblock():
        museum = MuseumPage.objects.live().order_by("path").first()
        with IMAGE.open("rb") as handle:
            image = Image.objects.create(
                title="Rough Waves (test)", file=ImageFile(handle, name=IMAGE.name)
            )
        work = Work.objects.create(
            museum=museum,
            inventory_number="TEST/IIIF 1",
            status=Work.Status.PUBLISHED,
            title="Vagues déferlantes (image de test)",
            millesime_text="vers 1704-1709",
            description="Image de test : l’œuvre est conservée au Metropolitan Museum of Art.",
        )
        WorkImage.objects.create(
            work=work,
            image=image,
            alt_text="Vagues bleues et or sur un paravent à deux feuilles",
            caption="Rough Waves, Ogata Kōrin, vers 1704-1709",
            copyright_line="The Metropolitan Museum of Art, New York",
            licence=WorkImage.Licence.CC0,
        )
        url = work.get_absolute_url()
    cache.clear()
    return url


VIEWER = "document.querySelector('[data-deepzoom]').deepzoomViewer"


def _zoom(page) -> float:
    return page.evaluate(f"() => {VIEWER}.viewport.getZoom()")


def _wait_until(page, condition, timeout=10.0):
    """Poll a condition (page.wait_for_function would need eval, which the CSP forbids)."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "délai dépassé"
        page.wait_for_timeout(100)


def test_deep_zoom_loads_tiles_and_zooms_from_the_keyboard(open_page, image_work):
    page = open_page(None)
    with page.expect_response(lambda r: TILE.search(r.url) and r.status == 200):
        page.goto(image_work)
    page.wait_for_selector("[data-deepzoom].deepzoom--ready")
    # Without JavaScript the still image shows; once the viewer is open it takes its place.
    assert page.locator("[data-deepzoom-still]").is_hidden()
    canvas = page.locator("[data-deepzoom] .openseadragon-canvas")
    assert canvas.get_attribute("role") == "application"
    assert "Image zoomable" in canvas.get_attribute("aria-label")
    _wait_until(page, lambda: page.evaluate(f"() => {VIEWER}.world.getItemAt(0).getFullyLoaded()"))
    before = _zoom(page)
    canvas.focus()
    with page.expect_response(lambda r: TILE.search(r.url) and r.status == 200):
        for _ in range(5):  # each key press zooms by 10 %
            page.keyboard.press("+")
    _wait_until(page, lambda: _zoom(page) > before * 1.5)
    page.keyboard.press("0")
    _wait_until(page, lambda: abs(_zoom(page) - before) < 0.01)
    # The buttons zoom too, and the full-screen button is there.
    page.get_by_role("button", name="Zoomer", exact=True).click()
    _wait_until(page, lambda: _zoom(page) > before * 1.4)
    assert page.get_by_role("button", name="Plein écran").is_visible()


@pytest.mark.parametrize("width", WIDTHS)
def test_work_page_has_no_accessibility_violation(open_page, image_work, width):
    page = open_page(image_work, width=width, bypass_csp=True)
    page.wait_for_selector("[data-deepzoom].deepzoom--ready")
    page.wait_for_timeout(500)
    screenshot(page, "oeuvre-image")
    violations = axe_violations(page)
    assert not violations, f"axe-core sur {image_work} à {width} px :\n{describe(violations)}"


@pytest.mark.parametrize("width", WIDTHS)
def test_collections_and_a_work_without_image_have_no_accessibility_violation(
    open_page, demo_site, width
):
    page = open_page("/collections/", width=width, bypass_csp=True)
    assert page.locator(".work-card").count() == 24
    screenshot(page, "collections")
    violations = axe_violations(page)
    assert not violations, f"axe-core sur /collections/ à {width} px :\n{describe(violations)}"

    without_image = page.locator(".work-card", has=page.locator(".card__media--fallback"))
    without_image.first.locator(".card__link").click()
    page.wait_for_selector("h1.work-head__title")
    assert page.locator(".work-head__plate").count() == 1  # the plate, never a grey box
    screenshot(page, "oeuvre-sans-image")
    violations = axe_violations(page)
    assert not violations, f"axe-core sur {page.url} à {width} px :\n{describe(violations)}"
