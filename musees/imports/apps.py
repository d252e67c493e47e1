from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    """Catalogue imports started from the admin, run in the background."""

    name = "musees.imports"
    label = "imports"
    verbose_name = _("Imports de notices")
