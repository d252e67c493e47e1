"""Browser tests: Debian's Chromium driven by Playwright against a live server with real data.

How the pieces fit (and why):

- Every test under tests/browser/ gets the ``browser`` marker (``make test-browser`` runs them,
  ``make test-sqlite`` leaves them out).
- Missing tools (Chromium, axe-core, the vendor copies of Leaflet) make the tests FAIL with a
  message saying what to install: a skipped browser test would hide a broken machine.
- The database is a test database of its own: a SQLite file in a temporary folder (never the
  in-memory database, which a server thread could not share, and never the file the rest of the
  suite reuses with --reuse-db). It is created, migrated and filled with the real demo data
  (``load_demo_data``: the Occitanie museums of Muséofile) ONCE per session, and deleted at the
  end. Tests only read it, through the browser.
- The live server is pytest-django's own ``LiveServer`` (the object behind its ``live_server``
  fixture), started once per session by ``live_site``. We do not use the ``live_server`` fixture
  itself: pytest-django pairs it with ``transactional_db``, which empties every table after each
  test, and the demo data would be gone after the first test. Static files are served by the live
  server's StaticFilesHandler (the finders, as StaticLiveServerTestCase does), with DEBUG off.
- ``open_page`` gives a fresh browser page that records console errors, page errors, failed
  requests, HTTP errors and any request leaving the machine; the test fails if any appear.
"""

import datetime
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

# Playwright's sync API runs an asyncio loop in this thread; Django would then refuse the ORM
# calls of the fixtures (SynchronousOnlyOperation). Nothing here is async: allow it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

BROWSER_DIR = Path(__file__).resolve().parent
BASE_DIR = BROWSER_DIR.parent.parent
SCREENSHOT_DIR = BROWSER_DIR / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
AXE_JS = BASE_DIR / "node_modules" / "axe-core" / "axe.min.js"
VENDOR_FILES = [
    BASE_DIR / "musees" / "static" / "vendor" / "leaflet" / "leaflet.js",
    BASE_DIR / "musees" / "static" / "vendor" / "leaflet" / "leaflet.css",
    BASE_DIR
    / "musees"
    / "static"
    / "vendor"
    / "leaflet.markercluster"
    / "leaflet.markercluster.js",
]
DEMO_DATA_DIR = BASE_DIR / "data" / "museofile"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
PHONE, DESKTOP = 375, 1280
WIDTHS = [PHONE, DESKTOP]


def pytest_collection_modifyitems(config, items):
    for item in items:
        if Path(str(item.fspath)).is_relative_to(BROWSER_DIR):
            item.add_marker(pytest.mark.browser)


# --- Tools ----------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_tools():
    """Fail (never skip) when the machine lacks what the browser tests need."""
    problems = []
    if not CHROMIUM.exists():
        problems.append(
            "Chromium introuvable : installez le paquet Debian chromium (make system-deps)."
        )
    if not AXE_JS.exists():
        problems.append(f"axe-core introuvable ({AXE_JS}) : lancez `npm ci` (make install).")
    missing = [str(p.relative_to(BASE_DIR)) for p in VENDOR_FILES if not p.exists()]
    if missing:
        problems.append(
            "Bibliothèques front-end absentes (" + ", ".join(missing) + ") : lancez "
            "`node scripts/copy-vendor.mjs` (make install)."
        )
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)


# --- Database: a file of its own, real demo data loaded once ----------------------------------


@pytest.fixture(scope="session")
def django_db_setup(request, django_test_environment, django_db_blocker):
    """Create the browser tests' own test database (replaces pytest-django's fixture here)."""
    from django.db import connections
    from django.test.utils import setup_databases, teardown_databases

    db = connections["default"].settings_dict
    tmp_dir = None
    if db["ENGINE"] == "django.db.backends.sqlite3":
        tmp_dir = tempfile.mkdtemp(prefix="musees-browser-")
        db["TEST"]["NAME"] = str(Path(tmp_dir) / "browser.sqlite3")
    else:  # PostgreSQL: a database apart from the one the rest of the suite keeps (--reuse-db)
        db["TEST"]["NAME"] = f"test_{db['NAME']}_browser"
    with django_db_blocker.unblock():
        db_cfg = setup_databases(
            verbosity=request.config.option.verbose,
            interactive=False,
            aliases={"default"},
            serialized_aliases=set(),
            keepdb=False,
        )
    yield
    with django_db_blocker.unblock():
        teardown_databases(db_cfg, verbosity=request.config.option.verbose)
    if tmp_dir:
        shutil.rmtree(tmp_dir, ignore_errors=True)


@dataclass
class DemoSite:
    """What the tests need to know about the data the live server serves."""

    museum_count: int
    by_departement: dict[str, int]
    departement_names: dict[str, str]
    with_coordinates: int
    with_coordinates_by_departement: dict[str, int]
    museum_urls: list[str]
    open_now: list[str]
    legal_urls: list[str] = field(default_factory=list)


# Test data, not Muséofile data: Muséofile has no structured opening hours, so the fixture gives
# these museums made-up hours (every day, all day) for the "ouvert maintenant" filter to find
# something. Nothing else in the demo data is invented.
TEST_HOURS_MUSEUMS = 3


@pytest.fixture(scope="session")
def demo_site(django_db_setup, django_db_blocker) -> DemoSite:
    """Load the real demo data into the browser tests' database, once per session."""
    from django.core.cache import cache
    from django.core.management import call_command, get_commands

    from musees.core.models import StandardPage
    from musees.museums.models import MuseumPage, OpeningHours

    if "load_demo_data" not in get_commands():
        pytest.fail(
            "La commande load_demo_data n'existe pas (encore) : les tests navigateur en ont "
            "besoin pour charger les vraies données de démonstration.",
            pytrace=False,
        )
    with django_db_blocker.unblock():
        call_command("load_demo_data", data_dir=str(DEMO_DATA_DIR), verbosity=0)
        museums = MuseumPage.objects.live().public()
        if not museums.exists():
            pytest.fail("load_demo_data n'a chargé aucun musée.", pytrace=False)

        # TEST DATA (see TEST_HOURS_MUSEUMS): open every day from 00:00 to 23:59:59.
        open_now = list(museums.order_by("path")[:TEST_HOURS_MUSEUMS])
        for museum in open_now:
            OpeningHours.objects.create(
                page=museum,
                weekdays=[str(d) for d in range(7)],
                opens=datetime.time(0, 0),
                closes=datetime.time(23, 59, 59),
            )
            museum.closures.all().delete()
            MuseumPage.objects.filter(pk=museum.pk).update(closed_holidays=[])

        by_dep: dict[str, int] = {}
        names: dict[str, str] = {}
        coords_by_dep: dict[str, int] = {}
        for m in museums:
            by_dep[m.departement_code] = by_dep.get(m.departement_code, 0) + 1
            names[m.departement_code] = m.departement_name
            if m.has_coordinates:
                coords_by_dep[m.departement_code] = coords_by_dep.get(m.departement_code, 0) + 1
        site = DemoSite(
            museum_count=museums.count(),
            by_departement=by_dep,
            departement_names=names,
            with_coordinates=sum(coords_by_dep.values()),
            with_coordinates_by_departement=coords_by_dep,
            museum_urls=[m.url for m in museums.order_by("path")[:5]],
            open_now=[m.title for m in open_now],
            legal_urls=[p.url for p in StandardPage.objects.live().public().order_by("path")],
        )
    cache.clear()
    return site


@pytest.fixture(scope="session")
def live_site(demo_site, browser_tools):
    """The live server (pytest-django's LiveServer), started once over the demo data."""
    from pytest_django.live_server_helper import LiveServer

    server = LiveServer("localhost")
    server._live_server_modified_settings.enable()
    yield server
    server._live_server_modified_settings.disable()
    server.stop()


@pytest.fixture(autouse=True)
def _db_for_the_live_server(django_db_blocker):
    """Let the live server's thread read the database during each test (the tests only read)."""
    with django_db_blocker.unblock():
        yield


# --- Browser ----------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def chromium(browser_tools):
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(
        executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
    )
    yield browser
    browser.close()
    playwright.stop()


class PageProblems:
    """What went wrong while a page was open: the test fails if anything is recorded."""

    def __init__(self, base_url: str):
        self.origin = urlsplit(base_url).netloc
        self.items: list[str] = []

    def watch(self, page):
        page.on("console", self._on_console)
        page.on("pageerror", lambda exc: self.items.append(f"erreur JavaScript : {exc}"))
        page.on(
            "requestfailed",
            lambda req: self.items.append(f"requête échouée : {req.url} ({req.failure})"),
        )
        page.on("response", self._on_response)

    def _on_console(self, message):
        if message.type == "error":
            self.items.append(f"console : {message.text} ({message.location.get('url', '')})")

    def _on_response(self, response):
        if response.status >= 400:
            self.items.append(f"HTTP {response.status} : {response.url}")

    def route(self, route):
        """Only the live server may be reached: any other request is blocked and reported."""
        url = route.request.url
        if url.startswith(("data:", "blob:")) or urlsplit(url).netloc == self.origin:
            route.continue_()
        else:
            self.items.append(f"requête vers l'extérieur : {url}")
            route.abort()


@pytest.fixture
def open_page(chromium, live_site, request):
    """Open a page of the live site: ``open_page("/musees/", width=375)``.

    Each call makes a fresh browser context (no cookies). ``bypass_csp=True`` is only for
    injecting axe-core; every other test sees the real Content-Security-Policy.
    """
    contexts = []
    problems = PageProblems(live_site.url)

    def _open(path="/", *, width=DESKTOP, height=900, bypass_csp=False, wait="load"):
        context = chromium.new_context(
            viewport={"width": width, "height": height},
            locale="fr-FR",
            timezone_id="Europe/Paris",
            bypass_csp=bypass_csp,
            base_url=live_site.url,
        )
        context.set_default_timeout(10_000)
        context.route("**/*", problems.route)
        contexts.append(context)
        page = context.new_page()
        problems.watch(page)
        if path is not None:
            page.goto(path, wait_until=wait)
        return page

    _open.problems = problems
    yield _open
    for context in contexts:
        context.close()
    if problems.items:
        pytest.fail(
            "Le navigateur a signalé des problèmes :\n  " + "\n  ".join(problems.items),
            pytrace=False,
        )


def screenshot(page, name: str) -> Path:
    """Save a full-page screenshot under tests/browser/screenshots/ (git-ignored)."""
    SCREENSHOT_DIR.mkdir(exist_ok=True)
    width = page.viewport_size["width"]
    target = SCREENSHOT_DIR / f"{re.sub(r'[^a-z0-9-]+', '-', name.lower())}-{width}.png"
    page.screenshot(path=str(target), full_page=True)
    return target
