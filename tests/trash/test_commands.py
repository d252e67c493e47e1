"""`manage.py purge_trash [--dry-run]`: what is past its retention goes, with a French report."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from musees.trash.models import TrashEntry
from musees.trash.services import trash_object
from tests.catalogue.factories import WorkFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def entries(museum_a, manager_a):
    """Two entries of A: one past its retention, one still restorable."""
    old = trash_object(obj=WorkFactory(museum=museum_a, title="Fibule"), user=manager_a)
    recent = trash_object(obj=WorkFactory(museum=museum_a, title="Torque"), user=manager_a)
    TrashEntry.objects.filter(pk=old.pk).update(
        deleted_at=timezone.now() - datetime.timedelta(days=31),
        purge_after=timezone.now() - datetime.timedelta(days=1),
    )
    return old, recent


def run(*args) -> str:
    out = io.StringIO()
    call_command("purge_trash", *args, stdout=out)
    return out.getvalue()


def test_dry_run_says_what_would_go_and_keeps_it(entries):
    report = run("--dry-run")
    assert "« Fibule » (Musée Fenaille)" in report and "Torque" not in report
    assert "Simulation : 1 notice serait supprimée définitivement" in report
    assert TrashEntry.objects.count() == 2


def test_purge_removes_expired_entries_only(entries):
    old, recent = entries
    report = run()
    assert "« Fibule » (Musée Fenaille)" in report
    assert "1 notice supprimée définitivement de la corbeille (conservation : 30 jours)" in report
    assert list(TrashEntry.objects.all()) == [recent]
    assert run() == "Aucune notice n'a dépassé sa durée de conservation (30 jours).\n"
