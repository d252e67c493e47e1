from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrashConfig(AppConfig):
    """The trash: deleted works wait there, restorable, before they are purged."""

    name = "musees.trash"
    label = "trash"
    verbose_name = _("Corbeille")
