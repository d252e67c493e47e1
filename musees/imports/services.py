"""Writes on imports: create a job from an upload, and run it (in the background worker)."""

import logging
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

from django.core.files import File
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import LogContext

from musees.catalogue.importers.errors import CatalogueFileError
from musees.catalogue.importers.records import RecordError, WorkRecord
from musees.catalogue.management.commands.import_works import parser_class
from musees.catalogue.services import WorkImportReport, works_import

from .models import ImportJob

logger = logging.getLogger(__name__)

# Error messages (tests import them rather than retype them).
OTHER_MUSEUM = _(
    "notice du musée « %(found)s », pas de « %(museum)s » : elle n'est pas importée ici"
)
ERROR_UNEXPECTED = _("L'import s'est arrêté sur une erreur inattendue : %(error)s")
ERROR_FILE_MISSING = _("Le fichier téléversé est introuvable sur le serveur.")

SAVE_EVERY = 1.0  # seconds between two saves of the progress (the page polls every second)
BATCH_SIZE = 250  # records per transaction: small enough for the progress bar to move


def import_job_create(
    *, museum, user, uploaded_file, format: str, strict: bool, dry_run: bool
) -> ImportJob:
    """Store the uploaded file and queue its import (the task row commits with the job's)."""
    from .tasks import run_import_job

    job = ImportJob(
        museum=museum,
        user=user,
        original_name=Path(uploaded_file.name).name[:255],
        format=format,
        strict=strict,
        dry_run=dry_run,
        total_bytes=uploaded_file.size or 0,
    )
    job.file.save(uploaded_file.name, uploaded_file, save=False)
    job.full_clean()
    job.save()
    run_import_job.enqueue(job.pk)
    return job


class _Tracker:
    """The import's `progress` callback: saves counts and bytes read, at most every second."""

    def __init__(self, job: ImportJob, handle):
        self.job = job
        self.handle = handle
        self.last = time.monotonic()
        self.report: WorkImportReport | None = None
        self.read = 0
        # A strict import is one transaction: a save there would be invisible to the page
        # polling it, then rolled back. The page shows a bar without a value instead.
        self.in_one_transaction = job.strict and not job.dry_run

    def __call__(self, report: WorkImportReport) -> None:
        self.report = report
        self.tick()

    def tick(self) -> None:
        now = time.monotonic()
        if now - self.last < SAVE_EVERY or self.in_one_transaction:
            return
        self.last = now
        self.save()

    def save(self) -> None:
        job = self.job
        try:
            job.bytes_read = min(self.handle.tell(), job.total_bytes)
        except (OSError, ValueError):
            pass
        job.processed = self.read
        if self.report is not None:
            for name in ("created", "updated", "unchanged", "rejected"):
                setattr(job, name, getattr(self.report, name))
        job.save(
            update_fields=[
                "bytes_read",
                "processed",
                "created",
                "updated",
                "unchanged",
                "rejected",
            ]
        )


def _own_museum_only(
    records: Iterable[WorkRecord | RecordError], museum, tracker: _Tracker
) -> Iterator[WorkRecord | RecordError]:
    """The records, with those that name another museum turned into rejections.

    The loader puts every record into `museum=` whatever museum it names: a file holding
    another museum's notices must not fill this one's catalogue with them.
    """
    own = (museum.museofile_id or "").strip().upper()
    for item in records:
        tracker.read += 1
        if isinstance(item, WorkRecord):
            found = (item.museofile_id or "").strip().upper()
            if found and found != own:
                item = RecordError(
                    number=item.number,
                    line=item.line,
                    field="MUSEO",
                    reason=str(OTHER_MUSEUM % {"found": found, "museum": own or museum.title}),
                )
        yield item
        tracker.tick()


def import_job_run(*, job_id: int) -> ImportJob | None:
    """Run a queued import: load the file into its museum, then store the report as CSV.

    Never raises for a bad file: the job ends "failed" with the reason in French.
    """
    job = ImportJob.objects.select_related("museum").filter(pk=job_id).first()
    if job is None or job.status != ImportJob.Status.QUEUED:
        return job  # deleted meanwhile, or already run by another worker
    job.status = ImportJob.Status.RUNNING
    job.started_at = timezone.now()
    job.save(update_fields=["status", "started_at"])
    try:
        report = _load(job)
    except CatalogueFileError as error:
        return _finish(job, error=str(error))
    except FileNotFoundError:
        return _finish(job, error=str(ERROR_FILE_MISSING))
    except Exception as error:
        logger.exception("Import job %s failed", job.pk)
        return _finish(job, error=str(ERROR_UNEXPECTED % {"error": error}))
    _store_report(job, report)
    for name in ("created", "updated", "unchanged", "rejected", "processed"):
        setattr(job, name, getattr(report, name))
    job.committed = report.committed
    if report.committed and not report.dry_run:
        _reindex_if_large(report)
        _log(job, report)
    return _finish(job)


def _load(job: ImportJob) -> WorkImportReport:
    museum = job.museum
    with open(job.file.path, "rb") as handle:
        job.total_bytes = job.file.size
        tracker = _Tracker(job, handle)
        parser = parser_class(job.format)(handle, default_museofile_id=museum.museofile_id)
        report = works_import(
            records=_own_museum_only(parser, museum, tracker),
            museum=museum,
            dry_run=job.dry_run,
            strict=job.strict,
            batch_size=BATCH_SIZE,
            progress=tracker,
            source_format=job.format,
        )
    job.bytes_read = job.total_bytes
    return report


def _store_report(job: ImportJob, report: WorkImportReport) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "rapport.csv"
        report.write_csv(path)
        with open(path, "rb") as handle:
            job.report.save(f"rapport-import-{job.pk}.csv", File(handle), save=False)


def _reindex_if_large(report: WorkImportReport) -> None:
    """Like `import_works`: a large import is searchable once the index is rebuilt."""
    from musees.search.engine import REBUILD_AFTER_IMPORT, rebuild

    if report.created + report.updated >= REBUILD_AFTER_IMPORT:
        rebuild()


def _log(job: ImportJob, report: WorkImportReport) -> None:
    """The audit log entry of a committed import, in the name of the person who started it."""
    from musees.audit.services import log_import

    with LogContext(user=job.user):
        log_import(path=job.original_name, format_name=job.format, museum=job.museum, report=report)


def _finish(job: ImportJob, error: str = "") -> ImportJob:
    job.status = ImportJob.Status.FAILED if error else ImportJob.Status.DONE
    job.error_message = error
    job.finished_at = timezone.now()
    job.save()
    return job
