"""The IDOR matrix (issue 5, part 6): every admin URL that takes an object identifier, probed
for each role on the objects of museum B.

The URLs come from Django's URL resolver, not from a hand-written list: `TABLE` says, for each
URL name, which kind of B object it addresses, which action it is and how to build its arguments
from the world (tests/security/conftest.py); `ALLOWLIST` names, with a reason each, the admin
URLs that take an identifier but address no museum's object.
`test_every_admin_url_with_an_id_is_mapped` fails when Wagtail or the project adds such a URL
that is in neither.

Probes: a GET for every URL, and a POST with empty form data for URLs whose action changes
something. Each probe runs in a savepoint rolled back afterwards, so that a probe an allowed role
makes (a deletion by the administrator) leaves the world intact for the next one.

- Forbidden (anonymous, rédacteur A, responsable A): the answer is a redirect to the login page
  (anonymous), 403 or 404, or 405 for a method the view takes from nobody (the administrator
  gets 405 too: a GET on a POST-only view, refused before any object is looked up); no canary
  of B is in it, and nothing of B changed (whole snapshot, see `world_snapshot`). Wagtail's own
  refusal, a redirect to the dashboard with a message, is answered with a 403 page by
  musees/accounts/admin_guards.py: any redirect but the anonymous one to the login page is a
  failure here. The only 200 a forbidden role may get is listed in `ANSWERS_200_WITHOUT_EFFECT`
  (a view that acts on the user's own rows only) and `ANSWERS_200_WITH_PUBLIC_DATA` (the global
  page chooser, which shows published titles only), each with its reason.
- Allowed (rédacteur B, modérateur, administrateur): never a 5xx (some views need particular data
  to answer 200, so 200 is not asserted).

Some of Wagtail's views are answered by the project's own at the same address (the guarded views
of admin_guards.py, the scoped image chooser step): `OVERRIDES` names them, and the guard test
checks that the resolver does send Wagtail's address to them.
"""

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.test import Client
from django.urls import URLResolver, get_resolver, resolve, reverse
from wagtail.admin.models import EditingSession
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    ModelLogEntry,
    Page,
    PageLogEntry,
    Revision,
    UploadedFile,
    WorkflowState,
)

from musees.accounts.models import Invitation
from musees.catalogue.models import Work, WorkImage
from musees.imports.models import ImportJob
from musees.museums.models import MuseumPage
from musees.trash.models import TrashEntry
from tests.security.conftest import CANARIES, PRIVATE_CANARIES

FORBIDDEN_ROLES = ("anonymous", "redacteur_a", "responsable_a")
ALLOWED_ROLES = ("redacteur_b", "moderateur", "administrateur")
# Actions that change something: probed with POST as well as GET.
CHANGING = {
    "edit",
    "delete",
    "publish",
    "unpublish",
    "copy",
    "move",
    "lock",
    "revert",
    "workflow",
    "upload",
    "bulk",
    "api-action",
    "invite",
    "remove",
    "preview",  # a preview POST stores form data for the preview: it must be refused too
}
MIN_PROBES = 600


@dataclass(frozen=True)
class Target:
    """What one admin URL addresses: the kind of B object, the action, and its arguments."""

    kind: str
    action: str
    # world -> [(args or kwargs, query string)], one probe target each
    refs: Callable
    # world -> the minimal form data of the POST probe (empty by default)
    data: Callable = lambda w: {}


def kw(**kwargs):
    return (kwargs, "")


def _page(key="page_id"):
    return lambda w: [kw(**{key: w.museum_b.pk})]


def _revisions(w):
    return [kw(page_id=w.museum_b.pk, revision_id=rev.pk) for rev in w.revisions_b]


def _compare(w):
    first, *_rest, last = w.revisions_b
    pk = w.museum_b.pk
    return [
        ((pk, "earliest", "latest"), ""),
        ((pk, "live", "latest"), ""),
        ((pk, str(first.pk), str(last.pk)), ""),
    ]


def _new_page(w):
    return [
        kw(
            content_type_app_name="museums",
            content_type_model_name="museumpage",
            parent_page_id=w.museum_b.pk,
        )
    ]


def _workflow_action(w):
    return [
        kw(page_id=w.museum_b.pk, action_name=action, task_state_id=w.task_state_b.pk)
        for action in ("approve", "reject")
    ]


def _image(key="image_id"):
    return lambda w: [kw(**{key: w.image_b.pk})]


def _document(key="document_id"):
    return lambda w: [kw(**{key: w.document_b.pk})]


def _upload(kind):
    return lambda w: [kw(uploaded_file_id=w.uploads_b[kind].pk)]


def _works(w):
    return [kw(pk=work.pk) for work in w.works_b]


def _work_revisions(w):
    return [kw(pk=int(rev.object_id), revision_id=rev.pk) for rev in w.work_revisions_b]


def _work_compare(w):
    refs = []
    for work in w.works_b:
        revisions = [rev.pk for rev in w.work_revisions_b if rev.object_id == str(work.pk)]
        refs.append(kw(pk=work.pk, revision_id_a="earliest", revision_id_b="latest"))
        refs.append(kw(pk=work.pk, revision_id_a="live", revision_id_b=str(revisions[-1])))
    return refs


def _work_workflow_action(w):
    return [
        kw(pk=w.works_b[1].pk, action_name=action, task_state_id=w.work_task_state_b.pk)
        for action in ("approve", "reject")
    ]


def _groups(w):
    return [kw(pk=w.museum_b.editors_group_id), kw(pk=w.museum_b.managers_group_id)]


def _staff(key="pk"):
    return lambda w: [kw(**{key: user.pk}) for user in w.staff_b]


def _job(w):
    return [kw(pk=w.job_b.pk)]


def _museum(w):
    return [kw(museum_pk=w.museum_b.pk)]


def _team_remove(w):
    return [kw(museum_pk=w.museum_b.pk, user_pk=user.pk) for user in w.staff_b]


PAGE_API_ACTIONS = (
    "copy",
    "move",
    "publish",
    "unpublish",
    "delete",
    "revert_to_page_revision",
    "convert_alias",
    "create_alias",
    "copy_for_translation",
)


def _page_api_actions(w):
    return [kw(pk=w.museum_b.pk, action_name=action) for action in PAGE_API_ACTIONS]


# Bulk actions take their objects from the query string (?id=...).
BULK = {
    ("wagtailcore", "page"): ("delete", "move", "publish", "unpublish"),
    ("wagtailimages", "image"): ("delete", "add_to_collection", "add_tags"),
    ("wagtaildocs", "document"): ("delete", "add_to_collection", "add_tags"),
    ("catalogue", "work"): ("delete",),
    ("auth", "user"): ("delete", "set_active_state", "assign_role"),
}


def _bulk(w):
    ids = {
        ("wagtailcore", "page"): [w.museum_b.pk],
        ("wagtailimages", "image"): [w.image_b.pk],
        ("wagtaildocs", "document"): [w.document_b.pk],
        ("catalogue", "work"): [work.pk for work in w.works_b],
        ("auth", "user"): [user.pk for user in w.staff_b],
    }
    refs = []
    for (app_label, model_name), actions in BULK.items():
        query = "?" + "&".join(f"id={pk}" for pk in ids[app_label, model_name])
        if app_label == "wagtailcore":
            query += f"&childOf={w.museum_index.pk}"
        for action in actions:
            refs.append(
                ({"app_label": app_label, "model_name": model_name, "action": action}, query)
            )
    return refs


# url name -> the kind of B object it addresses, the action, how to build its arguments.
TABLE: dict[str, Target] = {
    # B's museum page: Wagtail's page views (page permissions on B's page subtree).
    "wagtailadmin_explore": Target("page", "list", _page("parent_page_id")),
    "wagtailadmin_explore_results": Target("page", "list", _page("parent_page_id")),
    "wagtailadmin_choose_page_child": Target("page", "chooser", _page("parent_page_id")),
    "wagtailadmin_pages:edit": Target("page", "edit", _page()),
    "wagtailadmin_pages:preview_on_edit": Target("page", "preview", _page()),
    "wagtailadmin_pages:view_draft": Target("page", "preview", _page()),
    "wagtailadmin_pages:add_subpage": Target("page", "edit", _page("parent_page_id")),
    "wagtailadmin_pages:add": Target("page", "edit", _new_page),
    "wagtailadmin_pages:preview_on_add": Target("page", "preview", _new_page),
    "wagtailadmin_pages:delete": Target("page", "delete", _page()),
    "wagtailadmin_pages:unpublish": Target("page", "unpublish", _page()),
    "wagtailadmin_pages:copy": Target(
        "page",
        "copy",
        _page(),
        lambda w: {
            "new_title": "Copie",
            "new_slug": "copie",
            "new_parent_page": w.museum_a.pk,
            "copy_subpages": "",
        },
    ),
    "wagtailadmin_pages:move": Target("page", "move", _page("page_to_move_id")),
    "wagtailadmin_pages:move_confirm": Target(
        "page",
        "move",
        lambda w: [kw(page_to_move_id=w.museum_b.pk, destination_id=w.museum_a.pk)],
    ),
    "wagtailadmin_pages:set_page_position": Target("page", "move", _page("page_to_move_id")),
    "wagtailadmin_pages:lock": Target("page", "lock", _page()),
    "wagtailadmin_pages:unlock": Target("page", "lock", _page()),
    "wagtailadmin_pages:set_privacy": Target("page", "edit", _page()),
    "wagtailadmin_pages:convert_alias": Target("page", "edit", _page()),
    "wagtailadmin_pages:usage": Target("page", "usage", _page()),
    "wagtailadmin_pages:history": Target("page", "history", _page()),
    "wagtailadmin_pages:history_results": Target("page", "history", _page()),
    "wagtailadmin_pages:workflow_history": Target("page", "history", _page()),
    "wagtailadmin_workflows:remove": Target("page", "workflow", _page("page_pk")),
    "wagtailforms:list_submissions": Target("page", "view", _page()),
    "wagtailforms:list_submissions_results": Target("page", "view", _page()),
    "wagtailforms:delete_submissions": Target("page", "delete", _page()),
    # B's page revisions (the published ones and the pending draft).
    "wagtailadmin_pages:revisions_index": Target("revision", "revisions", _page()),
    "wagtailadmin_pages:revisions_view": Target("revision", "preview", _revisions),
    "wagtailadmin_pages:revisions_revert": Target("revision", "revisions", _revisions),
    "wagtailadmin_pages:revisions_unschedule": Target("revision", "unpublish", _revisions),
    "wagtailadmin_pages:revisions_compare": Target("revision", "revisions", _compare),
    # The review of B's draft, and the task it waits for (museum staff do not choose tasks).
    "wagtailadmin_workflows:task_chosen": Target(
        "workflow", "chooser", lambda w: [kw(task_id=w.task_b.pk)]
    ),
    "wagtailadmin_pages:workflow_history_detail": Target(
        "workflow",
        "history",
        lambda w: [kw(page_id=w.museum_b.pk, workflow_state_id=w.workflow_state_b.pk)],
    ),
    "wagtailadmin_pages:workflow_action": Target("workflow", "workflow", _workflow_action),
    "wagtailadmin_pages:collect_workflow_action_data": Target(
        "workflow", "workflow", _workflow_action
    ),
    "wagtailadmin_pages:confirm_workflow_cancellation": Target("workflow", "workflow", _page()),
    "wagtailadmin_pages:workflow_preview": Target(
        "workflow", "preview", lambda w: [kw(page_id=w.museum_b.pk, task_id=w.task_b.pk)]
    ),
    # B's editing session on its page (who is editing what).
    "wagtailadmin_editing_sessions:ping": Target(
        "session",
        "edit",
        lambda w: [
            kw(
                app_label="wagtailcore",
                model_name="page",
                object_id=str(w.museum_b.pk),
                session_id=w.session_b.pk,
            )
        ],
    ),
    "wagtailadmin_editing_sessions:release": Target(
        "session", "edit", lambda w: [kw(session_id=w.session_b.pk)]
    ),
    # B's image (in B's collection) and B's pending upload.
    "wagtailimages:edit": Target("image", "edit", _image()),
    "wagtailimages:delete": Target("image", "delete", _image()),
    "wagtailimages:url_generator": Target("image", "view", _image()),
    "wagtailimages:url_generator_output": Target("image", "view", _image()),
    "wagtailimages:preview": Target(
        "image", "view", lambda w: [kw(image_id=w.image_b.pk, filter_spec="fill-10x10")]
    ),
    "wagtailimages:image_usage": Target("image", "usage", _image()),
    "wagtailimages:edit_multiple": Target("image", "edit", _image()),
    "wagtailimages:delete_multiple": Target("image", "delete", _image()),
    "wagtailimages_chooser:select_format": Target("image", "chooser", _image()),
    "wagtailimages_chooser:chosen": Target("image", "chooser", _image("pk")),
    "wagtailimages:create_multiple_from_uploaded_image": Target(
        "upload", "upload", _upload("image")
    ),
    "wagtailimages:delete_upload_multiple": Target("upload", "delete", _upload("image")),
    # B's document (in B's collection) and B's pending upload.
    "wagtaildocs:edit": Target("document", "edit", _document()),
    "wagtaildocs:delete": Target("document", "delete", _document()),
    "wagtaildocs:document_usage": Target("document", "usage", _document()),
    "wagtaildocs:edit_multiple": Target("document", "edit", _document("doc_id")),
    "wagtaildocs:delete_multiple": Target("document", "delete", _document("doc_id")),
    "wagtaildocs_chooser:chosen": Target("document", "chooser", _document("pk")),
    "wagtaildocs:create_multiple_from_uploaded_document": Target(
        "upload", "upload", _upload("document")
    ),
    "wagtaildocs:delete_upload_multiple": Target("upload", "delete", _upload("document")),
    # B's collection (holds its images and documents).
    "wagtailadmin_collections:edit": Target(
        "collection", "edit", lambda w: [kw(pk=w.museum_b.collection_id)]
    ),
    "wagtailadmin_collections:delete": Target(
        "collection", "delete", lambda w: [kw(pk=w.museum_b.collection_id)]
    ),
    "wagtailadmin_collections:set_privacy": Target(
        "collection", "edit", lambda w: [kw(collection_id=w.museum_b.collection_id)]
    ),
    # B's works, the published one and the draft (the project's museum-scoped snippet views).
    "wagtailsnippets_catalogue_work:edit": Target("work", "edit", _works),
    "wagtailsnippets_catalogue_work:delete": Target("work", "delete", _works),
    "wagtailsnippets_catalogue_work:inspect": Target("work", "view", _works),
    "wagtailsnippets_catalogue_work:usage": Target("work", "usage", _works),
    "wagtailsnippets_catalogue_work:history": Target("work", "history", _works),
    "wagtailsnippets_catalogue_work:history_results": Target("work", "history", _works),
    "wagtailsnippetchoosers_catalogue_work:chosen": Target("work", "chooser", _works),
    "wagtailsnippets_catalogue_work:preview_on_edit": Target("work", "preview", _works),
    "wagtailsnippets_catalogue_work:unpublish": Target("work", "unpublish", _works),
    "wagtailsnippets_catalogue_work:lock": Target("work", "lock", _works),
    "wagtailsnippets_catalogue_work:unlock": Target("work", "lock", _works),
    # B's works' revisions (the published work's pending change, the draft's submitted one).
    "wagtailsnippets_catalogue_work:revisions_view": Target("work", "preview", _work_revisions),
    "wagtailsnippets_catalogue_work:revisions_revert": Target("work", "revisions", _work_revisions),
    "wagtailsnippets_catalogue_work:revisions_unschedule": Target(
        "work", "unpublish", _work_revisions
    ),
    "wagtailsnippets_catalogue_work:revisions_compare": Target("work", "revisions", _work_compare),
    # The review of B's draft work (the network's review workflow).
    "wagtailsnippets_catalogue_work:workflow_history": Target("work", "history", _works),
    "wagtailsnippets_catalogue_work:workflow_history_detail": Target(
        "workflow",
        "history",
        lambda w: [kw(pk=w.works_b[1].pk, workflow_state_id=w.work_workflow_state_b.pk)],
    ),
    "wagtailsnippets_catalogue_work:workflow_action": Target(
        "workflow", "workflow", _work_workflow_action
    ),
    "wagtailsnippets_catalogue_work:collect_workflow_action_data": Target(
        "workflow", "workflow", _work_workflow_action
    ),
    "wagtailsnippets_catalogue_work:confirm_workflow_cancellation": Target(
        "workflow", "workflow", _works
    ),
    "wagtailsnippets_catalogue_work:workflow_preview": Target(
        "workflow",
        "preview",
        lambda w: [kw(pk=w.works_b[1].pk, task_id=w.work_task_state_b.task_id)],
    ),
    # B's trash (musees/trash): a work B deleted.
    "trash:restore": Target("trash", "edit", lambda w: [kw(pk=w.trash_b.pk)]),
    "trash:purge": Target("trash", "delete", lambda w: [kw(pk=w.trash_b.pk)]),
    # Bulk actions on B's pages, images, documents, works and staff.
    "wagtail_bulk_action": Target("mixed", "bulk", _bulk),
    # Wagtail's admin API (the page, image and document choosers read it).
    "wagtailadmin_api:pages:detail": Target("page", "api", lambda w: [kw(pk=w.museum_b.pk)]),
    "wagtailadmin_api:pages:action": Target("page", "api-action", _page_api_actions),
    "wagtailadmin_api:images:detail": Target("image", "api", lambda w: [kw(pk=w.image_b.pk)]),
    "wagtailadmin_api:documents:detail": Target(
        "document", "api", lambda w: [kw(pk=w.document_b.pk)]
    ),
    # B's staff: its museum groups and its people (Wagtail's user and group screens).
    "wagtailusers_groups:edit": Target("group", "edit", _groups),
    "wagtailusers_groups:delete": Target("group", "delete", _groups),
    "wagtailusers_groups:history": Target("group", "history", _groups),
    "wagtailusers_groups:history_results": Target("group", "history", _groups),
    "wagtailusers_groups:usage": Target("group", "usage", _groups),
    "wagtailusers_users:edit": Target("user", "edit", _staff()),
    "wagtailusers_users:delete": Target("user", "delete", _staff()),
    "wagtailusers_users:copy": Target("user", "copy", _staff()),
    "wagtailusers_users:history": Target("user", "history", _staff()),
    "wagtailusers_users:history_results": Target("user", "history", _staff()),
    "wagtailusers_users:usage": Target("user", "usage", _staff()),
    # The project's "Équipe" screens (musees/accounts/admin_urls.py).
    "accounts_team:museum": Target("team", "view", _museum),
    "accounts_team:museum_invite": Target("team", "invite", _museum),
    "accounts_team:museum_review": Target("team", "edit", _museum),
    "accounts_team:museum_remove": Target("user", "remove", _team_remove),
    "accounts_team:network_remove": Target("user", "remove", _staff("user_pk")),
    "accounts_team:cancel_invitation": Target(
        "invitation", "remove", lambda w: [kw(pk=w.invitation_b.pk)]
    ),
    # The project's imports (musees/imports/admin_urls.py): B's job, its progress, its report.
    "imports:job": Target("import", "view", _job),
    "imports:status": Target("import", "api", _job),
    "imports:report": Target("import", "export", _job),
}

# The project's views that answer a Wagtail admin address (musees/urls.py routes them first):
# their name -> the name of the Wagtail URL they replace, which TABLE probes.
OVERRIDES: dict[str, str] = {
    # musees/accounts/media_views.py
    "scoped_image_select_format": "wagtailimages_chooser:select_format",
    # musees/accounts/admin_guards.py (musees/accounts/admin_guard_urls.py)
    "guarded_explore": "wagtailadmin_explore",
    "guarded_explore_results": "wagtailadmin_explore_results",
    "guarded_revisions_index": "wagtailadmin_pages:revisions_index",
    "guarded_choose_page_child": "wagtailadmin_choose_page_child",
    "guarded_move_confirm": "wagtailadmin_pages:move_confirm",
    "guarded_workflow_action": "wagtailadmin_pages:workflow_action",
    "guarded_collect_workflow_action_data": "wagtailadmin_pages:collect_workflow_action_data",
    "guarded_confirm_workflow_cancellation": "wagtailadmin_pages:confirm_workflow_cancellation",
    "guarded_workflow_preview": "wagtailadmin_pages:workflow_preview",
    "guarded_task_chosen": "wagtailadmin_workflows:task_chosen",
    "guarded_create_multiple_from_uploaded_document": (
        "wagtaildocs:create_multiple_from_uploaded_document"
    ),
}

# Admin URLs taking an identifier that address no museum's object, each with its reason.
ALLOWLIST: dict[str, str] = {
    # Sites: the network's one Site record (hostname, root page); administrators only.
    "wagtailsites:edit": "the network's Site records, not a museum's",
    "wagtailsites:delete": "the network's Site records, not a museum's",
    "wagtailsites:copy": "the network's Site records, not a museum's",
    "wagtailsites:history": "the network's Site records, not a museum's",
    "wagtailsites:history_results": "the network's Site records, not a museum's",
    "wagtailsites:usage": "the network's Site records, not a museum's",
    # Settings: the network's site-wide settings; the identifier is a Site or a settings model.
    "wagtailsettings:edit": "network-wide settings (app and model name, or Site id)",
    "wagtailsettings:preview_on_edit": "network-wide settings (app and model name, Site id)",
    # Redirects: the network's URL redirects, managed by its administrators.
    "wagtailredirects:edit": "the network's redirects, not owned by a museum",
    "wagtailredirects:delete": "the network's redirects, not owned by a museum",
    # Workflows and tasks: the network's review process, configured by the network.
    "wagtailadmin_workflows:edit": "a workflow: network configuration",
    "wagtailadmin_workflows:enable": "a workflow: network configuration",
    "wagtailadmin_workflows:disable": "a workflow: network configuration",
    "wagtailadmin_workflows:usage": "a workflow: network configuration",
    "wagtailadmin_workflows:usage_results": "a workflow: network configuration",
    "wagtailadmin_workflows:add_task": "a task type (app and model name), no object",
    "wagtailadmin_workflows:edit_task": "a workflow task: network configuration",
    "wagtailadmin_workflows:enable_task": "a workflow task: network configuration",
    "wagtailadmin_workflows:disable_task": "a workflow task: network configuration",
    # Identifiers that are types, not objects.
    "wagtailadmin_pages:type_use": "a page type (app and model name), not an object",
    "wagtailadmin_pages:type_use_results": "a page type (app and model name), not an object",
    "wagtailadmin_pages:choose_parent": "a page type (app and model name), not an object",
    "wagtailadmin_tag_model_autocomplete": "a taggable model (app and model name); tags are "
    "shared by the network",
    # Password reset by e-mail is off (WAGTAIL_PASSWORD_RESET_ENABLED = False); uid and token.
    "wagtailadmin_password_reset_confirm": "a reset link's uid and token, feature disabled",
}


def _parameter_count(pattern) -> int:
    """Path converters (RoutePattern) or regex groups (RegexPattern, e.g. revisions_compare)."""
    regex = getattr(pattern, "regex", None)
    groups = regex.groups if regex is not None else 0
    return max(len(getattr(pattern, "converters", {})), groups)


def admin_urls_with_identifier() -> dict[str, list[str]]:
    """Every URL under /admin/ whose pattern takes a parameter: name (or route) -> routes."""
    found: dict[str, list[str]] = {}

    def walk(resolver, prefix: str, namespace: str, parameters: int) -> None:
        for entry in resolver.url_patterns:
            route = prefix + str(entry.pattern)
            count = parameters + _parameter_count(entry.pattern)
            if isinstance(entry, URLResolver):
                inner = namespace
                if entry.namespace:
                    inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
                walk(entry, route, inner, count)
            elif route.startswith("admin/") and count:
                name = entry.name and (f"{namespace}:{entry.name}" if namespace else entry.name)
                found.setdefault(name or route, []).append(route)

    walk(get_resolver(), "", "", 0)
    return found


def _sample_url(name: str) -> str:
    """A URL of `name` with made-up arguments of the right types (path converters only)."""
    samples = {"int": 7, "slug": "x", "str": "x", "path": "x"}
    kwargs = {}
    route = admin_urls_with_identifier()[name][0]
    for part in route.split("<")[1:]:
        converter, _, key = part.split(">")[0].rpartition(":")
        kwargs[key] = samples[converter or "str"]
    return reverse(name, kwargs=kwargs)


def test_every_admin_url_with_an_id_is_mapped():
    urls = admin_urls_with_identifier()
    known = set(TABLE) | set(ALLOWLIST) | set(OVERRIDES)
    unmapped = sorted(name for name in urls if name not in known)
    assert not unmapped, (
        f"admin URLs taking an identifier, in neither TABLE nor ALLOWLIST: {unmapped}"
    )
    # Neither list keeps names the resolver no longer has, nor a name in two of them.
    assert not sorted(known - set(urls)), "a list names no URL of the resolver"
    assert len(known) == len(TABLE) + len(ALLOWLIST) + len(OVERRIDES)
    assert all(reason.strip() for reason in ALLOWLIST.values())


@pytest.mark.parametrize(("override", "original"), sorted(OVERRIDES.items()))
def test_overrides_answer_wagtail_addresses(override, original):
    """Wagtail's address of each replaced view reaches the project's view, which TABLE probes."""
    assert original in TABLE
    url = _sample_url(original)
    assert url == _sample_url(override)
    assert resolve(url).view_name == override


def world_snapshot(w) -> dict:
    """Every row of B's objects (and of its people, groups and permissions) as plain values."""
    b = w.museum_b
    staff = [user.pk for user in w.staff_b]
    groups = [b.editors_group_id, b.managers_group_id]
    User = get_user_model()
    works = list(Work.objects.filter(museum=b).values_list("pk", flat=True))
    return {
        "pages": list(Page.objects.filter(path__startswith=b.path).order_by("path").values()),
        "revisions": list(
            Revision.page_revisions.filter(object_id=str(b.pk)).order_by("pk").values()
        ),
        "workflow": list(WorkflowState.objects.filter(object_id=str(b.pk)).values()),
        "works": list(Work.objects.filter(museum=b).order_by("pk").values()),
        "work_images": list(WorkImage.objects.filter(work__museum=b).order_by("pk").values()),
        "collection": list(Collection.objects.filter(pk=b.collection_id).values()),
        "images": list(get_image_model().objects.filter(collection=b.collection_id).values()),
        "documents": list(get_document_model().objects.filter(collection=b.collection_id).values()),
        "uploads": list(UploadedFile.objects.filter(uploaded_by_user__in=staff).values()),
        "sessions": list(EditingSession.objects.filter(user__in=staff).values()),
        "imports": list(ImportJob.objects.filter(museum=b).values()),
        "invitations": list(Invitation.objects.filter(museum=b).values()),
        "users": list(User.objects.filter(pk__in=staff).values()),
        "memberships": sorted(
            User.groups.through.objects.filter(Q(user__in=staff) | Q(group__in=groups)).values_list(
                "user_id", "group_id"
            )
        ),
        "group_rights": (
            sorted(
                GroupPagePermission.objects.filter(group__in=groups).values_list("pk", flat=True)
            ),
            sorted(
                GroupCollectionPermission.objects.filter(group__in=groups).values_list(
                    "pk", flat=True
                )
            ),
        ),
        "museum": list(MuseumPage.objects.filter(pk=b.pk).values()),
        "work_revisions": list(
            Revision.objects.filter(
                base_content_type=ContentType.objects.get_for_model(Work),
                object_id__in=[str(pk) for pk in works],
            )
            .order_by("pk")
            .values()
        ),
        "work_workflow": list(
            WorkflowState.objects.filter(
                base_content_type=ContentType.objects.get_for_model(Work),
                object_id__in=[str(pk) for pk in works],
            ).values()
        ),
        "trash": list(TrashEntry.objects.filter(museum_id=b.pk).order_by("pk").values()),
        "page_log": PageLogEntry.objects.filter(page__path__startswith=b.path).count(),
        "model_log": list(ModelLogEntry.objects.filter(data__museum_id=b.pk).values("pk", "label")),
    }


def body_of(response) -> str:
    if response.streaming:
        # Reading it to the end closes it through the test client (calling close() here would
        # send request_finished, which closes the database connection on PostgreSQL).
        content = b"".join(response.streaming_content)
    else:
        content = response.content
    text = content.decode("utf-8", errors="replace")
    if response.get("Content-Type", "").startswith("application/json"):
        try:
            return json.dumps(json.loads(text), ensure_ascii=False)
        except ValueError:
            return text
    return text


@dataclass
class Probe:
    name: str
    method: str
    url: str
    action: str
    data: dict


def planned_probes(w) -> list[Probe]:
    probes = []
    for name, target in TABLE.items():
        for arguments, query in target.refs(w):
            if isinstance(arguments, dict):
                url = reverse(name, kwargs=arguments)
            else:
                url = reverse(name, args=arguments)
            url += query
            probes.append(Probe(name, "get", url, target.action, {}))
            if target.action in CHANGING:
                probes.append(Probe(name, "post", url, target.action, target.data(w)))
    return probes


def run(client, probe: Probe):
    method = getattr(client, probe.method)
    return method(probe.url, probe.data) if probe.method == "post" else method(probe.url)


def is_login_redirect(response) -> bool:
    return response.status_code == 302 and response["Location"].split("?")[0] == reverse(
        "account_login"
    )


# Views that answer 200 to anyone but act only on the requesting user's own rows (the snapshot
# proves that nothing of B changed, and the canary check that nothing of B is shown).
ANSWERS_200_WITHOUT_EFFECT = {
    # EditingSession.objects.filter(id=..., user=request.user).delete(): B's session is kept.
    "wagtailadmin_editing_sessions:release": "deletes only the requesting user's own session",
}
# Views that may show B's public data (its published title) to anyone on the staff, never a
# private one: the private canaries are checked, the public ones are not.
ANSWERS_200_WITH_PUBLIC_DATA = {
    "wagtailadmin_choose_page_child": "the page chooser is global (a museum's pages link to "
    "others'); it shows the published title of a page the user may not edit, never its draft",
}

A_ROLES = ("redacteur_a", "responsable_a")
MANAGERS = ("redacteur_b", "moderateur", "administrateur")


def client_for(w, role) -> Client:
    client = Client(raise_request_exception=False)
    if w.users[role] is not None:
        client.force_login(w.users[role])
    return client


def refusal(response) -> str | None:
    """How the response refuses ("403", "404", "405", "login"), or None if it does not."""
    if response.status_code in (403, 404, 405):
        return str(response.status_code)
    if is_login_redirect(response):
        return "login"
    return None


def probe_forbidden(client, w, probe: Probe) -> tuple[str | None, str]:
    """Run one probe of a forbidden role: the problem found (or None), and the answer's kind."""
    with transaction.atomic():
        before = world_snapshot(w)
        response = run(client, probe)
        text = body_of(response)
        after = world_snapshot(w)
        transaction.set_rollback(True)
    status = response.status_code
    kind = refusal(response)
    canaries = CANARIES
    if status == 200 and probe.name in ANSWERS_200_WITHOUT_EFFECT:
        kind = "200 without effect"
    elif status == 200 and probe.name in ANSWERS_200_WITH_PUBLIC_DATA:
        kind, canaries = "200 public data", PRIVATE_CANARIES
    problems = []
    if kind is None:
        where = f" to {response['Location']}" if 300 <= status < 400 else ""
        problems.append(f"answered {status}{where}")
    shown = [canary for canary in canaries if canary in text]
    if shown:
        problems.append(f"shows {shown}")
    if before != after:
        problems.append(f"changed {[key for key in before if before[key] != after[key]]}")
    return (", ".join(problems) if problems else None), kind or str(status)


def status_of(client, probe: Probe) -> int:
    """The status of a probe, in a savepoint rolled back afterwards."""
    with transaction.atomic():
        response = run(client, probe)
        body_of(response)
        transaction.set_rollback(True)
    return response.status_code


def probe_allowed(client, w, probe: Probe) -> str | None:
    with transaction.atomic():
        response = run(client, probe)
        body_of(response)
        transaction.set_rollback(True)
    return f"{response.status_code}" if response.status_code >= 500 else None


@pytest.mark.parametrize("role", FORBIDDEN_ROLES + ALLOWED_ROLES)
def test_idor_matrix(world, role):
    client = client_for(world, role)
    probes = planned_probes(world)
    # The same probes run for each of the six roles.
    assert len(probes) * len(FORBIDDEN_ROLES + ALLOWED_ROLES) >= MIN_PROBES
    failures, kinds = [], Counter()
    administrator = client_for(world, "administrateur")
    for probe in probes:
        if role in FORBIDDEN_ROLES:
            problem, kind = probe_forbidden(client, world, probe)
            kinds[kind] += 1
            if kind == "405" and status_of(administrator, probe) != 405:
                problem = "405, but the view takes this method from the administrator"
        else:
            problem = probe_allowed(client, world, probe)
        if problem:
            failures.append(f"{probe.method.upper()} {probe.url} ({probe.name}): {problem}")
    # The probe count is part of the acceptance (>= 600 over the six roles): show it.
    print(  # noqa: T201
        f"\n{role}: {len(probes)} probes, {len(failures)} failures, answers {dict(kinds)}"
    )
    assert not failures, "\n".join(failures)
    if role == "anonymous":
        # Wagtail's admin sends an anonymous visitor to the login page before anything else.
        assert set(kinds) <= {"login", "404", "405"} and kinds["login"] > len(probes) / 2
    elif role in FORBIDDEN_ROLES:
        # A logged-in person of another museum is told "no" (403) or "not here" (404).
        assert set(kinds) <= {"403", "404", "405", "200 without effect", "200 public data"}


def listing_probes(w) -> list[Probe]:
    """Listings, searches and filters that take B's identifier in the query string: they may
    answer 200 (they list the user's own museum), but never with anything private of B."""
    b, collection = w.museum_b.pk, w.museum_b.collection_id
    urls = [
        f"/admin/journal/?museum={b}",
        f"/admin/journal/resultats/?museum={b}",
        "/admin/journal/resultats/?q=CANARY",
        "/admin/imports/historique/",
        "/admin/equipe/",
        f"/admin/images/?collection_id={collection}",
        "/admin/images/?q=CANARY",
        f"/admin/documents/?collection_id={collection}",
        "/admin/documents/?q=CANARY",
        f"/admin/oeuvres/?museum={b}",
        "/admin/oeuvres/?q=CANARY",
        f"/admin/pages/{w.museum_index.pk}/",
        "/admin/pages/search/?q=CANARY",
        "/admin/users/?q=canary",
        "/admin/groups/",
        f"/admin/api/main/pages/?child_of={w.museum_index.pk}",
        "/admin/api/main/images/",
        "/admin/api/main/documents/",
        "/admin/workflows/tasks/index/?q=CANARY",
    ]
    return [Probe("listing", "get", url, "list", {}) for url in urls]


@pytest.mark.parametrize("role", A_ROLES)
def test_listings_show_nothing_private_of_b(world, role):
    client = client_for(world, role)
    failures = []
    for probe in listing_probes(world):
        with transaction.atomic():
            before = world_snapshot(world)
            response = run(client, probe)
            text = body_of(response)
            after = world_snapshot(world)
            transaction.set_rollback(True)
        shown = [canary for canary in PRIVATE_CANARIES if canary in text]
        if shown or before != after or response.status_code >= 500:
            failures.append(f"{probe.url}: {response.status_code} {shown} {before == after}")
    assert not failures, failures


def test_the_forbidden_check_sees_what_it_guards(world):
    """The check the matrix relies on flags a role that sees B's draft work or changes it."""
    work = world.works_b[1]
    edit = Probe(
        "wagtailsnippets_catalogue_work:edit", "get", f"/admin/oeuvres/edit/{work.pk}/", "edit", {}
    )
    problem, _kind = probe_forbidden(client_for(world, "redacteur_b"), world, edit)
    assert problem.startswith("answered 200") and "CANARY-B-work-draft-91c3" in problem
    delete = Probe(
        "wagtailsnippets_catalogue_work:delete",
        "post",
        f"/admin/oeuvres/delete/{work.pk}/",
        "delete",
        {},
    )
    problem, _kind = probe_forbidden(client_for(world, "administrateur"), world, delete)
    assert "changed ['works', 'work_images'" in problem
    # The probe ran in a rolled-back savepoint: the work is still there.
    assert Work.objects.filter(pk=work.pk).exists()
