"""The work form: the user's museums only, images from the museum's own collection, parsed values
read again from the texts. Publication, review and revisions: test_work_publication.py."""

import pytest

from musees.catalogue.models import Work
from tests.catalogue.factories import WagtailImageFactory

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
        "Musée",
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
    assert "status" not in form.fields  # publishing is an action of the menu, by role


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
