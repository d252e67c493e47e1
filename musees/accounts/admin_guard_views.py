"""Wagtail admin views that showed another museum's objects, answered by guarded subclasses.

Routed at Wagtail's own addresses by admin_guard_urls.py (included by musees/urls.py before
Wagtail's admin), so that the admin's links and scripts keep working. Each was found by the
IDOR matrix or the canary crawl of tests/security; each docstring says what leaked.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.forms.forms import NON_FIELD_ERRORS
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from wagtail.admin.views import chooser
from wagtail.admin.views import workflows as workflow_admin
from wagtail.admin.views.pages import move, revisions, workflow
from wagtail.admin.views.reports import page_types_usage
from wagtail.admin.views.reports import workflows as workflow_reports
from wagtail.documents.views import multiple as document_multiple
from wagtail.models import Page, Task, Workflow
from wagtail.permissions import page_permission_policy

from .admin_guards import PAGE_ACTIONS
from .scoping import every_one_in

# --- Page chooser: global, with published titles -------------------------------------------------
# The chooser stays global: a museum's pages link to other museums' pages (routes, partners,
# exhibitions lent), and a published page is public anyway. What is not public stays out: a page
# the user holds no permission on shows its published title (never its draft title), and an
# unpublished one is not listed at all, except the ancestors of the user's own pages, which they
# browse through (network pages, such as the museums directory).


def _page_roots(user) -> list[str] | None:
    """Tree paths of the subtrees where `user` holds a page permission; None: everywhere."""
    if user.is_active and user.is_superuser:
        return None
    if not (user.is_authenticated and user.is_active):
        return []
    codenames = {f"{action}_page" for action in PAGE_ACTIONS}
    return [
        perm.page.path
        for perm in page_permission_policy.get_cached_permissions_for_user(user)
        if perm.permission.codename in codenames
    ]


def acts_on(user, page) -> bool:
    """Whether `user` holds a page permission on `page` (on it or on an ancestor)."""
    roots = _page_roots(user)
    return roots is None or any(page.path.startswith(root) for root in roots)


def chooser_pages(pages, user):
    """`pages` the chooser may list to `user`: live ones, the user's own, and their ancestors."""
    roots = _page_roots(user)
    if roots is None:
        return pages
    steplen = Page.steplen
    ancestors = {root[:end] for root in roots for end in range(steplen, len(root), steplen)}
    visible = Q(live=True) | Q(path__in=ancestors)
    for root in roots:
        visible |= Q(path__startswith=root)
    return pages.filter(visible)


def published_face(page, user):
    """The page as the chooser shows it to `user`: its published title if it is not theirs.

    Only the in-memory object changes (the chooser never saves a page).
    """
    if page is not None and not acts_on(user, page):
        page.draft_title = page.title
    return page


class PublishedTitleColumn(chooser.PageTitleColumn):
    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def get_cell_context_data(self, instance, parent_context):
        published_face(instance, self.user)
        return super().get_cell_context_data(instance, parent_context)


class PublishedParentColumn(chooser.ParentPageColumn):
    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def get_value(self, instance):
        return published_face(super().get_value(instance), self.user)


class PublishedTitlesMixin:
    """Wagtail's chooser columns, with the title and parent columns showing published titles."""

    @property
    def columns(self):
        user = self.request.user
        columns = []
        for column in super().columns:
            if type(column) is chooser.PageTitleColumn:
                column = PublishedTitleColumn(
                    column.name,
                    label=column.label,
                    is_multiple_choice=column.is_multiple_choice,
                    user=user,
                )
            elif type(column) is chooser.ParentPageColumn:
                column = PublishedParentColumn(column.name, label=column.label, user=user)
            columns.append(column)
        return columns


def construct_page_chooser_queryset(pages, request):
    """Hook: what Wagtail's chooser browses and searches (see `chooser_pages`)."""
    return chooser_pages(pages, request.user)


class PageChooserBrowseView(PublishedTitlesMixin, chooser.BrowseView):
    def get(self, request, parent_page_id=None):
        if parent_page_id is not None:
            pages = chooser_pages(Page.objects.filter(pk=parent_page_id), request.user)
            if not pages.exists():
                raise Http404
        return super().get(request, parent_page_id)


class PageChooserSearchView(PublishedTitlesMixin, chooser.SearchView):
    pass


class PageChosenMultipleView(chooser.ChosenMultipleView):
    """The chosen pages, as the browse step showed them (any other id answers 404)."""

    def get(self, request):
        user = request.user
        pages = every_one_in(chooser_pages(Page.objects.all(), user), request.GET.getlist("id"))
        result = []
        for page in pages:
            page = published_face(page.specific, user)
            result.append(
                {
                    "id": page.pk,
                    "parentId": page.get_parent().pk,
                    "adminTitle": page.get_admin_display_title(),
                    "editUrl": reverse("wagtailadmin_pages:edit", args=(page.pk,)),
                    "url": page.url,
                }
            )
        return self.render_chosen_response(result)


# --- The page explorer and its old address --------------------------------------------------------


def explorer_guard(view):
    """Wagtail's explorer of a page outside the user's part of the tree.

    Wagtail redirects to the user's own root: useful above it (after an action on their museum's
    page, Wagtail returns to its parent, the museums directory), but for another museum's page a
    redirect reads as "this page exists and you may look"; it answers 404.
    """

    def guarded(request, parent_page_id, **kwargs):
        page = get_object_or_404(Page, id=parent_page_id)
        root = page_permission_policy.explorable_root_instance(request.user)
        if root is not None and not (
            page.path.startswith(root.path) or root.path.startswith(page.path)
        ):
            raise Http404
        return view(request, parent_page_id=parent_page_id, **kwargs)

    return guarded


def revisions_index(request, page_id):
    """Wagtail's old address of a page's revisions, which redirects to its history: for someone
    who holds a permission on the page only (else 403, like the history)."""
    page = get_object_or_404(Page, id=page_id)
    if not acts_on(request.user, page):
        raise PermissionDenied
    return revisions.revisions_index(request, page_id)


# --- Page views that show the page before checking permissions -----------------------------------


def move_confirm(request, page_to_move_id, destination_id):
    """Wagtail's move confirmation, which names the page and the destination (their draft
    titles), for someone who may make this move only."""
    page = get_object_or_404(Page, id=page_to_move_id)
    destination = get_object_or_404(Page, id=destination_id)
    if not page.permissions_for_user(request.user).can_move_to(destination):
        raise PermissionDenied
    return move.move_confirm(request, page_to_move_id, destination_id)


class EditorsOnlyMixin:
    """For workflow views that describe the page (its task, its draft title) before or without
    checking any permission: only someone who may open the page's editor, where all of this is
    shown, gets an answer."""

    def may_open_editor(self) -> bool:
        return self.object.permissions_for_user(self.request.user).can_edit()


class ConfirmWorkflowCancellationView(EditorsOnlyMixin, workflow.ConfirmWorkflowCancellation):
    def dispatch(self, request, *args, **kwargs):
        if not self.may_open_editor():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class NotInModerationGuardMixin(EditorsOnlyMixin):
    """Wagtail says "the page '<draft title>' is not awaiting moderation" to anyone."""

    def add_not_in_moderation_error(self):
        if not self.may_open_editor():
            raise PermissionDenied
        super().add_not_in_moderation_error()


class WorkflowActionView(NotInModerationGuardMixin, workflow.WorkflowAction):
    pass


class CollectWorkflowActionDataView(NotInModerationGuardMixin, workflow.CollectWorkflowActionData):
    pass


class PreviewRevisionForTaskView(EditorsOnlyMixin, workflow.PreviewRevisionForTask):
    def add_error_message(self):
        if not self.may_open_editor():
            raise PermissionDenied
        super().add_error_message()


# --- Workflow tasks: the network's configuration -------------------------------------------------


def manages_workflows(user) -> bool:
    """Whether `user` configures the review workflows (the network's administrators)."""
    return user.is_active and (
        user.is_superuser
        or any(
            user.has_perm(f"wagtailcore.{action}_{model}")
            for action in ("add", "change", "delete")
            for model in ("workflow", "task")
        )
    )


class WorkflowManagersOnlyMixin:
    """Wagtail's task chooser (of the workflow editor) lists every review task, whatever the
    user: a museum's task names are the network's configuration, for those who configure it."""

    def dispatch(self, request, *args, **kwargs):
        if not manages_workflows(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class TaskChooserView(WorkflowManagersOnlyMixin, workflow_admin.TaskChooserView):
    pass


class TaskChooserResultsView(WorkflowManagersOnlyMixin, workflow_admin.TaskChooserResultsView):
    pass


class TaskChooserCreateView(WorkflowManagersOnlyMixin, workflow_admin.TaskChooserCreateView):
    pass


def task_chosen(request, task_id):
    if not manages_workflows(request.user):
        raise PermissionDenied
    return workflow_admin.task_chosen(request, task_id)


# --- Reports -----------------------------------------------------------------------------------


class ScopedFilterChoicesMixin:
    """A report's filters list only the workflows, tasks and people of the report's own rows
    (Wagtail lists every one of the site: another museum's task, or the name of its staff)."""

    # filter name -> (model, lookup from the report's rows to it)
    scoped_choices: dict = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, (model, lookup) in self.scoped_choices.items():
            if name in self.filters:
                self.filters[name].queryset = model.objects.filter(
                    pk__in=self.queryset.values(lookup)
                )


class WorkflowReportFilterSet(ScopedFilterChoicesMixin, workflow_reports.WorkflowReportFilterSet):
    scoped_choices = {
        "workflow": (Workflow, "workflow"),
        "requested_by": (get_user_model(), "requested_by"),
    }


class WorkflowTasksReportFilterSet(
    ScopedFilterChoicesMixin, workflow_reports.WorkflowTasksReportFilterSet
):
    scoped_choices = {
        "workflow": (Workflow, "workflow_state__workflow"),
        "task": (Task, "task"),
    }


class ScopedReportMixin:
    def get_filterset_kwargs(self):
        # Wagtail builds the filters on every row of the model: give them the report's rows.
        return {**super().get_filterset_kwargs(), "queryset": self.get_queryset()}


class WorkflowReportView(ScopedReportMixin, workflow_reports.WorkflowView):
    filterset_class = WorkflowReportFilterSet


class WorkflowTasksReportView(ScopedReportMixin, workflow_reports.WorkflowTasksView):
    filterset_class = WorkflowTasksReportFilterSet


class PageTypesUsageReportView(page_types_usage.PageTypesUsageReportView):
    """Wagtail's count of pages by type names the last edited page of each type in the whole
    site, by its draft title: another museum's unpublished work in progress. The user sees the
    last edited of their own pages instead (nothing if none)."""

    def decorate_paginated_queryset(self, page_types):
        page_types = super().decorate_paginated_queryset(page_types)
        user = self.request.user
        roots = _page_roots(user)
        for item in page_types:
            page = item.last_edited_page
            if page is None or acts_on(user, page):
                continue
            own = Page.objects.none()
            if roots:
                within = Q()
                for root in roots:
                    within |= Q(path__startswith=root)
                own = Page.objects.filter(within, content_type_id=item.pk)
            item.last_edited_page = (
                own.order_by("-latest_revision_created_at", "-pk").specific().first()
            )
        return page_types


# --- Documents uploaded in several steps ---------------------------------------------------------


class CreateFromUploadedDocumentView(document_multiple.CreateFromUploadedDocumentView):
    """Wagtail's last step of a multiple upload that needed more details (a document's title).

    Wagtail validates the new document before giving it the uploaded file, so the extension
    check (WAGTAILDOCS_EXTENSIONS) failed on an empty file and crashed on the form, which has no
    file field (500). The document gets the upload's name before validation, and any error on
    the file reads as an error of the form.
    """

    def get_edit_form_class(self):
        view = self
        base = super().get_edit_form_class()

        class UploadedDocumentForm(base):
            def clean(self):
                cleaned_data = super().clean()
                upload = getattr(view, "upload", None)
                if upload is not None and not self.instance.file:
                    self.instance.file.name = upload.file.name
                return cleaned_data

            def add_error(self, field, error):
                if field is None and isinstance(error, ValidationError):
                    if hasattr(error, "error_dict") and "file" not in self.fields:
                        errors = dict(error.error_dict)
                        if "file" in errors:
                            errors.setdefault(NON_FIELD_ERRORS, []).extend(errors.pop("file"))
                            error = ValidationError(errors)
                super().add_error(field, error)

        return UploadedDocumentForm
