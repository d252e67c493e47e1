"""Images dropped on the work form (musees/catalogue/admin_image_drop.py): saved in the work's
museum collection through Wagtail's image form, refused in French elsewhere; a refusal saves
nothing."""

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from wagtail.images import get_image_model
from wagtail.images.fields import WagtailImageField
from wagtail.images.tests.utils import get_test_image_file

from musees.catalogue.admin_image_drop import (
    ERROR_MUSEUM_NOT_ALLOWED,
    ERROR_NO_FILE,
    ERROR_NO_MUSEUM,
)
from tests.catalogue.admin.test_work_form import edit_url, errors_of, image_fields, work_data

UPLOAD = "/admin/oeuvres/images/depot/"
Image = get_image_model()


def png(name="vase-face.png"):
    upload = get_test_image_file(filename=name)
    return SimpleUploadedFile(name, upload.file.getvalue(), content_type="image/png")


@pytest.fixture
def collections(museum_a, museum_b):
    museum_a.refresh_from_db()
    museum_b.refresh_from_db()
    return museum_a.collection, museum_b.collection


def test_editor_drops_an_image_into_own_museums_collection(client, editor_a, museum_a, collections):
    client.force_login(editor_a)
    response = client.post(UPLOAD, {"museum": museum_a.pk, "file": png()})
    assert response.status_code == 200, response.content
    data = response.json()["image"]
    image = Image.objects.get(pk=data["id"])
    assert image.collection == collections[0]
    assert image.title == "vase-face"
    assert image.uploaded_by_user == editor_a
    # What the image chooser of the new row shows: title, preview, link to edit.
    assert data["title"] == "vase-face"
    assert data["preview"]["url"]
    assert data["edit_url"]


def test_dropped_image_is_saved_on_the_work_with_its_credits(
    client, editor_a, museum_a, work_a, collections
):
    client.force_login(editor_a)
    image_id = client.post(UPLOAD, {"museum": museum_a.pk, "file": png()}).json()["image"]["id"]
    data = work_data(
        museum_a,
        inventory_number=work_a.inventory_number,
        images=[image_fields(Image.objects.get(pk=image_id), alt_text="Vase vu de face")],
    )
    response = client.post(edit_url(work_a), data)
    assert response.status_code == 302, errors_of(response)
    assert work_a.images.get().alt_text == "Vase vu de face"


def test_another_museums_collection_is_refused_in_french(client, editor_a, museum_b, collections):
    client.force_login(editor_a)
    response = client.post(UPLOAD, {"museum": museum_b.pk, "file": png()})
    assert response.status_code == 403
    assert response.json() == {"error": str(ERROR_MUSEUM_NOT_ALLOWED)}
    assert not Image.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        # A text: Django's image check ("Téléversez une image valide…").
        (
            "notes.txt",
            b"Inventaire 1852",
            lambda: forms.ImageField().error_messages["invalid_image"],
        ),
        ("photo.jpg", b"pas une image", lambda: forms.ImageField().error_messages["invalid_image"]),
        # An image in a format the image library does not take: Wagtail's own message.
        (
            "vase.bmp",
            None,
            lambda: WagtailImageField().error_messages["invalid_image_extension"],
        ),
    ],
)
def test_a_file_that_is_not_an_image_is_refused_in_french(
    client, editor_a, museum_a, collections, name, content, expected
):
    client.force_login(editor_a)
    if content is None:
        content = get_test_image_file(filename=name).file.getvalue()
    upload = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    response = client.post(UPLOAD, {"museum": museum_a.pk, "file": upload})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error == str(expected())
    assert error.startswith(("Téléversez une image valide", "Format d'image non supporté"))
    assert not Image.objects.exists()


def test_no_museum_or_no_file_is_refused(client, editor_a, museum_a, collections):
    client.force_login(editor_a)
    response = client.post(UPLOAD, {"file": png()})
    assert (response.status_code, response.json()["error"]) == (400, str(ERROR_NO_MUSEUM))
    response = client.post(UPLOAD, {"museum": museum_a.pk})
    assert (response.status_code, response.json()["error"]) == (400, str(ERROR_NO_FILE))
    assert not Image.objects.exists()


def test_anonymous_cannot_upload(museum_a, collections):
    response = Client().post(UPLOAD, {"museum": museum_a.pk, "file": png()})
    assert response.status_code == 302
    assert "login" in response.url
    assert not Image.objects.exists()


def test_the_work_form_offers_the_drop_zone(client, editor_a, work_a):
    client.force_login(editor_a)
    html = client.get(edit_url(work_a)).content.decode()
    assert "Déposez des images ici, ou choisissez des fichiers" in html
    assert f'data-upload-url="{UPLOAD}"' in html
    assert "catalogue/admin/image-drop.js" in html
