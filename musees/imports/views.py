"""The "Importer des notices" screens of the admin: upload, follow a job, its report, the list.

Every view finds jobs among the user's museums only: another museum's job is "not found".
"""

import csv
from itertools import islice

from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import FormView, TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from musees.accounts.scoping import ADD, museum_scope

from .forms import MAX_UPLOAD_MB, STRICT, ImportForm
from .models import ImportJob
from .services import import_job_create

REJECTED_SHOWN = 50  # rejected records listed on the job's page (all are in the CSV)
RECENT_SHOWN = 10  # past imports listed under the form
LISTED = 100  # past imports on the list page


def may_import(user) -> bool:
    """Rédacteurs and responsables of a museum, the network's moderators and administrators."""
    return museum_scope(user).allows_somewhere(ADD)


class ImportsMixin:
    """Screens only for people who may import somewhere; jobs only of their museums."""

    header_icon = "upload"

    def dispatch(self, request, *args, **kwargs):
        # Like the team screens: what the user may not use is "not found" (Wagtail would turn a
        # PermissionDenied into a redirect to the dashboard).
        if not may_import(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def jobs(self):
        return ImportJob.objects.for_user(self.request.user)

    def get_job(self) -> ImportJob:
        return get_object_or_404(self.jobs().select_related("museum", "user"), pk=self.kwargs["pk"])


class ImportsPageMixin(ImportsMixin, WagtailAdminTemplateMixin):
    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("imports:new"), "label": _("Importer des notices")},
            *self.extra_breadcrumbs(),
        ]

    def extra_breadcrumbs(self) -> list[dict]:
        return []


@method_decorator(never_cache, name="dispatch")
class ImportCreateView(ImportsPageMixin, FormView):
    """The upload form, and the latest imports of the user's museums under it."""

    template_name = "imports/import_form.html"
    form_class = ImportForm
    page_title = gettext_lazy("Importer des notices")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "jobs": self.jobs().recent()[:RECENT_SHOWN],
            "max_upload_mb": MAX_UPLOAD_MB,
        }

    def form_valid(self, form):
        data = form.cleaned_data
        job = import_job_create(
            museum=data["museum"],
            user=self.request.user,
            uploaded_file=data["file"],
            format=data["format"],
            strict=data["mode"] == STRICT,
            dry_run=data["dry_run"],
        )
        return redirect("imports:job", pk=job.pk)


class ImportJobIndexView(ImportsPageMixin, TemplateView):
    """Past imports of the user's museums, newest first."""

    template_name = "imports/import_job_index.html"
    page_title = gettext_lazy("Imports précédents")

    def extra_breadcrumbs(self):
        return [{"url": reverse("imports:index"), "label": _("Imports précédents")}]

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "jobs": self.jobs().recent()[:LISTED]}


@method_decorator(never_cache, name="dispatch")
class ImportJobView(ImportsPageMixin, TemplateView):
    """One import: a live progress bar while it runs, then its counts and rejected records."""

    template_name = "imports/import_job.html"

    def dispatch(self, request, *args, **kwargs):
        self.job = None
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Import de « %(name)s »") % {"name": self.job.original_name}

    def extra_breadcrumbs(self):
        return [
            {"url": reverse("imports:index"), "label": _("Imports précédents")},
            {"url": "", "label": self.job.original_name},
        ]

    def get(self, request, *args, **kwargs):
        self.job = self.get_job()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        job = self.job
        return {
            **super().get_context_data(**kwargs),
            "job": job,
            "status": job_status(job),
            "rejected_rows": rejected_rows(job, REJECTED_SHOWN),
            "rejected_shown": REJECTED_SHOWN,
        }


@method_decorator(never_cache, name="dispatch")
class ImportJobStatusView(ImportsMixin, View):
    """The job's progress as JSON, polled every second by import-progress.js."""

    def get(self, request, *args, **kwargs):
        return JsonResponse(job_status(self.get_job()))


class ImportReportView(ImportsMixin, View):
    """The job's report (one row per rejected record, then the warnings), as CSV."""

    def get(self, request, *args, **kwargs):
        job = self.get_job()
        if not job.report:
            raise Http404
        try:
            handle = job.report.open("rb")
        except FileNotFoundError as exc:
            raise Http404 from exc
        return FileResponse(
            handle,
            as_attachment=True,
            filename=f"rapport-import-{job.pk}.csv",
            content_type="text/csv; charset=utf-8",
        )


def job_status(job: ImportJob) -> dict:
    """What the progress bar shows: state, share of the file read, counts and one sentence."""
    # A strict import is one transaction: its progress is only known at the end.
    known = job.status == ImportJob.Status.DONE or not (
        job.strict and job.status == ImportJob.Status.RUNNING
    )
    counts = {
        "processed": job.processed,
        "created": job.created,
        "updated": job.updated,
        "unchanged": job.unchanged,
        "rejected": job.rejected,
    }
    return {
        "status": job.status,
        "status_label": job.get_status_display(),
        "finished": job.is_finished,
        "percent": job.percent if known else None,
        **counts,
        "message": status_message(job),
    }


def status_message(job: ImportJob) -> str:
    """One sentence for the live region: where the import is."""
    if job.status == ImportJob.Status.QUEUED:
        return _("En attente du traitement…")
    if job.status == ImportJob.Status.RUNNING:
        if job.strict:
            return _("Import en cours (mode strict : l'avancement s'affichera à la fin)…")
        return _("Import en cours : %(percent)d %% du fichier lu, %(processed)d notices.") % {
            "percent": job.percent,
            "processed": job.processed,
        }
    if job.status == ImportJob.Status.FAILED:
        return _("L'import a échoué : %(error)s") % {"error": job.error_message}
    counts = _(
        "créées : %(created)d, mises à jour : %(updated)d, inchangées : %(unchanged)d, "
        "rejetées : %(rejected)d"
    ) % {
        "created": job.created,
        "updated": job.updated,
        "unchanged": job.unchanged,
        "rejected": job.rejected,
    }
    if job.dry_run:
        return _("Essai à blanc terminé, rien n'a été enregistré (%(counts)s).") % {
            "counts": counts
        }
    if not job.committed:
        return _(
            "Mode strict : au moins une notice est invalide, rien n'a été enregistré (%(counts)s)."
        ) % {"counts": counts}
    return _("Import terminé (%(counts)s).") % {"counts": counts}


def rejected_rows(job: ImportJob, limit: int) -> list[dict]:
    """The first `limit` rejected records of the job's report: number, line, field, reason."""
    if not job.report:
        return []
    try:
        with job.report.open("rb") as handle:
            lines = (line.decode("utf-8") for line in handle)
            rows = (row for row in csv.DictReader(lines) if row.get("type") == "rejet")
            return [
                {
                    "number": row["notice"],
                    "line": row["ligne"],
                    "field": row["champ"],
                    "reason": row["motif"],
                }
                for row in islice(rows, limit)
            ]
    except FileNotFoundError:
        return []
