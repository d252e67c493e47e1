"""IIIF Image API 3.0 service: info.json, image requests, errors, access and cache."""

import io
from unittest import mock
from urllib.parse import quote

import pytest
from django.core.cache import cache
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from PIL import Image as PILImage

from musees.catalogue.models import Work, WorkImage
from musees.opendata.iiif import image as iiif_image
from tests.catalogue.factories import WorkFactory, WorkImageFactory

pytestmark = pytest.mark.django_db


def open_image(response) -> PILImage.Image:
    assert response.status_code == 200, response.content[:200]
    return PILImage.open(io.BytesIO(response.content))


def test_info_json_describes_the_image_service(client, public_image):
    response = client.get(f"/iiif/3/{public_image.pk}/info.json")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    info = response.json()
    assert info["@context"] == "http://iiif.io/api/image/3/context.json"
    assert info["id"] == f"http://testserver/iiif/3/{public_image.pk}"
    assert info["type"] == "ImageService3"
    assert info["protocol"] == "http://iiif.io/api/image"
    assert info["profile"] == "level1"
    assert (info["width"], info["height"]) == (1200, 1070)
    assert info["maxArea"] == 4_000_000
    assert "maxWidth" not in info
    assert info["tiles"] == [{"width": 512, "scaleFactors": [1, 2, 4]}]
    assert info["sizes"][-1] == {"width": 1200, "height": 1070}
    assert info["rights"] == "http://creativecommons.org/publicdomain/zero/1.0/"
    assert "webp" in info["extraFormats"]
    assert {"regionByPct", "sizeByPct", "sizeByConfinedWh"} <= set(info["extraFeatures"])
    assert "sizeUpscaling" not in info["extraFeatures"]


def test_info_json_is_json_ld_when_asked(client, public_image):
    response = client.get(
        f"/iiif/3/{public_image.pk}/info.json", headers={"Accept": "application/ld+json"}
    )

    assert response["Content-Type"] == (
        'application/ld+json;profile="http://iiif.io/api/image/3/context.json"'
    )


def test_base_uri_redirects_to_info_json(client, public_image):
    response = client.get(f"/iiif/3/{public_image.pk}")

    assert response.status_code == 303
    assert response["Location"] == f"/iiif/3/{public_image.pk}/info.json"
    assert response["Access-Control-Allow-Origin"] == "*"


def test_every_size_listed_in_info_json_can_be_requested(client, public_image):
    info = client.get(f"/iiif/3/{public_image.pk}/info.json").json()

    for size in info["sizes"]:
        url = f"/iiif/3/{public_image.pk}/full/{size['width']},{size['height']}/0/default.jpg"
        assert open_image(client.get(url)).size == (size["width"], size["height"])


@pytest.mark.parametrize(
    ("request_path", "expected_size"),
    [
        ("full/max/0/default.jpg", (1200, 1070)),
        ("0,0,512,512/512,/0/default.jpg", (512, 512)),
        ("1024,1024,512,512/max/0/default.jpg", (176, 46)),  # cut at the image's edge
        ("0,0,1024,1024/512,/0/default.jpg", (512, 512)),  # a tile at scale factor 2
        ("square/100,/0/default.jpg", (100, 100)),
        ("pct:50,50,50,50/300,/0/default.jpg", (300, 268)),
        ("full/,107/0/default.jpg", (120, 107)),
        ("full/300,100/0/default.jpg", (300, 100)),
        ("full/!200,200/0/default.jpg", (200, 178)),
        ("full/pct:25/0/color.jpg", (300, 268)),
        ("full/max/90/default.jpg", (1070, 1200)),
        ("full/max/!270/default.jpg", (1070, 1200)),
    ],
)
def test_image_request_returns_the_exact_size(client, public_image, request_path, expected_size):
    response = client.get(f"/iiif/3/{public_image.pk}/{request_path}")

    assert response["Content-Type"] == "image/jpeg"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert open_image(response).size == expected_size


def test_region_is_the_requested_part_of_the_image(client, public_image):
    """The top-left tile equals the top-left corner of the full image."""
    tile = open_image(client.get(f"/iiif/3/{public_image.pk}/0,0,100,100/max/0/default.png"))
    full = open_image(client.get(f"/iiif/3/{public_image.pk}/full/max/0/default.png"))
    corner = full.crop((0, 0, 100, 100))

    assert (
        max(
            abs(a - b)
            for a, b in zip(tile.getpixel((50, 50)), corner.getpixel((50, 50)), strict=True)
        )
        < 12
    )


@pytest.mark.parametrize(
    ("filename", "content_type", "pil_format", "mode"),
    [
        ("default.jpg", "image/jpeg", "JPEG", "RGB"),
        ("default.webp", "image/webp", "WEBP", "RGB"),
        ("default.png", "image/png", "PNG", "RGB"),
        ("gray.jpg", "image/jpeg", "JPEG", "L"),
    ],
)
def test_formats_and_qualities(client, public_image, filename, content_type, pil_format, mode):
    response = client.get(f"/iiif/3/{public_image.pk}/full/200,/0/{filename}")

    assert response["Content-Type"] == content_type
    image = open_image(response)
    assert (image.format, image.mode) == (pil_format, mode)


@pytest.mark.parametrize(
    ("request_path", "status"),
    [
        # 400: the syntax is wrong, or the request cannot apply to this image
        ("nowhere/max/0/default.jpg", 400),
        ("0,0,0,10/max/0/default.jpg", 400),
        ("5000,10,10,10/max/0/default.jpg", 400),  # entirely outside the image
        ("full/big/0/default.jpg", 400),
        ("full/2000,/0/default.jpg", 400),  # needs upscaling without ^
        ("full/pct:150/0/default.jpg", 400),
        ("full/0,/0/default.jpg", 400),
        ("full/max/sideways/default.jpg", 400),
        ("full/max/361/default.jpg", 400),
        ("full/max/0/best.jpg", 400),
        ("full/max/0/default", 400),
        ("full/max/0/default.bmp", 400),
        # 501: valid, but not implemented here
        ("full/^max/0/default.jpg", 501),
        ("full/^pct:150/0/default.jpg", 501),
        ("full/max/45/default.jpg", 501),
        ("full/max/0/bitonal.jpg", 501),
        ("full/max/0/default.tif", 501),
    ],
)
def test_errors_follow_the_specification(client, public_image, request_path, status):
    response = client.get(f"/iiif/3/{public_image.pk}/{request_path}")

    assert response.status_code == status
    assert response["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("identifier", ["999999", "abc", "9" * 40, "-1", "1.0"])
def test_unknown_identifier_is_not_found(client, public_image, identifier):
    assert client.get(f"/iiif/3/{identifier}/info.json").status_code == 404
    response = client.get(f"/iiif/3/{identifier}/full/max/0/default.jpg")
    assert response.status_code == 404
    assert response["Access-Control-Allow-Origin"] == "*"


def test_size_over_the_limits_is_not_found(client, public_image, settings):
    settings.IIIF_MAX_AREA = 100_000

    assert client.get(f"/iiif/3/{public_image.pk}/full/1200,1070/0/default.jpg").status_code == 404
    # max stays within the limits
    image = open_image(client.get(f"/iiif/3/{public_image.pk}/full/max/0/default.jpg"))
    assert image.width * image.height <= 100_000
    assert client.get(f"/iiif/3/{public_image.pk}/info.json").json()["maxArea"] == 100_000


def test_image_without_high_resolution_download_is_served_small(
    client, museum, medium_image, settings
):
    settings.IIIF_RESTRICTED_MAX_SIZE = 600
    work = WorkFactory(museum=museum)
    WorkImageFactory(work=work, image=medium_image, high_resolution_download=False)

    info = client.get(f"/iiif/3/{medium_image.pk}/info.json").json()
    assert (info["width"], info["height"]) == (600, 535)
    assert (info["maxWidth"], info["maxHeight"]) == (600, 600)
    full = open_image(client.get(f"/iiif/3/{medium_image.pk}/full/max/0/default.jpg"))
    assert full.size == (600, 535)
    # A tile at scale factor 1 covers the small image's pixels, not the master's.
    tile = open_image(client.get(f"/iiif/3/{medium_image.pk}/0,0,512,512/512,/0/default.jpg"))
    assert tile.size == (512, 512)
    assert client.get(f"/iiif/3/{medium_image.pk}/full/1200,/0/default.jpg").status_code == 400


@pytest.mark.parametrize("case", ["draft", "withdrawn", "unpublished museum"])
def test_images_of_non_public_works_are_not_found(client, museum, medium_image, case):
    if case == "unpublished museum":
        work = WorkFactory(museum=museum)
        museum.unpublish()
    else:
        status = Work.Status.DRAFT if case == "draft" else Work.Status.WITHDRAWN
        work = WorkFactory(museum=museum, status=status)
    WorkImageFactory(work=work, image=medium_image, licence=WorkImage.Licence.CC0)

    for path in ["", "/info.json", "/full/max/0/default.jpg", "/0,0,512,512/512,/0/default.jpg"]:
        response = client.get(f"/iiif/3/{medium_image.pk}{path}")
        assert response.status_code == 404, path
        assert str(medium_image.pk) not in response.content.decode()


def test_image_not_attached_to_a_work_is_not_found(client, medium_image):
    assert client.get(f"/iiif/3/{medium_image.pk}/info.json").status_code == 404


def test_second_identical_request_does_not_decode_anything(client, public_image, iiif_cache):
    url = f"/iiif/3/{public_image.pk}/512,0,512,512/256,/0/default.jpg"
    first = client.get(url)
    assert first.status_code == 200
    assert any(iiif_cache.rglob("*.jpg"))

    with mock.patch("PIL.Image.open", wraps=PILImage.open) as pil_open:
        again = client.get(url)
        cache.clear()  # from the disk cache this time
        from_disk = client.get(url)

    assert pil_open.call_count == 0
    assert again.content == first.content == from_disk.content


def test_other_tiles_come_from_the_prepared_pyramid_not_the_master(client, public_image):
    client.get(f"/iiif/3/{public_image.pk}/0,0,512,512/512,/0/default.jpg")

    with mock.patch("wagtail.images.models.AbstractImage.open_file") as open_master:
        response = client.get(f"/iiif/3/{public_image.pk}/512,512,512,512/512,/0/default.jpg")

    assert open_image(response).size == (512, 512)
    open_master.assert_not_called()


def test_cors_preflight_is_answered(client, public_image):
    response = client.options(f"/iiif/3/{public_image.pk}/info.json")

    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"


segment = st.text(max_size=30)
number = st.integers(min_value=0, max_value=3000).map(str)
valid_looking_region = st.one_of(
    st.sampled_from(["full", "square"]),
    st.builds(lambda *v: ",".join(v), number, number, number, number),
    st.builds(
        lambda *v: "pct:" + ",".join(f"{x:g}" for x in v),
        *[st.floats(min_value=0, max_value=150, allow_nan=False)] * 4,
    ),
)
valid_looking_size = st.one_of(
    st.sampled_from(["max", "^max"]),
    st.builds(lambda w: f"{w},", number),
    st.builds(lambda h: f",{h}", number),
    st.builds(lambda p, w, h: f"{p}{w},{h}", st.sampled_from(["", "!", "^", "^!"]), number, number),
    st.builds(lambda n: f"pct:{n:g}", st.floats(min_value=0, max_value=200, allow_nan=False)),
)
valid_looking_rotation = st.builds(
    lambda m, d: f"{m}{d}", st.sampled_from(["", "!"]), st.sampled_from(["0", "90", "45", "360"])
)
valid_looking_file = st.builds(
    lambda q, f: f"{q}.{f}",
    st.sampled_from(["default", "color", "gray", "bitonal"]),
    st.sampled_from(["jpg", "webp", "png", "tif"]),
)
FUZZ = hypothesis_settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@FUZZ
@given(segments=st.tuples(segment, segment, segment, segment))
def test_random_strings_never_cause_a_server_error(client, public_image, segments):
    path = "/".join(quote(part, safe="") for part in segments)
    response = client.get(f"/iiif/3/{public_image.pk}/{path}")

    assert response.status_code in (200, 400, 404, 501)


@FUZZ
@given(
    region=valid_looking_region,
    size=valid_looking_size,
    rotation=valid_looking_rotation,
    filename=valid_looking_file,
)
def test_valid_looking_requests_never_cause_a_server_error(
    client, public_image, region, size, rotation, filename
):
    response = client.get(f"/iiif/3/{public_image.pk}/{region}/{size}/{rotation}/{filename}")

    assert response.status_code in (200, 400, 404, 501)
    if response.status_code == 200:
        parsed = iiif_image.parse_request(region, size, rotation, filename)
        limits = iiif_image.Limits(1200, 1200, 4_000_000)
        expected = iiif_image.resolve(parsed, 1200, 1070, limits)
        size_out = (expected.out_w, expected.out_h)
        if expected.rotation in (90, 270):
            size_out = size_out[::-1]
        assert open_image(response).size == size_out
