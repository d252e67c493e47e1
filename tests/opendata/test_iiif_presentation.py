"""IIIF Presentation API 3.0 manifests of public works."""

import io
import json
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch
from jsonschema import Draft7Validator
from PIL import Image as PILImage

from musees.catalogue.models import Work, WorkImage
from musees.opendata.iiif.presentation import manifest_path
from tests.catalogue.factories import (
    DenominationFactory,
    DomainFactory,
    WorkFactory,
    WorkImageFactory,
)

from .conftest import SMALL_IMAGE, wagtail_image

pytestmark = pytest.mark.django_db

SCHEMA = json.loads(
    (Path(__file__).resolve().parent.parent / "data/schemas/iiif/iiif_3_0.json").read_text()
)
VALIDATOR = Draft7Validator(SCHEMA, format_checker=Draft7Validator.FORMAT_CHECKER)


def assert_valid(manifest: dict) -> None:
    errors = sorted(VALIDATOR.iter_errors(manifest), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:5])


@pytest.fixture
def work(museum, medium_image, small_image):
    """A published work with two images: the medium one first, the small one second."""
    work = WorkFactory(
        museum=museum,
        inventory_number="2024/12 A",
        title="Vagues",
        description="Paravent à deux panneaux.",
        authors_text="Ogata Kōrin",
        periods_text="18e siècle",
        techniques_text="encre, couleurs et feuille d'or sur papier",
        dimensions_text="H. 146,5 ; L. 165 cm",
        domains=[DomainFactory(label="peinture")],
        denominations=[DenominationFactory(label="paravent")],
    )
    WorkImageFactory(
        work=work,
        image=small_image,
        position=2,
        licence=WorkImage.Licence.CC0,
        caption="Bassin",
    )
    WorkImageFactory(
        work=work,
        image=medium_image,
        position=1,
        licence=WorkImage.Licence.CC0,
        high_resolution_download=True,
        photographer="The Metropolitan Museum of Art",
        copyright_line="domaine public",
        caption="Vue d'ensemble",
    )
    return work


def test_manifest_url_quotes_the_inventory_number(work):
    assert manifest_path(work) == "/iiif/3/manifests/musee-essai/2024%2F12%20A/manifest.json"


def test_manifest_validates_and_has_one_canvas_per_image_in_order(
    client, work, medium_image, small_image
):
    response = client.get(manifest_path(work))

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    manifest = response.json()
    assert_valid(manifest)
    assert manifest["@context"] == "http://iiif.io/api/presentation/3/context.json"
    assert manifest["id"] == f"http://testserver{manifest_path(work)}"
    assert manifest["type"] == "Manifest"
    assert manifest["label"] == {"fr": ["Vagues"]}
    assert manifest["summary"] == {"fr": ["Paravent à deux panneaux."]}
    canvases = manifest["items"]
    assert [c["label"] for c in canvases] == [{"fr": ["Vue d'ensemble"]}, {"fr": ["Bassin"]}]
    assert [(c["width"], c["height"]) for c in canvases] == [(1200, 1070), (120, 96)]
    services = [c["items"][0]["items"][0]["body"]["service"][0]["id"] for c in canvases]
    assert services == [
        f"http://testserver/iiif/3/{medium_image.pk}",
        f"http://testserver/iiif/3/{small_image.pk}",
    ]


def test_manifest_metadata_rights_and_credit(client, work):
    manifest = client.get(manifest_path(work)).json()

    metadata = {pair["label"]["fr"][0]: pair["value"]["fr"][0] for pair in manifest["metadata"]}
    assert metadata == {
        "Auteur": "Ogata Kōrin",
        "Dénomination": "paravent",
        "Domaine": "peinture",
        "Période": "18e siècle",
        "Matériaux et techniques": "encre, couleurs et feuille d'or sur papier",
        "Mesures": "H. 146,5 ; L. 165 cm",
        "Numéro d'inventaire": "2024/12 A",
        "Musée": "Musée d'essai",
    }
    assert manifest["rights"] == "http://creativecommons.org/publicdomain/zero/1.0/"
    assert manifest["requiredStatement"] == {
        "label": {"fr": ["Crédit"]},
        "value": {"fr": ["The Metropolitan Museum of Art · domaine public"]},
    }
    provider = manifest["provider"][0]
    assert provider["label"] == {"fr": ["Musée d'essai"]}
    assert provider["homepage"][0]["id"].endswith("/musees/musee-essai/")


def test_manifest_homepage_is_the_work_page(client, work):
    manifest = client.get(manifest_path(work)).json()

    try:
        expected = f"http://testserver{work.get_absolute_url()}"
    except NoReverseMatch:  # the work pages are not installed: no homepage, still valid
        assert "homepage" not in manifest
    else:
        assert manifest["homepage"][0]["id"] == expected


def test_manifest_images_are_served_at_the_size_it_announces(client, work):
    manifest = client.get(manifest_path(work)).json()

    for canvas in manifest["items"]:
        body = canvas["items"][0]["items"][0]["body"]
        path = body["id"].removeprefix("http://testserver")
        image = PILImage.open(io.BytesIO(client.get(path).content))
        assert image.size == (body["width"], body["height"])
        info = client.get(body["service"][0]["id"].removeprefix("http://testserver") + "/info.json")
        assert info.json()["id"] == body["service"][0]["id"]
    thumbnail = manifest["thumbnail"][0]
    image = PILImage.open(
        io.BytesIO(client.get(thumbnail["id"][len("http://testserver") :]).content)
    )
    assert image.size == (thumbnail["width"], thumbnail["height"]) == (400, 356)


def test_licence_ouverte_is_stated_in_the_metadata(client, museum, small_image):
    work = WorkFactory(museum=museum)
    WorkImageFactory(work=work, image=small_image, licence=WorkImage.Licence.LICENCE_OUVERTE)

    manifest = client.get(manifest_path(work)).json()

    assert_valid(manifest)
    assert "rights" not in manifest
    licence = [p for p in manifest["metadata"] if p["label"] == {"fr": ["Licence"]}]
    assert "etalab.gouv.fr" in licence[0]["value"]["fr"][0]


def test_manifest_queries_do_not_grow_with_images(client, museum):
    def queries_for(count: int) -> int:
        work = WorkFactory(museum=museum)
        for _ in range(count):
            WorkImageFactory(work=work, image=wagtail_image(SMALL_IMAGE, "essai"))
        with CaptureQueriesContext(connection) as captured:
            assert client.get(manifest_path(work)).status_code == 200
        return len(captured)

    queries_for(1)  # the first request also looks the site up, once per process
    assert queries_for(1) == queries_for(3)


@pytest.mark.parametrize("case", ["draft", "withdrawn", "unpublished museum", "no image"])
def test_manifest_of_non_public_work_is_not_found(client, museum, small_image, case):
    if case == "unpublished museum":
        work = WorkFactory(museum=museum)
        museum.unpublish()
    else:
        status = {"draft": Work.Status.DRAFT, "withdrawn": Work.Status.WITHDRAWN}
        work = WorkFactory(museum=museum, status=status.get(case, Work.Status.PUBLISHED))
    if case != "no image":
        WorkImageFactory(work=work, image=small_image)

    response = client.get(manifest_path(work))

    assert response.status_code == 404
    assert response["Access-Control-Allow-Origin"] == "*"


def test_manifest_of_unknown_work_is_not_found(client, work):
    assert client.get("/iiif/3/manifests/musee-essai/INCONNU/manifest.json").status_code == 404
    assert client.get("/iiif/3/manifests/ailleurs/2024%2F12%20A/manifest.json").status_code == 404
