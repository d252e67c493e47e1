from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """The network's log: Wagtail's log entries plus logins, invitations, roles, imports."""

    name = "musees.audit"
    label = "audit"
    verbose_name = _("Journal")

    def ready(self):
        from . import signals  # noqa: F401
