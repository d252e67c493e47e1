"""EMAIL_URL chooses the e-mail server."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from musees.accounts.email_url import parse_email_url


def test_smtp_with_starttls_on_the_submission_port():
    config = parse_email_url("smtp://envoi%40musees.fr:p%40ss@smtp.example.org:587")
    assert config == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "smtp.example.org",
        "EMAIL_PORT": 587,
        "EMAIL_HOST_USER": "envoi@musees.fr",
        "EMAIL_HOST_PASSWORD": "p@ss",
        "EMAIL_USE_SSL": False,
        "EMAIL_USE_TLS": True,
    }


def test_smtps_uses_tls_from_the_start_on_465():
    config = parse_email_url("smtps://u:p@mail.example.org")
    assert config["EMAIL_PORT"] == 465
    assert config["EMAIL_USE_SSL"] and not config["EMAIL_USE_TLS"]


def test_plain_smtp_relay_without_credentials():
    config = parse_email_url("smtp://relais.local:25?timeout=10")
    assert config["EMAIL_HOST_USER"] == "" and not config["EMAIL_USE_TLS"]
    assert config["EMAIL_TIMEOUT"] == 10


def test_console_backend():
    assert parse_email_url("console://")["EMAIL_BACKEND"].endswith("console.EmailBackend")


@pytest.mark.parametrize("url", ["http://x", "smtp://", "smtp://host:port"])
def test_bad_urls_are_explained(url):
    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL"):
        parse_email_url(url)
