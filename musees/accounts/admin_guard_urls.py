"""Wagtail admin addresses answered by the guarded views of admin_guard_views.py.

Included by musees/urls.py under /admin/, before Wagtail's admin URLs: each path is the very
address Wagtail gives the view it replaces (the admin's links and scripts keep working), and
each view is wrapped like Wagtail's own (admin access, no cache).
"""

from django.urls import path
from django.views.decorators.cache import never_cache
from wagtail.admin.auth import require_admin_access
from wagtail.admin.viewsets.pages import page_viewset_registry
from wagtail.utils.urlpatterns import decorate_urlpatterns

from . import admin_guard_views as guarded

urlpatterns = [
    path("reports/workflow/", guarded.WorkflowReportView.as_view(), name="guarded_workflow_report"),
    path(
        "reports/workflow/results/",
        guarded.WorkflowReportView.as_view(results_only=True),
        name="guarded_workflow_report_results",
    ),
    path(
        "reports/workflow_tasks/",
        guarded.WorkflowTasksReportView.as_view(),
        name="guarded_workflow_tasks_report",
    ),
    path(
        "reports/workflow_tasks/results/",
        guarded.WorkflowTasksReportView.as_view(results_only=True),
        name="guarded_workflow_tasks_report_results",
    ),
    path(
        "reports/page-types-usage/",
        guarded.PageTypesUsageReportView.as_view(),
        name="guarded_page_types_usage",
    ),
    path(
        "reports/page-types-usage/results/",
        guarded.PageTypesUsageReportView.as_view(results_only=True),
        name="guarded_page_types_usage_results",
    ),
    path("workflows/task_chooser/", guarded.TaskChooserView.as_view(), name="guarded_task_chooser"),
    path(
        "workflows/task_chooser/results/",
        guarded.TaskChooserResultsView.as_view(),
        name="guarded_task_chooser_results",
    ),
    path(
        "workflows/task_chooser/create/",
        guarded.TaskChooserCreateView.as_view(),
        name="guarded_task_chooser_create",
    ),
    path(
        "workflows/task_chooser/<int:task_id>/",
        guarded.task_chosen,
        name="guarded_task_chosen",
    ),
    path(
        "pages/<int:parent_page_id>/",
        guarded.explorer_guard(
            page_viewset_registry.as_view("index", parent_page_id_kwarg="parent_page_id")
        ),
        name="guarded_explore",
    ),
    path(
        "pages/<int:parent_page_id>/results/",
        guarded.explorer_guard(
            page_viewset_registry.as_view("index_results", parent_page_id_kwarg="parent_page_id")
        ),
        name="guarded_explore_results",
    ),
    path(
        "pages/<int:page_id>/revisions/",
        guarded.revisions_index,
        name="guarded_revisions_index",
    ),
    path(
        "choose-page/",
        guarded.PageChooserBrowseView.as_view(),
        name="guarded_choose_page",
    ),
    path(
        "choose-page/<int:parent_page_id>/",
        guarded.PageChooserBrowseView.as_view(),
        name="guarded_choose_page_child",
    ),
    path(
        "choose-page/search/",
        guarded.PageChooserSearchView.as_view(),
        name="guarded_choose_page_search",
    ),
    path(
        "choose-page/chosen-multiple/",
        guarded.PageChosenMultipleView.as_view(),
        name="guarded_choose_page_chosen_multiple",
    ),
    path(
        "pages/<int:page_to_move_id>/move/<int:destination_id>/confirm/",
        guarded.move_confirm,
        name="guarded_move_confirm",
    ),
    path(
        "pages/workflow/action/<int:page_id>/<slug:action_name>/<int:task_state_id>/",
        guarded.WorkflowActionView.as_view(),
        name="guarded_workflow_action",
    ),
    path(
        "pages/workflow/collect_action_data/<int:page_id>/<slug:action_name>/<int:task_state_id>/",
        guarded.CollectWorkflowActionDataView.as_view(),
        name="guarded_collect_workflow_action_data",
    ),
    path(
        "pages/workflow/confirm_cancellation/<int:page_id>/",
        guarded.ConfirmWorkflowCancellationView.as_view(),
        name="guarded_confirm_workflow_cancellation",
    ),
    path(
        "pages/workflow/preview/<int:page_id>/<int:task_id>/",
        guarded.PreviewRevisionForTaskView.as_view(),
        name="guarded_workflow_preview",
    ),
    path(
        "documents/multiple/create_from_uploaded_document/<int:uploaded_file_id>/",
        guarded.CreateFromUploadedDocumentView.as_view(),
        name="guarded_create_multiple_from_uploaded_document",
    ),
]

urlpatterns = decorate_urlpatterns(urlpatterns, require_admin_access)
urlpatterns = decorate_urlpatterns(urlpatterns, never_cache)
