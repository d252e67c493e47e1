"""What each role may do: the one table that docs/roles.md shows and the tests check.

Roles are Django groups. A museum role is a museum's own group (``MuseumPage.editors_group`` or
``managers_group``, created with the museum); a network role is one global group. Wagtail's page
and collection permissions are given on the role's *scope*: the museum's page and Collection for
a museum role; every museum index page and the root Collection (which holds every museum's
Collection) for the moderators; the root page and the root Collection for the administrators.

This module is data only (no model import), so that any app may read it.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

MUSEUM = "museum"
NETWORK = "network"

REDACTEUR = "redacteur"
RESPONSABLE = "responsable"
MODERATEUR = "moderateur"
ADMINISTRATEUR = "administrateur"

# Where a network role's page permissions apply (a museum role's apply to its museum's page).
SCOPE_MUSEUM = "museum"  # the museum's page and its Collection
SCOPE_MUSEUM_INDEXES = "museum-indexes"  # every museums directory page, the root Collection
SCOPE_SITE = "site"  # the root page, the root Collection

# Names of the two global groups (stored in the database: never translated).
NETWORK_GROUP_NAMES = {
    MODERATEUR: "Réseau — modérateurs",
    ADMINISTRATEUR: "Réseau — administrateurs",
}

_MEDIA_USE = (
    "wagtailimages.add_image",
    "wagtailimages.change_image",
    "wagtailimages.choose_image",
    "wagtaildocs.add_document",
    "wagtaildocs.change_document",
    "wagtaildocs.choose_document",
)
# Deleting needs these two explicitly (Wagtail alone would let whoever may change delete):
# musees/accounts/admin_guards.py reads them on the object's collection.
_MEDIA_MANAGE = (
    *_MEDIA_USE,
    "wagtailimages.delete_image",
    "wagtaildocs.delete_document",
)


@dataclass(frozen=True)
class Role:
    """One role: its label, scope and the permissions its group carries."""

    key: str
    label: str
    label_en: str
    scope: str  # MUSEUM or NETWORK
    where: str  # SCOPE_* : where the page and collection permissions apply
    # Model permissions of the group ("app_label.codename").
    permissions: tuple[str, ...]
    # Wagtail page permissions (codenames of wagtailcore) on the scope's pages and subtrees.
    page_permissions: tuple[str, ...]
    # Wagtail collection permissions ("app_label.codename") on the scope's Collection(s).
    collection_permissions: tuple[str, ...]
    # Roles this role may give (by invitation) and take away; on its own museums for a museum
    # role, on every museum (and the network) for a network role.
    grants: tuple[str, ...]


ROLES: dict[str, Role] = {
    REDACTEUR: Role(
        key=REDACTEUR,
        label=_("rédacteur"),
        label_en="editor",
        scope=MUSEUM,
        where=SCOPE_MUSEUM,
        permissions=("wagtailadmin.access_admin",),
        page_permissions=("add_page", "change_page"),
        collection_permissions=_MEDIA_USE,
        grants=(),
    ),
    RESPONSABLE: Role(
        key=RESPONSABLE,
        label=_("responsable"),
        label_en="manager",
        scope=MUSEUM,
        where=SCOPE_MUSEUM,
        permissions=("wagtailadmin.access_admin",),
        page_permissions=("add_page", "change_page", "publish_page", "lock_page", "unlock_page"),
        collection_permissions=_MEDIA_MANAGE,
        grants=(REDACTEUR, RESPONSABLE),
    ),
    MODERATEUR: Role(
        key=MODERATEUR,
        label=_("modérateur réseau"),
        label_en="network moderator",
        scope=NETWORK,
        where=SCOPE_MUSEUM_INDEXES,
        permissions=("wagtailadmin.access_admin",),
        page_permissions=("add_page", "change_page", "publish_page", "lock_page", "unlock_page"),
        collection_permissions=_MEDIA_MANAGE,
        grants=(REDACTEUR, RESPONSABLE),
    ),
    ADMINISTRATEUR: Role(
        key=ADMINISTRATEUR,
        label=_("administrateur"),
        label_en="administrator",
        scope=NETWORK,
        where=SCOPE_SITE,
        permissions=(
            "wagtailadmin.access_admin",
            "auth.add_user",
            "auth.change_user",
            "auth.delete_user",
            "core.change_networksettings",
            "wagtailcore.change_site",
            "wagtailredirects.add_redirect",
            "wagtailredirects.change_redirect",
            "wagtailredirects.delete_redirect",
        ),
        page_permissions=(
            "add_page",
            "change_page",
            "publish_page",
            "bulk_delete_page",
            "lock_page",
            "unlock_page",
        ),
        collection_permissions=_MEDIA_MANAGE,
        grants=(REDACTEUR, RESPONSABLE, MODERATEUR, ADMINISTRATEUR),
    ),
}

MUSEUM_ROLES = tuple(key for key, role in ROLES.items() if role.scope == MUSEUM)
NETWORK_ROLES = tuple(key for key, role in ROLES.items() if role.scope == NETWORK)


def role_label(key: str) -> str:
    """The French (translatable) label of a role key."""
    return str(ROLES[key].label)


def role_choices(keys=None) -> list[tuple[str, str]]:
    """(key, label) pairs for a form, in table order."""
    return [(key, ROLES[key].label) for key in (keys or ROLES)]
