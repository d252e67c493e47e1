"""The "Corbeille" entry of the admin menu, its screens, and its actions in the log."""

from django.urls import include, path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.log_actions import LogFormatter

from . import admin_urls
from .services import ACTION_PURGE, ACTION_RESTORE, ACTION_TRASH
from .views import may_see_trash


class TrashMenuItem(MenuItem):
    """Shown to the staff of a museum and of the network."""

    def is_shown(self, request):
        return may_see_trash(request.user)


@hooks.register("register_admin_urls")
def register_trash_urls():
    return [path("corbeille/", include(admin_urls, namespace="trash"))]


@hooks.register("register_admin_menu_item")
def register_trash_menu_item():
    # Right after "Œuvres" (210).
    return TrashMenuItem(
        _("Corbeille"), reverse("trash:index"), icon_name="bin", order=215, name="corbeille"
    )


class TrashFormatter(LogFormatter):
    """'Supprimée définitivement (Musée X)', and why when the retention did it."""

    def format_message(self, log_entry):
        data = log_entry.data or {}
        message = str(self.message)
        if data.get("expired"):
            message = gettext("Supprimée définitivement (fin du délai de conservation)")
        if data.get("museum"):
            message += gettext(" (%(museum)s)") % {"museum": data["museum"]}
        return message


ACTIONS = [
    (ACTION_TRASH, _("Placée dans la corbeille")),
    (ACTION_RESTORE, _("Restaurée depuis la corbeille")),
    (ACTION_PURGE, _("Supprimée définitivement")),
]


@hooks.register("register_log_actions")
def register_trash_log_actions(actions):
    for action, label in ACTIONS:
        actions.register_action(action)(
            type("TrashFormatter", (TrashFormatter,), {"label": label, "message": label})
        )
