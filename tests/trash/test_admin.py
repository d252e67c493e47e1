"""The trash in the admin: deleting a work (one, or in bulk) puts it there; the "Corbeille"
screen lists, filters, searches and pages the entries of the user's museums; restore and purge
are for those who may delete in the entry's museum; another museum's entry is "not found"."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import ModelLogEntry

from musees.catalogue.models import Work, WorkImage
from musees.trash.models import TrashEntry
from musees.trash.services import trash_object
from tests.catalogue.factories import WorkFactory
from tests.trash.conftest import CANARY_INVENTORY, CANARY_TITLE, everything_of

pytestmark = pytest.mark.django_db

TRASH = "/admin/corbeille/"
WORKS = "/admin/oeuvres/"
RETENTION = "La notice sera placée dans la corbeille pendant 30 jours"


def restore_url(entry) -> str:
    return f"{TRASH}{entry.pk}/restaurer/"


def purge_url(entry) -> str:
    return f"{TRASH}{entry.pk}/supprimer/"


def text(response) -> str:
    return response.content.decode()


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def assert_refused(response):
    """A permission denied in the admin: 403, or Wagtail's redirect to its home page."""
    assert response.status_code == 403 or (
        response.status_code == 302 and response.url == "/admin/"
    )


# --- Deleting works ------------------------------------------------------------------------------


def test_deleting_a_work_puts_it_in_the_trash(client, manager_a, work_a):
    pk, public_url = work_a.pk, work_a.get_absolute_url()
    assert client.get(public_url).status_code == 200
    client.force_login(manager_a)
    confirmation = text(client.get(f"{WORKS}delete/{pk}/"))
    assert RETENTION in confirmation and "définitivement" not in confirmation.split(RETENTION)[0]
    assert "Placer dans la corbeille" in confirmation

    response = client.post(f"{WORKS}delete/{pk}/", follow=True)

    assert "a été placée dans la corbeille" in " ".join(messages_of(response))
    assert "Statue-menhir" not in text(client.get(WORKS))
    assert client.get(f"{WORKS}edit/{pk}/").status_code == 404
    client.logout()
    assert client.get(public_url).status_code == 404
    entry = TrashEntry.objects.get(object_id=str(pk))
    assert entry.deleted_by == manager_a


def test_bulk_delete_puts_every_work_in_the_trash(client, manager_a, museum_a, work_a):
    other = WorkFactory(museum=museum_a, title="Hache polie")
    pks = [work_a.pk, other.pk]
    url = f"/admin/bulk/catalogue/work/delete/?id={pks[0]}&id={pks[1]}"
    client.force_login(manager_a)
    confirmation = text(client.get(url))
    assert "Ces 2 notices seront placées dans la corbeille pendant 30 jours" in confirmation

    response = client.post(url, follow=True)

    assert "2 notices ont été placées dans la corbeille" in " ".join(messages_of(response))
    assert not Work.objects.filter(pk__in=pks).exists()
    assert sorted(TrashEntry.objects.values_list("object_id", flat=True)) == sorted(
        str(pk) for pk in pks
    )
    assert ModelLogEntry.objects.filter(action="musees.trash", user=manager_a).count() == 2


def test_an_editor_may_not_bulk_delete(client, editor_a, work_a):
    client.force_login(editor_a)
    url = f"/admin/bulk/catalogue/work/delete/?id={work_a.pk}"
    assert "Placer dans la corbeille" not in text(client.get(url))
    assert client.post(url).status_code == 302
    assert Work.objects.filter(pk=work_a.pk).exists()
    assert not TrashEntry.objects.exists()


def test_bulk_delete_of_another_museums_work_touches_nothing(client, manager_a, work_a, work_b):
    client.force_login(manager_a)
    url = f"/admin/bulk/catalogue/work/delete/?id={work_a.pk}&id={work_b.pk}"
    assert client.post(url).status_code == 404
    assert Work.objects.filter(pk__in=[work_a.pk, work_b.pk]).count() == 2
    assert not TrashEntry.objects.exists()


# --- The "Corbeille" screen ----------------------------------------------------------------------


@pytest.fixture
def trashed(work_a, work_b, manager_a, manager_b):
    """A's work and B's work, both in the trash."""
    return trash_object(obj=work_a, user=manager_a), trash_object(obj=work_b, user=manager_b)


def test_museum_staff_see_their_own_museums_entries_only(client, editor_a, manager_a, trashed):
    for user in (editor_a, manager_a):
        client.force_login(user)
        for url in (TRASH, f"{TRASH}resultats/", f"{TRASH}?q=CANARY", f"{TRASH}?q=B-trash"):
            html = text(client.get(url))
            assert CANARY_TITLE not in html and CANARY_INVENTORY not in html, url
            assert "Musée Soulages" not in html, url
        html = text(client.get(TRASH))
        assert "Statue-menhir de Saint-Sernin" in html and "2024.7.1" in html
        assert "Musée Fenaille" in html and "Claire" in html


def test_the_screen_lists_what_was_deleted_when_and_until_when(client, manager_a, trashed):
    entry, _other = trashed
    client.force_login(manager_a)
    response = client.get(TRASH)
    [row] = response.context["object_list"]
    assert row == entry
    html = text(response)
    deleted_on = timezone.localtime(entry.deleted_at)
    purged_on = timezone.localtime(entry.purge_after)
    assert f"{deleted_on.day} " in html and str(purged_on.year) in html
    assert "Restaurer" in html and "Supprimer définitivement" in html
    assert restore_url(entry) in html and purge_url(entry) in html


def test_editors_see_the_entries_but_may_not_restore_or_purge(client, editor_a, trashed):
    entry, _other = trashed
    client.force_login(editor_a)
    html = text(client.get(TRASH))
    assert "Statue-menhir de Saint-Sernin" in html
    assert restore_url(entry) not in html and purge_url(entry) not in html
    for url in (restore_url(entry), purge_url(entry)):
        assert_refused(client.get(url))
        assert_refused(client.post(url))
    assert TrashEntry.objects.filter(pk=entry.pk).exists()


def test_another_museums_entries_answer_not_found(client, editor_b, manager_b, trashed):
    entry, _other = trashed
    for user in (editor_b, manager_b):
        client.force_login(user)
        for url in (restore_url(entry), purge_url(entry)):
            assert client.get(url).status_code == 404, url
            assert client.post(url).status_code == 404, url
        missing = TrashEntry.objects.order_by("-pk").first().pk + 100
        assert client.get(f"{TRASH}{missing}/restaurer/").status_code == 404
    assert TrashEntry.objects.filter(pk=entry.pk).exists()
    assert not Work.objects.filter(pk=int(entry.object_id)).exists()


def test_network_staff_see_every_museum_and_filter_by_museum(
    client, moderator, museum_a, museum_b, trashed
):
    client.force_login(moderator)
    html = text(client.get(TRASH))
    assert "Statue-menhir de Saint-Sernin" in html and CANARY_TITLE in html
    html = text(client.get(TRASH, {"museum": museum_b.pk}))
    assert CANARY_TITLE in html and "Statue-menhir" not in html
    html = text(client.get(f"{TRASH}resultats/", {"q": "2024.7"}))
    assert "Statue-menhir de Saint-Sernin" in html and CANARY_TITLE not in html


def test_the_museum_filter_offers_the_users_museums(client, manager_a, museum_a, trashed):
    client.force_login(manager_a)
    response = client.get(TRASH)
    assert list(response.context["filters"].form.fields["museum"].queryset) == [museum_a]


def test_entries_come_fifty_a_page(client, manager_a, museum_a):
    for number in range(51):
        trash_object(obj=WorkFactory(museum=museum_a, title=f"Tesson {number:02d}"))
    client.force_login(manager_a)
    first, second = client.get(TRASH), client.get(TRASH, {"p": 2})
    assert len(first.context["object_list"]) == 50
    assert [entry.title for entry in second.context["object_list"]] == ["Tesson 00"]


def test_listing_queries_do_not_grow_with_the_entries(client, manager_a, museum_a):
    for _number in range(3):
        trash_object(obj=WorkFactory(museum=museum_a), user=manager_a)
    client.force_login(manager_a)
    client.get(TRASH)  # warm the content type and site caches
    with CaptureQueriesContext(connection) as three:
        assert client.get(TRASH).status_code == 200
    for _number in range(27):
        trash_object(obj=WorkFactory(museum=museum_a), user=manager_a)
    with CaptureQueriesContext(connection) as thirty:
        response = client.get(TRASH)
    assert len(response.context["object_list"]) == 30
    assert len(thirty) == len(three), [query["sql"] for query in thirty.captured_queries]


def test_people_without_a_museum_role_find_no_trash(client, db):
    from tests.accounts.people import make_user

    client.force_login(make_user("visiteur@example.org"))
    assert client.get(TRASH).status_code in (302, 403, 404)


def test_the_trash_is_in_the_menu(client, editor_a):
    client.force_login(editor_a)
    html = text(client.get("/admin/"))  # the sidebar menu is JSON read by Wagtail's script
    assert "/admin/corbeille/" in html and "Corbeille" in html


def test_opening_the_trash_purges_what_expired(client, manager_a, trashed):
    entry, other = trashed
    TrashEntry.objects.filter(pk=other.pk).update(
        purge_after=timezone.now() - datetime.timedelta(minutes=1)
    )
    client.force_login(manager_a)
    assert client.get(TRASH).status_code == 200
    assert list(TrashEntry.objects.all()) == [entry]
    [purged] = ModelLogEntry.objects.filter(action="musees.purge")
    assert purged.user is None and purged.data["expired"] is True


# --- Restore and purge ---------------------------------------------------------------------------


def test_a_manager_restores_a_work_with_everything(client, manager_a, work_a):
    pk, public_url = work_a.pk, work_a.get_absolute_url()
    before = everything_of(pk)
    entry = trash_object(obj=work_a, user=manager_a)
    client.force_login(manager_a)
    confirmation = text(client.get(restore_url(entry)))
    assert "Statue-menhir de Saint-Sernin" in confirmation and "2 images" in confirmation

    response = client.post(restore_url(entry))

    assert response.status_code == 302 and response.url == f"{WORKS}edit/{pk}/"
    assert everything_of(pk) == before
    assert not TrashEntry.objects.exists()
    assert "Statue-menhir de Saint-Sernin" in text(client.get(WORKS))
    client.logout()
    assert client.get(public_url).status_code == 200


def test_moderator_restores_any_museums_work(client, moderator, trashed):
    _entry, other = trashed
    client.force_login(moderator)
    assert client.post(restore_url(other)).status_code == 302
    assert Work.objects.filter(pk=int(other.object_id), title=CANARY_TITLE).exists()


def test_a_conflict_is_explained_and_nothing_changes(client, manager_a, museum_a, work_a):
    entry = trash_object(obj=work_a, user=manager_a)
    newer = WorkFactory(museum=museum_a, inventory_number="2024.7.1", title="Nouvelle notice")
    client.force_login(manager_a)

    response = client.post(restore_url(entry))

    assert response.status_code == 200
    html = text(response)
    assert "La notice ne peut pas être restaurée" in html
    assert "numéro d&#x27;inventaire « 2024.7.1 »" in html
    assert TrashEntry.objects.filter(pk=entry.pk).exists()
    assert list(Work.objects.filter(museum=museum_a)) == [newer]
    assert not WorkImage.objects.filter(work_id=int(entry.object_id)).exists()


def test_purge_asks_then_deletes_for_good(client, manager_a, trashed):
    entry, _other = trashed
    client.force_login(manager_a)
    confirmation = text(client.get(purge_url(entry)))
    assert "ne pourra plus être restaurée" in confirmation

    response = client.post(purge_url(entry), follow=True)

    assert "a été supprimée définitivement" in " ".join(messages_of(response))
    assert not TrashEntry.objects.filter(pk=entry.pk).exists()
    [purged] = ModelLogEntry.objects.filter(action="musees.purge")
    assert purged.user == manager_a and purged.data["museum"] == "Musée Fenaille"


def test_the_journal_shows_the_trash_to_the_museum(client, manager_a, trashed):
    client.force_login(manager_a)
    html = text(client.get("/admin/journal/"))
    assert "Placée dans la corbeille (Musée Fenaille)" in html
    assert CANARY_TITLE not in html
