"""The search index's footing in the database: the change log and the current segment.

Every write that can change what the public finds (a work saved, published, withdrawn or
deleted, its images or vocabulary changed, a museum published or unpublished, an import batch)
appends the works' ids to `SearchChange` in the same transaction. The engine serves the last
built segment minus these works, plus a small segment of their current state: a search always
sees the committed database, and a crash cannot lose an update.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchChange(models.Model):
    """A work whose search document may have changed (no foreign key: it may be deleted)."""

    id = models.BigAutoField(primary_key=True)
    work_id = models.BigIntegerField(_("œuvre"))

    class Meta:
        verbose_name = _("modification à indexer")
        verbose_name_plural = _("modifications à indexer")

    def __str__(self):
        return f"{self.pk}: {self.work_id}"


class SearchIndexState(models.Model):
    """The one row naming the segment to serve and the change it includes up to."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    segment = models.CharField(_("segment"), max_length=64)
    watermark = models.BigIntegerField(_("dernière modification incluse"), default=0)
    previous_watermark = models.BigIntegerField(default=0)
    documents = models.PositiveIntegerField(_("œuvres indexées"), default=0)
    built_at = models.DateTimeField(_("construit le"))
    build_seconds = models.FloatField(_("durée de construction (s)"), default=0)

    class Meta:
        verbose_name = _("état de l'index de recherche")
        verbose_name_plural = _("état de l'index de recherche")

    def __str__(self):
        return self.segment
