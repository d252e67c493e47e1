"""docs/roles.md, musees/accounts/roles.py and the groups in the database say the same thing."""

import re
from pathlib import Path

from django.contrib.auth.models import Group
from django.utils import translation
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

from musees.accounts.roles import (
    NETWORK_GROUP_NAMES,
    ROLES,
    SCOPE_MUSEUM_INDEXES,
    SCOPE_SITE,
)
from musees.accounts.services import network_groups_ensure
from tests.museums.factories import MuseumIndexPageFactory

DOC = Path(__file__).resolve().parents[2] / "docs" / "roles.md"
COLUMNS = ["code", "fr", "en", "scope", "where", "permissions", "pages", "collections", "grants"]


def doc_table() -> dict[str, dict]:
    """The rows of the roles table of docs/roles.md, keyed by role code."""
    rows = {}
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if not line.startswith("| `"):
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        assert len(cells) == len(COLUMNS), line
        row = dict(zip(COLUMNS, cells, strict=True))
        code = re.findall(r"`([^`]+)`", row["code"])[0]
        rows[code] = {
            "fr": row["fr"],
            "en": row["en"],
            **{
                name: re.findall(r"`([^`]+)`", row[name])
                for name in ["scope", "where", "permissions", "pages", "collections", "grants"]
            },
        }
    return rows


def test_docs_table_lists_every_role_exactly_as_roles_py():
    table = doc_table()
    assert list(table) == list(ROLES)
    with translation.override("fr"):
        for key, role in ROLES.items():
            row = table[key]
            assert row["fr"] == str(role.label)
            assert row["en"] == role.label_en
            assert row["scope"] == [role.scope]
            assert row["where"] == [role.where]
            assert row["permissions"] == list(role.permissions)
            assert row["pages"] == list(role.page_permissions)
            assert row["collections"] == list(role.collection_permissions)
            assert row["grants"] == list(role.grants)


def _model_permissions(group) -> set[str]:
    return {
        f"{app}.{codename}"
        for app, codename in group.permissions.values_list("content_type__app_label", "codename")
    }


def _page_permissions(group) -> set[tuple[int, str]]:
    return set(
        GroupPagePermission.objects.filter(group=group).values_list(
            "page_id", "permission__codename"
        )
    )


def _collection_permissions(group) -> set[tuple[int, str]]:
    return {
        (collection_id, f"{app}.{codename}")
        for collection_id, app, codename in GroupCollectionPermission.objects.filter(
            group=group
        ).values_list(
            "collection_id", "permission__content_type__app_label", "permission__codename"
        )
    }


def test_museum_groups_carry_exactly_their_roles_permissions(museum_a):
    museum_a.refresh_from_db()
    for key, group in [
        ("redacteur", museum_a.editors_group),
        ("responsable", museum_a.managers_group),
    ]:
        role = ROLES[key]
        assert _model_permissions(group) == set(role.permissions)
        assert _page_permissions(group) == {(museum_a.pk, c) for c in role.page_permissions}
        assert _collection_permissions(group) == {
            (museum_a.collection_id, name) for name in role.collection_permissions
        }


def test_network_groups_carry_exactly_their_roles_permissions(museum_index, home_page):
    second_index = MuseumIndexPageFactory(
        parent=home_page, title="Musées associés", slug="associes"
    )
    root_collection = Collection.get_first_root_node()
    for key, name in NETWORK_GROUP_NAMES.items():
        role = ROLES[key]
        group = Group.objects.get(name=name)
        if role.where == SCOPE_MUSEUM_INDEXES:
            pages = {museum_index.pk, second_index.pk}
        else:
            assert role.where == SCOPE_SITE
            pages = {Page.get_first_root_node().pk}
        assert _model_permissions(group) == set(role.permissions)
        assert len(role.permissions) == group.permissions.count()  # every name exists
        assert _page_permissions(group) == {(p, c) for p in pages for c in role.page_permissions}
        assert _collection_permissions(group) == {
            (root_collection.pk, name) for name in role.collection_permissions
        }


def test_network_groups_ensure_takes_back_permissions_given_by_hand(museum_index, museum_a):
    group = Group.objects.get(name=NETWORK_GROUP_NAMES["moderateur"])
    extra = GroupPagePermission.objects.create(
        group=group,
        page=museum_a,
        permission_id=GroupPagePermission.objects.filter(group=group)
        .values_list("permission_id", flat=True)
        .first(),
    )
    group.permissions.add(
        *Group.objects.get(name=NETWORK_GROUP_NAMES["administrateur"]).permissions.all()
    )
    network_groups_ensure()
    assert not GroupPagePermission.objects.filter(pk=extra.pk).exists()
    assert _model_permissions(group) == set(ROLES["moderateur"].permissions)


def test_moderator_may_publish_any_museum_but_editor_only_edits_their_own(
    museum_a, museum_b, editor_a, moderator
):
    from wagtail.permission_policies.pages import PagePermissionPolicy

    policy = PagePermissionPolicy()
    assert policy.user_has_permission_for_instance(moderator, "publish", museum_b)
    assert policy.user_has_permission_for_instance(moderator, "publish", museum_a)
    assert policy.user_has_permission_for_instance(editor_a, "change", museum_a)
    assert not policy.user_has_permission_for_instance(editor_a, "publish", museum_a)
    assert not policy.user_has_permission_for_instance(editor_a, "change", museum_b)
