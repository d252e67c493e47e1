"""The shared catalogue loader: counts, idempotence, updates, rejections, strict and dry runs."""

import csv

import pytest
from wagtail.images.tests.utils import get_test_image_file

from musees.catalogue.importers.records import AuthorRecord, ImageRecord, RecordError
from musees.catalogue.models import Domain, Period, Person, Work, WorkAuthor, WorkImage
from musees.catalogue.services import (
    DUPLICATE_INVENTORY,
    DUPLICATE_REF,
    MISSING_INVENTORY,
    UNKNOWN_MUSEUM,
    works_import,
)
from tests.catalogue.factories import WorkRecordFactory
from tests.museums.factories import MuseumPageFactory


@pytest.fixture
def nimes(museum_index):
    return MuseumPageFactory(
        parent=museum_index, title="Musée du Vieux Nîmes", museofile_id="M0458"
    )


@pytest.fixture
def toulouse(museum_index):
    return MuseumPageFactory(parent=museum_index, title="Muséum de Toulouse", museofile_id="M7013")


def records(count, **kwargs):
    return [
        WorkRecordFactory(number=i + 1, inventory_number=f"INV.{i}", **kwargs) for i in range(count)
    ]


def test_import_creates_published_works_with_parsed_fields_and_related_rows(nimes):
    record = WorkRecordFactory(
        inventory_number="1958.3.1",
        joconde_ref="00000012345",
        authors=[AuthorRecord(name="FABRE François-Xavier", role="peintre", dates="1766-1837")],
    )

    report = works_import(records=[record])

    assert (report.created, report.updated, report.unchanged, report.rejected) == (1, 0, 0, 0)
    work = Work.objects.get()
    assert work.museum_id == nimes.pk
    assert work.inventory_number == "1958.3.1"
    assert work.joconde_ref == "00000012345"
    assert work.status == Work.Status.PUBLISHED
    assert work.title == "Coiffe arlésienne"
    assert (work.height_cm, work.width_cm, work.depth_cm) == (58.0, 46.7, None)
    assert (work.year_start, work.year_end) == (1750 + 100, 1899)
    assert work.acquisition_year == 1955
    assert [d.label for d in work.domains.all()] == ["costume - accessoires du costume"]
    assert sorted(t.label for t in work.techniques.all()) == ["dentelle aux fuseaux", "velours"]
    assert [(p.label, p.year_start, p.year_end) for p in work.periods.all()] == [
        ("2e moitié 19e siècle", 1850, 1899)
    ]
    author = work.work_authors.select_related("person").get()
    assert (author.person.label, author.person.dates, author.role) == (
        "FABRE François-Xavier",
        "1766-1837",
        "peintre",
    )
    assert [str(p.place) for p in work.work_places.all()] == ["France, Gard, Nîmes"]
    assert work.source_digest


def test_millesime_gives_the_years_before_the_period(nimes):
    record = WorkRecordFactory()
    record.fields["millesime_text"] = "1870 entre,1875 et"

    works_import(records=[record])

    assert Work.objects.values_list("year_start", "year_end").get() == (1870, 1875)


def test_second_run_writes_nothing_and_costs_constant_queries_per_batch(
    nimes, toulouse, django_assert_max_num_queries
):
    first = records(60) + records(40, museofile_id="M7013")
    works_import(records=first)
    before = dict(Work.objects.values_list("pk", "updated_at"))

    # 100 unchanged records in 2 batches: the museums (1), SQLite's page-cache pragmas (3, on
    # SQLite only), then per batch the existing works (1) and the REFs (none here): no query
    # per record, no write.
    with django_assert_max_num_queries(6):
        report = works_import(
            records=records(60) + records(40, museofile_id="M7013"), batch_size=50
        )

    assert (report.created, report.updated, report.unchanged) == (0, 0, 100)
    assert dict(Work.objects.values_list("pk", "updated_at")) == before


def test_changed_record_updates_its_work_and_replaces_related_rows(nimes):
    works_import(records=[WorkRecordFactory(inventory_number="A1", domains=["peinture"])])
    changed = WorkRecordFactory(
        inventory_number="A1",
        domains=["dessin", "beaux-arts"],
        authors=[AuthorRecord(name="BAZILLE Frédéric", role="peintre")],
    )
    changed.fields["title"] = "Vue de village"

    report = works_import(records=[changed])

    assert (report.created, report.updated, report.unchanged) == (0, 1, 0)
    work = Work.objects.get()
    assert work.title == "Vue de village"
    assert sorted(d.label for d in work.domains.all()) == ["beaux-arts", "dessin"]
    assert [a.person.label for a in work.work_authors.all()] == ["BAZILLE Frédéric"]
    assert WorkAuthor.objects.count() == 1
    # A third run with the same record is unchanged and keeps one row of each.
    assert works_import(records=[changed]).unchanged == 1
    assert work.domains.count() == 2 and WorkAuthor.objects.count() == 1


def test_a_field_emptied_in_the_source_is_emptied_in_the_work(nimes):
    record = WorkRecordFactory(inventory_number="A1")
    works_import(records=[record])
    del record.fields["dimensions_text"]

    assert works_import(records=[record]).updated == 1
    work = Work.objects.get()
    assert (work.dimensions_text, work.height_cm, work.width_cm) == ("", None, None)


def test_unknown_museum_is_rejected_and_the_others_are_kept(nimes):
    good = WorkRecordFactory(number=1)
    unknown = WorkRecordFactory(number=2, line=57, museofile_id="M9999")

    report = works_import(records=[good, unknown])

    assert (report.created, report.rejected) == (1, 1)
    error = report.errors[0]
    assert (error.number, error.line, error.field) == (2, 57, "MUSEO")
    assert error.reason == UNKNOWN_MUSEUM % {"museofile_id": "M9999"}
    assert "« M9999 » inconnu" in error.reason


def test_museum_argument_overrides_the_records_museofile_id(nimes, toulouse):
    report = works_import(records=[WorkRecordFactory(museofile_id="M9999")], museum=toulouse)

    assert report.created == 1
    assert Work.objects.get().museum_id == toulouse.pk


def test_parser_errors_and_missing_or_repeated_inventory_numbers_are_reported(nimes):
    items = [
        WorkRecordFactory(number=1, inventory_number="A1", joconde_ref="REF1"),
        RecordError(number=2, line=30, field="INV", reason="numéro d'inventaire manquant"),
        WorkRecordFactory(number=3, inventory_number="  "),
        WorkRecordFactory(number=4, inventory_number="A1"),
        WorkRecordFactory(number=5, inventory_number="A2", joconde_ref="REF1"),
    ]

    report = works_import(records=items)

    assert report.created == 1
    assert [(e.number, e.field, e.reason) for e in report.errors] == [
        (2, "INV", "numéro d'inventaire manquant"),
        (3, "INV", str(MISSING_INVENTORY)),
        (4, "INV", DUPLICATE_INVENTORY % {"inventory": "A1"}),
        (5, "REF", DUPLICATE_REF % {"ref": "REF1"}),
    ]


def test_a_joconde_ref_held_by_another_work_is_rejected(nimes):
    works_import(records=[WorkRecordFactory(inventory_number="A1", joconde_ref="REF1")])

    report = works_import(records=[WorkRecordFactory(inventory_number="B2", joconde_ref="REF1")])

    assert (report.created, report.rejected) == (0, 1)
    assert report.errors[0].reason == DUPLICATE_REF % {"ref": "REF1"}


def test_strict_mode_commits_nothing_when_one_record_is_bad(nimes):
    bad = WorkRecordFactory(number=6, museofile_id="M9999")
    items = [*records(5), bad, *(WorkRecordFactory(inventory_number=f"X.{i}") for i in range(3))]

    report = works_import(records=items, strict=True, batch_size=2)

    assert not report.committed
    assert report.rejected == 1
    assert not Work.objects.exists()
    assert not Domain.objects.exists()


def test_strict_mode_commits_everything_when_all_records_are_good(nimes):
    report = works_import(records=records(5), strict=True, batch_size=2)

    assert report.committed and report.created == 5
    assert Work.objects.count() == 5


def test_dry_run_counts_but_commits_nothing(nimes):
    works_import(records=records(2))
    items = records(4)
    items[0].fields["title"] = "Autre titre"

    report = works_import(records=items, dry_run=True)

    assert (report.created, report.updated, report.unchanged) == (2, 1, 1)
    assert Work.objects.count() == 2
    assert not Work.objects.filter(title="Autre titre").exists()


def test_vocabularies_are_deduplicated_by_slug_across_records_and_runs(nimes):
    Domain.objects.create(label="Archéologie", slug="archeologie")
    items = [
        WorkRecordFactory(inventory_number="1", domains=["archéologie", "Peinture"]),
        WorkRecordFactory(inventory_number="2", domains=["ARCHÉOLOGIE ", "peinture"]),
        WorkRecordFactory(inventory_number="3", domains=["Archéologie"], authors=[]),
    ]

    works_import(records=items, batch_size=2)

    assert sorted(Domain.objects.values_list("slug", flat=True)) == ["archeologie", "peinture"]
    archaeology = Domain.objects.get(slug="archeologie")
    assert archaeology.works.count() == 3
    assert Person.objects.count() == 1
    assert Period.objects.count() == 1


def test_long_labels_are_cut_to_the_vocabulary_length(nimes):
    label = "terme " * 60

    works_import(records=[WorkRecordFactory(denominations=[label])])

    assert len(Work.objects.get().denominations.get().label) == 255


def test_image_references_that_are_not_files_are_counted_not_created(nimes):
    record = WorkRecordFactory(images=[ImageRecord(reference="M0458_0001.JPG")])

    report = works_import(records=[record])

    assert report.images_missing == 1
    assert "1 image non importée : fichier introuvable" in report.all_warnings()
    assert not WorkImage.objects.exists()


def test_local_image_files_become_work_images_with_their_credits(nimes, tmp_path):
    (tmp_path / "coiffe.png").write_bytes(get_test_image_file().file.getvalue())
    record = WorkRecordFactory(
        images=[
            ImageRecord(
                reference="coiffe.png",
                photographer="Jean Dupont",
                copyright_line="© Nîmes, musée du Vieux Nîmes",
                licence="cc-by",
            ),
            ImageRecord(reference="../absente.png"),
        ]
    )

    report = works_import(records=[record], images_dir=tmp_path)

    image = WorkImage.objects.select_related("image").get()
    assert (image.photographer, image.copyright_line, image.licence) == (
        "Jean Dupont",
        "© Nîmes, musée du Vieux Nîmes",
        "cc-by",
    )
    assert image.image.title == "Coiffe arlésienne"
    if nimes.collection_id:
        assert image.image.collection_id == nimes.collection_id
    assert (report.images_created, report.images_missing) == (1, 1)


def test_record_warnings_and_unknown_fields_are_reported(nimes):
    record = WorkRecordFactory(warnings=["caractères corrigés"])
    record.fields["no_such_field"] = "x"

    report = works_import(records=[record])

    assert report.created == 1
    assert any("caractères corrigés" in w for w in report.warnings)
    assert any("no_such_field" in w for w in report.warnings)


def test_report_csv_lists_rejected_records_and_warnings(nimes, tmp_path):
    report = works_import(records=[WorkRecordFactory(number=1, line=57, museofile_id="M9999")])
    path = tmp_path / "rapport.csv"

    report.write_csv(path)

    rows = list(csv.reader(path.open(encoding="utf-8")))
    assert rows[0] == ["type", "notice", "ligne", "champ", "motif"]
    assert rows[1] == ["rejet", "1", "57", "MUSEO", UNKNOWN_MUSEUM % {"museofile_id": "M9999"}]


def test_summary_reads_in_french(nimes):
    report = works_import(records=records(3) + [WorkRecordFactory(museofile_id="M9999")])

    assert report.summary() == "3 créées, 0 mises à jour, 0 inchangées, 1 rejetée"


# --- Images of updated works -----------------------------------------------------------------


def _image_file(folder, name, colour):
    """A small real PNG of one colour (the colour makes its content, so its SHA-1, distinct)."""
    from io import BytesIO

    from PIL import Image as PillowImage

    buffer = BytesIO()
    PillowImage.new("RGB", (40, 30), colour).save(buffer, "PNG")
    (folder / name).write_bytes(buffer.getvalue())


@pytest.fixture
def images_dir(tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path / "media")  # stored names free of earlier tests' files
    folder = tmp_path / "images"
    folder.mkdir()
    _image_file(folder, "face.png", "red")
    _image_file(folder, "dos.png", "blue")
    _image_file(folder, "detail.png", "green")
    return folder


def _rows(work):
    return list(
        work.images.order_by("position").values_list(
            "image_id", "position", "caption", "photographer", "copyright_line", "licence"
        )
    )


def test_changed_record_rewrites_its_images_in_order_reusing_the_stored_files(nimes, images_dir):
    from wagtail.images import get_image_model

    record = WorkRecordFactory(
        inventory_number="A1",
        images=[
            ImageRecord(reference="face.png", caption="Face", licence="cc-by"),
            ImageRecord(reference="dos.png", caption="Dos"),
        ],
    )
    works_import(records=[record], images_dir=images_dir)
    work = Work.objects.get()
    face_id, back_id = [row[0] for row in _rows(work)]
    record.images = [
        ImageRecord(reference="dos.png", caption="Dos, après restauration", licence="cc0"),
        ImageRecord(
            reference="face.png", caption="Face", photographer="Jean Dupont", copyright_line="©"
        ),
    ]

    report = works_import(records=[record], images_dir=images_dir)

    assert report.updated == 1 and report.images_created == 0
    assert _rows(work) == [
        (back_id, 0, "Dos, après restauration", "", "", "cc0"),
        (face_id, 1, "Face", "Jean Dupont", "©", "arr"),
    ]
    assert get_image_model().objects.count() == 2
    assert work.images.get(position=0).alt_text == "Coiffe arlésienne"


def test_repeated_updates_never_duplicate_wagtail_images(nimes, images_dir):
    from wagtail.images import get_image_model

    record = WorkRecordFactory(inventory_number="A1", images=[ImageRecord(reference="face.png")])
    for caption in ["Face", "Face, détail", "Face, ensemble"]:
        record.images[0].caption = caption
        works_import(records=[record], images_dir=images_dir)

    assert get_image_model().objects.count() == 1
    assert list(WorkImage.objects.values_list("caption", flat=True)) == ["Face, ensemble"]


def test_images_no_longer_listed_lose_their_rows_but_not_images_other_works_use(nimes, images_dir):
    from wagtail.images import get_image_model

    kept = WorkRecordFactory(inventory_number="B2", images=[ImageRecord(reference="dos.png")])
    record = WorkRecordFactory(
        inventory_number="A1",
        images=[ImageRecord(reference="face.png"), ImageRecord(reference="dos.png")],
    )
    works_import(records=[kept, record], images_dir=images_dir)
    assert get_image_model().objects.count() == 2  # dos.png stored once, for both works
    record.images = [ImageRecord(reference="detail.png")]

    works_import(records=[kept, record], images_dir=images_dir)

    work = Work.objects.get(inventory_number="A1")
    other = Work.objects.get(inventory_number="B2")
    titles = [image.image.file.name.rsplit("/", 1)[-1] for image in work.images.all()]
    assert titles == ["detail.png"]
    assert [i.image.file.name.rsplit("/", 1)[-1] for i in other.images.all()] == ["dos.png"]
    # face.png was used by A1 only: its Wagtail image is gone; dos.png stays for B2.
    names = sorted(i.file.name.rsplit("/", 1)[-1] for i in get_image_model().objects.all())
    assert names == ["detail.png", "dos.png"]


def test_unchanged_work_keeps_its_images_as_edited(nimes, images_dir):
    record = WorkRecordFactory(inventory_number="A1", images=[ImageRecord(reference="face.png")])
    works_import(records=[record], images_dir=images_dir)
    WorkImage.objects.update(caption="Légende revue au musée", high_resolution_download=True)
    before = list(WorkImage.objects.values_list("pk", "caption", "high_resolution_download"))

    report = works_import(records=[record], images_dir=images_dir)

    assert report.unchanged == 1
    assert list(WorkImage.objects.values_list("pk", "caption", "high_resolution_download")) == (
        before
    )


def test_update_keeps_the_high_resolution_choice_made_in_the_admin(nimes, images_dir):
    record = WorkRecordFactory(inventory_number="A1", images=[ImageRecord(reference="face.png")])
    works_import(records=[record], images_dir=images_dir)
    WorkImage.objects.update(high_resolution_download=True)
    record.images[0].caption = "Face"

    works_import(records=[record], images_dir=images_dir)

    assert list(WorkImage.objects.values_list("caption", "high_resolution_download")) == [
        ("Face", True)
    ]


def test_without_images_dir_an_update_leaves_the_images_alone(nimes, images_dir):
    record = WorkRecordFactory(inventory_number="A1", images=[ImageRecord(reference="face.png")])
    works_import(records=[record], images_dir=images_dir)
    record.fields["title"] = "Autre titre"

    report = works_import(records=[record])

    assert report.updated == 1 and report.images_missing == 1
    assert WorkImage.objects.count() == 1


def test_image_updates_roll_back_with_their_batch(nimes, images_dir):
    record = WorkRecordFactory(inventory_number="A1", images=[ImageRecord(reference="face.png")])
    works_import(records=[record], images_dir=images_dir)
    before = _rows(Work.objects.get())
    record.images = [ImageRecord(reference="dos.png", caption="Dos")]

    report = works_import(
        records=[record, WorkRecordFactory(number=2, museofile_id="M9999")],
        images_dir=images_dir,
        strict=True,
    )

    assert not report.committed
    assert _rows(Work.objects.get()) == before


def test_references_as_wagtail_stored_them_find_their_files(nimes, tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    folder = tmp_path / "images"
    folder.mkdir()
    _image_file(folder, "coiffe arlésienne.png", "red")
    _image_file(folder, "robe.png", "blue")
    record = WorkRecordFactory(
        images=[
            ImageRecord(reference="coiffe_arlesienne.png"),  # spaces and accents as stored
            ImageRecord(reference="robe_Xy12AbC.png"),  # Wagtail's suffix against clashes
        ]
    )

    report = works_import(records=[record], images_dir=folder)

    assert (report.images_created, report.images_missing) == (2, 0)
