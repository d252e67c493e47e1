"""The trash: what a deletion from the admin removed, kept for TRASH_RETENTION_DAYS days.

An entry holds a snapshot of every row the deletion removed (see snapshot.py), so that restoring
puts the object back with the same id and everything it had. Entries belong to the museum of
their object and are scoped like every museum-owned object (musees/accounts/scoping.py).
"""

import datetime

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from musees.accounts.scoping import ALL_ACTIONS, museum_scoped

DEFAULT_RETENTION_DAYS = 30


def retention_days() -> int:
    """How many days a deleted object stays restorable (setting TRASH_RETENTION_DAYS)."""
    return int(getattr(settings, "TRASH_RETENTION_DAYS", DEFAULT_RETENTION_DAYS))


def purge_date(deleted_at: datetime.datetime) -> datetime.datetime:
    """When an object deleted at `deleted_at` leaves the trash for good."""
    return deleted_at + datetime.timedelta(days=retention_days())


class TrashEntryQuerySet(models.QuerySet):
    def for_user(self, user, actions=ALL_ACTIONS):
        """The entries of the museums where `user` may take one of `actions` (all for the
        network's staff)."""
        return museum_scoped(self, user, actions)

    def expired(self, now=None):
        """Entries whose retention is over: to be purged."""
        return self.filter(purge_after__lte=now or timezone.now())

    def kept(self, now=None):
        """Entries still restorable."""
        return self.filter(purge_after__gt=now or timezone.now())


class TrashEntry(models.Model):
    """One deleted object: where it was, who deleted it and when, and the rows to restore."""

    content_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.CharField(_("identifiant d'origine"), max_length=255)
    # The museum may be deleted while its works wait here: the entry keeps its id (scoping) and
    # its name (display), and restoring says the museum is gone. Hence no database constraint
    # and no cascade; read `museum_title` rather than `museum`, which may be missing.
    museum = models.ForeignKey(
        "museums.MuseumPage",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        verbose_name=_("musée"),
    )
    museum_title = models.CharField(_("musée"), max_length=255)
    title = models.TextField(_("titre"))
    inventory_number = models.CharField(_("numéro d'inventaire"), max_length=255, blank=True)
    # snapshot.py writes it: {"format", "object", "rows", "relinks", "labels"}.
    snapshot = models.JSONField(encoder=DjangoJSONEncoder)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("supprimée par"),
    )
    deleted_at = models.DateTimeField(_("supprimée le"), default=timezone.now)
    purge_after = models.DateTimeField(_("suppression définitive le"), db_index=True)

    objects = TrashEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("notice dans la corbeille")
        verbose_name_plural = _("notices dans la corbeille")
        ordering = ["-deleted_at", "-pk"]
        indexes = [
            models.Index(fields=["museum", "-deleted_at"], name="trash_entry_museum_deleted"),
            models.Index(fields=["content_type", "object_id"], name="trash_entry_object"),
        ]
        # Who may do what follows the museum roles (scoping.py), not Django permissions.
        default_permissions = ()

    def __str__(self):
        return self.title

    @property
    def deleted_by_name(self) -> str:
        """The name of whoever deleted the object ("" if unknown or the account is gone)."""
        user = self.deleted_by
        if user is None:
            return ""
        return user.get_full_name() or user.email or user.get_username()

    def model_class(self):
        """The model of the deleted object (None if it no longer exists)."""
        return self.content_type.model_class()
