"""Round trips: the real Joconde files imported, exported, read back, give the same records.

(a) the records parsed from each real Joconde file, as the catalogue stores them, and (b) the
records parsed back from the LIDO (or Joconde) export of what was imported, are compared whole:
every text field, every repeated value, authors with their roles and dates, places with their
roles, images with their file, caption, credit and licence. Then the export is imported again
over the catalogue and nothing stored changes.
"""

from io import BytesIO
from pathlib import Path

import pytest
from django.db.models import prefetch_related_objects
from lxml import etree
from PIL import Image as PillowImage

from musees.catalogue.exporters import work_prefetches
from musees.catalogue.exporters.joconde_txt import export_joconde_txt
from musees.catalogue.exporters.lido import NOT_ROUND_TRIPPED, export_lido
from musees.catalogue.importers.joconde_csv import JocondeCsvParser
from musees.catalogue.importers.joconde_txt import JocondeTxtParser
from musees.catalogue.importers.lido import LidoParser
from musees.catalogue.importers.records import (
    AuthorRecord,
    ImageRecord,
    PlaceRecord,
    WorkRecord,
)
from musees.catalogue.models import (
    Denomination,
    Domain,
    Period,
    Person,
    Place,
    Technique,
    Work,
    WorkImage,
)
from musees.catalogue.services import TEXT_FIELDS, WorkImportReport, _Loader, _slug, works_import
from tests.museums.factories import MuseumPageFactory

DATA = Path(__file__).resolve().parents[2] / "data"
JOCONDE = DATA / "joconde"
SCHEMA = DATA / "schemas" / "lido" / "lido-v1.1.xsd"
REAL_FILES = [
    ("pop_fixture_joconde-valid-UTF-8.txt", JocondeTxtParser),
    ("joconde_costumes_occitanie_subset.csv", JocondeCsvParser),
    ("joconde_extrait_costumes_sample.csv", JocondeCsvParser),
]
# Nothing of a record is lost through LIDO: NOT_ROUND_TRIPPED only names what XML itself cannot
# hold (control characters), which no real file here contains.
assert set(NOT_ROUND_TRIPPED) == {"caractères de contrôle"}
_VOCABULARIES = {
    "domains": Domain,
    "denominations": Denomination,
    "periods": Period,
    "techniques": Technique,
}


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    # Stored file names free of other tests' files: an export names images by stored file.
    settings.MEDIA_ROOT = str(tmp_path / "media")


def _write_image(path: Path, number: int) -> None:
    buffer = BytesIO()
    PillowImage.new("RGB", (32, 24), (number * 37 % 256, number * 91 % 256, 120)).save(
        buffer, "JPEG"
    )
    path.write_bytes(buffer.getvalue())


def _records(parser) -> list[WorkRecord]:
    return [item for item in parser if isinstance(item, WorkRecord)]


def _museums_for(records, museum_index) -> None:
    for museofile_id in sorted({r.museofile_id for r in records}):
        MuseumPageFactory(parent=museum_index, museofile_id=museofile_id)


def _images_dir_for(records, folder: Path) -> Path:
    """A folder holding a distinct small JPEG for every image reference of the records."""
    folder.mkdir(exist_ok=True)
    references = sorted({i.reference for r in records for i in r.images})
    for number, reference in enumerate(references):
        _write_image(folder / reference, number)
    return folder


def _stored_label(model, label: str) -> str:
    """The label the catalogue keeps for a vocabulary value (labels are merged by slug)."""
    return model.objects.get(slug=_slug(label)).label


def as_stored(records: list[WorkRecord]) -> dict:
    """Each record as the catalogue stores it: the loader's normalisation, vocabulary labels.

    Vocabulary values are compared as sets: a work's domains, denominations, periods and
    techniques are many-to-many rows, without order (their verbatim `*_text` fields keep it).
    Author dates are the person's, shared by every work that names them.
    """
    loader = _Loader(
        museum=None,
        dry_run=True,
        strict=False,
        images_dir=None,
        source_format="",
        report=WorkImportReport(),
    )
    result = {}
    for record in records:
        prepared = loader.prepare(record)
        assert prepared is not None, record
        people = {name: Person.objects.get(slug=_slug(name)) for name, _r, _d in prepared.authors}
        result[(record.museofile_id, prepared.inventory)] = {
            "joconde_ref": prepared.ref,
            "fields": prepared.fields,
            **{
                name: sorted(_stored_label(model, label) for label in prepared.terms[name])
                for name, model in _VOCABULARIES.items()
            },
            "authors": [
                (people[name].label, role, people[name].dates)
                for name, role, _dates in prepared.authors
            ],
            "places": [(_stored_label(Place, name), role) for name, role in prepared.places],
            "images": [
                (reference, caption, photographer, copyright_line, licence or "arr")
                for reference, caption, photographer, copyright_line, licence in prepared.images
            ],
        }
    return result


def _exported_works():
    works = list(Work.objects.published().select_related("museum").order_by("pk"))
    prefetch_related_objects(works, *work_prefetches())
    return works


def _catalogue() -> dict:
    """Everything stored about every work, without ids, dates and import bookkeeping."""
    skip = {"id", "created_at", "updated_at", "source_format", "source_digest"}
    state = {}
    for work in _exported_works():
        state[(work.museum.museofile_id, work.inventory_number)] = {
            "values": {
                f.attname: getattr(work, f.attname)
                for f in Work._meta.concrete_fields
                if f.name not in skip
            },
            **{name: sorted(map(str, getattr(work, name).all())) for name in _VOCABULARIES},
            "authors": [
                (a.person.label, a.person.dates, a.role, a.position)
                for a in work.work_authors.all()
            ],
            "places": [(p.place.label, p.role, p.position) for p in work.work_places.all()],
            "images": [
                (
                    i.image.file_hash,
                    i.position,
                    i.alt_text,
                    i.caption,
                    i.photographer,
                    i.copyright_line,
                    i.licence,
                    i.high_resolution_download,
                )
                for i in work.images.all()
            ],
        }
    return state


def _validate(data: bytes) -> None:
    parser = etree.XMLParser(no_network=True, load_dtd=False, resolve_entities=False)
    schema = etree.XMLSchema(etree.parse(str(SCHEMA), parser))
    document = etree.fromstring(data)
    assert schema.validate(document.getroottree()), schema.error_log


def _assert_same(expected: dict, actual: dict) -> None:
    assert sorted(actual) == sorted(expected)
    for key, stored in expected.items():
        for part, value in stored.items():
            assert actual[key][part] == value, (key, part)


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "parser_class"), REAL_FILES)
def test_lido_export_of_a_real_joconde_import_reads_back_as_the_same_records(
    name, parser_class, museum_index, tmp_path
):
    source = _records(parser_class(JOCONDE / name))
    _museums_for(source, museum_index)
    images_dir = _images_dir_for(source, tmp_path / "images")
    report = works_import(records=source, images_dir=images_dir)
    assert report.rejected == 0 and report.images_missing == 0
    imported = as_stored(source)
    before = _catalogue()

    data = b"".join(export_lido(_exported_works()))

    _validate(data)
    read_back = _records(LidoParser(data))
    _assert_same(imported, as_stored(read_back))
    # Importing the export again over the catalogue changes nothing it stores.
    again = works_import(records=read_back, images_dir=images_dir, source_format="lido")
    assert again.rejected == 0 and again.images_created == 0
    assert _catalogue() == before


def _every_field_record() -> WorkRecord:
    """A record that fills every text field (several lines each), every list and image kind."""
    fields = {
        name: f"{name} : première ligne, « guillemets » & <chevrons>\n{name}   seconde  ligne"
        for name in sorted(TEXT_FIELDS)
    }
    fields["links"] = "https://example.org/notice/1\nhttps://example.org/notice/1#image"
    return WorkRecord(
        number=1,
        line=1,
        museofile_id="M0458",
        inventory_number="2001/12 A ; D 07.1.24 (15)",
        joconde_ref="00000012345",
        fields=fields,
        domains=["costume - accessoires du costume", "ethnologie"],
        denominations=["robe", "corsage"],
        periods=["4e quart 19e siècle", "1er quart 20e siècle"],
        techniques=["soie", "dentelle mécanique"],
        authors=[
            AuthorRecord(name="WORTH Charles Frederick", role="couturier", dates="1825-1895"),
            AuthorRecord(name="WORTH Charles Frederick", role="dessinateur", dates="1825-1895"),
            AuthorRecord(name="PINGAT Émile", role="", dates="vers 1820 - après 1901"),
            AuthorRecord(name="anonyme", role="brodeuse, passementière", dates=""),
            AuthorRecord(name="DOUCET Jacques", role="couturier", dates="1853"),
            AuthorRecord(name="LAFERRIÈRE Madeleine", role="", dates="?-1912"),
        ],
        places=[
            PlaceRecord(name="Nîmes", role="use"),
            PlaceRecord(name="Paris", role="creation"),
            PlaceRecord(name="Gard, Beaucaire", role="discovery"),
            PlaceRecord(name="Lyon", role="creation"),
            PlaceRecord(name="Arles", role="use"),
        ],
        images=[
            ImageRecord(
                reference="robe-face.jpg",
                caption="Face, après restauration",
                photographer="Jean Dupont",
                copyright_line="© Nîmes, musée du Vieux Nîmes",
                licence=licence,
            )
            if licence == "cc-by"
            else ImageRecord(reference=f"robe-{licence or 'sans'}.jpg", licence=licence)
            for licence in ["cc-by", "lo", "cc0", "cc-by-sa", "arr", ""]
        ],
    )


@pytest.mark.django_db
def test_lido_round_trip_keeps_every_field_of_a_record_that_fills_them_all(museum_index, tmp_path):
    record = _every_field_record()
    _museums_for([record], museum_index)
    images_dir = _images_dir_for([record], tmp_path / "images")
    works_import(records=[record], images_dir=images_dir)
    imported = as_stored([record])
    assert set(imported[("M0458", record.inventory_number)]["fields"]) == TEXT_FIELDS
    before = _catalogue()

    data = b"".join(export_lido(_exported_works()))

    _validate(data)
    read_back = _records(LidoParser(data))
    _assert_same(imported, as_stored(read_back))
    works_import(records=read_back, images_dir=images_dir)
    assert _catalogue() == before


@pytest.mark.django_db
def test_lido_export_drops_only_what_xml_cannot_hold(museum_index, tmp_path):
    record = _every_field_record()
    record.images = []
    record.fields["comments"] = "sonnerie\x07 ; page\x0c suivante"
    _museums_for([record], museum_index)
    works_import(records=[record])

    data = b"".join(export_lido(_exported_works()))

    _validate(data)
    (read_back,) = _records(LidoParser(data))
    assert read_back.fields["comments"] == "sonnerie ; page suivante"


@pytest.mark.django_db
def test_joconde_export_then_import_with_the_same_images_dir_restores_the_images(
    museum_index, tmp_path
):
    source = _records(JocondeTxtParser(JOCONDE / "pop_fixture_joconde-valid-UTF-8.txt"))
    _museums_for(source, museum_index)
    images_dir = _images_dir_for(source, tmp_path / "images")
    works_import(records=source, images_dir=images_dir)
    before = _catalogue()
    assert sum(len(work["images"]) for work in before.values()) == 4
    data = b"".join(export_joconde_txt(_exported_works()))
    assert b"REFIM\r\nM016183_0016630_P.JPG ; M016183_0016631_P.JPG\r\n" in data
    # A fresh catalogue: the works and their images are gone, the images folder is kept.
    for work_image in WorkImage.objects.select_related("image"):
        work_image.delete()
        work_image.image.delete()
    Work.objects.all().delete()

    report = works_import(records=_records(JocondeTxtParser(data)), images_dir=images_dir)

    assert (report.created, report.images_created, report.images_missing) == (3, 4, 0)
    after = _catalogue()
    assert sorted(after) == sorted(before)
    for key, work in before.items():
        assert after[key]["images"] == work["images"], key
        for part in ("authors", *_VOCABULARIES):
            assert after[key][part] == work[part], (key, part)
        # Joconde writes LIEUX before DECV: the places come back, creation places first.
        places = sorted(place[:2] for place in after[key]["places"])
        assert places == sorted(place[:2] for place in work["places"]), key
    photographers = {i.photographer for i in WorkImage.objects.all()}
    assert photographers == {"Cliché Anonyme", "Cliché C. Massard", "Cliché Anonyme Anonyme"}
