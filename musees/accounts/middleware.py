"""Two-factor authentication is required of staff before they reach the admin."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

ADMIN_PREFIX = "/admin/"
# The admin pages a staff member without two-factor may still open.
ALLOWED_ADMIN_PATHS = ("/admin/logout/",)

MESSAGE_SET_UP_TOTP = _(
    "Votre rôle donne accès à l'administration du site : activez d'abord la double "
    "authentification (une application comme FreeOTP, Aegis ou Google Authenticator)."
)


def needs_totp(user) -> bool:
    """Whether the user is staff (may use the admin) and has no TOTP authenticator yet."""
    from allauth.mfa.models import Authenticator

    if not user.is_authenticated or not user.has_perm("wagtailadmin.access_admin"):
        return False
    return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class StaffTwoFactorMiddleware:
    """With MFA_REQUIRED_FOR_STAFF, send staff without TOTP to set it up before any admin page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.MFA_REQUIRED_FOR_STAFF
            and request.path_info.startswith(ADMIN_PREFIX)
            and request.path_info not in ALLOWED_ADMIN_PATHS
            and needs_totp(request.user)
        ):
            messages.warning(request, str(MESSAGE_SET_UP_TOTP))
            query = urlencode({"next": request.get_full_path()})
            return HttpResponseRedirect(f"{reverse('mfa_activate_totp')}?{query}")
        return self.get_response(request)
