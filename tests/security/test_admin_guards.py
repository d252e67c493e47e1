"""What the admin guards (musees/accounts/admin_guards.py, admin_guard_views.py) change, as the
staff see it: refusals read as a 403 page, the page chooser shows published titles, bulk
actions and reports keep to the user's museum, media deletion follows the roles' table.
"""

import json

import pytest
from django.contrib.messages import get_messages
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.permissions import permission_policy as image_policy

from musees.accounts.admin_guards import PERMISSION_DENIED_MESSAGE, PERMISSION_DENIED_TITLE
from musees.accounts.roles import ROLES
from tests.catalogue.factories import WagtailImageFactory
from tests.museums.factories import MuseumPageFactory
from tests.security.conftest import CANARY_PAGE_LIVE
from tests.security.test_idor_matrix import body_of

DRAFT_TITLE = "CANARY-B-page-draft-91c3"


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def chooser_html(response) -> str:
    return json.loads(response.content)["html"]


# --- Refusals -----------------------------------------------------------------------------------


def test_a_refusal_is_a_403_page_in_the_admin_with_the_reason(world):
    client = logged_in(world.users["redacteur_a"])
    response = client.get(reverse("wagtailadmin_pages:edit", args=[world.museum_b.pk]))
    assert response.status_code == 403
    html = response.content.decode()
    assert str(PERMISSION_DENIED_TITLE) in html and str(PERMISSION_DENIED_MESSAGE) in html
    assert reverse("wagtailadmin_home") in html  # the way back, in the admin's own frame
    assert 'lang="fr"' in html and DRAFT_TITLE not in html
    # The admin's scripts get a bare 403, as from Wagtail.
    script = client.get(
        reverse("wagtailadmin_pages:edit", args=[world.museum_b.pk]),
        headers={"x-requested-with": "XMLHttpRequest"},
    )
    assert script.status_code == 403 and str(PERMISSION_DENIED_MESSAGE) not in body_of(script)


def test_a_screen_of_the_network_refuses_museum_staff_with_a_403(world):
    client = logged_in(world.users["responsable_a"])
    assert client.get(reverse("wagtailsites:index")).status_code == 403
    assert (
        logged_in(world.users["administrateur"]).get(reverse("wagtailsites:index")).status_code
        == 200
    )


def test_the_explorer_of_another_museum_answers_404_but_its_parent_leads_home(world):
    client = logged_in(world.users["redacteur_a"])
    assert client.get(reverse("wagtailadmin_explore", args=[world.museum_b.pk])).status_code == 404
    # Above the user's own page (where Wagtail returns after an action), the redirect stays.
    response = client.get(reverse("wagtailadmin_explore", args=[world.museum_index.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_explore", args=[world.museum_a.pk])


# --- Page chooser -------------------------------------------------------------------------------


def test_the_page_chooser_shows_published_titles_of_other_museums(world):
    museum_a = world.museum_a
    museum_a.title = "Musée A, brouillon du titre"
    museum_a.save_revision()
    hidden = MuseumPageFactory(
        parent=world.museum_index, title="CANARY-C-unpublished", slug="musee-c", live=False
    )
    client = logged_in(world.users["redacteur_a"])
    html = chooser_html(
        client.get(reverse("wagtailadmin_choose_page_child", args=[world.museum_index.pk]))
    )
    assert CANARY_PAGE_LIVE in html and DRAFT_TITLE not in html
    # Their own page shows its draft title, as in the rest of the admin.
    assert "Musée A, brouillon du titre" in html
    # Another museum's unpublished page is not listed, nor browsable, nor chosen.
    assert "CANARY-C-unpublished" not in html
    assert (
        client.get(reverse("wagtailadmin_choose_page_child", args=[hidden.pk])).status_code == 404
    )
    chosen = reverse("wagtailadmin_choose_page_chosen_multiple")
    assert client.get(chosen, {"id": [hidden.pk]}).status_code == 404
    result = json.loads(client.get(chosen, {"id": [world.museum_b.pk]}).content)["result"]
    assert [page["adminTitle"] for page in result] == [CANARY_PAGE_LIVE]
    search = chooser_html_or_text(
        client.get(reverse("wagtailadmin_choose_page_search"), {"q": "CANARY"})
    )
    assert CANARY_PAGE_LIVE in search and DRAFT_TITLE not in search
    assert "CANARY-C-unpublished" not in search
    # B's own staff still see their draft title.
    editor_b = logged_in(world.users["redacteur_b"])
    own = chooser_html(
        editor_b.get(reverse("wagtailadmin_choose_page_child", args=[world.museum_index.pk]))
    )
    assert DRAFT_TITLE in own


def chooser_html_or_text(response) -> str:
    text = body_of(response)
    try:
        return json.loads(text)["html"]
    except (ValueError, KeyError):
        return text


# --- Page views that spoke before checking -----------------------------------------------------


def test_moving_another_museums_page_is_refused_before_it_is_named(world):
    url = reverse("wagtailadmin_pages:move_confirm", args=[world.museum_b.pk, world.museum_a.pk])
    response = logged_in(world.users["responsable_a"]).get(url)
    assert response.status_code == 403 and DRAFT_TITLE not in body_of(response)
    # The administrator may move it: Wagtail's confirmation, with the page's title.
    allowed = logged_in(world.users["administrateur"]).get(
        reverse("wagtailadmin_pages:move_confirm", args=[world.museum_b.pk, world.museum_index.pk])
    )
    assert allowed.status_code in (200, 302)


def test_the_review_of_another_museum_is_not_described(world):
    client = logged_in(world.users["redacteur_a"])
    url = reverse("wagtailadmin_pages:confirm_workflow_cancellation", args=[world.museum_b.pk])
    response = client.get(url)
    assert response.status_code == 403 and "CANARY-B-task-91c3" not in body_of(response)
    # B's responsable, who reviews it, is told which task it waits for.
    manager_b = logged_in(world.staff_b[0])
    assert "CANARY-B-task-91c3" in body_of(manager_b.get(url))


def test_a_page_out_of_review_is_not_named_to_another_museum(world):
    """Wagtail's "the page '<draft title>' is not awaiting moderation" came before any check."""
    world.workflow_state_b.cancel(user=world.staff_b[0])
    client = logged_in(world.users["redacteur_a"])
    for name in (
        "wagtailadmin_pages:workflow_action",
        "wagtailadmin_pages:collect_workflow_action_data",
    ):
        url = reverse(name, args=[world.museum_b.pk, "approve", world.task_state_b.pk])
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == 403
            assert not [
                str(m) for m in get_messages(response.wsgi_request) if DRAFT_TITLE in str(m)
            ]
    preview = reverse(
        "wagtailadmin_pages:workflow_preview", args=[world.museum_b.pk, world.task_b.pk]
    )
    response = client.get(preview)
    assert response.status_code == 403
    assert DRAFT_TITLE not in body_of(client.get(reverse("wagtailadmin_home")))


# --- Bulk actions -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("app_model", "action"),
    [
        ("wagtailimages/image", "delete"),
        ("wagtailimages/image", "add_tags"),
        ("wagtaildocs/document", "add_to_collection"),
        ("wagtailcore/page", "publish"),
    ],
)
def test_a_bulk_action_on_another_museums_object_answers_404(world, app_model, action):
    own_image = WagtailImageFactory(title="Image du musée A", collection=world.museum_a.collection)
    own_document = get_document_model().objects.create(
        title="Document du musée A",
        file=ContentFile(b"texte", name="a.txt"),
        collection=world.museum_a.collection,
    )
    ids = {
        "wagtailimages/image": (world.image_b.pk, own_image.pk),
        "wagtaildocs/document": (world.document_b.pk, own_document.pk),
        "wagtailcore/page": (world.museum_b.pk, world.museum_a.pk),
    }[app_model]
    url = f"/admin/bulk/{app_model}/{action}/"
    client = logged_in(world.users["responsable_a"])
    # Another museum's object, alone or beside one's own: 404, and no title.
    for query in (f"?id={ids[0]}", f"?id={ids[0]}&id={ids[1]}"):
        response = client.get(url + query)
        assert response.status_code == 404
        assert "CANARY" not in body_of(response)
    # One's own: Wagtail's confirmation.
    assert client.get(url + f"?id={ids[1]}").status_code == 200


# --- Documents uploaded in two steps -------------------------------------------------------------


def test_a_document_upload_completed_without_a_title_gets_a_french_form_error(world):
    upload = world.uploads_b["document"]
    client = logged_in(world.users["redacteur_b"])
    url = reverse("wagtaildocs:create_multiple_from_uploaded_document", args=[upload.pk])
    response = client.post(url, {}, headers={"x-requested-with": "XMLHttpRequest"})
    assert response.status_code == 200
    answer = response.json()
    assert answer["success"] is False and "Champ requis" in answer["form"]
    prefix = f"uploaded-document-{upload.pk}"
    done = client.post(
        url,
        {
            f"{prefix}-title": "Convention de prêt",
            f"{prefix}-collection": world.museum_b.collection_id,
        },
        headers={"x-requested-with": "XMLHttpRequest"},
    ).json()
    assert done["success"] is True
    document = get_document_model().objects.get(pk=done["doc_id"])
    assert document.title == "Convention de prêt" and document.file.read() == b"texte"


# --- Deleting images and documents: the roles' table ---------------------------------------------


def may_delete_media(role: str) -> bool:
    """What the table says (roles.py, docs/roles.md)."""
    permissions = ROLES[role].collection_permissions
    return "wagtailimages.delete_image" in permissions


@pytest.mark.parametrize("role", ["redacteur", "responsable", "moderateur", "administrateur"])
def test_deleting_an_image_follows_the_roles_table(world, role):
    user = world.users[{"redacteur": "redacteur_a", "responsable": "responsable_a"}.get(role, role)]
    allowed = may_delete_media(role)
    # An image the user uploaded themselves, in their museum: Wagtail let any uploader delete it.
    image = WagtailImageFactory(
        title="Photo de salle", collection=world.museum_a.collection, uploaded_by_user=user
    )
    client = logged_in(user)
    edit = body_of(client.get(reverse("wagtailimages:edit", args=[image.pk])))
    delete_url = reverse("wagtailimages:delete", args=[image.pk])
    assert (delete_url in edit) is allowed
    # Wagtail's policy object itself answers so (every view of Wagtail's asks it).
    assert image_policy.user_has_permission_for_instance(user, "change", image)
    assert image_policy.user_has_permission_for_instance(user, "delete", image) is allowed
    answers = [
        client.get(delete_url).status_code,
        client.post(
            reverse("wagtailimages:delete_multiple", args=[image.pk]),
            headers={"x-requested-with": "XMLHttpRequest"},
        ).status_code,
        client.post(delete_url).status_code,
    ]
    if allowed:
        assert answers[0] == 200 and not get_image_model().objects.filter(pk=image.pk).exists()
    else:
        assert answers == [403, 403, 403]
        assert get_image_model().objects.filter(pk=image.pk).exists()
        bulk = client.post(f"/admin/bulk/wagtailimages/image/delete/?id={image.pk}")
        assert bulk.status_code in (200, 302)
        assert get_image_model().objects.filter(pk=image.pk).exists()


def test_deleting_a_document_follows_the_roles_table(world):
    editor, manager = world.users["redacteur_a"], world.users["responsable_a"]
    assert not may_delete_media("redacteur") and may_delete_media("responsable")
    document = get_document_model().objects.create(
        title="Programme",
        file=ContentFile(b"texte", name="programme.txt"),
        collection=world.museum_a.collection,
        uploaded_by_user=editor,
    )
    # The rédacteur who uploaded it may not delete it; the museum's responsable may.
    response = logged_in(editor).post(reverse("wagtaildocs:delete", args=[document.pk]))
    assert response.status_code == 403
    assert get_document_model().objects.filter(pk=document.pk).exists()
    logged_in(manager).post(reverse("wagtaildocs:delete", args=[document.pk]))
    assert not get_document_model().objects.filter(pk=document.pk).exists()


# --- Reports and the task chooser ---------------------------------------------------------------


def test_reports_keep_to_the_users_own_pages_and_people(world):
    client = logged_in(world.users["responsable_a"])
    usage = body_of(client.get(reverse("wagtailadmin_reports:page_types_usage")))
    assert DRAFT_TITLE not in usage and "Musée A" in usage
    workflows = body_of(client.get(reverse("wagtailadmin_reports:workflow")))
    assert "canary-b-editor-91c3" not in workflows
    tasks = body_of(client.get(reverse("wagtailadmin_reports:workflow_tasks")))
    assert "CANARY-B-task-91c3" not in tasks
    # B's own manager sees their museum's review in them.
    manager_b = logged_in(world.staff_b[0])
    assert "CANARY-B-task-91c3" in body_of(
        manager_b.get(reverse("wagtailadmin_reports:workflow_tasks"))
    )


def test_only_those_who_configure_workflows_choose_review_tasks(world, django_user_model):
    """Nobody in the roles' table configures workflows (a superuser does)."""
    url = reverse("wagtailadmin_workflows:task_chooser")
    chosen = reverse("wagtailadmin_workflows:task_chosen", args=[world.task_b.pk])
    for role in ("responsable_a", "administrateur"):
        client = logged_in(world.users[role])
        assert client.get(url).status_code == 403
        assert client.get(chosen).status_code == 403
    superuser = django_user_model.objects.create_superuser("root@reseau.fr", "root@reseau.fr", "x")
    response = logged_in(superuser).get(url)
    assert response.status_code == 200 and "CANARY-B-task-91c3" in body_of(response)
