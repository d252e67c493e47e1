"""allauth behaviour of the platform: no public sign-up, accounts come from invitations."""

import time

from allauth.account import app_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.core import context


class AccountAdapter(DefaultAccountAdapter):
    """Staff accounts are created by invitation (or `add_staff`), never by open sign-up."""

    def is_open_for_signup(self, request) -> bool:
        return False

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        """Setting up a first authenticator right after logging in asks no password again.

        Staff are sent to set up two-factor as soon as they log in (or accept their invitation);
        asking for the password they have just typed would only be in the way. Once the user has
        an authenticator, or when the login is older than the reauthentication timeout, allauth's
        rule applies.
        """
        required = super().is_reauthentication_required(app=app, **kwargs)
        if not required or app != "allauth.mfa":
            return required
        from allauth.mfa.models import Authenticator

        request = context.request
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return required
        if Authenticator.objects.filter(user=user).exists():
            return required
        records = get_authentication_records(request, user)
        if not records:
            return required
        return time.time() - records[-1]["at"] >= app_settings.REAUTHENTICATION_TIMEOUT
