"""The world of the IDOR matrix: museums A and B, everything B owns, and one account per role.

Every object of B carries a unique canary string (CANARY-B-...). The "private" ones (drafts,
media, import report, staff, invitation) must never reach a person outside B; the "public" ones
(the live title of B's page, a published work) are on the public site anyway.
"""

from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.admin.models import EditingSession
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import (
    CollectionViewRestriction,
    GroupApprovalTask,
    Page,
    Revision,
    UploadedFile,
    Workflow,
    WorkflowTask,
)

from musees.accounts.services import invitation_create, role_grant
from musees.audit.services import log_event
from musees.catalogue.models import Work
from musees.imports.models import ImportJob
from musees.trash.services import trash_object
from tests.accounts.people import PASSWORD
from tests.catalogue.factories import WagtailImageFactory, WorkFactory, WorkImageFactory
from tests.museums.factories import MuseumPageFactory

CANARY_PAGE_LIVE = "CANARY-B-page-live-91c3"
PUBLIC_CANARIES = (
    CANARY_PAGE_LIVE,
    "CANARY-B-work-published-91c3",
    "CANARY-B-image-public-91c3",  # the image of the published work (IIIF, work page)
)
PRIVATE_CANARIES = (
    "CANARY-B-page-draft-91c3",  # title of the unpublished draft revision of B's page
    "CANARY-B-revision-91c3",  # an older revision's title
    "CANARY-B-work-draft-91c3",
    "CANARY-B-inv-draft-91c3",
    "CANARY-B-alt-91c3",
    "CANARY-B-image-91c3",
    "CANARY-B-document-91c3",
    "CANARY-B-import-91c3",  # the import's file name
    "CANARY-B-report-91c3",  # a line of the import report
    "CANARY-B-log-91c3",  # a log entry's label
    "canary-b-staff-91c3",  # B's responsable (e-mail and first name)
    "canary-b-editor-91c3",  # B's rédacteur, who submitted B's draft for review
    "canary-b-invite-91c3",  # the pending invitation's e-mail
    "CANARY-B-upload-91c3",  # an image uploaded by B, not yet saved
    "CANARY-B-task-91c3",  # the review task B's draft waits for
    "CANARY-B-work-withdrawn-91c3",  # a work withdrawn from publication
    "CANARY-B-inv-withdrawn-91c3",
    "CANARY-B-image-withdrawn-91c3",  # the withdrawn work's image
    "CANARY-B-private-doc-91c3",  # a document of B's private collection (login required)
    "CANARY-B-private-file-91c3",  # that document's content
    "CANARY-B-work-pending-91c3",  # the unpublished change of B's published work
    "CANARY-B-trashed-91c3",  # a work of B in its trash
)
CANARIES = PUBLIC_CANARIES + PRIVATE_CANARIES


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Images, documents and reports go to a folder of the test's own."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


def make_user(email: str, first_name: str = ""):
    return get_user_model().objects.create_user(
        username=email, email=email, password=PASSWORD, first_name=first_name
    )


def _museum_b_with_revisions(museum_index):
    """B's page: published twice, then an unpublished draft (so: 4 revisions, one pending)."""
    museum = MuseumPageFactory(parent=museum_index, title=CANARY_PAGE_LIVE, slug="musee-b")
    museum.title = "CANARY-B-revision-91c3"
    museum.save_revision().publish()
    museum.title = CANARY_PAGE_LIVE
    museum.save_revision().publish()
    museum.title = "CANARY-B-page-draft-91c3"
    museum.save_revision()
    museum.refresh_from_db()
    return museum


@pytest.fixture
def world(museum_index):
    museum_a = MuseumPageFactory(parent=museum_index, title="Musée A", slug="musee-a")
    museum_b = _museum_b_with_revisions(museum_index)
    museum_a.refresh_from_db()

    editor_a = role_grant(user=make_user("paul@musee-a.fr"), role="redacteur", museum=museum_a)
    manager_a = role_grant(user=make_user("claire@musee-a.fr"), role="responsable", museum=museum_a)
    editor_b = role_grant(
        user=make_user("canary-b-editor-91c3@musee-b.fr", first_name="canary-b-editor-91c3"),
        role="redacteur",
        museum=museum_b,
    )
    manager_b = role_grant(
        user=make_user("canary-b-staff-91c3@musee-b.fr", first_name="canary-b-staff-91c3"),
        role="responsable",
        museum=museum_b,
    )
    moderator = role_grant(user=make_user("moderation@reseau.fr"), role="moderateur")
    administrator = role_grant(user=make_user("admin@reseau.fr"), role="administrateur")

    image_b = WagtailImageFactory(title="CANARY-B-image-91c3", collection=museum_b.collection)
    work_published = WorkFactory(
        museum=museum_b, title="CANARY-B-work-published-91c3", status=Work.Status.PUBLISHED
    )
    work_draft = WorkFactory(
        museum=museum_b,
        title="CANARY-B-work-draft-91c3",
        inventory_number="CANARY-B-inv-draft-91c3",
        status=Work.Status.DRAFT,
    )
    WorkImageFactory(work=work_draft, image=image_b, alt_text="CANARY-B-alt-91c3")
    # The public side's objects: a published work with its public image, a withdrawn work with
    # its own image, and a document in a private collection of B's (staff only).
    image_public = WagtailImageFactory(
        title="CANARY-B-image-public-91c3", collection=museum_b.collection
    )
    WorkImageFactory(work=work_published, image=image_public, high_resolution_download=True)
    work_withdrawn = WorkFactory(
        museum=museum_b,
        title="CANARY-B-work-withdrawn-91c3",
        inventory_number="CANARY-B-inv-withdrawn-91c3",
        status=Work.Status.WITHDRAWN,
    )
    image_withdrawn = WagtailImageFactory(
        title="CANARY-B-image-withdrawn-91c3", collection=museum_b.collection
    )
    WorkImageFactory(work=work_withdrawn, image=image_withdrawn)
    private_collection = museum_b.collection.add_child(name="Musée B — documents internes")
    restriction = CollectionViewRestriction.objects.create(
        collection=private_collection, restriction_type=CollectionViewRestriction.LOGIN
    )
    private_document = get_document_model().objects.create(
        title="CANARY-B-private-doc-91c3",
        file=ContentFile(b"CANARY-B-private-file-91c3", name="note-interne.txt"),
        collection=private_collection,
    )
    document_b = get_document_model().objects.create(
        title="CANARY-B-document-91c3",
        file=ContentFile(b"convention de pret", name="convention.txt"),
        collection=museum_b.collection,
    )
    job_b = ImportJob.objects.create(
        museum=museum_b,
        user=editor_b,
        original_name="CANARY-B-import-91c3.csv",
        format=ImportJob.Format.JOCONDE_CSV,
        status=ImportJob.Status.DONE,
        processed=1,
        rejected=1,
    )
    job_b.report.save("rapport.csv", ContentFile(b"ligne;erreur\n1;CANARY-B-report-91c3\n"))
    log_b = log_event(
        action="wagtail.edit",
        instance=work_draft,
        museum=museum_b,
        user=editor_b,
        data={"note": "CANARY-B-log-91c3"},
    )
    log_b.label = "CANARY-B-log-91c3"
    log_b.save(update_fields=["label"])
    invitation_b, _token = invitation_create(
        email="canary-b-invite-91c3@musee-b.fr",
        role="redacteur",
        museum=museum_b,
        invited_by=manager_b,
        send=False,
    )
    upload_image = UploadedFile.objects.create(
        file=ContentFile(b"GIF89a", name="CANARY-B-upload-91c3.gif"),
        uploaded_by_user=editor_b,
        for_content_type=ContentType.objects.get_for_model(get_image_model()),
    )
    upload_document = UploadedFile.objects.create(
        file=ContentFile(b"texte", name="CANARY-B-upload-91c3.txt"),
        uploaded_by_user=editor_b,
        for_content_type=ContentType.objects.get_for_model(get_document_model()),
    )
    session_b = EditingSession.objects.create(
        user=editor_b,
        content_type=ContentType.objects.get_for_model(Page),
        object_id=str(museum_b.pk),
        last_seen_at=timezone.now(),
    )
    # B's draft waits in a review workflow.
    workflow = Workflow.objects.create(name="Relecture du musée B")
    task = GroupApprovalTask.objects.create(name="CANARY-B-task-91c3")
    task.groups.set([museum_b.managers_group])
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    workflow_state = workflow.start(museum_b, editor_b)
    museum_b.refresh_from_db()
    # B's works have revisions: the published one a pending change, the draft one waits for
    # the network's review (musees/review), and a third one is in B's trash.
    work_published.title = "CANARY-B-work-pending-91c3"
    work_published.save_revision(user=editor_b)
    work_published.refresh_from_db()
    work_draft.save_revision(user=editor_b)
    work_workflow_state = work_draft.get_workflow().start(work_draft, editor_b)
    work_draft.refresh_from_db()
    trashed = WorkFactory(museum=museum_b, title="CANARY-B-trashed-91c3")
    trash_b = trash_object(obj=trashed, user=manager_b)

    return SimpleNamespace(
        museum_index=museum_index,
        museum_a=museum_a,
        museum_b=museum_b,
        revisions_b=list(museum_b.revisions.order_by("pk")),
        works_b=[work_published, work_draft],
        work_withdrawn_b=work_withdrawn,
        image_b=image_b,
        image_public_b=image_public,
        image_withdrawn_b=image_withdrawn,
        private_document_b=private_document,
        private_restriction_b=restriction,
        document_b=document_b,
        job_b=job_b,
        log_b=log_b,
        invitation_b=invitation_b,
        staff_b=[manager_b, editor_b],
        uploads_b={"image": upload_image, "document": upload_document},
        session_b=session_b,
        workflow_state_b=workflow_state,
        task_state_b=workflow_state.current_task_state,
        task_b=task,
        work_revisions_b=list(
            Revision.objects.filter(
                base_content_type=ContentType.objects.get_for_model(Work),
                object_id__in=[str(work_published.pk), str(work_draft.pk)],
            ).order_by("pk")
        ),
        work_workflow_state_b=work_workflow_state,
        work_task_state_b=work_workflow_state.current_task_state,
        trash_b=trash_b,
        users={
            "anonymous": None,
            "redacteur_a": editor_a,
            "responsable_a": manager_a,
            "redacteur_b": editor_b,
            "moderateur": moderator,
            "administrateur": administrator,
        },
    )
