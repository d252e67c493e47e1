"""Writes on the trash: put an object in it, restore it, purge it (now, or when it expires).

Each is one transaction, and each leaves an entry in the log (who, which museum, what, when).
"""

from dataclasses import dataclass, field
from types import SimpleNamespace

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import LogContext
from wagtail.models import WorkflowState

from musees.audit.services import log_event
from musees.museums.models import MuseumPage

from .models import TrashEntry, purge_date
from .snapshot import RESTORE_FAILED, collect, decode_row, insert, plan_restore

ACTION_TRASH = "musees.trash"
ACTION_RESTORE = "musees.restore"
ACTION_PURGE = "musees.purge"


class TrashRestoreError(Exception):
    """A restore that cannot be done; `problems` says why, in sentences for the user."""

    def __init__(self, problems: list[str]):
        super().__init__(" ".join(problems))
        self.problems = problems


@dataclass
class Restored:
    """A restored object, and what it depended on that was deleted since (left out)."""

    obj: object
    dropped: list[str] = field(default_factory=list)


def _cancel_workflows(obj, user) -> None:
    """Stop the reviews the object is in: a deleted object awaits no approval, and a restored
    one comes back out of review."""
    for state in WorkflowState.objects.active().for_instance(obj):
        if state.current_task_state_id is None:
            state.status = WorkflowState.STATUS_CANCELLED
            state.save(update_fields=["status"])
        else:
            state.cancel(user=user)


@transaction.atomic
def trash_object(*, obj, user=None) -> TrashEntry:
    """Move `obj` (an object of a museum, such as a work) to the trash: its snapshot is saved
    and its rows are deleted in the same transaction; its reviews are cancelled first."""
    museum = MuseumPage.objects.get(pk=obj.museum_id)
    _cancel_workflows(obj, user)
    collected = collect(obj)
    now = timezone.now()
    entry = TrashEntry.objects.create(
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=str(obj.pk),
        museum_id=museum.pk,
        museum_title=museum.title[:255],
        title=str(obj),
        inventory_number=str(getattr(obj, "inventory_number", "") or "")[:255],
        snapshot=collected.snapshot,
        deleted_by=user if getattr(user, "is_authenticated", False) else None,
        deleted_at=now,
        purge_after=purge_date(now),
    )
    log_event(
        action=ACTION_TRASH,
        instance=obj,
        museum=museum,
        user=user,
        data={"purge_after": entry.purge_after.isoformat()},
    )
    collected.collector.delete()
    return entry


def trash_restore(*, entry: TrashEntry, user=None) -> Restored:
    """Put a trashed object back, with the same id and everything it had, in one transaction;
    raise TrashRestoreError (nothing written) when something prevents it."""
    try:
        with transaction.atomic():
            entry = TrashEntry.objects.select_for_update().filter(pk=entry.pk).first()
            if entry is None:
                raise TrashRestoreError([_("Cette notice n'est plus dans la corbeille.")])
            plan = plan_restore(entry.snapshot)
            if plan.problems:
                raise TrashRestoreError(plan.problems)
            insert(plan)
            restored = type(plan.root)._base_manager.get(pk=plan.root.pk)
            museum = MuseumPage.objects.get(pk=entry.museum_id)
            log_event(
                action=ACTION_RESTORE,
                instance=restored,
                museum=museum,
                user=user,
                data={"dropped": plan.dropped} if plan.dropped else {},
            )
            entry.delete()
    except IntegrityError as exc:
        raise TrashRestoreError([str(RESTORE_FAILED)]) from exc
    return Restored(obj=restored, dropped=plan.dropped)


def _as_it_was(entry: TrashEntry):
    """The deleted object rebuilt in memory (unsaved), to name it in the log."""
    model = entry.model_class()
    if model is None:
        return None
    return decode_row(model._meta.concrete_model, entry.snapshot["object"]["fields"])


@transaction.atomic
def trash_purge(*, entry: TrashEntry, user=None, expired: bool = False) -> None:
    """Delete a trash entry for good: the object can no longer be restored."""
    museum = SimpleNamespace(pk=entry.museum_id, title=entry.museum_title)
    data = {"expired": True} if expired else {}
    obj = _as_it_was(entry)
    if obj is not None:
        log_event(action=ACTION_PURGE, instance=obj, museum=museum, user=user, data=data)
    else:
        log_event(
            action=ACTION_PURGE,
            museum=museum,
            user=user,
            data=data,
            model=TrashEntry,
            label=entry.title,
        )
    entry.delete()


def trash_purge_expired(*, now=None, dry_run: bool = False) -> list[TrashEntry]:
    """Purge every entry whose retention is over (one transaction each); the entries.

    Logged without a user: the retention did it, not whoever opened the screen.
    """
    entries = list(TrashEntry.objects.expired(now).order_by("purge_after", "pk"))
    if dry_run:
        return entries
    with LogContext(user=None):
        for entry in entries:
            trash_purge(entry=entry, user=None, expired=True)
    return entries
