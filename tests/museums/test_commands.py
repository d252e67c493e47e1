"""The import_museums and load_demo_data commands, through call_command."""

import io

import pytest
from django.core.management import CommandError, call_command

from musees.core.models import HomeFeaturedMuseum
from musees.museums.importers.museofile import ERROR_LINE, ERROR_UNKNOWN_FORMAT
from musees.museums.importers.report import DRY_RUN_NOTE, SUMMARY
from musees.museums.management.commands import load_demo_data
from musees.museums.models import MuseumPage
from tests.museums.importers.test_museofile import LIST, OCCITANIE, broken_file

pytestmark = pytest.mark.django_db


def run(*args, **options) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, **options)
    return out.getvalue()


def summary(created=0, updated=0, unchanged=0, rejected=0) -> str:
    return str(
        SUMMARY
        % {"created": created, "updated": updated, "unchanged": unchanged, "rejected": rejected}
    )


def test_import_museums_prints_counts_and_rejected_rows(museum_index, tmp_path):
    data, _ids = broken_file()
    path = tmp_path / "museofile.csv"
    path.write_bytes(data)
    out = run("import_museums", str(path))
    assert summary(created=3, rejected=6) in out
    assert str(ERROR_LINE % {"line": 3, "reason": "identifiant Muséofile manquant"}) in out
    assert MuseumPage.objects.count() == 3


def test_import_museums_with_region_and_dry_run(museum_index):
    out = run("import_museums", str(LIST), "--region", "Occitanie", "--dry-run")
    assert summary(created=132) in out
    assert str(DRY_RUN_NOTE) in out
    assert MuseumPage.objects.count() == 0


def test_import_museums_unknown_format_is_a_command_error(museum_index, tmp_path):
    path = tmp_path / "autre.csv"
    path.write_text("nom;ville\r\nx;y\r\n", encoding="utf-8")
    with pytest.raises(CommandError) as error:
        run("import_museums", str(path))
    assert str(error.value) == str(ERROR_UNKNOWN_FORMAT % {"header": "nom;ville"})


def test_import_museums_missing_file_is_a_command_error(museum_index, tmp_path):
    with pytest.raises(CommandError, match="Impossible de lire"):
        run("import_museums", str(tmp_path / "absent.csv"))


def test_import_museums_without_index_is_a_command_error(home_page):
    with pytest.raises(CommandError, match="setup_site"):
        run("import_museums", str(OCCITANIE))


@pytest.fixture
def no_setup_site(monkeypatch, museum_index):
    """The site tree comes from the fixtures; setup_site (another command) is not run here."""
    real = load_demo_data.call_command

    def fake(name, *args, **kwargs):
        if name != "setup_site":
            return real(name, *args, **kwargs)

    monkeypatch.setattr(load_demo_data, "call_command", fake)
    return museum_index


def test_load_demo_data_loads_both_files_and_features_four_museums(no_setup_site, settings):
    settings.MUSEES_REGION = "Occitanie"
    out = run("load_demo_data", "--data-dir", str(LIST.parent))
    assert summary(created=132) in out
    assert MuseumPage.objects.live().count() == 132
    assert not MuseumPage.objects.filter(label_date=None).exists()
    home = no_setup_site.get_parent().specific
    featured = [row.museum for row in HomeFeaturedMuseum.objects.filter(page=home)]
    assert len(featured) == load_demo_data.FEATURED_COUNT
    assert len({museum.departement_code for museum in featured}) == load_demo_data.FEATURED_COUNT
    assert featured == load_demo_data.featured_museums_choose(region="Occitanie")
    home.refresh_from_db()
    assert not home.has_unpublished_changes
    assert (
        len(home.live_revision.as_object().featured_museums.all()) == load_demo_data.FEATURED_COUNT
    )

    again = run("load_demo_data", "--data-dir", str(LIST.parent))
    assert again.strip() == str(load_demo_data.ALREADY_LOADED)


def test_load_demo_data_missing_directory_is_a_command_error(no_setup_site, tmp_path):
    with pytest.raises(CommandError, match="introuvable"):
        run("load_demo_data", "--data-dir", str(tmp_path))
