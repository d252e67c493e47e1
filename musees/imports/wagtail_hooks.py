"""The "Importer des notices" entry of the admin menu and its screens."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_urls
from .views import may_import


class ImportMenuItem(MenuItem):
    """Shown to those who may import into at least one museum."""

    def is_shown(self, request):
        return may_import(request.user)


@hooks.register("register_admin_urls")
def register_import_urls():
    return [path("imports/", include(admin_urls, namespace="imports"))]


@hooks.register("register_admin_menu_item")
def register_import_menu_item():
    return ImportMenuItem(
        _("Importer des notices"),
        reverse("imports:new"),
        icon_name="upload",
        order=850,
        name="importer-des-notices",
    )
