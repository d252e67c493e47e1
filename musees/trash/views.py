"""The trash in the admin: the "Corbeille" screen, restore and purge, and the delete views of
works (one, or several at once) that put works in the trash instead of deleting them.

Like every museum-owned object, an entry is found among the user's museums only: another
museum's entry is "not found". Restoring and purging need the right to delete in the entry's
museum (responsables, the network's moderators and administrators).
"""

from collections import Counter

import django_filters
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import classproperty
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.base import BaseListingView, WagtailAdminTemplateMixin

from musees.accounts.scoping import (
    DELETE,
    VIEW,
    MuseumScopedDeleteBulkAction,
    MuseumScopedDeleteView,
    museum_scope,
    museums_for,
)

from .models import TrashEntry, retention_days
from .services import (
    TrashRestoreError,
    trash_object,
    trash_purge,
    trash_purge_expired,
    trash_restore,
)

LISTED = 50  # entries per page


def may_see_trash(user) -> bool:
    """Anyone with a role in a museum (their museums' entries), and the network's staff."""
    return museum_scope(user).allows_somewhere(VIEW)


def may_empty(user, entry: TrashEntry) -> bool:
    """Whether `user` may restore or purge `entry`: whoever may delete in its museum."""
    return museum_scope(user).allows(DELETE, entry.museum_id)


def when(value) -> str:
    """A date and time as the admin shows them ("12 mars 2026 14:05")."""
    return date_format(timezone.localtime(value), "DATETIME_FORMAT")


def retention_notice(count: int = 1) -> str:
    """What the delete confirmation says: where the notice(s) go, and for how long."""
    days = retention_days()
    if count == 1:
        return ngettext(
            "La notice sera placée dans la corbeille pendant %(days)d jour. Jusque-là, un "
            "responsable du musée ou l'équipe du réseau pourra la restaurer ; ensuite, elle sera "
            "supprimée définitivement.",
            "La notice sera placée dans la corbeille pendant %(days)d jours. Jusque-là, un "
            "responsable du musée ou l'équipe du réseau pourra la restaurer ; ensuite, elle sera "
            "supprimée définitivement.",
            days,
        ) % {"days": days}
    return ngettext(
        "Ces %(count)d notices seront placées dans la corbeille pendant %(days)d jour. "
        "Jusque-là, un responsable du musée ou l'équipe du réseau pourra les restaurer ; "
        "ensuite, elles seront supprimées définitivement.",
        "Ces %(count)d notices seront placées dans la corbeille pendant %(days)d jours. "
        "Jusque-là, un responsable du musée ou l'équipe du réseau pourra les restaurer ; "
        "ensuite, elles seront supprimées définitivement.",
        days,
    ) % {"count": count, "days": days}


def trashed_message(entries: list[TrashEntry]) -> str:
    """The message after a deletion: what went to the trash, and until when."""
    if len(entries) == 1:
        return _(
            "« %(title)s » a été placée dans la corbeille. Elle peut être restaurée jusqu'au "
            "%(date)s."
        ) % {"title": entries[0].title, "date": when(entries[0].purge_after)}
    return ngettext(
        "%(count)d notice a été placée dans la corbeille. Elle peut être restaurée jusqu'au "
        "%(date)s.",
        "%(count)d notices ont été placées dans la corbeille. Elles peuvent être restaurées "
        "jusqu'au %(date)s.",
        len(entries),
    ) % {"count": len(entries), "date": when(min(entry.purge_after for entry in entries))}


# --- Deleting works: to the trash ---------------------------------------------------------------


class TrashDeleteView(MuseumScopedDeleteView):
    """A work's delete view: the confirmation says where it goes, and the work goes there."""

    def get_template_names(self):
        return ["trash/confirm_trash.html"]

    @property
    def confirmation_message(self):
        return retention_notice()

    def form_valid(self, form):
        if self.usage and self.usage.is_protected:
            raise PermissionDenied
        success_url = self.get_success_url()
        entry = trash_object(obj=self.object, user=self.request.user)
        messages.success(
            self.request,
            trashed_message([entry]),
            buttons=[messages.button(reverse("trash:restore", args=[entry.pk]), _("Restaurer"))],
        )
        hook_response = self.run_after_hook()
        if hook_response is not None:
            return hook_response
        return HttpResponseRedirect(success_url)


class TrashDeleteBulkAction(MuseumScopedDeleteBulkAction):
    """Bulk delete of works, to the trash, all in one transaction (for every museum-scoped
    model whose delete view is TrashDeleteView)."""

    display_name = gettext_lazy("Placer dans la corbeille")
    aria_label = gettext_lazy("Placer les éléments sélectionnés dans la corbeille")
    template_name = "trash/confirm_bulk_trash.html"

    @classproperty
    def models(cls):
        return [
            model
            for model in MuseumScopedDeleteBulkAction.models
            if issubclass(model.snippet_viewset.delete_view_class, TrashDeleteView)
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["retention_notice"] = retention_notice(len(context["items"]))
        return context

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs):
        action = kwargs["self"]
        action.trash_entries = [trash_object(obj=obj, user=action.request.user) for obj in objects]
        return len(objects), 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        # Nothing was actionable (the user may delete none of them): no message.
        return trashed_message(self.trash_entries) if self.trash_entries else None


# --- The "Corbeille" screen ---------------------------------------------------------------------


def _user_museums(request):
    return museums_for(request.user if request is not None else None, VIEW)


class TrashFilterSet(WagtailFilterSet):
    museum = django_filters.ModelChoiceFilter(label=gettext_lazy("Musée"), queryset=_user_museums)

    class Meta:
        model = TrashEntry
        fields = ["museum"]


class ActionsColumn(Column):
    """Restore and purge buttons, for those who may."""

    cell_template_name = "trash/includes/actions_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        if may_empty(parent_context["request"].user, instance):
            context["restore_url"] = reverse("trash:restore", args=[instance.pk])
            context["purge_url"] = reverse("trash:purge", args=[instance.pk])
        return context


def _label(name: str):
    return capfirst(TrashEntry._meta.get_field(name).verbose_name)


class TrashMixin:
    header_icon = "bin"

    def dispatch(self, request, *args, **kwargs):
        # What the user may not use is "not found", like the other museum screens.
        if not may_see_trash(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class TrashIndexView(TrashMixin, BaseListingView):
    """The entries of the user's museums, newest first; expired ones are purged on opening."""

    page_title = gettext_lazy("Corbeille")
    template_name = "trash/index.html"
    index_url_name = "trash:index"
    index_results_url_name = "trash:index_results"
    paginate_by = LISTED
    is_searchable = True
    search_fields = ["title", "inventory_number"]
    search_backend_name = None  # database lookups: entries are not in a search index
    filterset_class = TrashFilterSet
    default_ordering = "-deleted_at"
    verbose_name = TrashEntry._meta.verbose_name
    verbose_name_plural = TrashEntry._meta.verbose_name_plural
    columns = [
        Column("title", label=gettext_lazy("Notice"), sort_key="title", classname="title"),
        Column(
            "inventory_number",
            label=gettext_lazy("Numéro d'inventaire"),
            sort_key="inventory_number",
        ),
        Column("museum_title", label=gettext_lazy("Musée"), sort_key="museum_title"),
        Column("deleted_by_name", label=_label("deleted_by")),
        Column(
            "deleted_at",
            label=_label("deleted_at"),
            accessor=lambda entry: when(entry.deleted_at),
            sort_key="deleted_at",
        ),
        Column(
            "purge_after",
            label=_label("purge_after"),
            accessor=lambda entry: when(entry.purge_after),
            sort_key="purge_after",
        ),
        ActionsColumn("actions", label=gettext_lazy("Actions")),
    ]

    def get(self, request, *args, **kwargs):
        # The retention holds without a scheduled job: opening the trash purges what expired.
        trash_purge_expired()
        return super().get(request, *args, **kwargs)

    def get_base_queryset(self):
        return TrashEntry.objects.for_user(self.request.user).kept().select_related("deleted_by")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "retention_days": retention_days()}


class TrashEntryView(TrashMixin, WagtailAdminTemplateMixin, TemplateView):
    """A confirmation page about one entry of the user's museums, then the action (POST)."""

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.entry = None

    def dispatch(self, request, *args, **kwargs):
        if may_see_trash(request.user):
            entries = TrashEntry.objects.for_user(request.user).kept()
            self.entry = get_object_or_404(entries.select_related("deleted_by"), pk=kwargs["pk"])
            if not may_empty(request.user, self.entry):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("trash:index"), "label": _("Corbeille")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_page_subtitle(self):
        return self.entry.title

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "entry": self.entry,
            "deleted_at": when(self.entry.deleted_at),
            "purge_after": when(self.entry.purge_after),
            "back": reverse("trash:index"),
        }


def contents(entry: TrashEntry) -> list[str]:
    """What comes back with the object: "2 images d'œuvres", "3 révisions"..."""
    counts = Counter(row["model"] for row in entry.snapshot.get("rows", []))
    lines = []
    for label, count in counts.items():
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        if model._meta.auto_created:
            continue  # many-to-many rows: the vocabulary terms shown on the work itself
        name = model._meta.verbose_name if count == 1 else model._meta.verbose_name_plural
        lines.append(f"{count} {name}")
    return lines


class TrashRestoreView(TrashEntryView):
    template_name = "trash/confirm_restore.html"
    page_title = gettext_lazy("Restaurer")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "contents": contents(self.entry)}

    def post(self, request, *args, **kwargs):
        title = self.entry.title
        try:
            restored = trash_restore(entry=self.entry, user=request.user)
        except TrashRestoreError as error:
            return self.render_to_response(self.get_context_data(problems=error.problems))
        edit_url = AdminURLFinder(request.user).get_edit_url(restored.obj)
        messages.success(
            request,
            _("« %(title)s » a été restaurée.") % {"title": title},
            buttons=[messages.button(edit_url, _("Modifier"))] if edit_url else None,
        )
        if restored.dropped:
            messages.warning(
                request,
                _(
                    "Ces éléments liés ont été supprimés entre-temps et ne sont pas revenus avec "
                    "elle : %(items)s."
                )
                % {"items": ", ".join(restored.dropped)},
            )
        return redirect(edit_url or reverse("trash:index"))


class TrashPurgeView(TrashEntryView):
    template_name = "trash/confirm_purge.html"
    page_title = gettext_lazy("Supprimer définitivement")

    def post(self, request, *args, **kwargs):
        title = self.entry.title
        trash_purge(entry=self.entry, user=request.user)
        messages.success(
            request,
            _("« %(title)s » a été supprimée définitivement.") % {"title": title},
        )
        return redirect("trash:index")
