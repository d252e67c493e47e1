"""Putting a work in the trash, restoring it with everything it had, or saying why not."""

import datetime

import pytest
from django.db import connection
from django.db.models.signals import post_delete
from django.utils import timezone
from wagtail.models import (
    GroupApprovalTask,
    ModelLogEntry,
    Revision,
    TaskState,
    Workflow,
    WorkflowState,
    WorkflowTask,
)

from musees.catalogue.models import Domain, Work, WorkAuthor, WorkImage, WorkPlace
from musees.search.service import SearchQuery, search
from musees.trash.models import TrashEntry
from musees.trash.services import (
    TrashRestoreError,
    trash_object,
    trash_purge,
    trash_purge_expired,
    trash_restore,
)
from tests.catalogue.factories import WorkFactory
from tests.trash.conftest import everything_of

pytestmark = pytest.mark.django_db


def found(text: str) -> list[int]:
    """The ids of the works the public search finds."""
    return [hit.work.pk for hit in search(SearchQuery(text=text)).hits]


def log_of(action: str) -> list[ModelLogEntry]:
    return list(ModelLogEntry.objects.filter(action=action).order_by("pk"))


def test_trash_removes_the_work_and_all_it_carries(work_a, manager_a):
    pk = work_a.pk
    entry = trash_object(obj=work_a, user=manager_a)

    assert not Work.objects.filter(pk=pk).exists()
    for model in (WorkImage, WorkAuthor, WorkPlace):
        assert not model.objects.filter(work_id=pk).exists()
    assert not Work.domains.through.objects.filter(work_id=pk).exists()
    assert not Revision.objects.filter(object_id=str(pk), base_content_type=entry.content_type)
    assert entry.object_id == str(pk)
    assert entry.title == "Statue-menhir de Saint-Sernin"
    assert entry.inventory_number == "2024.7.1"
    assert (entry.museum_id, entry.museum_title) == (work_a.museum_id, "Musée Fenaille")
    assert entry.deleted_by == manager_a
    assert entry.purge_after - entry.deleted_at == datetime.timedelta(days=30)


def test_retention_is_a_setting(work_a, settings):
    settings.TRASH_RETENTION_DAYS = 7
    entry = trash_object(obj=work_a)
    assert entry.purge_after - entry.deleted_at == datetime.timedelta(days=7)


def test_restore_brings_back_the_same_work_with_everything(work_a, manager_a):
    pk = work_a.pk  # a deleted instance loses its pk, as with Django's delete()
    before = everything_of(pk)
    assert len(before["images"]) == 2 and len(before["places"]) == 2
    assert len(before["revisions"]) == 2 and before["work"]["latest_revision_id"]
    entry = trash_object(obj=work_a, user=manager_a)

    restored = trash_restore(entry=entry, user=manager_a)

    assert restored.obj.pk == pk and restored.dropped == []
    assert everything_of(pk) == before
    assert not TrashEntry.objects.exists()


def test_a_failure_while_deleting_leaves_the_work_in_place(work_a):
    before = everything_of(work_a.pk)

    def refuse(**kwargs):
        raise RuntimeError("disque plein")

    post_delete.connect(refuse, sender=WorkImage, dispatch_uid="test-trash-refuse")
    try:
        with pytest.raises(RuntimeError):
            trash_object(obj=work_a)
    finally:
        post_delete.disconnect(sender=WorkImage, dispatch_uid="test-trash-refuse")

    assert everything_of(work_a.pk) == before
    assert not TrashEntry.objects.exists()
    assert not log_of("musees.trash")


def test_trashed_work_leaves_search_and_restored_work_comes_back(work_a):
    pk = work_a.pk
    assert found("statue-menhir") == [pk]
    entry = trash_object(obj=work_a)
    assert found("statue-menhir") == []
    assert found("gravure") == []
    trash_restore(entry=entry)
    assert found("statue-menhir") == [pk]
    assert found("gravure") == [pk]  # its terms came back with it


# --- What prevents a restore: a clear sentence, nothing changed ---------------------------------


def assert_refused(entry, *words):
    with pytest.raises(TrashRestoreError) as error:
        trash_restore(entry=entry)
    message = " ".join(error.value.problems)
    for word in words:
        assert word in message, message
    assert TrashEntry.objects.filter(pk=entry.pk).exists()
    assert not Work.objects.filter(pk=int(entry.object_id)).exists()
    assert not WorkImage.objects.filter(work_id=int(entry.object_id)).exists()
    return message


def test_same_inventory_number_in_the_museum_prevents_the_restore(work_a):
    entry = trash_object(obj=work_a)
    WorkFactory(museum=work_a.museum, inventory_number="2024.7.1", title="Nouvelle notice")
    message = assert_refused(entry, "Musée Fenaille", "« 2024.7.1 »")
    assert "numéro d'inventaire" in message


def test_same_inventory_number_in_another_museum_does_not(work_a, museum_b):
    pk = work_a.pk
    entry = trash_object(obj=work_a)
    WorkFactory(museum=museum_b, inventory_number="2024.7.1")
    trash_restore(entry=entry)
    assert Work.objects.filter(pk=pk).exists()


def test_same_joconde_reference_prevents_the_restore(work_a, museum_b):
    entry = trash_object(obj=work_a)
    WorkFactory(museum=museum_b, joconde_ref="M0355000001")
    assert_refused(entry, "référence Joconde « M0355000001 »")


def test_an_image_deleted_since_prevents_the_restore(work_a):
    image = work_a.images.get(position=1).image
    entry = trash_object(obj=work_a)
    image.delete()
    assert_refused(entry, "L'image « Revers »", "médiathèque")


def test_a_museum_deleted_since_prevents_the_restore(work_a, museum_a):
    entry = trash_object(obj=work_a)
    museum_a.delete()
    assert_refused(entry, "Le musée « Musée Fenaille » n'existe plus")


def test_a_term_deleted_since_is_left_out_and_said(work_a):
    entry = trash_object(obj=work_a)
    Domain.objects.get(label="archéologie").delete()
    restored = trash_restore(entry=entry)
    assert restored.dropped == ["domaine « archéologie »"]
    assert list(restored.obj.domains.all()) == []
    assert restored.obj.techniques.count() == 2


def test_a_link_the_deletion_emptied_elsewhere_is_set_again(work_a, work_b):
    """A row outside the deletion that pointed (on_delete=SET_NULL) to a deleted row, here
    another work's `latest_revision`, is linked again by the restore."""
    revision = Revision.objects.filter(object_id=str(work_a.pk)).order_by("pk").first()
    Work.objects.filter(pk=work_b.pk).update(latest_revision=revision)
    entry = trash_object(obj=work_a)
    assert Work.objects.get(pk=work_b.pk).latest_revision_id is None
    trash_restore(entry=entry)
    assert Work.objects.get(pk=work_b.pk).latest_revision_id == revision.pk


# --- Workflows ----------------------------------------------------------------------------------


def test_review_in_progress_is_cancelled_and_its_history_comes_back(work_a, editor_a, manager_a):
    workflow = Workflow.objects.create(name="Relecture")
    task = GroupApprovalTask.objects.create(name="Relecture du responsable")
    task.groups.set([work_a.museum.managers_group])
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    state = workflow.start(work_a, editor_a)
    task_states = list(TaskState.objects.filter(workflow_state=state).values_list("pk", flat=True))

    entry = trash_object(obj=work_a, user=manager_a)
    assert not WorkflowState.objects.filter(pk=state.pk).exists()
    assert log_of("wagtail.workflow.cancel")[0].user == manager_a

    trash_restore(entry=entry)
    state = WorkflowState.objects.get(pk=state.pk)
    assert state.status == WorkflowState.STATUS_CANCELLED
    assert state.current_task_state_id in task_states
    assert list(TaskState.objects.filter(workflow_state=state).values_list("pk", flat=True)) == (
        task_states
    )
    assert TaskState.objects.get(pk=task_states[0]).status == TaskState.STATUS_CANCELLED


def test_restore_commits_with_every_constraint_checked(work_a, manager_a):
    """The deferred foreign key checks, which would run at commit, run here at once (a
    transactional test would empty the tables the migrations filled, for the next tests)."""
    pk = work_a.pk
    before = everything_of(pk)
    entry = trash_object(obj=work_a, user=manager_a)
    trash_restore(entry=entry, user=manager_a)
    connection.check_constraints()
    assert everything_of(pk) == before


# --- Purge and the log ---------------------------------------------------------------------------


def test_purge_is_final_and_logged(work_a, manager_a):
    pk = work_a.pk
    entry = trash_object(obj=work_a, user=manager_a)
    trash_purge(entry=entry, user=manager_a)
    assert not TrashEntry.objects.exists()
    [purged] = log_of("musees.purge")
    assert (purged.user, purged.object_id, purged.label) == (
        manager_a,
        str(pk),
        "Statue-menhir de Saint-Sernin",
    )
    assert purged.data["museum"] == "Musée Fenaille"
    assert purged.message == "Supprimée définitivement (Musée Fenaille)"


def test_expired_entries_are_purged_by_nobody(work_a, museum_a, manager_a):
    old = trash_object(obj=work_a, user=manager_a)
    recent = trash_object(obj=WorkFactory(museum=museum_a), user=manager_a)
    later = old.purge_after + datetime.timedelta(seconds=1)
    TrashEntry.objects.filter(pk=recent.pk).update(purge_after=later + datetime.timedelta(days=1))

    assert trash_purge_expired(now=later, dry_run=True) == [old]
    assert TrashEntry.objects.count() == 2
    assert [entry.title for entry in trash_purge_expired(now=later)] == [old.title]
    assert list(TrashEntry.objects.all()) == [recent]
    [purged] = log_of("musees.purge")
    assert purged.user is None and purged.data["expired"] is True
    assert purged.message.startswith("Supprimée définitivement (fin du délai de conservation)")


def test_every_step_is_logged_with_who_which_museum_and_what(work_a, manager_a):
    pk, museum_id = work_a.pk, work_a.museum_id
    entry = trash_object(obj=work_a, user=manager_a)
    trash_restore(entry=entry, user=manager_a)
    trashed, restored = log_of("musees.trash") + log_of("musees.restore")
    for logged in (trashed, restored):
        assert logged.user == manager_a
        assert logged.object_id == str(pk)
        assert logged.label == "Statue-menhir de Saint-Sernin"
        assert logged.data["museum_id"] == museum_id
        assert logged.timestamp <= timezone.now()
    assert trashed.message == "Placée dans la corbeille (Musée Fenaille)"
    assert restored.message == "Restaurée depuis la corbeille (Musée Fenaille)"
