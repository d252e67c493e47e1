"""Publishing works from the admin: drafts beside the published version, the review by the
museum's responsables (or the network's moderators), revisions, preview, scheduling,
unpublishing and the version check — each as the people of museums A and B meet it."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from wagtail.models import Revision, TaskState, WorkflowState

from musees.accounts.scoping import ERROR_NEWER_VERSION
from musees.catalogue.admin_forms import ERROR_ALT_TEXT, ERROR_CREDIT
from musees.catalogue.models import Work
from musees.museums.models import MuseumPage
from musees.review.models import MuseumReviewTask
from musees.search.service import SearchQuery, search
from tests.catalogue.admin.test_work_form import edit_url, errors_of, image_fields, work_data
from tests.catalogue.factories import WagtailImageFactory, WorkFactory

BASE = "/admin/oeuvres"


@pytest.fixture
def published_a(museum_a):
    return WorkFactory(
        museum=museum_a,
        title="Portrait de Madame Gonse",
        inventory_number="MIB 2024.1",
        status=Work.Status.PUBLISHED,
    )


def save(client, work, action=None, **fields):
    """Post the work's edit form as the admin does, with one of the action menu's buttons."""
    data = work_data(work.museum, inventory_number=work.inventory_number, **fields)
    if action:
        data[f"action-{action}"] = "1"
    return client.post(edit_url(work), data)


def found(text: str) -> list[str]:
    return [hit.work.title for hit in search(SearchQuery(text=text)).hits]


def public_title(client, work) -> str | None:
    response = client.get(work.get_absolute_url())
    if response.status_code != 200:
        return None
    return response.context["work"].title


def task_state_of(work) -> TaskState:
    return work.current_workflow_task_state


def approve(client, work, **extra):
    task_state = task_state_of(work)
    return client.post(
        f"{BASE}/workflow/action/{work.pk}/approve/{task_state.pk}/",
        {"comment": "", **extra},
    )


# --- Drafts --------------------------------------------------------------------------------


def test_a_new_work_is_a_draft_with_a_first_revision(client, editor_a, museum_a):
    client.force_login(editor_a)
    response = client.post(f"{BASE}/add/", work_data(museum_a))
    assert response.status_code == 302, errors_of(response)
    work = Work.objects.get(museum=museum_a)
    assert (work.status, work.live) == (Work.Status.DRAFT, False)
    assert work.latest_revision is not None


def test_editors_change_to_a_published_work_stays_a_draft_until_approved(
    client, editor_a, published_a
):
    client.force_login(editor_a)
    response = save(client, published_a, title="Portrait de Mme Gonse, 1852")
    assert response.status_code == 302, errors_of(response)
    published_a.refresh_from_db()
    # The public keeps seeing the published version; the admin knows a change waits.
    assert published_a.title == "Portrait de Madame Gonse"
    assert published_a.has_unpublished_changes
    assert published_a.get_latest_revision_as_object().title == "Portrait de Mme Gonse, 1852"
    assert public_title(Client(), published_a) == "Portrait de Madame Gonse"
    assert found("1852") == []
    panel = client.get("/admin/").content.decode()
    assert "Œuvres publiées avec des modifications pas encore publiées" in panel


def test_editor_has_no_publish_button_and_cannot_publish_by_posting(client, editor_a, work_a):
    client.force_login(editor_a)
    html = client.get(edit_url(work_a)).content.decode()
    assert 'name="action-publish"' not in html
    assert 'name="action-submit"' in html  # "Soumettre à Relecture avant publication"
    response = save(client, work_a, action="publish", title="Publiée en douce")
    assert response.status_code == 302
    work_a.refresh_from_db()
    assert (work_a.status, work_a.live) == (Work.Status.DRAFT, False)


# --- Review --------------------------------------------------------------------------------


def test_submission_goes_to_the_museums_responsables_by_email_in_french(
    client, editor_a, manager_a, manager_b, moderator, work_a, django_capture_on_commit_callbacks
):
    client.force_login(editor_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = save(client, work_a, action="submit", title="Vase à décor de grenades")
    assert response.status_code == 302, errors_of(response)
    assert work_a.workflow_in_progress
    assert isinstance(task_state_of(work_a).task.specific, MuseumReviewTask)
    page = client.get(response.url)
    assert "soumis(e) à relecture" in page.content.decode()  # not Wagtail's "planifié(e)"
    dashboard = client.get("/admin/").content.decode()
    assert "1 œuvre en attente de relecture" in dashboard
    # Submitted: no longer counted and listed as a mere draft.
    assert re.search(r"\b0 œuvres? en brouillon", dashboard)
    review = [m for m in mail.outbox if "À relire" in m.subject]
    assert [m.to for m in review] == [[manager_a.email]]
    assert "Vase à décor de grenades" in review[0].subject
    assert f"/admin/oeuvres/edit/{work_a.pk}/" in review[0].body
    assert "a soumis une modification" in review[0].body


def test_a_museum_may_send_its_changes_to_the_network_moderators(
    client, editor_a, manager_a, moderator, museum_a, work_a, django_capture_on_commit_callbacks
):
    MuseumPage.objects.filter(pk=museum_a.pk).update(review_by=MuseumPage.ReviewBy.NETWORK)
    client.force_login(editor_a)
    with django_capture_on_commit_callbacks(execute=True):
        save(client, work_a, action="submit")
    review = [m for m in mail.outbox if "À relire" in m.subject]
    assert [m.to for m in review] == [[moderator.email]]
    # The museum's responsable no longer reviews; the moderator does.
    client.force_login(manager_a)
    assert approve(client, work_a).status_code in (403, 404)
    client.force_login(moderator)
    assert approve(client, work_a).status_code == 302
    work_a.refresh_from_db()
    assert work_a.status == Work.Status.PUBLISHED


def test_responsable_approves_and_the_work_is_public_and_searchable(
    client, editor_a, manager_a, work_a
):
    client.force_login(editor_a)
    save(client, work_a, action="submit", title="Vase à décor de grenades")
    client.force_login(manager_a)
    html = client.get("/admin/").content.decode()
    assert "Vase à décor de grenades" in html  # "Awaiting your review" on the dashboard
    response = approve(client, work_a)
    assert response.status_code == 302
    work_a.refresh_from_db()
    assert (work_a.status, work_a.live) == (Work.Status.PUBLISHED, True)
    assert work_a.title == "Vase à décor de grenades"
    assert not work_a.workflow_in_progress
    assert public_title(Client(), work_a) == "Vase à décor de grenades"
    assert found("grenades") == ["Vase à décor de grenades"]
    # The rédacteur is told, in French (Wagtail's notification in the site's language).
    told = [m for m in mail.outbox if editor_a.email in m.to]
    assert told and "approuvé" in (told[-1].subject + told[-1].body).lower()


def test_responsable_asks_for_changes_with_a_comment(client, editor_a, manager_a, work_a):
    client.force_login(editor_a)
    save(client, work_a, action="submit")
    client.force_login(manager_a)
    task_state = task_state_of(work_a)
    response = client.post(
        f"{BASE}/workflow/action/{work_a.pk}/reject/{task_state.pk}/",
        {"comment": "Précisez la technique, s'il vous plaît."},
    )
    assert response.status_code == 302
    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_REJECTED
    assert task_state.comment == "Précisez la technique, s'il vous plaît."
    work_a.refresh_from_db()
    assert work_a.status == Work.Status.DRAFT
    assert work_a.current_workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES


def test_another_museums_responsable_cannot_review(
    client, editor_a, editor_b, manager_b, work_a, work_b
):
    client.force_login(editor_a)
    save(client, work_a, action="submit")
    client.force_login(editor_b)
    save(client, work_b, action="submit")
    task_a = task_state_of(work_a)
    client.force_login(manager_b)
    # A's work: not found. B's own work with A's task state: refused, nothing approved.
    assert approve(client, work_a).status_code == 404
    response = client.post(f"{BASE}/workflow/action/{work_b.pk}/approve/{task_a.pk}/", {})
    assert response.status_code == 404
    task_a.refresh_from_db()
    assert task_a.status == TaskState.STATUS_IN_PROGRESS
    # Even called directly, the task refuses a reviewer of another museum.
    with pytest.raises(PermissionDenied):
        task_a.task.specific.on_action(task_a, manager_b, "approve")
    task_a.refresh_from_db()
    assert task_a.status == TaskState.STATUS_IN_PROGRESS
    # And B's dashboard does not list A's change.
    assert "Portrait de Madame Gonse" not in client.get("/admin/").content.decode()


# --- What publication requires ------------------------------------------------------------


@pytest.fixture
def image_a(museum_a):
    museum_a.refresh_from_db()
    return WagtailImageFactory(title="Vue de face", collection=museum_a.collection)


def test_images_need_alt_text_and_credit_before_publication(client, manager_a, work_a, image_a):
    client.force_login(manager_a)
    bare = image_fields(image_a, alt_text="", photographer="", copyright_line="")
    response = save(client, work_a, action="publish", title="Typed title", images=[bare])
    assert response.status_code == 200
    image_errors = response.context["form"].formsets["images"].forms[0].errors
    assert image_errors["alt_text"] == [ERROR_ALT_TEXT]
    assert image_errors["photographer"] == [ERROR_CREDIT]
    assert "Typed title" in response.content.decode()  # what was typed is kept
    work_a.refresh_from_db()
    assert work_a.status == Work.Status.DRAFT
    # A draft may wait for its credits; publication with them goes through.
    assert save(client, work_a, images=[bare]).status_code == 302
    response = save(client, work_a, action="publish", images=[image_fields(image_a)])
    assert response.status_code == 302, errors_of(response)
    work_a.refresh_from_db()
    assert work_a.status == Work.Status.PUBLISHED


# --- Revisions, preview ---------------------------------------------------------------------


def test_revisions_compare_and_revert(client, manager_a, work_a):
    client.force_login(manager_a)
    save(client, work_a, title="Premier titre")
    save(client, work_a, title="Second titre")
    first, second = Revision.objects.for_instance(work_a).order_by("created_at", "pk")[:2]
    html = client.get(
        f"{BASE}/history/{work_a.pk}/revisions/compare/{first.pk}...{second.pk}/"
    ).content.decode()
    assert "Premier titre" in html and "Second titre" in html
    response = client.post(
        f"{BASE}/history/{work_a.pk}/revisions/{first.pk}/revert/",
        work_data(work_a.museum, inventory_number=work_a.inventory_number, title="Premier titre"),
    )
    assert response.status_code == 302, errors_of(response)
    work_a.refresh_from_db()
    assert work_a.title == "Premier titre"
    # The revert is a new revision: the history keeps all three.
    assert Revision.objects.for_instance(work_a).count() == 3


def test_preview_shows_the_public_page_of_the_draft(client, editor_a, published_a):
    client.force_login(editor_a)
    url = f"{BASE}/preview/{published_a.pk}/"
    data = work_data(
        published_a.museum, inventory_number=published_a.inventory_number, title="Titre essayé"
    )
    assert client.post(url, data).json()["is_valid"]
    html = client.get(url).content.decode()
    assert "Titre essayé" in html
    assert "Musée Ingres Bourdelle" in html


def test_another_museums_staff_cannot_see_revisions_previews_or_history(
    client, editor_a, manager_a, work_b
):
    revision = work_b.save_revision()
    for user in (editor_a, manager_a):
        client.force_login(user)
        for url in [
            f"{BASE}/history/{work_b.pk}/",
            f"{BASE}/history/{work_b.pk}/revisions/{revision.pk}/view/",
            f"{BASE}/history/{work_b.pk}/revisions/compare/earliest...{revision.pk}/",
            f"{BASE}/preview/{work_b.pk}/",
            f"{BASE}/workflow_history/{work_b.pk}/",
            f"{BASE}/unpublish/{work_b.pk}/",
        ]:
            response = client.get(url)
            assert response.status_code == 404, url
            assert "CANARY-B" not in response.content.decode()


# --- Scheduling, unpublishing ---------------------------------------------------------------


def test_scheduled_publication_goes_live_when_its_time_comes(client, manager_a, work_a):
    client.force_login(manager_a)
    go_live = timezone.localtime() + timedelta(days=2)
    response = save(
        client,
        work_a,
        action="publish",
        go_live_at=go_live.strftime("%Y-%m-%d %H:%M"),
        title="Exposée jeudi",
    )
    assert response.status_code == 302, errors_of(response)
    work_a.refresh_from_db()
    assert (work_a.status, work_a.live) == (Work.Status.DRAFT, False)
    assert found("jeudi") == []
    # Two days later (the revision's date moved back, as the clock would have moved on).
    past = timezone.now() - timedelta(minutes=1)
    revision = Revision.objects.for_instance(work_a).get(approved_go_live_at__isnull=False)
    revision.content["go_live_at"] = past.isoformat()
    revision.approved_go_live_at = past
    revision.save()
    call_command("publish_scheduled")
    work_a.refresh_from_db()
    assert (work_a.status, work_a.live, work_a.title) == (
        Work.Status.PUBLISHED,
        True,
        "Exposée jeudi",
    )
    assert found("jeudi") == ["Exposée jeudi"]


def test_responsable_unpublishes_editor_cannot(client, editor_a, manager_a, published_a):
    client.force_login(editor_a)
    assert client.post(f"{BASE}/unpublish/{published_a.pk}/").status_code == 403
    published_a.refresh_from_db()
    assert published_a.status == Work.Status.PUBLISHED
    client.force_login(manager_a)
    assert client.post(f"{BASE}/unpublish/{published_a.pk}/").status_code == 302
    published_a.refresh_from_db()
    assert (published_a.status, published_a.live) == (Work.Status.WITHDRAWN, False)
    assert public_title(Client(), published_a) is None
    assert found("Gonse") == []


# --- Version check ---------------------------------------------------------------------------


def test_two_people_editing_the_same_work_do_not_overwrite_each_other(
    client, editor_a, manager_a, work_a
):
    work_a.save_revision(user=manager_a)
    loaded = work_a.latest_revision
    fields = {
        "loaded_revision_id": str(loaded.pk),
        "loaded_revision_created_at": loaded.created_at.isoformat(),
    }
    client.force_login(manager_a)
    assert save(client, work_a, title="Titre de la responsable", **fields).status_code == 302
    client.force_login(editor_a)
    response = save(client, work_a, title="Titre du rédacteur", **fields)
    assert response.status_code == 200
    message = str(response.context["form"].non_field_errors()[0])
    assert manager_a.email in message or manager_a.get_full_name() in message
    assert str(ERROR_NEWER_VERSION).split("%(date)s")[1].split(".")[1].strip() in message
    assert "Titre du rédacteur" in response.content.decode()
    work_a.refresh_from_db()
    assert work_a.title == "Titre de la responsable"
    # Saving again, knowingly, replaces the other version.
    latest = work_a.latest_revision
    response = save(
        client,
        work_a,
        title="Titre du rédacteur",
        loaded_revision_id=str(latest.pk),
        loaded_revision_created_at=latest.created_at.isoformat(),
    )
    assert response.status_code == 302
    work_a.refresh_from_db()
    assert work_a.title == "Titre du rédacteur"
