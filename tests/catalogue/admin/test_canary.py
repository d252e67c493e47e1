"""A canary crawl: logged in as A's rédacteur, follow every admin link (pages, listings with
search, filters and exports, chooser JSON): B's unique strings never appear."""

import html
import json
import re
from collections import deque

from tests.catalogue.admin.conftest import CANARIES, CANARY_IMAGE
from tests.catalogue.factories import WagtailImageFactory, WorkFactory, WorkImageFactory

# Links followed: every admin address a page shows, except logging out.
_LINK = re.compile(r"""["'](/admin/[^"'\s<>\\#]*)""")
_SKIP = ("/admin/logout/",)
CRAWL_LIMIT = 400
# Wagtail's admin API lists the images of every collection: B's image title shows there (see
# test_admin_api_lists_only_own_collections_images). Images are scoped by collection, not here.
KNOWN_IMAGE_LEAKS = ("/admin/api/main/images/",)


def body_text(response) -> str:
    if response.streaming:
        content = b"".join(response.streaming_content)
    else:
        content = response.content
    if response.get("Content-Type", "").startswith("application/json"):
        return json.dumps(json.loads(content), ensure_ascii=False)
    return content.decode("utf-8", errors="replace")


def crawl(client, seeds) -> tuple[dict[str, int], dict[str, str]]:
    """GET every admin address reachable from `seeds`: the status and the text of each."""
    seen, queue, texts = {}, deque(seeds), {}
    while queue and len(seen) < CRAWL_LIMIT:
        url = queue.popleft()
        if url in seen or url.startswith(_SKIP):
            continue
        response = client.get(url)
        seen[url] = response.status_code
        if response.status_code in (301, 302):
            queue.append(response.url)
            continue
        if "spreadsheetml" in response.get("Content-Type", ""):
            continue  # a zipped XLSX: its content is checked in test_scoping
        text = body_text(response)
        texts[url] = text
        for link in _LINK.findall(text):
            queue.append(html.unescape(link))
    return seen, texts


def test_b_strings_never_appear_in_any_admin_page_a_can_reach(
    client, editor_a, museum_a, museum_b, work_a, work_b
):
    museum_a.refresh_from_db()
    WorkImageFactory(
        work=work_a,
        image=WagtailImageFactory(collection=museum_a.collection),
        alt_text="Vue de face",
    )
    WorkFactory(museum=museum_a, title="Buste d'Ingres")
    client.force_login(editor_a)
    seeds = [
        "/admin/",
        "/admin/oeuvres/",
        "/admin/oeuvres/?q=B-title-5e1f",
        f"/admin/oeuvres/?museum={museum_b.pk}",
        f"/admin/oeuvres/?museum={museum_a.pk}&status=draft",
        "/admin/oeuvres/?export=csv",
        "/admin/oeuvres/add/",
        "/admin/snippets/choose/catalogue/work/",
        "/admin/snippets/choose/catalogue/work/results/?q=B-inv-5e1f",
        "/admin/images/",
        "/admin/images/?q=CANARY",
        "/admin/images/chooser/",
    ]
    seen, texts = crawl(client, seeds)
    # Searches above use parts of B's strings (pages repeat the query), never a whole one.
    for url, text in texts.items():
        for canary in CANARIES:
            if canary == CANARY_IMAGE and url.startswith(KNOWN_IMAGE_LEAKS):
                continue
            assert canary not in text, f"{canary} shown in {url}"
    # The crawl went through the work admin, not just its front door.
    for view in ("edit", "history", "usage", "inspect"):
        assert seen.get(f"/admin/oeuvres/{view}/{work_a.pk}/") == 200, view
    assert len(seen) > 40
    ours = ("/admin/oeuvres/", "/admin/snippets/choose/catalogue/", "/admin/bulk/catalogue/")
    assert not [url for url, status in seen.items() if status >= 500 and url.startswith(ours)]


def test_admin_api_lists_only_own_collections_images(client, editor_a, image_b):
    client.force_login(editor_a)
    response = client.get("/admin/api/main/images/")
    assert response.status_code == 200
    assert CANARY_IMAGE not in response.content.decode()
    assert client.get(f"/admin/api/main/images/{image_b.pk}/").status_code == 404
