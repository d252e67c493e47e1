"""The work admin acts on the user's own museums only: another museum's works answer 404."""

import csv
import io
import json

import pytest
from django.conf import settings
from django.db import connection
from django.shortcuts import resolve_url
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from musees.catalogue.models import Work
from tests.catalogue.admin.conftest import CANARIES, CANARY_TITLE, snapshot
from tests.catalogue.factories import WorkFactory

LIST = "/admin/oeuvres/"
CHOOSER = "/admin/snippets/choose/catalogue/work/"


def object_urls(pk, *, post: bool = False) -> list[str]:
    """Every admin URL about one work (with `post`, those that take a POST)."""
    urls = [
        f"/admin/oeuvres/edit/{pk}/",
        f"/admin/oeuvres/delete/{pk}/",
        f"/admin/bulk/catalogue/work/delete/?id={pk}",
        f"/admin/oeuvres/history/{pk}/",
        f"/admin/oeuvres/history-results/{pk}/",
        f"/admin/oeuvres/usage/{pk}/",
        f"/admin/oeuvres/inspect/{pk}/",
    ]
    if post:
        return urls
    return [*urls, f"{CHOOSER}chosen/{pk}/", f"{CHOOSER}chosen-multiple/?id={pk}"]


def assert_refused(response):
    """A permission denied in the admin is a 403 page that says so in French (not Wagtail's
    redirect to the dashboard: musees/accounts/admin_guards.py)."""
    assert response.status_code == 403
    assert "Accès refusé" in response.content.decode()


def text_of(response) -> str:
    if response.get("Content-Type", "").startswith("application/json"):
        return json.dumps(json.loads(response.content), ensure_ascii=False)
    return (
        b"".join(response.streaming_content).decode()
        if response.streaming
        else (response.content.decode())
    )


def assert_no_canary(text: str, where: str):
    for canary in CANARIES:
        assert canary not in text, f"{canary} shown in {where}"


# --- Listing, search, filters, exports ---------------------------------------------------------


def test_editor_lists_own_museum_works_only(client, editor_a, work_a, work_b):
    client.force_login(editor_a)
    response = client.get(LIST)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Portrait de Madame Gonse" in html
    assert_no_canary(html, "listing")
    assert "Musée Lautrec Albi" not in html  # nor B's name (museum column or filter)


def test_search_never_finds_another_museums_work(client, editor_a, work_a, work_b):
    client.force_login(editor_a)
    # The page repeats the query: search with parts of B's strings, never a whole one.
    for query in ("B-title-5e1f", "B-inv-5e1f", "CANARY", "Notice du musée B", "Portrait"):
        for url in (LIST, f"{LIST}results/"):
            response = client.get(url, {"q": query})
            assert response.status_code == 200
            assert_no_canary(response.content.decode(), f"{url}?q={query}")
    assert "Portrait de Madame Gonse" in client.get(LIST, {"q": "Gonse"}).content.decode()


def test_museum_filter_offers_own_museums_and_ignores_others(
    client, editor_a, museum_a, museum_b, work_a, work_b
):
    client.force_login(editor_a)
    response = client.get(LIST)
    choices = list(response.context["filters"].form.fields["museum"].queryset)
    assert choices == [museum_a]
    response = client.get(LIST, {"museum": museum_b.pk})
    assert response.status_code == 200
    assert_no_canary(response.content.decode(), "filtered listing")
    response = client.get(LIST, {"status": "draft"})
    assert "Portrait de Madame Gonse" in response.content.decode()
    assert_no_canary(response.content.decode(), "status filter")


def test_exports_hold_own_museum_works_only(client, editor_a, work_a, work_b):
    client.force_login(editor_a)
    response = client.get(LIST, {"export": "csv"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(text_of(response))))
    assert rows[0] == ["Numéro d'inventaire", "Titre", "Musée", "État", "Référence Joconde"]
    assert [row[0] for row in rows[1:]] == ["MIB 2024.1"]
    response = client.get(LIST, {"export": "xlsx", "q": "B-title"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = [cell.value for row in sheet.iter_rows() for cell in row]
    assert_no_canary(" ".join(str(v) for v in values), "xlsx export")
    response = client.get(LIST, {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert [row[0].value for row in sheet.iter_rows()][1:] == ["MIB 2024.1"]


def test_moderator_sees_every_museums_works(client, moderator, work_a, work_b):
    client.force_login(moderator)
    html = client.get(LIST).content.decode()
    assert "Portrait de Madame Gonse" in html and CANARY_TITLE in html
    assert client.get(f"/admin/oeuvres/edit/{work_b.pk}/").status_code == 200


def test_listing_queries_do_not_grow_with_the_works(client, editor_a, museum_a):
    client.force_login(editor_a)
    WorkFactory.create_batch(3, museum=museum_a)
    client.get(LIST)  # warm the content type and site caches
    with CaptureQueriesContext(connection) as three:
        assert client.get(LIST).status_code == 200
    WorkFactory.create_batch(27, museum=museum_a)
    with CaptureQueriesContext(connection) as thirty:
        response = client.get(LIST)
    assert response.content.decode().count("data-bulk-action-checkbox class=") == 30
    assert len(thirty) == len(three), [q["sql"] for q in thirty.captured_queries]


# --- One work: every view answers 404 on another museum's --------------------------------------


def test_every_view_of_another_museums_work_answers_404(client, editor_a, manager_a, work_b):
    before = snapshot(work_b)
    for user in (editor_a, manager_a):
        client.force_login(user)
        for url in object_urls(work_b.pk):
            assert client.get(url).status_code == 404, url
        for url in object_urls(work_b.pk, post=True):
            response = client.post(url, {"title": "piraté", "museum": work_b.museum_id})
            assert response.status_code == 404, url
    assert snapshot(work_b) == before


def test_a_mixed_bulk_delete_touches_nothing(client, manager_a, work_a, work_b):
    client.force_login(manager_a)
    url = f"/admin/bulk/catalogue/work/delete/?id={work_a.pk}&id={work_b.pk}"
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert Work.objects.filter(pk__in=[work_a.pk, work_b.pk]).count() == 2


def test_bulk_delete_of_all_deletes_own_museum_works_only(client, manager_a, work_a, work_b):
    client.force_login(manager_a)
    response = client.post("/admin/bulk/catalogue/work/delete/?id=all")
    assert response.status_code == 302
    assert not Work.objects.filter(pk=work_a.pk).exists()
    assert Work.objects.filter(pk=work_b.pk).exists()


def test_nonexistent_and_foreign_works_answer_alike(client, editor_a, work_b):
    client.force_login(editor_a)
    missing = Work.objects.order_by("-pk").values_list("pk", flat=True).first() + 1000
    for foreign, absent in zip(object_urls(work_b.pk), object_urls(missing), strict=True):
        assert client.get(foreign).status_code == client.get(absent).status_code == 404


def test_anonymous_visitors_are_sent_to_the_login_page(client, work_a, work_b):
    login = resolve_url(settings.LOGIN_URL)
    for url in [LIST, "/admin/oeuvres/add/", CHOOSER, *object_urls(work_b.pk)]:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(login), url
    for url in ["/admin/oeuvres/add/", *object_urls(work_b.pk, post=True)]:
        response = client.post(url, {"title": "piraté"})
        assert response.status_code == 302 and response.url.startswith(login), url
    assert Work.objects.get(pk=work_b.pk).title == CANARY_TITLE


# --- Chooser -----------------------------------------------------------------------------------


def test_chooser_lists_and_searches_own_museum_works_only(client, editor_a, work_a, work_b):
    client.force_login(editor_a)
    for url, params in [
        (CHOOSER, {}),
        (f"{CHOOSER}results/", {}),
        (f"{CHOOSER}results/", {"q": "B-title-5e1f"}),
        (f"{CHOOSER}results/", {"q": "Gonse"}),
    ]:
        response = client.get(url, params)
        assert response.status_code == 200
        assert_no_canary(text_of(response), f"{url}{params}")
    assert "Portrait de Madame Gonse" in text_of(client.get(f"{CHOOSER}results/", {"q": "Gonse"}))
    response = client.get(f"{CHOOSER}chosen/{work_a.pk}/")
    assert json.loads(response.content)["result"]["string"] == "Portrait de Madame Gonse"
    assert client.get(f"{CHOOSER}create/").status_code == 404


# --- Actions by role on the user's own museum ---------------------------------------------------


def test_editor_may_not_delete_but_manager_may(client, editor_a, manager_a, work_a):
    client.force_login(editor_a)
    assert_refused(client.get(f"/admin/oeuvres/delete/{work_a.pk}/"))
    assert_refused(client.post(f"/admin/oeuvres/delete/{work_a.pk}/"))
    client.post(f"/admin/bulk/catalogue/work/delete/?id={work_a.pk}")
    assert Work.objects.filter(pk=work_a.pk).exists()
    client.force_login(manager_a)
    assert client.post(f"/admin/oeuvres/delete/{work_a.pk}/").status_code == 302
    assert not Work.objects.filter(pk=work_a.pk).exists()


def test_editor_opens_history_usage_and_inspect_of_own_works(client, editor_a, work_a):
    client.force_login(editor_a)
    for view in ("edit", "history", "usage", "inspect"):
        response = client.get(f"/admin/oeuvres/{view}/{work_a.pk}/")
        assert response.status_code == 200, view
        assert "Portrait de Madame Gonse" in response.content.decode()


def test_user_without_a_museum_role_has_no_work_admin(client, django_user_model, work_a):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("seul", "seul@example.org", "motdepasse")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    assert_refused(client.get(LIST))
    assert client.get(f"/admin/oeuvres/edit/{work_a.pk}/").status_code == 404
    assert LIST not in client.get("/admin/").content.decode()


@pytest.mark.parametrize("role", ["editor_a", "manager_a"])
def test_menu_shows_works_to_museum_staff(client, role, request):
    client.force_login(request.getfixturevalue(role))
    assert f'"{LIST}"' in client.get("/admin/").content.decode().replace("&quot;", '"')
