"""Writes on museums that touch several models."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission

from .models import MuseumPage

# What each museum role may do on its museum's page subtree (Wagtail page permissions).
EDITOR_PAGE_PERMISSIONS = ["add_page", "change_page"]
MANAGER_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
# And on the museum's images and documents (Wagtail collection permissions).
COLLECTION_PERMISSIONS = {
    "wagtailimages": ["add_image", "change_image", "choose_image"],
    "wagtaildocs": ["add_document", "change_document", "choose_document"],
}


def _group_name(museum: MuseumPage, role: str) -> str:
    # Group names are unique: the Muséofile id (or page id) keeps homonymous museums apart.
    key = museum.museofile_id or f"page-{museum.pk}"
    return f"{key} · {museum.title}"[:120] + f" — {role}"


@transaction.atomic
def museum_tenancy_ensure(*, museum: MuseumPage) -> MuseumPage:
    """Give a museum its image/document Collection and its two staff groups (idempotent).

    Rédacteurs edit the museum's pages and submit them; responsables also publish. Both may use
    the admin and the museum's collection, and nothing else.
    """
    access_admin = Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    if museum.collection_id is None:
        root = Collection.get_first_root_node()
        museum.collection = root.add_child(
            name=f"{museum.museofile_id or museum.pk} · {museum.title}"[:255]
        )
    groups = {}
    for field, role, page_perms in [
        ("editors_group", _("rédacteurs"), EDITOR_PAGE_PERMISSIONS),
        ("managers_group", _("responsables"), MANAGER_PAGE_PERMISSIONS),
    ]:
        group = getattr(museum, field)
        if group is None:
            group, _created = Group.objects.get_or_create(name=_group_name(museum, role))
            setattr(museum, field, group)
        group.permissions.add(access_admin)
        for codename in page_perms:
            GroupPagePermission.objects.get_or_create(
                group=group,
                page=museum,
                permission=Permission.objects.get(
                    content_type__app_label="wagtailcore", codename=codename
                ),
            )
        for app_label, codenames in COLLECTION_PERMISSIONS.items():
            for codename in codenames:
                GroupCollectionPermission.objects.get_or_create(
                    group=group,
                    collection=museum.collection,
                    permission=Permission.objects.get(
                        content_type__app_label=app_label, codename=codename
                    ),
                )
        groups[field] = group
    MuseumPage.objects.filter(pk=museum.pk).update(
        collection=museum.collection,
        editors_group=groups["editors_group"],
        managers_group=groups["managers_group"],
    )
    return museum
