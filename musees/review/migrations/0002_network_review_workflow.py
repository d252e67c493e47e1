"""The network's review workflow: one step, "Relecture par le musée", for every page (assigned to
the root page) and for works. Wagtail's own "Moderators approval" workflow stops applying."""

from django.db import migrations

WORKFLOW_NAME = "Relecture avant publication"
TASK_NAME = "Relecture par le musée"


def create_workflow(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    WorkflowContentType = apps.get_model("wagtailcore", "WorkflowContentType")
    MuseumReviewTask = apps.get_model("review", "MuseumReviewTask")

    task_type, _created = ContentType.objects.get_or_create(
        app_label="review", model="museumreviewtask"
    )
    task = MuseumReviewTask.objects.create(name=TASK_NAME, content_type=task_type, active=True)
    workflow = Workflow.objects.create(name=WORKFLOW_NAME, active=True)
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)

    root = Page.objects.filter(depth=1).first()
    if root is not None:
        WorkflowPage.objects.update_or_create(page=root, defaults={"workflow": workflow})
    work_type, _created = ContentType.objects.get_or_create(app_label="catalogue", model="work")
    WorkflowContentType.objects.update_or_create(
        content_type=work_type, defaults={"workflow": workflow}
    )


def remove_workflow(apps, schema_editor):
    Workflow = apps.get_model("wagtailcore", "Workflow")
    Workflow.objects.filter(name=WORKFLOW_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("review", "0001_initial"),
        ("catalogue", "0003_work_revisions_drafts_workflow"),
        ("museums", "0003_review_by"),
        ("wagtailcore", "0097_baselogentry_uuid_action_timestamp_indexes"),
    ]

    operations = [migrations.RunPython(create_workflow, remove_workflow)]
