"""django-axes hooks: who is trying to log in, and the French page shown once locked out."""

from django.conf import settings
from django.shortcuts import render

# The page is served with this status (Too Many Requests).
LOCKOUT_STATUS = 429


def login_username(request, credentials: dict | None) -> str:
    """The login being tried, whatever the form: allauth's e-mail or Django's username."""
    credentials = credentials or {}
    value = credentials.get("email") or credentials.get("username") or credentials.get("login")
    if not value and request is not None:
        data = getattr(request, "POST", {}) or {}
        value = data.get("login") or data.get("username") or data.get("email")
    return (value or "").strip().lower()


def lockout_response(request, original_response=None, credentials=None):
    """The French page of a locked-out login."""
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
        if settings.AXES_COOLOFF_TIME
        else None,
    }
    return render(request, "accounts/lockout.html", context, status=LOCKOUT_STATUS)
