from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Shared building blocks: base templates, text and geo helpers, public holidays."""

    name = "musees.core"
    label = "core"
    verbose_name = _("Socle commun")

    def ready(self):
        from .cache import connect_signals

        connect_signals()
