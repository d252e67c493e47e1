"""Two real museums (Nîmes, Autun) with their staff, the network's moderator, and upload helpers."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.museums.factories import MuseumPageFactory

DATA = Path(__file__).resolve().parents[1] / "data"
JOCONDE_TXT = DATA / "joconde" / "pop_fixture_joconde-valid-UTF-8.txt"  # 3 notices of M0017
# 39 rows: 34 of M0458 (Musée du Vieux Nîmes), 3 of M7013 and 2 of M0567.
JOCONDE_CSV = DATA / "joconde" / "joconde_costumes_occitanie_subset.csv"
LIDO = DATA / "lido" / "lido_cimec_inp_clasate_istoria_stiintei_si_tehnicii_2014-02-02.xml"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded files and reports go to a folder of the test's own."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def museum_a(museum_index):
    return MuseumPageFactory(
        parent=museum_index, title="Musée du Vieux Nîmes", museofile_id="M0458"
    )


@pytest.fixture
def museum_b(museum_index):
    return MuseumPageFactory(parent=museum_index, title="Musée Rolin", museofile_id="M0017")


def upload(path: Path, name: str | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name or path.name, path.read_bytes())


def post_import(client, museum, path: Path, format: str, mode="lenient", dry_run=False, **extra):
    """POST the import form as a person would; the import runs inline (immediate backend)."""
    data = {"museum": museum.pk, "file": upload(path), "format": format, "mode": mode, **extra}
    if dry_run:
        data["dry_run"] = "on"
    return client.post(reverse("imports:new"), data)
