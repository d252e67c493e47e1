from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Staff accounts, roles per museum and for the network, invitations."""

    name = "musees.accounts"
    label = "accounts"
    verbose_name = _("Comptes et rôles")

    def ready(self):
        from . import admin_guards, signals  # noqa: F401

        # The roles table's rules on Wagtail's permission-denied answer and media deletion hold
        # in every process (commands and tasks too), not only once the admin hooks are loaded.
        admin_guards.install()
