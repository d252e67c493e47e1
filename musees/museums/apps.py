from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MuseumsConfig(AppConfig):
    """Museums of the network: pages, hours, prices, access, and the Muséofile importer."""

    name = "musees.museums"
    label = "museums"
    verbose_name = _("Musées")

    def ready(self):
        from . import signals  # noqa: F401
