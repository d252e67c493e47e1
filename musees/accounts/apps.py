from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Staff accounts, roles per museum and for the network, invitations."""

    name = "musees.accounts"
    label = "accounts"
    verbose_name = _("Comptes et rôles")

    def ready(self):
        from . import signals  # noqa: F401
