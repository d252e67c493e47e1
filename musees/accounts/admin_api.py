"""Wagtail's admin API endpoints of images and documents, limited to the user's collections.

Wagtail's own endpoints (`/admin/api/main/images/`, `/admin/api/main/documents/`) list every
collection: a museum's staff would read the titles and files of every other museum's media.
These subclasses keep only what the user may choose or change (their museum's collection, the
whole tree for the association's staff: collection permissions reach the descendants).
"""

from wagtail.documents.api.admin.views import DocumentsAdminAPIViewSet
from wagtail.documents.permissions import permission_policy as document_policy
from wagtail.images.api.admin.views import ImagesAdminAPIViewSet
from wagtail.images.permissions import permission_policy as image_policy

ACTIONS = ["choose", "change"]


class ScopedImagesAdminAPIViewSet(ImagesAdminAPIViewSet):
    def get_queryset(self):
        user = self.request.user
        collections = image_policy.collections_user_has_any_permission_for(user, ACTIONS)
        return super().get_queryset().filter(collection__in=collections)


class ScopedDocumentsAdminAPIViewSet(DocumentsAdminAPIViewSet):
    def get_queryset(self):
        user = self.request.user
        collections = document_policy.collections_user_has_any_permission_for(user, ACTIONS)
        return super().get_queryset().filter(collection__in=collections)
