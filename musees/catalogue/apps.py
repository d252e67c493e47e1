from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    """Works and objects of the museums (notices), their vocabularies, images and importers."""

    name = "musees.catalogue"
    label = "catalogue"
    verbose_name = _("Catalogue des œuvres")

    def ready(self):
        from . import signals  # noqa: F401
