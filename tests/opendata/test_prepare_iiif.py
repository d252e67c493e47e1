"""`manage.py prepare_iiif`: the IIIF masters of published works cut ahead of the first visit."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from musees.catalogue.models import Work
from musees.opendata.iiif.images import find_public_image
from musees.opendata.iiif.pyramid import is_prepared
from tests.catalogue.factories import WorkFactory, WorkImageFactory
from tests.museums.factories import MuseumPageFactory

from .conftest import MEDIUM_IMAGE, SMALL_IMAGE, wagtail_image

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("prepare_iiif", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def served(image) -> object:
    return find_public_image(str(image.pk)).source


@pytest.fixture
def two_public_images(public_image, museum, small_image):
    work = WorkFactory(museum=museum, inventory_number="ESSAI 2", title="Bassin")
    WorkImageFactory(work=work, image=small_image)
    return public_image, small_image


def test_prepares_every_image_of_published_works_once(two_public_images, museum, iiif_cache):
    medium, small = two_public_images
    draft = WorkFactory(museum=museum, inventory_number="BROUILLON", status=Work.Status.DRAFT)
    draft_image = wagtail_image(SMALL_IMAGE, "Brouillon")
    WorkImageFactory(work=draft, image=draft_image)

    out, _err = run()

    assert out.strip() == "2 images préparées, 0 déjà prêtes, 0 en échec"
    assert is_prepared(served(medium)) and is_prepared(served(small))
    prepared = sorted(path.parent.parent.name for path in iiif_cache.glob("*/pyramid/meta.json"))
    assert prepared == sorted([served(medium).key, served(small).key])  # not the draft's image

    again, _err = run()

    assert again.strip() == "0 images préparées, 2 déjà prêtes, 0 en échec"


def test_force_prepares_ready_masters_again(two_public_images, iiif_cache):
    medium, _small = two_public_images
    run()
    # A damaged tile of the first run: --force cuts the pyramid anew.
    tile = iiif_cache / served(medium).key / "pyramid" / "1" / "0_0.jpg"
    tile.write_bytes(b"abime")

    out, _err = run("--force")

    assert out.strip() == "2 images préparées, 0 déjà prêtes, 0 en échec"
    assert tile.read_bytes().startswith(b"\xff\xd8")  # a JPEG again


def test_masters_are_prepared_at_the_size_the_service_shows(public_image, settings, iiif_cache):
    settings.IIIF_RESTRICTED_MAX_SIZE = 500
    public_image.work_images.update(high_resolution_download=False)

    run()

    source = served(public_image)
    assert (source.width, source.height) == (500, 446)  # 1200 x 1070 reduced
    meta = json.loads((iiif_cache / source.key / "pyramid" / "meta.json").read_text())
    assert (meta["width"], meta["height"]) == (500, 446)


def test_a_missing_file_is_reported_with_its_image_and_exit_code_1(two_public_images):
    medium, small = two_public_images
    Path(small.file.path).unlink()
    out, err = io.StringIO(), io.StringIO()

    with pytest.raises(CommandError) as raised:
        call_command("prepare_iiif", stdout=out, stderr=err)

    assert raised.value.returncode == 1
    assert out.getvalue().strip() == "1 image préparée, 0 déjà prêtes, 1 en échec"
    assert f"image {small.pk} : fichier introuvable ({small.file.name})" in err.getvalue()
    assert is_prepared(served(medium))


def test_museum_option_prepares_only_that_museums_images(public_image, museum_index):
    other = MuseumPageFactory(parent=museum_index, museofile_id="M7013")
    other_image = wagtail_image(MEDIUM_IMAGE, "Autre")
    WorkImageFactory(work=WorkFactory(museum=other, inventory_number="MHNT 1"), image=other_image)

    out, _err = run("--museum", "m7013")

    assert out.strip() == "1 image préparée, 0 déjà prêtes, 0 en échec"
    assert is_prepared(served(other_image)) and not is_prepared(served(public_image))


def test_unknown_museum_is_refused(public_image):
    with pytest.raises(CommandError, match="M9999"):
        run("--museum", "M9999")


def test_verbose_run_shows_a_progress_line_with_rate_and_eta(two_public_images):
    _out, err = run("-v", "2")

    assert "2/2 images" in err and "images/s" in err and "reste 0 s" in err
