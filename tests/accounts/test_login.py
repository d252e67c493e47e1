"""Staff log in with their e-mail address; repeated failures lock the login, on every path."""

import pytest
from django.conf import settings

from tests.accounts.people import PASSWORD

LOGIN = "/compte/login/"


def login(client, email, password, **extra):
    return client.post(LOGIN, {"login": email, "password": password}, **extra)


def test_login_page_asks_for_the_email_address_only(client, db):
    html = client.get(LOGIN).content.decode()
    assert 'type="email"' in html
    assert 'autocomplete="email"' in html
    assert "Adresse e-mail" in html
    assert "Nom d'utilisateur" not in html
    assert "inscri" not in html.lower()  # no sign-up: accounts come from invitations


def test_staff_logs_in_with_email_and_reaches_the_admin(client, editor_a):
    response = login(client, "PAUL@musee-a.fr", PASSWORD)
    assert response.status_code == 302
    assert response.url == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_username_is_not_a_login(client, editor_a):
    editor_a.username = "paul"
    editor_a.save()
    response = login(client, "paul", PASSWORD)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_wrong_password_is_refused_in_french(client, editor_a):
    response = login(client, "paul@musee-a.fr", "mauvais mot de passe")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "mot de passe sont incorrects" in response.content.decode()


def test_open_signup_is_closed(client, db):
    response = client.post(
        "/compte/signup/",
        {"email": "intrus@example.org", "password1": "x" * 20, "password2": "x" * 20},
    )
    from django.contrib.auth import get_user_model

    assert not get_user_model().objects.filter(email="intrus@example.org").exists()
    assert response.status_code in (200, 403)


def _fail_until_locked(client, email):
    responses = [login(client, email, f"faux-{n}") for n in range(settings.AXES_FAILURE_LIMIT)]
    return responses[-1]


def test_repeated_failures_lock_the_login_with_a_french_page(client, editor_a):
    locked = _fail_until_locked(client, "paul@musee-a.fr")
    assert locked.status_code == 429
    html = locked.content.decode()
    assert "Connexion bloquée" in html
    assert f"Après {settings.AXES_FAILURE_LIMIT} essais infructueux" in html
    # Even the right password no longer opens the account.
    response = login(client, "paul@musee-a.fr", PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_locked_login_stays_closed_through_the_wagtail_login_page(client, editor_a):
    _fail_until_locked(client, "paul@musee-a.fr")
    response = client.post(
        "/admin/login/", {"username": "paul@musee-a.fr", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[0][0].startswith("/compte/login/")
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302
    # And allauth's form, where Wagtail's leads, still answers with the lockout page.
    assert client.post(LOGIN, {"login": "paul@musee-a.fr", "password": PASSWORD}).status_code == 429


def test_wagtail_login_page_leads_to_the_one_login(client, editor_a):
    response = client.get("/admin/login/?next=/admin/pages/")
    assert response.status_code == 302
    assert response.url == "/compte/login/?next=/admin/pages/"
    # Posting credentials to Wagtail's form logs nobody in: it only redirects.
    response = client.post("/admin/login/", {"username": editor_a.username, "password": PASSWORD})
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_admin_sends_anonymous_visitors_to_the_one_login(client, db):
    response = client.get("/admin/pages/")
    assert response.status_code == 302
    assert response.url.startswith("/compte/login/?next=")


@pytest.mark.parametrize("path", ["/_util/login/", "/en/_util/login/"])
def test_wagtail_front_end_login_leads_to_the_one_login(client, db, path):
    response = client.get(path)
    assert response.status_code == 302
    assert "/compte/login/" in response.url


def test_successful_login_clears_earlier_failures(client, editor_a):
    for n in range(settings.AXES_FAILURE_LIMIT - 1):
        login(client, "paul@musee-a.fr", f"faux-{n}")
    assert login(client, "paul@musee-a.fr", PASSWORD).status_code == 302
    client.logout()
    for n in range(settings.AXES_FAILURE_LIMIT - 1):
        assert login(client, "paul@musee-a.fr", f"encore-{n}").status_code == 200
