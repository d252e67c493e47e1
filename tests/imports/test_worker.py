"""The real path: the job queued in the database, run by `manage.py db_worker` (django-tasks-db)."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from musees.catalogue.models import Work
from musees.imports.models import ImportJob

from .conftest import JOCONDE_TXT, post_import

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_queue(settings, monkeypatch):
    """Imports go to the database queue, as in development and production."""
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
        "imports": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]},
    }
    # The worker closes stale connections between tasks; here that would be the test's own
    # connection, whose transaction holds the job.
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )


def test_the_database_worker_runs_a_queued_import(client, database_queue, editor_b, museum_b):
    client.force_login(editor_b)
    post_import(client, museum_b, JOCONDE_TXT, "joconde-txt")

    job = ImportJob.objects.get()
    assert job.status == "queued"
    assert client.get(reverse("imports:status", args=[job.pk])).json()["percent"] == 0
    assert DBTaskResult.objects.filter(backend_name="imports").count() == 1
    assert not Work.objects.exists()

    call_command(
        "db_worker", "--backend", "imports", "--batch", "--no-startup-delay", "--no-reload"
    )

    job.refresh_from_db()
    assert (job.status, job.created, job.rejected) == ("done", 3, 0)
    assert Work.objects.filter(museum=museum_b).count() == 3
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
