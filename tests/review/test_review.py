"""The review step for museum pages and works: who reviews which museum's changes, who is told,
and that nobody approves another museum's change."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from wagtail.models import ModelLogEntry, PageLogEntry, TaskState

from musees.catalogue.models import Work
from musees.museums.models import MuseumPage
from musees.review.models import MuseumReviewTask, reviewers_of
from tests.catalogue.factories import WorkFactory
from tests.museums.factories import MuseumPageFactory


@pytest.fixture
def museum_a(museum_index):
    return MuseumPageFactory(parent=museum_index, title="Musée Ingres Bourdelle", slug="ingres")


@pytest.fixture
def museum_b(museum_index):
    return MuseumPageFactory(parent=museum_index, title="Musée Lautrec Albi", slug="lautrec")


def submit_page(page, user, **changes):
    """A rédacteur's change to a museum page, submitted to the page's workflow."""
    page = MuseumPage.objects.get(pk=page.pk)
    for name, value in changes.items():
        setattr(page, name, value)
    page.save_revision(user=user)
    page.get_workflow().start(page, user)
    return page


def test_every_page_and_every_work_goes_through_the_museum_review(museum_a):
    work = WorkFactory(museum=museum_a)
    for obj in (museum_a, work):
        workflow = obj.get_workflow()
        tasks = [task.specific for task in workflow.tasks]
        assert [type(task) for task in tasks] == [MuseumReviewTask]


def test_page_change_waits_for_the_museums_responsable(
    client, editor_a, manager_a, manager_b, moderator, museum_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submit_page(museum_a, editor_a, hours_note="Nouveaux horaires d'hiver.")
    review = [m for m in mail.outbox if "À relire" in m.subject]
    assert [m.to for m in review] == [[manager_a.email]]
    assert "Musée Ingres Bourdelle" in review[0].body
    assert "&#x27;" not in review[0].body + review[0].subject  # plain text, not HTML
    assert f"/admin/pages/{museum_a.pk}/edit/" in review[0].body
    museum_a.refresh_from_db()
    assert museum_a.hours_note != "Nouveaux horaires d'hiver."  # not public yet

    task_state = museum_a.current_workflow_task_state
    client.force_login(manager_a)
    response = client.post(
        f"/admin/pages/workflow/action/{museum_a.pk}/approve/{task_state.pk}/", {"comment": ""}
    )
    assert response.status_code == 302
    museum_a.refresh_from_db()
    assert museum_a.hours_note == "Nouveaux horaires d'hiver."
    assert not museum_a.workflow_in_progress


def test_responsable_of_another_museum_cannot_approve_with_any_url(
    client, editor_a, editor_b, manager_b, museum_a, museum_b
):
    submit_page(museum_a, editor_a, hours_note="Texte de A")
    submit_page(museum_b, editor_b, hours_note="Texte de B")
    task_a = MuseumPage.objects.get(pk=museum_a.pk).current_workflow_task_state
    client.force_login(manager_b)
    # B's own page in the URL, A's task state in the URL: Wagtail would approve A's change.
    response = client.post(
        f"/admin/pages/workflow/action/{museum_b.pk}/approve/{task_a.pk}/", {"comment": ""}
    )
    assert response.status_code in (403, 404)
    task_a.refresh_from_db()
    assert task_a.status == TaskState.STATUS_IN_PROGRESS
    assert MuseumPage.objects.get(pk=museum_a.pk).hours_note != "Texte de A"
    with pytest.raises(PermissionDenied):
        task_a.task.specific.on_action(task_a, manager_b, "approve")


def test_reviewers_follow_the_museums_choice(
    manager_a, manager_b, moderator, administrator, museum_a
):
    assert set(reviewers_of(museum_a)) == {manager_a, moderator, administrator}
    MuseumPage.objects.filter(pk=museum_a.pk).update(review_by=MuseumPage.ReviewBy.NETWORK)
    museum_a.refresh_from_db()
    assert set(reviewers_of(museum_a)) == {moderator, administrator}
    work = WorkFactory(museum=museum_a, status=Work.Status.DRAFT)
    assert set(reviewers_of(work)) == {moderator, administrator}


def test_a_museum_without_responsable_is_reviewed_by_the_network(
    editor_a, moderator, museum_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submit_page(museum_a, editor_a, hours_note="Sans responsable")
    assert [m.to for m in mail.outbox if "À relire" in m.subject] == [[moderator.email]]


def test_responsable_chooses_who_reviews_in_the_team_screen(
    client, editor_a, manager_a, manager_b, museum_a
):
    url = f"/admin/equipe/musee/{museum_a.pk}/relecture/"
    for outsider in (editor_a, manager_b):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
        assert client.post(url, {"review_by": "network"}).status_code == 404
    assert MuseumPage.objects.get(pk=museum_a.pk).review_by == "museum"

    client.force_login(manager_a)
    team = client.get(f"/admin/equipe/musee/{museum_a.pk}/").content.decode()
    assert "les responsables du musée" in team
    response = client.post(url, {"review_by": "nonsense"})
    assert response.status_code == 200 and response.context["form"].errors
    response = client.post(url, {"review_by": "network"})
    assert response.status_code == 302
    assert MuseumPage.objects.get(pk=museum_a.pk).review_by == "network"
    entry = PageLogEntry.objects.filter(action="musees.review_by").get()
    assert entry.user == manager_a and entry.data["review_by"] == "network"
    assert not ModelLogEntry.objects.filter(action="musees.review_by").exists()
