"""Read e-mail settings from one EMAIL_URL (smtp://user:password@host:port).

- ``smtp://`` plain SMTP, upgraded with STARTTLS when the port is 587 or ``?tls=1`` is given;
- ``smtps://`` SMTP over TLS from the first byte (port 465 by default);
- ``console://`` and ``locmem://`` for development and tests.

User and password may be percent-encoded (an ``@`` in a password is ``%40``).
"""

from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

BACKENDS = {
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "smtps": "django.core.mail.backends.smtp.EmailBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
}
TRUE = {"1", "true", "yes", "on"}


def parse_email_url(url: str) -> dict:
    """Django e-mail settings (EMAIL_BACKEND, EMAIL_HOST...) for an EMAIL_URL."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in BACKENDS:
        raise ImproperlyConfigured(
            f"EMAIL_URL : schéma « {scheme} » inconnu (attendu : {', '.join(BACKENDS)})."
        )
    config = {"EMAIL_BACKEND": BACKENDS[scheme]}
    if scheme not in ("smtp", "smtps"):
        return config
    if not parts.hostname:
        raise ImproperlyConfigured("EMAIL_URL : le nom du serveur SMTP manque.")
    try:
        port = parts.port
    except ValueError as exc:
        raise ImproperlyConfigured("EMAIL_URL : le port doit être un nombre.") from exc
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    use_ssl = scheme == "smtps" or query.get("ssl", "").lower() in TRUE
    port = port or (465 if use_ssl else 25)
    use_tls = not use_ssl and (port == 587 or query.get("tls", "").lower() in TRUE)
    config.update(
        {
            "EMAIL_HOST": parts.hostname,
            "EMAIL_PORT": port,
            "EMAIL_HOST_USER": unquote(parts.username or ""),
            "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
            "EMAIL_USE_SSL": use_ssl,
            "EMAIL_USE_TLS": use_tls,
        }
    )
    if "timeout" in query:
        config["EMAIL_TIMEOUT"] = int(query["timeout"])
    return config
