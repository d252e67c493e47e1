"""The "Équipe" entry of the admin menu and its screens; the admin guards (admin_guards.py)."""

from django.core.exceptions import PermissionDenied
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_guard_views, admin_guards, admin_urls
from .access import may_manage_teams
from .admin_api import ScopedDocumentsAdminAPIViewSet, ScopedImagesAdminAPIViewSet


class TeamMenuItem(MenuItem):
    """Shown to museum responsables and to the network's staff only."""

    def is_shown(self, request):
        return may_manage_teams(request.user)


@hooks.register("register_admin_urls")
def register_team_urls():
    return [path("equipe/", include(admin_urls, namespace="accounts_team"))]


@hooks.register("register_admin_menu_item")
def register_team_menu_item():
    return TeamMenuItem(
        _("Équipe"), reverse("accounts_team:index"), icon_name="group", order=900, name="equipe"
    )


# Administrators manage users but are not superusers: Wagtail's user screens would otherwise let
# them edit a superuser (and so take over the account) or tick "Administrateur" on anyone.
def _refuse_superuser_powers(request, user=None):
    if request.user.is_superuser:
        return
    if user is not None and user.is_superuser:
        raise PermissionDenied
    if request.method == "POST" and request.POST.get("is_superuser") not in (None, "", "false"):
        raise PermissionDenied


@hooks.register("before_create_user")
def guard_user_creation(request):
    _refuse_superuser_powers(request)


@hooks.register("before_edit_user")
def guard_user_edit(request, user):
    _refuse_superuser_powers(request, user)


@hooks.register("before_delete_user")
def guard_user_deletion(request, user):
    _refuse_superuser_powers(request, user)


@hooks.register("before_bulk_action")
def guard_user_bulk_actions(request, action_type, objects, action_class_instance):
    if action_type == "user" and not request.user.is_superuser:
        if any(getattr(user, "is_superuser", False) for user in objects):
            raise PermissionDenied


@hooks.register("construct_admin_api", order=100)  # after Wagtail's own endpoints, replacing them
def scope_media_api(router):
    router.register_endpoint("images", ScopedImagesAdminAPIViewSet)
    router.register_endpoint("documents", ScopedDocumentsAdminAPIViewSet)


# Wagtail's refusals answer 403, and deleting media follows the roles' table (admin_guards.py).
admin_guards.install()

hooks.register("construct_page_chooser_queryset", admin_guard_views.construct_page_chooser_queryset)

# After Wagtail's own bulk actions (order 0), which they replace: limited to the user's objects.
for _action in admin_guards.SCOPED_BULK_ACTIONS:
    hooks.register("register_bulk_action", _action, order=1)
