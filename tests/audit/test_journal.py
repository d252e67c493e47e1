"""The Journal: a museum reads its own log, never another's; the association reads everything."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry, PageLogEntry

from musees.accounts.services import invitation_create
from tests.catalogue.factories import WorkFactory

JOURNAL = "/admin/journal/"
JOURNAL_RESULTS = "/admin/journal/resultats/"
SITE_HISTORY = "/admin/reports/site-history/"
SITE_HISTORY_RESULTS = "/admin/reports/site-history/results/"

A_STRINGS = ("pivoine-a@exemple.fr", "Pivoine du musée A")
B_STRINGS = ("canari-b@exemple.fr", "Canari du musée B", "lea@musee-b.fr", "Toulouse-Lautrec")


@pytest.fixture
def two_logs(client, museum_a, museum_b, manager_a, manager_b):
    """Each museum's log holds an invitation, a work edit, a publication and a login."""
    invitation_create(email=A_STRINGS[0], role="redacteur", museum=museum_a, invited_by=manager_a)
    invitation_create(email=B_STRINGS[0], role="redacteur", museum=museum_b, invited_by=manager_b)
    log(WorkFactory(museum=museum_a, title=A_STRINGS[1]), "wagtail.edit", user=manager_a)
    log(WorkFactory(museum=museum_b, title=B_STRINGS[1]), "wagtail.edit", user=manager_b)
    museum_b.save_revision(user=manager_b).publish(user=manager_b)
    client.force_login(manager_b)  # a login of B's staff
    client.logout()
    return client


def html(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def test_responsable_reads_own_museum_log_and_never_another(two_logs, manager_a, museum_b):
    client = two_logs
    client.force_login(manager_a)
    for url in (JOURNAL, JOURNAL_RESULTS):
        page = html(client, url)
        for text in A_STRINGS:
            assert text in page
        for text in B_STRINGS:
            assert text not in page
    # Asking for museum B, or for all actions of B's staff, shows nothing of B.
    page = html(client, JOURNAL_RESULTS, museum=museum_b.pk)
    assert not any(text in page for text in B_STRINGS)


def test_site_history_is_not_found_for_a_museum_account(two_logs, manager_a):
    client = two_logs
    client.force_login(manager_a)
    for url in (SITE_HISTORY, SITE_HISTORY_RESULTS, SITE_HISTORY + "?export=csv"):
        response = client.get(url)
        assert response.status_code == 404
        assert not any(text in response.content.decode() for text in B_STRINGS)
    menu = html(client, "/admin/")
    assert SITE_HISTORY not in menu
    assert JOURNAL in menu


def test_moderator_reads_every_museum_and_site_history(two_logs, moderator):
    client = two_logs
    client.force_login(moderator)
    page = html(client, JOURNAL)
    for text in A_STRINGS + B_STRINGS:
        assert text in page
    assert "Toulouse-Lautrec" in html(client, SITE_HISTORY)  # B's page publication
    assert SITE_HISTORY in html(client, "/admin/")


def test_page_and_work_entries_name_their_museum(two_logs, museum_b):
    publish = PageLogEntry.objects.get(action="wagtail.publish", page=museum_b)
    assert publish.data["museum_id"] == museum_b.pk
    work_entry = ModelLogEntry.objects.get(action="wagtail.edit", label="Canari du musée B")
    assert work_entry.data["museum"] == "Musée Toulouse-Lautrec"


def test_entries_without_museum_in_data_are_still_scoped(two_logs, manager_a, manager_b):
    """Entries written before the audit app existed: works and pages resolved by their museum."""
    ModelLogEntry.objects.update(data={})
    PageLogEntry.objects.update(data={})
    client = two_logs
    client.force_login(manager_b)
    page = html(client, JOURNAL_RESULTS)
    assert "Canari du musée B" in page
    assert "Pivoine du musée A" not in page


def test_filters_by_action_and_museum(two_logs, moderator, museum_a):
    client = two_logs
    client.force_login(moderator)
    page = html(client, JOURNAL_RESULTS, action="musees.invitation_sent")
    assert A_STRINGS[0] in page and B_STRINGS[0] in page
    assert "Canari du musée B" not in page
    page = html(client, JOURNAL_RESULTS, museum=museum_a.pk)
    assert "Pivoine du musée A" in page
    assert "Canari du musée B" not in page
    page = html(
        client,
        JOURNAL_RESULTS,
        **{"timestamp_from": "2000-01-01", "timestamp_to": "2000-01-02"},
    )
    assert "Aucune entrée dans le journal." in page


def test_journal_is_not_found_for_a_user_without_museum(client, museum_index):
    from django.contrib.auth.models import Permission

    from tests.accounts.people import make_user

    user = make_user("personne@exemple.fr")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    assert client.get(JOURNAL).status_code == 404
    assert client.get(SITE_HISTORY).status_code == 404


def _queries(client, url) -> int:
    client.get(url)  # the first request fills the caches (content types, permissions)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("who", ["manager_a", "moderator"])
def test_journal_query_count_does_not_grow_with_entries(
    client, museum_a, manager_a, moderator, who
):
    user = {"manager_a": manager_a, "moderator": moderator}[who]
    works = [WorkFactory(museum=museum_a, title=f"Œuvre {n}") for n in range(30)]

    def add_entries(count):
        """`count` entries, one in two an invitation, the others a work edited."""
        for n in range(count):
            if n % 2:
                log(works[n], "wagtail.edit", user=manager_a)
            else:
                invitation_create(
                    email=f"invite{n}-{count}@exemple.fr",
                    role="redacteur",
                    museum=museum_a,
                    invited_by=manager_a,
                )

    client.force_login(user)
    add_entries(3)
    few = _queries(client, JOURNAL_RESULTS)
    add_entries(27)
    assert (
        ModelLogEntry.objects.exclude(action__startswith="musees.role")
        .filter(data__museum_id=museum_a.pk)
        .count()
        == 30
    )
    many = _queries(client, JOURNAL_RESULTS)
    assert few == many
    assert "Œuvre 25" in client.get(JOURNAL_RESULTS).content.decode()
