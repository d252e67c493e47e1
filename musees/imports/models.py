"""An import of a catalogue file started from the admin: its file, options, progress and report."""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.utils.text import get_valid_filename
from django.utils.translation import gettext_lazy as _

from musees.accounts.scoping import ADD, museum_scoped


def _private_folder() -> str:
    # Files land under MEDIA_ROOT/imports/ in a random folder: MEDIA_URL may be served by the
    # web server, so their address must not be guessable. The admin serves them after a check.
    return f"imports/{uuid.uuid4().hex}"


def upload_path(instance, filename: str) -> str:
    """Where an uploaded file is stored (MEDIA_ROOT/imports/<random>/<its name>)."""
    name = get_valid_filename(PurePath(filename).name)[-100:] or "import"
    return f"{_private_folder()}/{name}"


def report_path(instance, filename: str) -> str:
    """Where a report is stored (MEDIA_ROOT/imports/<random>/rapport-import-<id>.csv)."""
    return f"{_private_folder()}/{filename}"


class ImportJobQuerySet(models.QuerySet):
    def for_user(self, user):
        """The jobs of the museums where `user` may import (every museum for the network)."""
        return museum_scoped(self, user, {ADD})

    def recent(self):
        """Newest first, with the museum and the person who started each job."""
        return self.select_related("museum", "user").order_by("-created_at", "-pk")


class ImportJob(models.Model):
    """One import of a Joconde or LIDO file into one museum, run by the background worker."""

    class Format(models.TextChoices):
        JOCONDE_TXT = "joconde-txt", _("Joconde, texte (« ajout piloté »)")
        JOCONDE_CSV = "joconde-csv", _("Joconde, CSV (données ouvertes)")
        LIDO = "lido", _("LIDO (XML)")

    class Status(models.TextChoices):
        QUEUED = "queued", _("en attente")
        RUNNING = "running", _("en cours")
        DONE = "done", _("terminé")
        FAILED = "failed", _("échoué")

    museum = models.ForeignKey(
        "museums.MuseumPage",
        on_delete=models.CASCADE,
        related_name="import_jobs",
        verbose_name=_("musée"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("lancé par"),
    )
    file = models.FileField(_("fichier"), upload_to=upload_path, max_length=255)
    original_name = models.CharField(_("nom du fichier"), max_length=255)
    format = models.CharField(_("format"), max_length=20, choices=Format.choices)
    strict = models.BooleanField(_("mode strict"), default=False)
    dry_run = models.BooleanField(_("essai à blanc"), default=False)
    status = models.CharField(
        _("état"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    total_bytes = models.PositiveBigIntegerField(_("taille du fichier"), default=0)
    bytes_read = models.PositiveBigIntegerField(_("octets lus"), default=0)
    processed = models.PositiveIntegerField(_("notices lues"), default=0)
    created = models.PositiveIntegerField(_("créées"), default=0)
    updated = models.PositiveIntegerField(_("mises à jour"), default=0)
    unchanged = models.PositiveIntegerField(_("inchangées"), default=0)
    rejected = models.PositiveIntegerField(_("rejetées"), default=0)
    committed = models.BooleanField(_("enregistré"), default=False)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    started_at = models.DateTimeField(_("commencé le"), null=True, blank=True)
    finished_at = models.DateTimeField(_("terminé le"), null=True, blank=True)
    report = models.FileField(_("rapport"), upload_to=report_path, max_length=255, blank=True)
    error_message = models.TextField(_("message d'erreur"), blank=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("import de notices")
        verbose_name_plural = _("imports de notices")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["museum", "-created_at"])]

    def __str__(self):
        return f"{self.original_name} ({self.museum})"

    @property
    def is_finished(self) -> bool:
        """Done or failed: nothing will change any more."""
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self) -> int:
        """How far the worker has read the file, 0 to 100 (100 once finished)."""
        if self.is_finished:
            return 100
        if not self.total_bytes:
            return 0
        return min(int(self.bytes_read * 100 / self.total_bytes), 99)
