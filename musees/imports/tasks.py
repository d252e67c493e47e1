"""Background tasks (django-tasks): the import runs in the database worker (`db_worker`)."""

from django.conf import settings
from django.utils import translation
from django_tasks import task

from .services import import_job_run

# Imports have a backend of their own: Wagtail's tasks stay on "default" (run in the request).
BACKEND = "imports"


@task(backend=BACKEND)
def run_import_job(job_id: int) -> str:
    """Run one queued ImportJob; its final status is stored on the job itself."""
    # Reports and messages are stored in French, whatever language the worker started in.
    with translation.override(settings.LANGUAGE_CODE):
        job = import_job_run(job_id=job_id)
    return job.status if job is not None else ""
