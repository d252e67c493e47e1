"""Where Wagtail's admin acts beyond a museum's own objects, or refuses the wrong way: the fixes
that are not views (those are in admin_guard_views.py), found by tests/security.

- Wagtail answers a refused admin request with a redirect to the dashboard and a message; the
  staff get a 403 page in the admin's look instead, which says why (`permission_denied`).
- Wagtail lets whoever may change an image or a document delete it; the roles' table
  (roles.py, docs/roles.md) gives the delete permission to administrators only
  (`MediaPermissionPolicy`).
- Wagtail's bulk actions on pages, images and documents list the title of every ?id= in their
  confirmation, another museum's included: `SCOPED_BULK_ACTIONS` replace them.

wagtail_hooks.py calls `install()` and registers the bulk actions.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from wagtail.admin.localization import get_localized_response
from wagtail.admin.views.pages.bulk_actions import delete as page_delete
from wagtail.admin.views.pages.bulk_actions import move as page_move
from wagtail.admin.views.pages.bulk_actions import publish as page_publish
from wagtail.admin.views.pages.bulk_actions import unpublish as page_unpublish
from wagtail.documents.views.bulk_actions import add_tags as document_tags
from wagtail.documents.views.bulk_actions import add_to_collection as document_collection
from wagtail.documents.views.bulk_actions import delete as document_delete
from wagtail.images.views.bulk_actions import add_tags as image_tags
from wagtail.images.views.bulk_actions import add_to_collection as image_collection
from wagtail.images.views.bulk_actions import delete as image_delete
from wagtail.permission_policies.collections import CollectionOwnershipPermissionPolicy
from wagtail.permissions import page_permission_policy

from .scoping import every_one_in

PERMISSION_DENIED_TITLE = _("Accès refusé")
PERMISSION_DENIED_MESSAGE = _(
    "Vous n’avez pas le droit d’ouvrir cette page ou d’agir sur cet élément : il appartient à "
    "un autre musée, ou votre rôle ne le permet pas."
)
PERMISSION_DENIED_HELP = _(
    "Si vous pensez en avoir besoin, demandez-le au responsable de votre musée ou à l’association."
)
PERMISSION_DENIED_TEMPLATE = "accounts/admin_permission_denied.html"

# Page permissions that open the explorer on a subtree (Wagtail's own list).
PAGE_ACTIONS = frozenset({"add", "change", "publish", "bulk_delete", "lock", "unlock"})
DELETE = "delete"


# --- Wagtail's "permission denied" ---------------------------------------------------------------


def permission_denied(request):
    """A 403 page in the admin's look, saying why; for the admin's scripts, a bare 403.

    Wagtail's own answer is a redirect to the dashboard with a message: for a person, the screen
    they asked for silently becomes another one; for a script or a test, a refusal looks like a
    success (302). Anonymous visitors never get here: Wagtail sends them to the login page first.
    """
    if request.headers.get("x-requested-with") == "XMLHttpRequest":
        raise PermissionDenied

    def page(request):
        return render(
            request,
            PERMISSION_DENIED_TEMPLATE,
            {
                "page_title": PERMISSION_DENIED_TITLE,
                "header_icon": "warning",
                "message": PERMISSION_DENIED_MESSAGE,
                "help": PERMISSION_DENIED_HELP,
            },
            status=403,
        )

    # Wagtail calls this outside the user's admin language (after the view failed): ask again.
    return get_localized_response(page, request)


# --- Deleting images and documents: the roles' table ---------------------------------------------


class MediaPermissionPolicy(CollectionOwnershipPermissionPolicy):
    """Wagtail's image and document policy, where "delete" needs the delete permission itself.

    Wagtail treats "delete" as "change" (and lets an uploader delete what they uploaded): every
    rédacteur could delete the museum's images. The roles' table gives `delete_image` and
    `delete_document` to administrators only; this policy reads that permission, on the
    object's collection, like the others.
    """

    def user_has_permission(self, user, action):
        if action == DELETE:
            return self._check_perm(user, [DELETE])
        return super().user_has_permission(user, action)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        others = [action for action in actions if action != DELETE]
        if DELETE in actions and self._check_perm(user, [DELETE], instance.collection):
            return True
        return bool(others) and super().user_has_any_permission_for_instance(user, others, instance)

    def instances_user_has_any_permission_for(self, user, actions):
        others = [action for action in actions if action != DELETE]
        instances = super().instances_user_has_any_permission_for(user, others)
        if DELETE in actions and user.is_authenticated and not user.is_superuser:
            collections = self._collections_with_perm(user, [DELETE])
            instances = instances | self.model._default_manager.filter(collection__in=collections)
        return instances

    def collections_user_has_any_permission_for(self, user, actions):
        others = [action for action in actions if action != DELETE]
        collections = super().collections_user_has_any_permission_for(user, others)
        if DELETE in actions and user.is_authenticated and not user.is_superuser:
            collections = collections | self._collections_with_perm(user, [DELETE])
        return collections

    def users_with_any_permission(self, actions):
        others = [action for action in actions if action != DELETE]
        users = super().users_with_any_permission(others)
        if DELETE in actions:
            users = _either(users, self._users_with_perm([DELETE]))
        return users

    def users_with_any_permission_for_instance(self, actions, instance):
        others = [action for action in actions if action != DELETE]
        users = super().users_with_any_permission_for_instance(others, instance)
        if DELETE in actions:
            users = _either(users, self._users_with_perm([DELETE], instance.collection))
        return users


def _either(users, others):
    """Users in either queryset (one of them may be distinct(): they cannot be OR-ed)."""
    return get_user_model().objects.filter(
        Q(pk__in=users.values("pk")) | Q(pk__in=others.values("pk"))
    )


def install():
    """Put the two rules in place (called when Wagtail loads the hooks, before any admin view).

    Wagtail offers no setting for either: its views call `wagtail.admin.auth.permission_denied`
    through that module, and read the image and document policies from objects that about twenty
    modules import by name, so the objects themselves take the table's rule (their class becomes
    a subclass of their own). Both checks fail loudly if an upgrade of Wagtail changes them.
    """
    from wagtail.admin import auth
    from wagtail.documents import permissions as document_permissions
    from wagtail.images import permissions as image_permissions

    if not callable(getattr(auth, "permission_denied", None)):
        raise ImproperlyConfigured("wagtail.admin.auth.permission_denied is gone: see admin_guards")
    auth.permission_denied = permission_denied
    for policy in (image_permissions.permission_policy, document_permissions.permission_policy):
        if type(policy) is CollectionOwnershipPermissionPolicy:
            policy.__class__ = MediaPermissionPolicy
        elif not isinstance(policy, MediaPermissionPolicy):
            raise ImproperlyConfigured(f"Unexpected media permission policy {type(policy)}")


# --- Bulk actions limited to what the user may act on --------------------------------------------


class ScopedBulkActionMixin:
    """A bulk action whose ?id= must all be objects the user may see in the admin (404 else).

    Wagtail's confirmation lists every object of ?id= with its title, those the user may not act
    on included ("you do not have permission to..."): a list of another museum's titles. Objects
    the user sees but may not act on (their own museum's, without the right) still show there.
    """

    def scoped_queryset(self) -> QuerySet:
        raise NotImplementedError

    def get_all_objects_in_listing_query(self, parent_id):
        listed = super().get_all_objects_in_listing_query(parent_id)
        if not isinstance(listed, QuerySet):
            listed = list(listed)
        return self.scoped_queryset().filter(pk__in=listed).values_list("pk", flat=True)

    def get_queryset(self, model, object_ids):
        objects = every_one_in(self.scoped_queryset(), object_ids)
        if not objects:
            raise Http404
        return objects


class PageScopeMixin(ScopedBulkActionMixin):
    def scoped_queryset(self):
        return page_permission_policy.instances_user_has_any_permission_for(
            self.request.user, PAGE_ACTIONS
        )


class CollectionScopeMixin(ScopedBulkActionMixin):
    """Images or documents of the collections where the user may add, change or choose."""

    def scoped_queryset(self):
        collections = self.permission_policy.collections_user_has_any_permission_for(
            self.request.user, ["add", "change", "choose", DELETE]
        )
        return self.model._default_manager.filter(collection__in=collections)


def _scoped(prefix, mixin, action_class):
    return type(f"Scoped{prefix}{action_class.__name__}", (mixin, action_class), {})


# Registered after Wagtail's own (same model and action type), which they replace.
SCOPED_BULK_ACTIONS = [
    *(
        _scoped("Page", PageScopeMixin, action)
        for action in (
            page_delete.DeleteBulkAction,
            page_move.MoveBulkAction,
            page_publish.PublishBulkAction,
            page_unpublish.UnpublishBulkAction,
        )
    ),
    *(
        _scoped("Image", CollectionScopeMixin, action)
        for action in (
            image_delete.DeleteBulkAction,
            image_collection.AddToCollectionBulkAction,
            image_tags.AddTagsBulkAction,
        )
    ),
    *(
        _scoped("Document", CollectionScopeMixin, action)
        for action in (
            document_delete.DeleteBulkAction,
            document_collection.AddToCollectionBulkAction,
            document_tags.AddTagsBulkAction,
        )
    ),
]
