"""Each event the network audits leaves one entry: who, which museum, what, when."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from wagtail.models import ModelLogEntry, PageLogEntry

from musees.accounts.models import Invitation
from musees.accounts.services import (
    invitation_accept,
    invitation_cancel,
    invitation_create,
    role_grant,
    role_revoke,
)
from musees.audit.services import NO_OBJECT_ID
from tests.accounts.people import PASSWORD, make_user

LOGIN = "/compte/login/"
JOCONDE = Path(__file__).parents[1] / "data" / "joconde" / "pop_fixture_joconde-valid-UTF-8.txt"


def entries(action):
    return list(ModelLogEntry.objects.filter(action=action).order_by("pk"))


def test_login_is_logged_with_the_person(client, manager_a):
    client.post(LOGIN, {"login": "claire@musee-a.fr", "password": PASSWORD})
    [entry] = entries("musees.login")
    assert entry.user_id == manager_a.pk
    assert entry.object_id == str(manager_a.pk)
    assert entry.message == "Connexion"


def test_failed_login_is_logged_on_the_account_without_the_password(client, manager_a):
    client.post(LOGIN, {"login": "claire@musee-a.fr", "password": "secret-essai-42"})
    [entry] = entries("musees.login_failed")
    assert entry.object_id == str(manager_a.pk)
    assert entry.user_id is None
    assert "secret-essai-42" not in json.dumps(entry.data) + entry.label


def test_failed_login_of_an_unknown_address_records_the_address_only(client, db):
    client.post(LOGIN, {"login": "intrus@example.org", "password": "secret-essai-42"})
    [entry] = entries("musees.login_failed")
    assert entry.object_id == NO_OBJECT_ID
    assert entry.data == {"email": "intrus@example.org"}
    assert "secret-essai-42" not in entry.label
    assert "intrus@example.org" in entry.message


def test_logout_is_logged(client, manager_a):
    client.force_login(manager_a)
    client.post("/compte/logout/")
    [entry] = entries("musees.logout")
    assert entry.user_id == manager_a.pk


def test_invitation_sent_cancelled_and_accepted_carry_their_museum(museum_a, manager_a):
    first, _token = invitation_create(
        email="nouveau@musee-a.fr", role="redacteur", museum=museum_a, invited_by=manager_a
    )
    invitation_cancel(invitation=first)
    invitation_cancel(invitation=first)  # already cancelled: nothing more to log
    second, _token = invitation_create(
        email="nouveau@musee-a.fr", role="redacteur", museum=museum_a, invited_by=manager_a
    )
    user = invitation_accept(invitation=second, password="un mot de passe solide")

    sent = entries("musees.invitation_sent")
    assert [e.object_id for e in sent] == [str(first.pk), str(second.pk)]
    assert sent[0].user_id == manager_a.pk
    assert sent[0].data["museum_id"] == museum_a.pk
    assert sent[0].data["museum"] == "Musée Rolin"
    assert sent[0].message == "Invitation envoyée (Musée Rolin)"
    [cancelled] = entries("musees.invitation_cancelled")
    assert cancelled.object_id == str(first.pk)
    [accepted] = entries("musees.invitation_accepted")
    assert accepted.user_id == user.pk
    assert accepted.data["museum_id"] == museum_a.pk
    assert Invitation.objects.count() == 2


def test_add_staff_logs_the_role_given_in_the_museum(museum_a):
    call_command(
        "add_staff",
        "paul@musee-a.fr",
        "--museum",
        "M0017",
        "--role",
        "redacteur",
        "--no-email",
        stdout=io.StringIO(),
    )
    [entry] = entries("musees.role_added")
    assert entry.label == "paul@musee-a.fr"
    assert entry.data["museum_id"] == museum_a.pk
    assert entry.data["role"] == "redacteur"
    assert entry.message == "Rôle « rédacteur » donné (Musée Rolin)"
    # Running it again changes nothing, and logs nothing.
    call_command(
        "add_staff",
        "paul@musee-a.fr",
        "--museum",
        "M0017",
        "--role",
        "redacteur",
        "--no-email",
        stdout=io.StringIO(),
    )
    assert len(entries("musees.role_added")) == 1
    assert entries("musees.role_removed") == []


def test_changing_and_removing_a_role_logs_what_was_really_held(museum_a, manager_a):
    user = make_user("paul@musee-a.fr")
    role_grant(user=user, role="redacteur", museum=museum_a)
    role_grant(user=user, role="responsable", museum=museum_a)
    role_revoke(user=user, museum=museum_a, by=manager_a)

    added = [e.data["role"] for e in entries("musees.role_added") if e.object_id == str(user.pk)]
    removed = [
        e.data["role"] for e in entries("musees.role_removed") if e.object_id == str(user.pk)
    ]
    assert added == ["redacteur", "responsable"]
    assert removed == ["redacteur", "responsable"]


def test_group_change_in_wagtail_user_admin_is_logged_with_its_author(
    client, administrator, museum_a
):
    user = make_user("paul@musee-a.fr")
    client.force_login(administrator)
    response = client.post(
        f"/admin/users/edit/{user.pk}/",
        {
            "username": user.username,
            "email": user.email,
            "first_name": "Paul",
            "last_name": "X",
            "is_active": "on",
            "groups": [museum_a.editors_group_id],
        },
    )
    assert response.status_code == 302
    [entry] = [e for e in entries("musees.role_added") if e.object_id == str(user.pk)]
    assert entry.user_id == administrator.pk
    assert entry.data["museum_id"] == museum_a.pk


def test_network_role_is_logged_without_museum(museum_index):
    user = make_user("moderation@reseau.fr")
    role_grant(user=user, role="moderateur")
    [entry] = [e for e in entries("musees.role_added") if e.object_id == str(user.pk)]
    assert "museum_id" not in entry.data
    assert entry.message == "Rôle « modérateur réseau » donné"


def test_import_command_logs_file_format_and_counts_on_the_museum(museum_a):
    call_command(
        "import_works",
        str(JOCONDE),
        "--format",
        "joconde-txt",
        "--museum",
        "M0017",
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    [entry] = PageLogEntry.objects.filter(action="musees.import")
    assert entry.page_id == museum_a.pk
    assert entry.data["file"] == JOCONDE.name
    assert entry.data["format"] == "joconde-txt"
    assert entry.data["created"] == 3
    assert entry.data["museum_id"] == museum_a.pk
    assert "3 créées" in entry.message

    call_command(
        "import_works",
        str(JOCONDE),
        "--format",
        "joconde-txt",
        "--dry-run",
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    assert PageLogEntry.objects.filter(action="musees.import").count() == 1  # nothing saved


def test_export_command_logs_format_and_count(museum_a, tmp_path):
    call_command(
        "import_works",
        str(JOCONDE),
        "--format",
        "joconde-txt",
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    output = tmp_path / "rolin.txt"
    call_command(
        "export_works", "--format", "joconde-txt", "--museum", "M0017", "--output", str(output)
    )
    [entry] = PageLogEntry.objects.filter(action="musees.export")
    assert entry.data["format"] == "joconde-txt"
    assert entry.data["file"] == "rolin.txt"
    assert entry.data["museum_id"] == museum_a.pk
    assert entry.data["count"] == 3
    assert entry.message == "Export joconde-txt : 3 œuvres (Musée Rolin)"


@pytest.mark.parametrize("action", ["musees.login", "musees.import", "musees.role_added"])
def test_actions_have_french_labels(db, action):
    from wagtail.log_actions import registry

    assert registry.get_action_label(action) in {"Connexion", "Import de notices", "Rôle donné"}
