"""With MFA_REQUIRED_FOR_STAFF, staff reach the admin only after setting up and using TOTP."""

import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    SECRET_SESSION_KEY,
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from django.core.cache import cache

from tests.accounts.people import PASSWORD, make_user

ACTIVATE = "/compte/2fa/totp/activate/"


def current_code(secret: str) -> str:
    """The code an authenticator app shows now (allauth's own TOTP computation)."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def log_in(client, email):
    return client.post("/compte/login/", {"login": email, "password": PASSWORD})


@pytest.fixture
def mfa_required(settings):
    settings.MFA_REQUIRED_FOR_STAFF = True


def test_staff_without_totp_is_sent_to_set_it_up(client, editor_a, mfa_required):
    assert log_in(client, "paul@musee-a.fr").url == "/admin/"
    for path in ["/admin/", f"/admin/pages/{editor_a.pk}/", "/admin/images/"]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.url.startswith(ACTIVATE)
    page = client.get(ACTIVATE, follow=True)
    html = page.content.decode()
    assert "activez d&#x27;abord la double authentification" in html
    assert "data:image/svg+xml;base64," in html  # the QR code to scan


def test_staff_reaches_the_admin_once_totp_is_set_up(client, editor_a, mfa_required):
    log_in(client, "paul@musee-a.fr")
    client.get(ACTIVATE)
    secret = client.session[SECRET_SESSION_KEY]
    response = client.post(
        ACTIVATE, {"code": "000000" if current_code(secret) != "000000" else "1"}
    )
    assert response.status_code == 200  # a wrong code is refused
    assert not Authenticator.objects.filter(user=editor_a).exists()
    response = client.post(ACTIVATE, {"code": current_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=editor_a, type=Authenticator.Type.TOTP).exists()
    # Recovery codes come with it.
    assert Authenticator.objects.filter(
        user=editor_a, type=Authenticator.Type.RECOVERY_CODES
    ).exists()
    assert client.get("/admin/").status_code == 200


def test_login_of_staff_with_totp_asks_for_the_code(client, editor_a, mfa_required):
    secret = generate_totp_secret()
    TOTP.activate(editor_a, secret)
    response = log_in(client, "paul@musee-a.fr")
    assert response.url == "/compte/2fa/authenticate/"
    # The password alone opens nothing.
    assert client.get("/admin/").status_code == 302
    assert "_auth_user_id" not in client.session
    response = client.post("/compte/2fa/authenticate/", {"code": "12345"})
    assert "_auth_user_id" not in client.session
    cache.clear()
    response = client.post("/compte/2fa/authenticate/", {"code": current_code(secret)})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_people_without_a_staff_role_are_not_asked_for_totp(client, db, mfa_required):
    make_user("visiteur@example.org")
    log_in(client, "visiteur@example.org")
    response = client.get("/admin/")
    # Wagtail turns them away (no admin access); two-factor is not what stops them.
    assert not response.url.startswith(ACTIVATE)


def test_totp_is_not_required_when_the_setting_is_off(client, editor_a, settings):
    settings.MFA_REQUIRED_FOR_STAFF = False
    log_in(client, "paul@musee-a.fr")
    assert client.get("/admin/").status_code == 200


def test_logout_stays_reachable_without_totp(client, editor_a, mfa_required):
    log_in(client, "paul@musee-a.fr")
    response = client.post("/admin/logout/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
