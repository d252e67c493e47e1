"""Writes to the log: one entry per event, with the museum it concerns in its data."""

import os

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from wagtail.log_actions import get_active_log_context
from wagtail.log_actions import log as wagtail_log
from wagtail.models import ModelLogEntry

# object_id of an entry about no single object (a failed login with an unknown address, an
# import or export spanning several museums): Wagtail's log needs one, and no row has pk 0.
NO_OBJECT_ID = "0"


def museum_data(museum) -> dict:
    """The `data` keys that say which museum an entry concerns (empty for none)."""
    if museum is None:
        return {}
    return {"museum_id": museum.pk, "museum": museum.title}


def log_event(
    *, action: str, instance=None, museum=None, user=None, data=None, model=None, label=""
):
    """Log `action` on `instance` (a page, a model row) with its museum; return the entry.

    Without an instance, the entry is about `model` as a whole (`label` names it). The user is
    the given one, else the one of Wagtail's active log context (set by every admin view), else
    none (a command or the system).
    """
    data = {**(data or {}), **museum_data(museum)}
    if instance is not None:
        return wagtail_log(instance, action, user=user, data=data)
    context = get_active_log_context()
    return ModelLogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(model or get_user_model()),
        object_id=NO_OBJECT_ID,
        label=label[:255],
        action=action,
        data=data,
        user=user or context.user,
        uuid=context.uuid,
        timestamp=timezone.now(),
    )


def log_import(*, path: str, format_name: str, museum, report):
    """Log a committed catalogue import: file name, format and counts."""
    from musees.catalogue.models import Work

    data = {
        "file": os.path.basename(path),
        "format": format_name,
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "rejected": report.rejected,
    }
    return log_event(
        action="musees.import",
        instance=museum,
        museum=museum,
        data=data,
        model=Work,
        label=data["file"],
    )


def log_export(*, format_name: str, museofile_id, works, output=None):
    """Log a catalogue export: format, number of works, target file."""
    from musees.catalogue.models import Work
    from musees.museums.models import MuseumPage

    museum = MuseumPage.objects.filter(museofile_id=museofile_id).first() if museofile_id else None
    data = {
        "format": format_name,
        "count": works.count(),
        "file": os.path.basename(output) if output else "",
    }
    return log_event(
        action="musees.export",
        instance=museum,
        museum=museum,
        data=data,
        model=Work,
        label=data["file"] or format_name,
    )
