"""Museum scoping of everything a museum owns that is not a page: one policy, one queryset filter.

Wagtail gives permissions on page subtrees and on collections, not on plain models, and its
`ModelPermissionPolicy` knows no museums. Works today (and events, job offers, documents later)
belong to a museum: a user acts on such an object only if it belongs to a museum where they
hold a role granting the action; the network's moderators and administrators act on every
museum. Every admin view of a museum-owned model goes through the same three pieces:

- `museum_scope(user)`: what the user may do in which museum (two queries, cached on the user);
- `museum_scoped(queryset, user, actions)`: the queryset filter, and `museums_for(user, action)`;
- `MuseumScopedPermissionPolicy` and `MuseumScopedSnippetViewSet`: Wagtail's listing, search,
  filters, chooser, add, edit, delete, history, usage, inspect, bulk delete and exports, all
  looking objects up among the user's museums only, so that another museum's object answers
  404 (its existence does not leak) rather than 403.
"""

from dataclasses import dataclass, field

from django import forms
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import formats, timezone
from django.utils.functional import cached_property, classproperty
from django.utils.translation import gettext_lazy as _
from wagtail.admin.admin_url_finder import ModelAdminURLFinder
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.snippets.bulk_actions.delete import DeleteBulkAction
from wagtail.snippets.models import get_snippet_models
from wagtail.snippets.views import chooser as snippet_chooser
from wagtail.snippets.views import snippets as snippet_views

from musees.museums.models import MuseumPage

from .roles import ADMINISTRATEUR, MODERATEUR, NETWORK_GROUP_NAMES, REDACTEUR, RESPONSABLE

VIEW = "view"
ADD = "add"
CHANGE = "change"
DELETE = "delete"
PUBLISH = "publish"
ALL_ACTIONS = frozenset({VIEW, ADD, CHANGE, DELETE, PUBLISH})

ERROR_PUBLISH = _(
    "Seul un responsable du musée ou un modérateur du réseau peut publier ou retirer de la "
    "publication."
)
ERROR_MUSEUM_NOT_ALLOWED = _("Vous ne pouvez pas enregistrer ceci dans ce musée.")

# Wagtail's other names for these actions: locking a work is part of editing it; lifting
# somebody else's lock is the publishers' (the person who locked can always unlock).
ACTION_ALIASES = {"lock": CHANGE, "unlock": PUBLISH}

# What each role may do on the objects of the museums it covers. A rédacteur adds and edits; a
# responsable also deletes and publishes; the network's roles do everything, in every museum.
OBJECT_ACTIONS: dict[str, frozenset[str]] = {
    REDACTEUR: frozenset({VIEW, ADD, CHANGE}),
    RESPONSABLE: ALL_ACTIONS,
    MODERATEUR: ALL_ACTIONS,
    ADMINISTRATEUR: ALL_ACTIONS,
}


@dataclass(frozen=True)
class MuseumScope:
    """The actions a user may take everywhere, and in each of their museums (by page id)."""

    everywhere: frozenset[str] = frozenset()
    museums: dict[int, frozenset[str]] = field(default_factory=dict)

    def allows(self, action: str, museum_id) -> bool:
        """Whether the user may take `action` on an object of this museum."""
        action = ACTION_ALIASES.get(action, action)
        return action in self.everywhere or action in self.museums.get(museum_id, ())

    def allows_somewhere(self, action: str) -> bool:
        """Whether the user may take `action` in at least one museum."""
        action = ACTION_ALIASES.get(action, action)
        return action in self.everywhere or any(action in acts for acts in self.museums.values())

    def museum_ids(self, actions) -> list[int] | None:
        """The museums where the user may take one of `actions`; None means every museum."""
        actions = set(actions)
        if actions & self.everywhere:
            return None
        return sorted(pk for pk, acts in self.museums.items() if actions & acts)

    @property
    def is_museum_staff(self) -> bool:
        """Holds a role in at least one museum (and none over the whole network)."""
        return bool(self.museums) and not self.everywhere


NO_SCOPE = MuseumScope()


def museum_scope(user) -> MuseumScope:
    """What `user` may do in which museum, read once per user object (two queries at most).

    Superusers act everywhere; inactive and anonymous users nowhere.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return NO_SCOPE
    cached = getattr(user, "_musees_museum_scope", None)
    if cached is not None:
        return cached
    if user.is_superuser:
        scope = MuseumScope(everywhere=ALL_ACTIONS)
    else:
        groups = dict(user.groups.values_list("pk", "name"))
        names = set(groups.values())
        everywhere = frozenset().union(
            *(OBJECT_ACTIONS[role] for role, name in NETWORK_GROUP_NAMES.items() if name in names)
        )
        museums = {}
        if groups and everywhere != ALL_ACTIONS:
            rows = MuseumPage.objects.filter(
                Q(editors_group_id__in=groups) | Q(managers_group_id__in=groups)
            ).values_list("pk", "editors_group_id", "managers_group_id")
            for pk, editors, managers in rows:
                actions = frozenset()
                if editors in groups:
                    actions |= OBJECT_ACTIONS[REDACTEUR]
                if managers in groups:
                    actions |= OBJECT_ACTIONS[RESPONSABLE]
                museums[pk] = actions
        scope = MuseumScope(everywhere=everywhere, museums=museums)
    user._musees_museum_scope = scope
    return scope


def museums_for(user, action: str = VIEW):
    """The museum pages where `user` may take `action`, by title."""
    ids = museum_scope(user).museum_ids([action])
    museums = MuseumPage.objects.all() if ids is None else MuseumPage.objects.filter(pk__in=ids)
    return museums.order_by("title")


def museum_scoped(queryset, user, actions=ALL_ACTIONS, museum_field: str = "museum"):
    """`queryset` narrowed to the objects of the museums where `user` may take one of `actions`.

    `museum_field` is the lookup from the model to its museum ("museum", "work__museum").
    """
    ids = museum_scope(user).museum_ids(actions)
    if ids is None:
        return queryset
    return queryset.filter(**{f"{museum_field}__in": ids})


class MuseumScopedPermissionPolicy(BasePermissionPolicy):
    """Wagtail permission policy of a model owned by a museum, after the roles' OBJECT_ACTIONS."""

    def __init__(self, model, museum_field: str = "museum"):
        super().__init__(model)
        self.museum_field = museum_field

    def museum_id_of(self, instance):
        """The id of the museum an object belongs to (None while it has none)."""
        *path, last = self.museum_field.split("__")
        target = instance
        for name in path:
            target = getattr(target, name, None)
            if target is None:
                return None
        return getattr(target, f"{last}_id", None)

    def user_has_permission(self, user, action):
        return museum_scope(user).allows_somewhere(action)

    def user_has_any_permission(self, user, actions):
        scope = museum_scope(user)
        return any(scope.allows_somewhere(action) for action in actions)

    def user_has_permission_for_instance(self, user, action, instance):
        return museum_scope(user).allows(action, self.museum_id_of(instance))

    def user_has_any_permission_for_instance(self, user, actions, instance):
        scope, museum_id = museum_scope(user), self.museum_id_of(instance)
        return any(scope.allows(action, museum_id) for action in actions)

    def instances_user_has_any_permission_for(self, user, actions):
        return museum_scoped(self.model._default_manager.all(), user, actions, self.museum_field)

    def users_with_any_permission(self, actions):
        return self._users(actions, MuseumPage.objects.all())

    def users_with_any_permission_for_instance(self, actions, instance):
        return self._users(actions, MuseumPage.objects.filter(pk=self.museum_id_of(instance)))

    def _users(self, actions, museums):
        actions = set(actions)
        network = [
            name for role, name in NETWORK_GROUP_NAMES.items() if actions & OBJECT_ACTIONS[role]
        ]
        condition = Q(is_superuser=True) | Q(groups__name__in=network)
        if actions & OBJECT_ACTIONS[REDACTEUR]:
            condition |= Q(groups__in=museums.values("editors_group_id"))
        if actions & OBJECT_ACTIONS[RESPONSABLE]:
            condition |= Q(groups__in=museums.values("managers_group_id"))
        return get_user_model().objects.filter(condition, is_active=True).distinct()

    def user_may_change_status(self, user, instance, old_status, new_status, published) -> bool:
        """Moving an object into or out of `published` (publishing, unpublishing) needs the
        publish permission in its museum; every other status change follows "change"."""
        if old_status == new_status or published not in (old_status, new_status):
            return True
        return self.user_has_permission_for_instance(user, PUBLISH, instance)


# --- Admin views -------------------------------------------------------------------------------
# Wagtail's generic views look objects up with `Model._default_manager` and check permissions on
# the model only. These subclasses look them up among the user's museums (404 elsewhere) and
# check each action against the object's own museum.


class ScopedObjectMixin:
    """For views about one object: found only in the user's museums, actions checked on it."""

    def scoped_queryset(self):
        return self.permission_policy.instances_user_has_any_permission_for(
            self.request.user, ALL_ACTIONS
        )

    def _instance(self):
        instance = getattr(self, "object", None)
        return instance if instance is not None and instance.pk is not None else None

    def user_has_permission(self, permission):
        if instance := self._instance():
            return self.permission_policy.user_has_permission_for_instance(
                self.request.user, permission, instance
            )
        return super().user_has_permission(permission)

    def user_has_any_permission(self, permissions):
        if instance := self._instance():
            return self.permission_policy.user_has_any_permission_for_instance(
                self.request.user, permissions, instance
            )
        return super().user_has_any_permission(permissions)


class StatusGuardMixin:
    """Server-side check on save: the target museum allows the action, and publishing or
    unpublishing needs the publish permission there (whatever the form let through)."""

    status_field = None
    published_value = None

    def original_status(self):
        return None

    def save_instance(self):
        # Wagtail shows the PermissionDenied message above the form, which is not saved.
        instance, user = self.form.instance, self.request.user
        policy = self.permission_policy
        if not policy.user_has_permission_for_instance(user, self.permission_required, instance):
            raise PermissionDenied(ERROR_MUSEUM_NOT_ALLOWED)
        if self.status_field and not policy.user_may_change_status(
            user,
            instance,
            self.original_status(),
            getattr(instance, self.status_field),
            self.published_value,
        ):
            raise PermissionDenied(ERROR_PUBLISH)
        return super().save_instance()


class MuseumScopedIndexView(snippet_views.IndexView):
    """The listing (with its search, filters and CSV/XLSX exports): the user's museums only."""

    def get_base_queryset(self):
        return museum_scoped(
            super().get_base_queryset(),
            self.request.user,
            ALL_ACTIONS,
            self.permission_policy.museum_field,
        )


class MuseumScopedCreateView(StatusGuardMixin, snippet_views.CreateView):
    pass


ERROR_NEWER_VERSION = _(
    "%(name)s a enregistré une version plus récente le %(date)s, pendant que vous modifiiez. "
    "Vos modifications ne sont pas enregistrées : elles sont toujours dans le formulaire. "
    "Comparez avec l'historique, puis enregistrez à nouveau pour remplacer cette version."
)


class VersionCheckMixin:
    """Two people editing the same object never silently overwrite each other: saving a form
    loaded before somebody else's save is refused once, with who saved and when; the form keeps
    what was typed, and saving again (knowingly) replaces that version. A newer version of the
    same person (Wagtail's autosave of this very form) is not a conflict."""

    def is_valid(self, form):
        valid = super().is_valid(form)
        if not self.revision_enabled or self.expects_json_response or not self.is_out_of_date:
            return valid
        latest = self.latest_revision
        if latest.user_id == self.request.user.pk:
            # The person's own newer version (an autosave of this form, another tab of theirs):
            # nobody else's work is lost.
            return valid
        user = latest.user
        name = (user.get_full_name() or user.email) if user else _("Quelqu'un")
        date = formats.date_format(timezone.localtime(latest.created_at), "DATETIME_FORMAT")
        message = ERROR_NEWER_VERSION % {"name": name, "date": date}
        form.add_error(None, message)
        self.produced_error_code = "invalid_revision"
        self.produced_error_message = message
        return False


class MuseumScopedEditView(
    VersionCheckMixin, StatusGuardMixin, ScopedObjectMixin, snippet_views.EditView
):
    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self._original_status = (
            getattr(self.object, self.status_field) if self.status_field else None
        )

    def get_queryset(self):
        return self.scoped_queryset()

    def original_status(self):
        return self._original_status


class MuseumScopedDeleteView(ScopedObjectMixin, snippet_views.DeleteView):
    def get_queryset(self):
        return self.scoped_queryset()


class MuseumScopedHistoryView(ScopedObjectMixin, snippet_views.HistoryView):
    def get_base_object_queryset(self):
        return self.scoped_queryset()


class MuseumScopedUsageView(ScopedObjectMixin, snippet_views.UsageView):
    def get_base_object_queryset(self):
        return self.scoped_queryset()


class MuseumScopedInspectView(ScopedObjectMixin, snippet_views.InspectView):
    def get_object(self, queryset=None):
        return get_object_or_404(self.scoped_queryset(), pk=self.pk)


class InScopeGuardMixin:
    """First thing of a view about one object: the object of the URL (`pk`) belongs to one of
    the user's museums, or the answer is 404.

    For the views that revisions, drafts, previews, locking and workflows bring (compare,
    revert, preview, unpublish, unschedule, lock, workflow actions and history): each looks its
    object up in its own way, so the check runs before any of them does.
    """

    def setup(self, request, *args, **kwargs):
        pk = kwargs.get("pk")
        if pk is not None:
            policy = self.model.snippet_viewset.permission_policy
            scoped = policy.instances_user_has_any_permission_for(request.user, ALL_ACTIONS)
            try:
                found = scoped.filter(pk=unquote(str(pk))).exists()
            except (ValueError, ValidationError):
                found = False
            if not found:
                raise Http404
        super().setup(request, *args, **kwargs)


class TaskStateOfObjectMixin:
    """Workflow action views take a task state id beside the object's: the task state must be
    the object's own (Wagtail acts on the task state it is given)."""

    def get_task_state(self):
        task_state = super().get_task_state()
        revision = task_state.revision
        if (
            revision.base_content_type_id != self.object.get_base_content_type().pk
            or revision.object_id != str(self.object.pk)
        ):
            raise Http404
        return task_state


def _scoped(view_class, *mixins):
    """`view_class` behind the museum guard (and per-object permission checks)."""
    return type(
        f"MuseumScoped{view_class.__name__}",
        (InScopeGuardMixin, *mixins, ScopedObjectMixin, view_class),
        {},
    )


# --- Chooser -----------------------------------------------------------------------------------


class SearchTermFilterForm(BaseFilterForm):
    """The chooser's search box, on database fields (the model is not in a search index)."""

    search_fields: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"] = forms.CharField(
            label=_("Rechercher"),
            required=False,
            widget=forms.TextInput(attrs={"placeholder": _("Rechercher")}),
        )

    def filter(self, objects):
        objects = super().filter(objects)
        query = (self.cleaned_data.get("q") or "").strip()
        if query and self.search_fields:
            self.is_searching = True
            self.search_query = query
            condition = Q()
            for name in self.search_fields:
                condition |= Q(**{f"{name}__icontains": query})
            objects = objects.filter(condition)
        return objects


class ScopedChooserMixin:
    permission_policy = None

    def scoped_queryset(self):
        return self.permission_policy.instances_user_has_any_permission_for(
            self.request.user, ALL_ACTIONS
        )

    def get_object_list(self):
        return self.scoped_queryset()


class MuseumScopedChooseView(ScopedChooserMixin, snippet_chooser.ChooseView):
    pass


class MuseumScopedChooseResultsView(ScopedChooserMixin, snippet_chooser.ChooseResultsView):
    pass


class MuseumScopedChosenView(ScopedChooserMixin, snippet_chooser.SnippetChosenView):
    def get_object(self, pk):
        return self.scoped_queryset().get(pk=pk)


class MuseumScopedChosenMultipleView(ScopedChooserMixin, snippet_chooser.SnippetChosenMultipleView):
    def get_objects(self, pks):
        return every_one_in(self.scoped_queryset(), pks)


class MuseumScopedChooserCreateView(snippet_chooser.SnippetCreateView):
    """Objects are created from their own add form (its museum field is scoped), not here."""

    def dispatch(self, request, *args, **kwargs):
        raise Http404


class MuseumScopedChooserViewSet(snippet_chooser.SnippetChooserViewSet):
    choose_view_class = MuseumScopedChooseView
    choose_results_view_class = MuseumScopedChooseResultsView
    chosen_view_class = MuseumScopedChosenView
    chosen_multiple_view_class = MuseumScopedChosenMultipleView
    create_view_class = MuseumScopedChooserCreateView
    search_fields: tuple[str, ...] = ()

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(
            filter_form_class=type(
                "ChooserFilterForm", (SearchTermFilterForm,), {"search_fields": self.search_fields}
            ),
            **kwargs,
        )


def every_one_in(queryset, pks) -> list:
    """The objects of `queryset` with these primary keys; 404 if any one is not there (another
    museum's, or no such object: both answer the same)."""
    wanted = set()
    for pk in set(pks):
        try:
            wanted.add(queryset.model._meta.pk.to_python(pk))
        except ValidationError as exc:
            raise Http404 from exc
    objects = list(queryset.filter(pk__in=wanted))
    if len(objects) != len(wanted):
        raise Http404
    return objects


# --- Bulk actions ------------------------------------------------------------------------------


class MuseumScopedDeleteBulkAction(DeleteBulkAction):
    """Bulk delete of museum-scoped snippets: any id outside the user's museums answers 404
    (Wagtail's own lists the objects the user may not delete, with their titles)."""

    @classproperty
    def models(cls):
        return [
            model
            for model in get_snippet_models()
            if isinstance(getattr(model, "snippet_viewset", None), MuseumScopedSnippetViewSet)
        ]

    @property
    def permission_policy(self):
        return self.model.snippet_viewset.permission_policy

    def scoped_queryset(self):
        return self.permission_policy.instances_user_has_any_permission_for(
            self.request.user, ALL_ACTIONS
        )

    def get_all_objects_in_listing_query(self, parent_id):
        return self.scoped_queryset().values_list("pk", flat=True)

    def get_queryset(self, model, object_ids):
        objects = every_one_in(self.scoped_queryset(), object_ids)
        if not objects:
            raise Http404
        return objects

    def check_perm(self, snippet):
        return self.permission_policy.user_has_permission_for_instance(
            self.request.user, DELETE, snippet
        )


# --- The viewset -------------------------------------------------------------------------------


class MuseumScopedSnippetViewSet(snippet_views.SnippetViewSet):
    """A snippet viewset whose every view acts on the user's museums only.

    Set `museum_field` (the lookup to the museum) and, for a model with a publication status,
    `status_field` and `published_value`. Register `MuseumScopedDeleteBulkAction` once with
    `hooks.register("register_bulk_action", ..., order=1)` so that it replaces Wagtail's.
    """

    museum_field = "museum"
    status_field = None
    published_value = None
    copy_view_enabled = False  # a copy would carry another museum's data into the add form
    inspect_view_enabled = True

    index_view_class = MuseumScopedIndexView
    add_view_class = MuseumScopedCreateView
    edit_view_class = MuseumScopedEditView
    delete_view_class = MuseumScopedDeleteView
    history_view_class = MuseumScopedHistoryView
    usage_view_class = MuseumScopedUsageView
    inspect_view_class = MuseumScopedInspectView
    chooser_viewset_class = MuseumScopedChooserViewSet

    # The views that revisions, previews, drafts, locking and workflows bring.
    revisions_view_class = _scoped(snippet_views.PreviewRevisionView)
    revisions_compare_view_class = _scoped(snippet_views.RevisionsCompareView)
    revisions_unschedule_view_class = _scoped(snippet_views.RevisionsUnscheduleView)
    unpublish_view_class = _scoped(snippet_views.UnpublishView)
    preview_on_edit_view_class = _scoped(snippet_views.PreviewOnEditView)
    lock_view_class = _scoped(snippet_views.LockView)
    unlock_view_class = _scoped(snippet_views.UnlockView)
    workflow_action_view_class = _scoped(snippet_views.WorkflowActionView, TaskStateOfObjectMixin)
    collect_workflow_action_data_view_class = _scoped(
        snippet_views.CollectWorkflowActionDataView, TaskStateOfObjectMixin
    )
    confirm_workflow_cancellation_view_class = _scoped(
        snippet_views.ConfirmWorkflowCancellationView
    )
    workflow_preview_view_class = _scoped(snippet_views.WorkflowPreviewView)
    workflow_history_view_class = _scoped(snippet_views.WorkflowHistoryView)
    workflow_history_detail_view_class = _scoped(snippet_views.WorkflowHistoryDetailView)

    @cached_property
    def permission_policy(self):
        return MuseumScopedPermissionPolicy(self.model, museum_field=self.museum_field)

    def get_add_view_kwargs(self, **kwargs):
        return super().get_add_view_kwargs(
            status_field=self.status_field, published_value=self.published_value, **kwargs
        )

    def get_edit_view_kwargs(self, **kwargs):
        return super().get_edit_view_kwargs(
            status_field=self.status_field, published_value=self.published_value, **kwargs
        )

    @property
    def chooser_viewset(self):
        search_fields = self.search_fields
        return self.chooser_viewset_class(
            self.get_chooser_admin_url_namespace(),
            model=self.model,
            url_prefix=self.get_chooser_admin_base_path(),
            icon=self.icon,
            per_page=self.chooser_per_page,
            permission_policy=self.permission_policy,
            search_fields=tuple(search_fields) if isinstance(search_fields, list | tuple) else (),
        )

    @property
    def url_finder_class(self):
        # Links to an object's edit view (usage lists, chosen items) only where the user may
        # edit it; Wagtail's snippet finder checks the model permission alone.
        return type(
            "_MuseumScopedURLFinder",
            (ModelAdminURLFinder,),
            {
                "permission_policy": self.permission_policy,
                "edit_url_name": self.get_url_name("edit"),
            },
        )
