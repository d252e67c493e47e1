"""The canary crawl (issue 5, part 6): logged in as museum A's staff, read every admin screen
one can reach, and never meet museum B's private strings.

Breadth first from /admin/, seeded with every admin address that takes no identifier (read from
the URL resolver, so a new screen is crawled without editing this file) and with searches for
"CANARY" in every listing, chooser, JSON endpoint and autocomplete. Links are read everywhere a
page keeps one: href, hx-get, any data-*url* attribute, a GET form's action (empty, and with
q=CANARY when it has a search box), and any same-site address in inline JSON (the choosers'
and the API's). Every answer is checked: no 5xx, and no private canary of B (conftest.py) in its
body or its redirect. B's public strings (its published title and work) may show on the public
site and on the admin screens of `PUBLIC_DATA_ADMIN_SCREENS` (the global page chooser, the page
privacy form), each with its reason; nowhere else. Nothing of B may change (the IDOR matrix's
snapshot).
"""

import html
import json
import re
import time
from collections import deque
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urljoin, urlsplit

import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver

from tests.security.conftest import PRIVATE_CANARIES, PUBLIC_CANARIES
from tests.security.test_idor_matrix import body_of, world_snapshot

CRAWLED_ROLES = ("redacteur_a", "responsable_a")
# Enough for every admin screen of museum A's staff (the crawl must end before it: asserted).
BUDGET = 700
SEARCH = "CANARY"
AUTOCOMPLETE = re.compile(r"choose|autocomplete|vocabulaire|suggestions")

# Addresses never requested, with the reason.
SKIP_PATHS = {
    "/admin/logout/": "logs the crawler out",
    "/compte/logout/": "logs the crawler out",
    "/admin/failwhale/": "Wagtail's deliberate server error, to test the error page",
}
SKIP_PREFIXES = ("/static/", "/media/", "/__debug__/")
# Where B's public strings (its published title) may show besides the public site, and why.
PUBLIC_DATA_ADMIN_SCREENS = {
    r"/admin/choose-page/": "the page chooser is global (links between museums) and shows "
    "published titles only (musees/accounts/admin_guard_views.py)",
    r"/admin/pages/\d+/privacy/": "Wagtail's privacy form offers every group, and a museum's "
    "groups are named after its public name",
}

# An address in a script, a JSON value or a text: a quoted or spaced absolute path.
URL_IN_TEXT = re.compile(r"""["'\s(](/[\w-][^"'\s<>()\\]*)""")
SAME_SITE_HOSTS = {"", "testserver", "localhost"}
TAG = re.compile(r"<[^>]*>")


class LinkParser(HTMLParser):
    """Addresses in a page: href, hx-get, data-*url* attributes, GET forms (and their search)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self._form: dict | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attributes.items():
            if not value:
                continue
            if name in ("href", "hx-get") or (name.startswith("data-") and "url" in name):
                self.links.append(value)
        if tag == "form" and (attributes.get("method") or "get").lower() == "get":
            self._form = {"action": attributes.get("action") or "", "search": False}
        elif tag == "input" and self._form is not None and attributes.get("name") == "q":
            self._form["search"] = True

    def handle_endtag(self, tag):
        if tag == "form" and self._form is not None:
            action = self._form["action"].split("?")[0]
            self.links.append(action or "?")
            if self._form["search"]:
                self.links.append(f"{action}?q={SEARCH}")
            self._form = None


def links_in(text: str) -> list[str]:
    parser = LinkParser()
    try:
        parser.feed(text)
    except AssertionError:  # malformed markup: the text search below still reads it
        pass
    links = parser.links + URL_IN_TEXT.findall(html.unescape(text))
    if text.startswith(("/", "http://", "https://")) and not re.search(r"\s", text):
        links.append(text)  # a JSON value that is an address (IIIF ids, API "detail_url")
    return links


def strings_in(data):
    """Every string of a JSON document (HTML fragments, addresses)."""
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for value in data.values():
            yield from strings_in(value)
    elif isinstance(data, list):
        for value in data:
            yield from strings_in(value)


def same_site(base: str, link: str) -> str | None:
    """The same-site path and query of `link` (read from `base`), or None."""
    link = link.strip()
    if link.startswith(("#", "mailto:", "tel:", "javascript:", "data:")):
        return None
    parts = urlsplit(urljoin(base, link))
    if parts.scheme not in ("http", "https", "") or parts.hostname not in SAME_SITE_HOSTS | {None}:
        return None
    if not parts.path.startswith("/"):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def unprefixed(path: str) -> str:
    """The path without its language prefix (/en/compte/ is /compte/ in English)."""
    return path[3:] if path.startswith("/en/") else path


def shape(url: str) -> tuple:
    """Addresses of one shape (path with ids blurred and without language, names of the query's
    parameters) show the same screen: the crawl reads a few of each (sorting, paging and
    language links multiply otherwise)."""
    parts = urlsplit(url)
    path = re.sub(r"/\d+(?=/)", "/<id>", unprefixed(parts.path))
    return path, tuple(sorted({key for key, _value in parse_qsl(parts.query)}))


PER_SHAPE = 2


def parameterless_routes() -> list[str]:
    """Every address of the resolver that takes no parameter (admin, account, public)."""
    found = []

    def walk(resolver, prefix: str, parameters: int) -> None:
        for entry in resolver.url_patterns:
            pattern = entry.pattern
            regex = getattr(pattern, "regex", None)
            count = parameters + max(
                len(getattr(pattern, "converters", {})), regex.groups if regex else 0
            )
            route = prefix + str(pattern)
            if isinstance(entry, URLResolver):
                walk(entry, route, count)
            elif not count:
                route = route.replace("^", "").replace("$", "")
                if not re.search(r"[.*+?()\[\]\\]", route):
                    found.append("/" + route)

    walk(get_resolver(), "", 0)
    return sorted(set(found))


def seeds(w) -> list[str]:
    routes = [url for url in parameterless_routes() if url.startswith(("/admin/", "/compte/"))]
    # Listings (a screen with a results/ address beside it, for its live search), choosers and
    # autocompletes, searched for "CANARY" (their links alone may not submit a search).
    listings = {
        route
        for route in routes
        for results in ("results/", "resultats/")
        if route + results in routes or route.endswith(results)
    }
    searches = [
        f"{route}?q={SEARCH}"
        for route in sorted(listings | {r for r in routes if AUTOCOMPLETE.search(r)})
        if route.startswith("/admin/")
    ]
    index = w.museum_index.pk
    return [
        "/admin/",
        *routes,
        *searches,
        f"/admin/search/?q={SEARCH}",
        f"/admin/api/main/pages/?search={SEARCH}",
        f"/admin/api/main/pages/?child_of={index}&fields=*",
        f"/admin/api/main/pages/?descendant_of={index}",
        f"/admin/api/main/images/?search={SEARCH}",
        f"/admin/api/main/documents/?search={SEARCH}",
        f"/admin/tag-autocomplete/?term={SEARCH}",
        f"/admin/tag-autocomplete/wagtailimages/image/?term={SEARCH}",
        f"/admin/tag-autocomplete/wagtaildocs/document/?term={SEARCH}",
        f"/admin/choose-page/{index}/",
        f"/admin/choose-page/search/?q={SEARCH}&page_type=wagtailcore.page",
        f"/admin/oeuvres/?museum={w.museum_b.pk}",
        f"/admin/journal/?museum={w.museum_b.pk}",
    ]


def allowed_public(url: str) -> bool:
    """Whether B's public strings may show at `url` (the public site, or a screen above)."""
    path = urlsplit(url).path
    if not path.startswith(("/admin/", "/compte/")):
        return True
    return any(re.match(pattern, path) for pattern in PUBLIC_DATA_ADMIN_SCREENS)


def crawl(client: Client, start: list[str], budget: int = BUDGET) -> tuple[list, list, bool]:
    """(urls read, problems, whether the crawl ended before its budget)."""
    queue = deque()
    seen, per_shape = set(), {}

    def enqueue(url: str, forced: bool = False) -> None:
        path = unprefixed(urlsplit(url).path)
        if url in seen or path in SKIP_PATHS or path.startswith(SKIP_PREFIXES):
            return
        key = shape(url)
        if not forced and per_shape.get(key, 0) >= PER_SHAPE:
            return
        seen.add(url)
        per_shape[key] = per_shape.get(key, 0) + 1
        queue.append(url)

    for url in start:
        enqueue(url, forced=True)
    read, problems = [], []
    while queue and len(read) < budget:
        url = queue.popleft()
        response = client.get(url)
        read.append(url)
        text = body_of(response)
        location = response.get("Location", "")
        if response.status_code >= 500:
            problems.append(f"{url}: {response.status_code}")
        canaries = PRIVATE_CANARIES if allowed_public(url) else PRIVATE_CANARIES + PUBLIC_CANARIES
        # Search results highlight the words found (<mark>CANARY</mark>-B-…): read the text too.
        plain = TAG.sub("", text)
        shown = [c for c in canaries if c in text or c in plain or c in location]
        if shown:
            problems.append(f"{url}: shows {shown}")
        if location:
            if (found := same_site(url, location)) is not None:
                enqueue(found)
            continue
        content_type = response.get("Content-Type", "")
        if not content_type.startswith(("text/html", "application/json")):
            continue
        texts = [text]
        if content_type.startswith("application/json"):
            try:  # the admin's modal answers carry their HTML inside the JSON
                texts = list(strings_in(json.loads(text)))
            except ValueError:
                pass
        for link in (link for text in texts for link in links_in(text)):
            if (found := same_site(url, link)) is not None:
                enqueue(found)
    return read, problems, not queue


@pytest.mark.parametrize("role", CRAWLED_ROLES)
def test_museum_a_staff_never_meet_b_private_strings(world, role):
    client = Client(raise_request_exception=False)
    client.force_login(world.users[role])
    before = world_snapshot(world)
    started = time.monotonic()
    read, problems, finished = crawl(client, seeds(world))
    elapsed = time.monotonic() - started
    # The figures are part of the acceptance: show them.
    print(f"\n{role}: {len(read)} pages crawled in {elapsed:.1f} s")  # noqa: T201
    assert not problems, "\n".join(problems)
    assert finished, f"the crawl stopped at its budget ({BUDGET}) before reading every page"
    assert world_snapshot(world) == before
    # It did reach the screens that matter (a crawl that reads nothing proves nothing).
    for screen in (
        "/admin/pages/search/?q=CANARY",
        "/admin/images/?q=CANARY",
        "/admin/documents/?q=CANARY",
        "/admin/oeuvres/?q=CANARY",
        "/admin/choose-page/search/?q=CANARY&page_type=wagtailcore.page",
        f"/admin/pages/{world.museum_a.pk}/edit/",
        "/admin/api/main/pages/?search=CANARY",
    ):
        assert screen in read


def test_the_crawl_finds_links_and_sees_a_leak(world):
    """The crawl follows the kinds of links the admin uses, and reports a private string."""
    links = links_in(
        '<a href="/admin/a/">a</a><div hx-get="/admin/b/" data-w-chooser-url-value="/admin/c/">'
        '<form action="/admin/d/"><input name="q"></form>'
        '<script type="application/json">{"url": "/admin/e/?x=1"}</script>'
        '<form method="post" action="/admin/f/"></form>'
    )
    assert {"/admin/a/", "/admin/b/", "/admin/c/", "/admin/d/", "/admin/d/?q=CANARY"} <= set(links)
    assert "/admin/e/?x=1" in links
    # The chooser lists B's published title: fine there, a leak on another admin screen.
    assert allowed_public("/admin/choose-page/12/") and not allowed_public("/admin/pages/12/")
    client = Client()
    client.force_login(world.users["redacteur_b"])
    _read, problems, _finished = crawl(
        client, [f"/admin/oeuvres/edit/{world.works_b[1].pk}/"], budget=1
    )
    assert any("CANARY-B-work-draft-91c3" in problem for problem in problems)
