"""The "Journal" report: the log of the user's museums (of every museum for the association)."""

import django_filters
from django.contrib.auth import get_user_model
from django.db.models import IntegerField, Value
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from wagtail.admin.views.generic.history import HistoryFilterSet
from wagtail.admin.views.reports.audit_logging import LogEntriesView
from wagtail.log_actions import registry as log_action_registry
from wagtail.models import PageLogEntry

from .scope import entries_q, may_read_journal, museums_of, sees_whole_network


def visible_entries(model, user, museums=None):
    """The entries of one log model the user may read, limited to `museums` when given."""
    queryset = model.objects.all()
    if museums is None:
        if sees_whole_network(user):
            return queryset
        museums = list(museums_of(user))
    return queryset.filter(entries_q(model, museums))


class JournalFilterSet(HistoryFilterSet):
    """Action, user and dates as in Wagtail's history, and the museum among the user's own."""

    museum = django_filters.ModelChoiceFilter(
        label=_("Musée"),
        method="filter_museum",
        queryset=lambda request: museums_of(request.user).order_by("title"),
    )

    class Meta:
        model = PageLogEntry
        fields = []

    def get_action_choices(self):
        return log_action_registry.get_choices()

    def get_users_queryset(self):
        user_ids = set()
        for model in log_action_registry.get_log_entry_models():
            user_ids.update(
                visible_entries(model, self.request.user)
                .exclude(user_id=None)
                .values_list("user_id", flat=True)
                .distinct()
            )
        User = get_user_model()
        return User.objects.filter(pk__in=user_ids).order_by("last_name", "first_name", "email")

    def filter_museum(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(entries_q(queryset.model, [value]))


class JournalView(LogEntriesView):
    """Wagtail's "Site history", limited to the entries of the user's museums."""

    page_title = _("Journal")
    filterset_class = JournalFilterSet
    index_url_name = "audit_journal"
    index_results_url_name = "audit_journal_results"
    results_template_name = "audit/journal_results.html"
    paginate_by = 50

    def dispatch(self, request, *args, **kwargs):
        if not may_read_journal(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_filename(self):
        return "journal-" + super().get_filename()

    def get_filtered_queryset(self):
        self.log_models = list(log_action_registry.get_log_entry_models())
        museums = (
            None if sees_whole_network(self.request.user) else list(museums_of(self.request.user))
        )
        queryset = None
        for index, model in enumerate(self.log_models):
            part = (
                visible_entries(model, self.request.user, museums)
                .values("pk", "timestamp")
                .annotate(log_model_index=Value(index, output_field=IntegerField()))
            )
            part = self.filter_queryset(part).order_by()
            queryset = part if queryset is None else queryset.union(part, all=True)
        return queryset.order_by("-timestamp", "-pk")


class NetworkSiteHistoryView(LogEntriesView):
    """Wagtail's "Site history" for the association's staff only (404 to anyone else).

    That report lists the entries of every model the user has any permission on, whatever the
    museum: musees/urls.py routes its two addresses here, before Wagtail's admin URLs.
    """

    def dispatch(self, request, *args, **kwargs):
        if not sees_whole_network(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)
