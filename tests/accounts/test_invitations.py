"""An invitation by e-mail creates the account with the right role, once, before it expires."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import timezone

from musees.accounts.models import Invitation
from musees.accounts.services import invitation_create
from tests.accounts.people import PASSWORD

NEW_PASSWORD = "les collections du musée 1863"


def link_in(message) -> str:
    """The invitation's path, as the text part of the e-mail gives it."""
    url = re.search(r"https?://\S+/compte/invitation/\S+/", message.body).group(0)
    return url.split("://", 1)[1].split("/", 1)[1].join(["/", ""])


def invite(client, manager, museum, email="nouvelle@musee-a.fr", role="redacteur"):
    client.force_login(manager)
    return client.post(f"/admin/equipe/musee/{museum.pk}/inviter/", {"email": email, "role": role})


def accept(client, path, **data):
    return client.post(
        path,
        {
            "first_name": "Amélie",
            "last_name": "Durand",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            **data,
        },
    )


def test_invitation_sends_a_french_email_with_text_and_html(
    client, manager_a, museum_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(client, manager_a, museum_a)
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["nouvelle@musee-a.fr"]
    assert message.subject == (
        "Invitation à rejoindre l'équipe de Musée Ingres Bourdelle sur Musées d'Occitanie"
    )
    assert "Claire vous invite à rejoindre l'équipe de Musée Ingres Bourdelle" in message.body
    assert "comme rédacteur" in message.body
    assert "valable 7 jours" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert 'href="http://127.0.0.1:8000/compte/invitation/' in html
    invitation = Invitation.objects.get()
    assert invitation.invited_by == manager_a and invitation.museum == museum_a
    assert invitation.expires_at - invitation.created_at == datetime.timedelta(days=7)
    # Only the token's hash is stored.
    assert invitation.token_hash not in message.body


def test_accepting_creates_the_account_with_its_role_and_logs_in(
    client, manager_a, museum_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invite(client, manager_a, museum_a)
    client.logout()
    path = link_in(mail.outbox[0])
    page = client.get(path)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Créer votre compte" in html and "nouvelle@musee-a.fr" in html
    response = accept(client, path)
    assert response.status_code == 302 and response.url == "/admin/"
    user = get_user_model().objects.get(email="nouvelle@musee-a.fr")
    assert user.get_full_name() == "Amélie Durand"
    assert user.check_password(NEW_PASSWORD)
    museum_a.refresh_from_db()
    assert museum_a.editors_group in user.groups.all()
    assert museum_a.managers_group not in user.groups.all()
    assert client.get("/admin/").status_code == 200
    # The new account logs in with its e-mail address.
    client.logout()
    response = client.post(
        "/compte/login/", {"login": "nouvelle@musee-a.fr", "password": NEW_PASSWORD}
    )
    assert response.status_code == 302


def test_the_link_works_once(client, manager_a, museum_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invite(client, manager_a, museum_a)
    client.logout()
    path = link_in(mail.outbox[0])
    accept(client, path)
    client.logout()
    response = client.get(path)
    assert response.status_code == 410
    assert "Cette invitation a déjà été utilisée" in response.content.decode()
    response = accept(client, path, password1="autre chose 123456", password2="autre chose 123456")
    assert response.status_code == 410
    assert get_user_model().objects.get(email="nouvelle@musee-a.fr").check_password(NEW_PASSWORD)


def test_an_expired_invitation_gives_a_clear_page_and_creates_nothing(client, museum_a, manager_a):
    invitation, token = invitation_create(
        email="tard@musee-a.fr", role="redacteur", museum=museum_a, invited_by=manager_a
    )
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    path = f"/compte/invitation/{token}/"
    response = client.get(path)
    assert response.status_code == 410
    assert "Cette invitation a expiré" in response.content.decode()
    assert accept(client, path).status_code == 410
    assert not get_user_model().objects.filter(email="tard@musee-a.fr").exists()


@pytest.mark.parametrize("token", ["inconnu", "x" * 300])
def test_an_unknown_token_gives_a_french_404(client, db, token):
    response = client.get(f"/compte/invitation/{token}/")
    assert response.status_code == 404
    assert "Cette invitation n&#x27;existe pas" in response.content.decode()


def test_a_new_invitation_cancels_the_earlier_link(client, museum_a, manager_a):
    _first, first_token = invitation_create(email="x@musee-a.fr", role="redacteur", museum=museum_a)
    _second, second_token = invitation_create(
        email="x@musee-a.fr", role="responsable", museum=museum_a
    )
    assert client.get(f"/compte/invitation/{first_token}/").status_code == 410
    assert client.get(f"/compte/invitation/{second_token}/").status_code == 200


def test_existing_account_logs_in_then_accepts(client, museum_a, museum_b, editor_b):
    _invitation, token = invitation_create(
        email="marc@musee-b.fr", role="responsable", museum=museum_a
    )
    path = f"/compte/invitation/{token}/"
    page = client.get(path)
    assert "Un compte existe déjà" in page.content.decode()
    assert "/compte/login/?next=" in page.content.decode()
    # Nobody can set the existing account's password through the link.
    response = accept(client, path)
    assert response.status_code == 200
    editor_b.refresh_from_db()
    assert editor_b.check_password(PASSWORD)
    response = client.post(
        f"/compte/login/?next={path}", {"login": "marc@musee-b.fr", "password": PASSWORD}
    )
    assert response.url == path
    assert client.post(path).url == "/admin/"
    museum_a.refresh_from_db()
    museum_b.refresh_from_db()
    groups = set(editor_b.groups.all())
    assert museum_a.managers_group in groups  # the new role...
    assert museum_b.editors_group in groups  # ...beside the one they had


def test_invitation_to_someone_else_is_refused_when_logged_in(client, museum_a, editor_b):
    _invitation, token = invitation_create(
        email="autre@musee-a.fr", role="redacteur", museum=museum_a
    )
    client.force_login(editor_b)
    path = f"/compte/invitation/{token}/"
    assert client.get(path).status_code == 403
    assert client.post(path).status_code == 403
    museum_a.refresh_from_db()
    assert museum_a.editors_group not in editor_b.groups.all()


def test_weak_passwords_are_refused_in_french(client, museum_a):
    _invitation, token = invitation_create(email="a@musee-a.fr", role="redacteur", museum=museum_a)
    response = accept(client, f"/compte/invitation/{token}/", password1="1234", password2="1234")
    assert response.status_code == 200
    assert "trop court" in response.content.decode()
    response = accept(client, f"/compte/invitation/{token}/", password2="pas le même mot de passe")
    assert "ne sont pas identiques" in response.content.decode()
    assert not get_user_model().objects.filter(email="a@musee-a.fr").exists()


def test_network_invitation_by_an_administrator(
    client, administrator, django_capture_on_commit_callbacks
):
    client.force_login(administrator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/equipe/reseau/inviter/", {"email": "mod@reseau.fr", "role": "moderateur"}
        )
    assert response.status_code == 302
    message = mail.outbox[0]
    assert "rejoindre l'équipe du réseau" in message.subject
    client.logout()
    accept(client, link_in(message))
    user = get_user_model().objects.get(email="mod@reseau.fr")
    assert user.groups.filter(name="Réseau — modérateurs").exists()
