"""The public side never shows what is not public (issue 5, part 6).

An anonymous visitor crawls the public site from / (home, museums directory, museum pages, the
collections search with q=CANARY and its facets, work pages, the site map, sitemap.xml and
robots.txt, the suggestions JSON, IIIF manifests and image services, documents), breadth first
over every same-site address a page or a JSON document holds. No answer is a 5xx, and none holds
a private canary of museum B (tests/security/conftest.py): the draft and older revision titles
of B's page, B's draft and withdrawn works and their images, the document of B's private
collection, B's staff. Then the direct addresses of those objects answer 404 (a private
document asks the visitor to log in), while their public neighbours answer 200: the checks can
fail.

The project has no feed, REST API or OAI-PMH endpoint yet (musees/urls.py): the crawl reads
every public address the resolver has (`parameterless_routes`), so one added later is read too.
"""

import time
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import reverse

from musees.search.engine import rebuild
from tests.security.conftest import CANARY_PAGE_LIVE
from tests.security.test_canary_crawl import crawl, parameterless_routes
from tests.security.test_idor_matrix import body_of

PUBLIC_BUDGET = 500


@pytest.fixture
def public_world(world):
    """The world, with the catalogue search index built from it (as `make run` keeps it)."""
    rebuild()
    return world


def public_seeds(w) -> list[str]:
    routes = [
        route
        for route in parameterless_routes()
        if not route.startswith(("/admin/", "/compte/", "/_util/", "/i18n/"))
    ]
    published = w.works_b[0]
    return [
        "/",
        *routes,
        "/sitemap.xml",
        "/robots.txt",
        w.museum_b.url,
        # Words of the private works' titles (a search page repeats its query: not a canary).
        "/collections/?q=CANARY",
        "/collections/?q=draft",
        "/collections/?q=withdrawn",
        "/collections/?q=CANARY-B-inv*",
        f"/collections/?musee={w.museum_b.slug}",
        "/collections/suggestions/?q=CANARY",
        "/collections/suggestions/?q=canary-b",
        published.get_absolute_url(),
        iiif_manifest(published),
        f"/iiif/3/{w.image_public_b.pk}/info.json",
    ]


def iiif_manifest(work) -> str:
    return reverse(
        "iiif:manifest",
        kwargs={"museum_slug": work.museum.slug, "inventory": work.inventory_number},
    )


def iiif_addresses(image) -> list[str]:
    """The image service of `image`: base, info.json, the whole image and one tile."""
    base = f"/iiif/3/{image.pk}"
    return [
        base,
        f"{base}/info.json",
        f"{base}/full/max/0/default.jpg",
        f"{base}/0,0,4,4/4,/0/default.jpg",
    ]


def test_an_anonymous_crawl_meets_nothing_private(public_world):
    w = public_world
    client = Client(raise_request_exception=False)
    started = time.monotonic()
    read, problems, finished = crawl(client, public_seeds(w), budget=PUBLIC_BUDGET)
    elapsed = time.monotonic() - started
    print(f"\nanonymous public crawl: {len(read)} pages in {elapsed:.1f} s")  # noqa: T201
    assert not problems, "\n".join(problems)
    assert finished, f"the crawl stopped at its budget ({PUBLIC_BUDGET})"
    # It read the public pages of B and the work it publishes.
    for url in (w.museum_b.url, w.works_b[0].get_absolute_url(), "/collections/?q=CANARY"):
        assert url in read


def test_the_public_side_shows_only_published_versions(public_world):
    """Positive controls: what is public shows, in its published version."""
    w = public_world
    client = Client()
    museum_page = body_of(client.get(w.museum_b.url))
    assert CANARY_PAGE_LIVE in museum_page
    assert "CANARY-B-page-draft-91c3" not in museum_page
    assert "CANARY-B-revision-91c3" not in museum_page
    published = w.works_b[0]
    search = body_of(client.get("/collections/?q=CANARY"))
    assert published.get_absolute_url() in search
    assert w.works_b[1].get_absolute_url() not in search
    assert w.work_withdrawn_b.get_absolute_url() not in search
    assert client.get(published.get_absolute_url()).status_code == 200
    assert client.get(iiif_manifest(published)).status_code == 200
    info = client.get(f"/iiif/3/{w.image_public_b.pk}/info.json")
    assert info.status_code == 200 and info.json()["width"] > 0
    tile = client.get(f"/iiif/3/{w.image_public_b.pk}/full/max/0/default.jpg")
    assert tile.status_code == 200 and tile["Content-Type"] == "image/jpeg"


def test_direct_addresses_of_private_objects_answer_404(public_world):
    w = public_world
    client = Client()
    draft, withdrawn = w.works_b[1], w.work_withdrawn_b
    addresses = [
        draft.get_absolute_url(),
        withdrawn.get_absolute_url(),
        f"/oeuvres/{w.museum_b.slug}/{quote(draft.inventory_number)}/",
        iiif_manifest(draft),
        iiif_manifest(withdrawn),
        *iiif_addresses(w.image_b),
        *iiif_addresses(w.image_withdrawn_b),
        # The original files: the application never serves MEDIA_ROOT (the web server does, in
        # production; see README's security section).
        w.image_b.file.url,
        w.image_withdrawn_b.file.url,
        w.private_document_b.file.url,
    ]
    answers = {url: client.get(url).status_code for url in addresses}
    assert set(answers.values()) == {404}, answers


def test_a_private_collection_document_is_not_served_to_a_visitor(public_world):
    w = public_world
    document = w.private_document_b
    response = Client().get(document.url)
    # Wagtail asks the visitor to log in (the collection is for logged-in staff only).
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "CANARY-B-private-file-91c3" not in body_of(response)
    # Logged in, the staff get it: the restriction, not a broken link, kept the visitor out.
    staff = Client()
    staff.force_login(w.users["redacteur_b"])
    served = staff.get(document.url)
    assert served.status_code == 200 and b"CANARY-B-private-file-91c3" in b"".join(
        served.streaming_content
    )
