"""The import job's progress, as the page polling it sees it while the worker runs."""

import pytest

from musees.catalogue.services import WorkImportReport
from musees.imports import services
from musees.imports.models import ImportJob

from .conftest import JOCONDE_CSV

pytestmark = pytest.mark.django_db


@pytest.fixture
def job(museum_a, editor_a):
    return ImportJob.objects.create(
        museum=museum_a,
        user=editor_a,
        original_name=JOCONDE_CSV.name,
        format="joconde-csv",
        status=ImportJob.Status.RUNNING,
        total_bytes=JOCONDE_CSV.stat().st_size,
    )


def test_progress_is_saved_with_the_share_of_the_file_read(monkeypatch, job):
    monkeypatch.setattr(services, "SAVE_EVERY", 0)
    with open(JOCONDE_CSV, "rb") as handle:
        handle.read(job.total_bytes // 2)
        tracker = services._Tracker(job, handle)
        tracker.read = 20
        tracker(WorkImportReport(created=17, rejected=3))

    saved = ImportJob.objects.get(pk=job.pk)
    assert (saved.processed, saved.created, saved.rejected) == (20, 17, 3)
    assert saved.bytes_read == job.total_bytes // 2
    assert saved.percent == (job.total_bytes // 2) * 100 // job.total_bytes
    assert saved.status == "running"


def test_progress_waits_a_second_between_two_saves(job):
    with open(JOCONDE_CSV, "rb") as handle:
        tracker = services._Tracker(job, handle)
        handle.read(1000)
        tracker.read = 5
        tracker(WorkImportReport(created=5))
    assert ImportJob.objects.get(pk=job.pk).processed == 0


def test_a_strict_import_saves_no_progress_inside_its_transaction(monkeypatch, job):
    monkeypatch.setattr(services, "SAVE_EVERY", 0)
    job.strict = True
    with open(JOCONDE_CSV, "rb") as handle:
        tracker = services._Tracker(job, handle)
        tracker.read = 5
        tracker(WorkImportReport(created=5))
    assert ImportJob.objects.get(pk=job.pk).processed == 0
