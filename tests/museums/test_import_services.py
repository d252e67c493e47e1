"""Loading Muséofile records into museum pages: idempotent, atomic per museum, edits kept."""

import copy
import datetime

import pytest
from django.core.exceptions import ValidationError
from wagtail.models import Collection, Revision

from musees.museums.importers.museofile import parse_museofile
from musees.museums.importers.report import ERROR_NO_INDEX, MuseumImportError
from musees.museums.models import Domain, MuseumPage
from musees.museums.services import museums_import
from tests.museums.importers.test_museofile import BASE, LIST, OCCITANIE, broken_file

pytestmark = pytest.mark.django_db

_PARSED = {}


def parsed(path, region=None):
    """Parse once per session (the parser is pure); callers get their own copy."""
    key = (path, region)
    if key not in _PARSED:
        _PARSED[key] = parse_museofile(path, region=region)
    return copy.deepcopy(_PARSED[key])


def occitanie_records(count=None):
    records = parsed(OCCITANIE).records
    return records[:count] if count else records


def test_imports_the_132_occitanie_museums_published(museum_index):
    report = museums_import(records=occitanie_records())
    assert (report.created, report.updated, report.unchanged, report.rejected) == (132, 0, 0, [])
    assert MuseumPage.objects.live().count() == 132
    foix = MuseumPage.objects.get(museofile_id="M0543")
    assert foix.get_parent().pk == museum_index.pk
    assert foix.title == "Musée départemental de l'Ariège"
    assert (foix.latitude, foix.longitude) == (42.965864, 1.6053)
    assert sorted(foix.domains.values_list("label", flat=True)) == ["Archéologie", "Histoire"]
    assert foix.website == "https://www.sites-touristiques-ariege.fr/chateau-de-foix/"
    assert (foix.departement_code, foix.departement_name) == ("09", "Ariège")
    assert foix.postcode == "09000"
    assert foix.is_musee_de_france
    assert foix.museofile_updated_on == datetime.date(2024, 1, 30)
    assert foix.live_revision is not None
    assert foix.live_revision == foix.latest_revision
    assert not foix.has_unpublished_changes
    assert foix.live_revision.as_object().phone == "05 61 65 56 05"
    assert foix.collection is not None and foix.editors_group is not None
    assert foix.imported_values["domains"] == ["archeologie", "histoire"]
    assert foix.url_path.endswith("/musees/musee-departemental-de-lariege/")
    slugs = list(MuseumPage.objects.values_list("slug", flat=True))
    assert len(slugs) == len(set(slugs)) == 132  # homonymous museums get distinct slugs


def test_second_run_changes_nothing(museum_index):
    museums_import(records=occitanie_records())
    revisions = Revision.objects.count()
    report = museums_import(records=occitanie_records())
    assert (report.created, report.updated, report.unchanged) == (0, 0, 132)
    assert Revision.objects.count() == revisions
    assert MuseumPage.objects.count() == 132


def test_list_file_adds_label_date_and_coordinates_without_duplicates(museum_index):
    museums_import(records=occitanie_records())
    report = museums_import(records=parsed(LIST, "Occitanie").records)
    assert report.created == 0
    assert report.updated + report.unchanged == 132
    assert MuseumPage.objects.count() == 132
    foix = MuseumPage.objects.get(museofile_id="M0543")
    assert foix.label_date == datetime.date(2003, 2, 1)
    assert (foix.latitude, foix.longitude) == (42.965864, 1.6053)
    # The list spells it "rue du Rocher": the older list completes the base, never replaces it.
    assert foix.address == "rue du rocher"
    assert foix.category == "Musée de site"  # a base-only field, untouched
    assert foix.live_revision.as_object().label_date == datetime.date(2003, 2, 1)
    again = museums_import(records=parsed(LIST, "Occitanie").records)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 132)
    # Importing the base again does not flip values back and forth between the two files.
    base_again = museums_import(records=occitanie_records())
    assert (base_again.created, base_again.updated, base_again.unchanged) == (0, 0, 132)


def test_list_file_fills_a_field_the_base_left_empty(museum_index):
    base_records = occitanie_records()
    for record in base_records:
        if record.museofile_id == "M0543":
            record.fields["phone"] = ""  # as if the base export had no phone for Foix
    museums_import(records=base_records)
    report = museums_import(records=parsed(LIST, "Occitanie").records)
    assert report.created == 0
    assert MuseumPage.objects.get(museofile_id="M0543").phone == "05 61 65 56 05"


def test_museum_edits_are_kept_while_other_fields_update(museum_index):
    records = occitanie_records(3)
    museums_import(records=records)
    foix = MuseumPage.objects.get(museofile_id="M0543")
    foix.phone = "05 34 09 83 83"
    foix.domains.set([Domain.objects.get(slug="histoire")])
    foix.save_revision().publish()

    for record in records:
        if record.museofile_id == "M0543":
            record.fields["phone"] = "05 61 00 00 00"
            record.fields["history"] = "Nouvelle histoire."
            record.domains = ["Archéologie", "Histoire", "Beaux-arts"]
    report = museums_import(records=records)

    assert (report.created, report.updated, report.unchanged) == (0, 1, 2)
    assert [(kept.museofile_id, kept.fields) for kept in report.kept_local_edits] == [
        ("M0543", ["phone", "domains"])
    ]
    assert report.kept_count == 2
    foix = MuseumPage.objects.get(museofile_id="M0543")
    assert foix.phone == "05 34 09 83 83"
    assert list(foix.domains.values_list("slug", flat=True)) == ["histoire"]
    assert foix.history == "Nouvelle histoire."
    assert foix.live_revision.as_object().history == "Nouvelle histoire."
    assert not foix.has_unpublished_changes
    assert foix.imported_values["phone"] == "05 61 65 56 05"  # what the import last wrote
    # The next run keeps the edit and finds nothing else to do.
    report = museums_import(records=records)
    assert (report.updated, report.unchanged, report.kept_count) == (0, 3, 2)


def test_museum_draft_stays_the_latest_revision(museum_index):
    records = occitanie_records(1)
    museums_import(records=records)
    page = MuseumPage.objects.get(museofile_id=records[0].museofile_id)
    page.interest = "Brouillon du musée."
    page.save_revision()  # not published
    records[0].fields["history"] = "Nouvelle histoire."
    report = museums_import(records=records)
    assert report.updated == 1
    page = MuseumPage.objects.get(pk=page.pk)
    assert page.history == "Nouvelle histoire."  # live
    assert page.interest != "Brouillon du musée."  # the draft is not published by the import
    draft = page.get_latest_revision_as_object()
    assert (draft.interest, draft.history) == ("Brouillon du musée.", "Nouvelle histoire.")
    assert page.has_unpublished_changes


def test_bad_rows_are_reported_and_good_rows_imported(museum_index):
    data, ids = broken_file()
    result = parse_museofile(data)
    report = museums_import(records=result.records, rejected=result.errors)
    assert report.created == 3
    assert [line for line, _reason in report.rejected] == [3, 4, 5, 6, 7, 10]
    assert set(MuseumPage.objects.values_list("museofile_id", flat=True)) == {
        ids[0],
        ids[6],
        ids[7],
    }


def test_dry_run_writes_nothing_but_counts_exactly(museum_index):
    report = museums_import(records=occitanie_records(20), dry_run=True)
    assert (report.created, report.updated, report.unchanged) == (20, 0, 0)
    assert report.dry_run
    assert MuseumPage.objects.count() == 0
    assert Domain.objects.count() == 0
    assert Collection.objects.count() == 1  # the root only


def test_dry_run_of_an_update_changes_nothing(museum_index):
    records = occitanie_records(2)
    museums_import(records=records)
    records[0].fields["history"] = "Nouvelle histoire."
    report = museums_import(records=records, dry_run=True)
    assert (report.updated, report.unchanged) == (1, 1)
    assert MuseumPage.objects.get(museofile_id=records[0].museofile_id).history != (
        "Nouvelle histoire."
    )


def test_no_museums_index_is_a_clear_error(home_page):
    with pytest.raises(MuseumImportError) as error:
        museums_import(records=occitanie_records(1))
    assert str(error.value) == str(ERROR_NO_INDEX)


def fail_on_call(monkeypatch, number, exception):
    """Make Wagtail's log() (called after the page and its revision are written) fail once."""
    import wagtail.log_actions

    real_log = wagtail.log_actions.log
    calls = {"n": 0}

    def log(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == number:
            raise exception
        return real_log(*args, **kwargs)

    monkeypatch.setattr(wagtail.log_actions, "log", log)


def test_a_failure_inside_a_museum_leaves_no_half_museum(museum_index, monkeypatch):
    records = occitanie_records(4)
    fail_on_call(monkeypatch, 3, RuntimeError("boom"))
    with pytest.raises(RuntimeError):
        museums_import(records=records)
    ids = [record.museofile_id for record in records]
    assert sorted(MuseumPage.objects.values_list("museofile_id", flat=True)) == sorted(ids[:2])
    for page in MuseumPage.objects.all():
        assert page.live_revision is not None and page.collection is not None
        assert page.domains.exists()
    assert Collection.objects.count() == 1 + 2
    assert not Revision.objects.filter(object_str=records[2].fields["title"]).exists()


def test_a_museum_that_cannot_be_saved_is_rejected_and_the_others_imported(
    museum_index, monkeypatch
):
    records = occitanie_records(4)
    fail_on_call(monkeypatch, 3, ValidationError("valeur refusée"))
    report = museums_import(records=records)
    assert report.created == 3
    assert report.rejected == [(records[2].line, "enregistrement impossible (valeur refusée)")]
    assert not MuseumPage.objects.filter(museofile_id=records[2].museofile_id).exists()
    assert Collection.objects.count() == 1 + 3


def test_full_base_file_first_lines_import(museum_index):
    """The BOM file from data/museofile imports like the subset."""
    result = parsed(BASE)
    report = museums_import(records=result.records[:5])
    assert report.created == 5
