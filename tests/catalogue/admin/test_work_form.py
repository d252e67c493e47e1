"""The work form: the user's museums only, publication by responsables and moderators, images
from the museum's own collection, parsed values read again from the texts."""

import pytest

from musees.accounts.scoping import ERROR_PUBLISH
from musees.accounts.services import role_grant
from musees.catalogue.admin_forms import WorkAdminForm
from musees.catalogue.models import Work
from tests.catalogue.admin.conftest import snapshot
from tests.catalogue.factories import WagtailImageFactory
from tests.museums.factories import MuseumPageFactory

ADD = "/admin/oeuvres/add/"


def edit_url(work) -> str:
    return f"/admin/oeuvres/edit/{work.pk}/"


def work_data(museum, *, images=(), **fields) -> dict:
    """What the form posts: the museum, the given fields, and the images' formset."""
    data = {
        "museum": museum.pk,
        "status": "draft",
        "inventory_number": "MIB 2025.7",
        "title": "Étude pour le Vœu de Louis XIII",
        "images-TOTAL_FORMS": str(len(images)),
        "images-INITIAL_FORMS": "0",
        "images-MIN_NUM_FORMS": "0",
        "images-MAX_NUM_FORMS": "1000",
    }
    data.update(fields)
    for index, image in enumerate(images):
        data[f"images-{index}-ORDER"] = str(index + 1)
        data.update({f"images-{index}-{name}": value for name, value in image.items()})
    return data


def errors_of(response) -> dict:
    return response.context["form"].errors if response.context else {}


def test_form_is_grouped_like_the_public_page(client, editor_a):
    client.force_login(editor_a)
    html = client.get(ADD).content.decode()
    for heading in [
        "Musée et publication",
        "Identification",
        "Création",
        "Description",
        "Historique et provenance",
        "Bibliographie et expositions",
        "Droits et crédits",
        "Texte alternatif",
    ]:
        assert heading in html, heading


def test_add_form_offers_and_preselects_the_editors_only_museum(
    client, editor_a, museum_a, museum_b
):
    client.force_login(editor_a)
    form = client.get(ADD).context["form"]
    assert list(form.fields["museum"].queryset) == [museum_a]
    assert form.initial["museum"] == museum_a.pk
    assert [value for value, _label in form.fields["status"].choices] == ["draft", "withdrawn"]


def test_editor_cannot_add_a_work_to_another_museum(client, editor_a, museum_b):
    client.force_login(editor_a)
    response = client.post(ADD, work_data(museum_b))
    assert response.status_code == 200
    assert "museum" in errors_of(response)
    assert not Work.objects.filter(museum=museum_b).exists()


def test_editor_adds_a_draft_with_its_measures_and_years_read(client, editor_a, museum_a):
    client.force_login(editor_a)
    response = client.post(
        ADD,
        work_data(
            museum_a,
            dimensions_text="Hauteur en cm 58 ; Largeur en cm 46.7",
            periods_text="1er quart 19e siècle",
            acquisition_text="1955 acquis",
        ),
    )
    assert response.status_code == 302, errors_of(response)
    work = Work.objects.get(museum=museum_a, inventory_number="MIB 2025.7")
    assert work.status == Work.Status.DRAFT
    assert (work.height_cm, work.width_cm) == (58, 46.7)
    assert (work.year_start, work.year_end) == (1800, 1825)
    assert work.acquisition_year == 1955


def test_editor_saves_changes_to_own_museums_work(client, editor_a, museum_a, work_a):
    client.force_login(editor_a)
    assert client.get(edit_url(work_a)).status_code == 200
    data = work_data(museum_a, inventory_number=work_a.inventory_number, title="Nouveau titre")
    data["dimensions_text"] = "Diamètre en cm 12"
    response = client.post(edit_url(work_a), data)
    assert response.status_code == 302, errors_of(response)
    work_a.refresh_from_db()
    assert work_a.title == "Nouveau titre"
    assert (work_a.diameter_cm, work_a.height_cm) == (12, None)


def test_editor_cannot_publish(client, editor_a, museum_a, work_a):
    client.force_login(editor_a)
    before = snapshot(work_a)
    data = work_data(museum_a, inventory_number=work_a.inventory_number, status="published")
    response = client.post(edit_url(work_a), data)
    assert response.status_code == 200
    assert "status" in errors_of(response)
    assert snapshot(work_a) == before


def test_editor_cannot_unpublish_a_published_work(client, editor_a, museum_a, work_a):
    Work.objects.filter(pk=work_a.pk).update(status=Work.Status.PUBLISHED)
    client.force_login(editor_a)
    form = client.get(edit_url(work_a)).context["form"]
    assert form.fields["status"].disabled
    data = work_data(
        museum_a, inventory_number=work_a.inventory_number, status="withdrawn", title="Corrigé"
    )
    response = client.post(edit_url(work_a), data)
    assert response.status_code == 302, errors_of(response)
    work_a.refresh_from_db()
    assert (work_a.status, work_a.title) == (Work.Status.PUBLISHED, "Corrigé")


def test_manager_and_moderator_publish(client, manager_a, moderator, museum_a, work_a):
    for user, status in [(manager_a, "published"), (moderator, "withdrawn")]:
        client.force_login(user)
        data = work_data(museum_a, inventory_number=work_a.inventory_number, status=status)
        response = client.post(edit_url(work_a), data)
        assert response.status_code == 302, errors_of(response)
        work_a.refresh_from_db()
        assert work_a.status == status


def test_server_refuses_publication_even_if_the_form_lets_it_through(
    client, editor_a, museum_a, work_a, monkeypatch
):
    # Should the form ever offer "publiée" to a rédacteur, the view still refuses to save it.
    monkeypatch.setattr(WorkAdminForm, "_limit_status", lambda form: None)
    monkeypatch.setattr(WorkAdminForm, "clean", lambda form: form.cleaned_data)
    client.force_login(editor_a)
    before = snapshot(work_a)
    data = work_data(museum_a, inventory_number=work_a.inventory_number, status="published")
    response = client.post(edit_url(work_a), data)
    assert response.status_code == 200
    assert str(ERROR_PUBLISH) in response.content.decode()
    assert snapshot(work_a) == before


def test_publishing_follows_the_role_in_the_works_museum(
    client, editor_a, museum_a, museum_index, work_a
):
    # Rédacteur in A, responsable in C: "publiée" is offered, and allowed in C only.
    museum_c = MuseumPageFactory(parent=museum_index, title="Musée Soulages")
    role_grant(user=editor_a, role="responsable", museum=museum_c)
    client.force_login(editor_a)
    data = work_data(museum_a, inventory_number=work_a.inventory_number, status="published")
    response = client.post(edit_url(work_a), data)
    assert errors_of(response)["status"] == [ERROR_PUBLISH]
    response = client.post(ADD, work_data(museum_c, status="published"))
    assert response.status_code == 302, errors_of(response)
    assert Work.objects.get(museum=museum_c).status == Work.Status.PUBLISHED


@pytest.fixture
def image_a(museum_a):
    museum_a.refresh_from_db()
    return WagtailImageFactory(title="Vue de face", collection=museum_a.collection)


def image_fields(image, **fields) -> dict:
    return {
        "id": "",
        "image": image.pk,
        "alt_text": "Femme assise, robe noire",
        "caption": "",
        "photographer": "Marc Jeanneteau",
        "copyright_line": "© Musée Ingres Bourdelle",
        "licence": "cc-by",
        **fields,
    }


def test_editor_adds_an_image_of_own_collection_with_its_credits(
    client, editor_a, museum_a, work_a, image_a
):
    client.force_login(editor_a)
    data = work_data(
        museum_a, inventory_number=work_a.inventory_number, images=[image_fields(image_a)]
    )
    response = client.post(edit_url(work_a), data)
    assert response.status_code == 302, errors_of(response)
    image = work_a.images.get()
    assert (image.image, image.alt_text, image.licence) == (
        image_a,
        "Femme assise, robe noire",
        "cc-by",
    )
    assert image.credit_line == "Marc Jeanneteau · © Musée Ingres Bourdelle"


def test_images_keep_the_order_given_in_the_form(client, editor_a, museum_a, work_a, image_a):
    client.force_login(editor_a)
    back = WagtailImageFactory(collection=image_a.collection)
    images = [
        image_fields(image_a, alt_text="Face", ORDER="2"),
        image_fields(back, alt_text="Revers", ORDER="1"),
    ]
    data = work_data(museum_a, inventory_number=work_a.inventory_number, images=images)
    response = client.post(edit_url(work_a), data)
    assert response.status_code == 302, errors_of(response)
    assert [image.alt_text for image in work_a.images.all()] == ["Revers", "Face"]


def test_editor_cannot_attach_another_museums_image(client, editor_a, museum_a, work_a, image_b):
    client.force_login(editor_a)
    data = work_data(
        museum_a, inventory_number=work_a.inventory_number, images=[image_fields(image_b)]
    )
    response = client.post(edit_url(work_a), data)
    assert response.status_code == 200
    assert not work_a.images.exists()
