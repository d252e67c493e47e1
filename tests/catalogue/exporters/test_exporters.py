"""Joconde text and LIDO 1.1 exports: valid files, read back by our own parsers unchanged."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db.models import prefetch_related_objects
from lxml import etree

from musees.catalogue.exporters import work_prefetches
from musees.catalogue.exporters.joconde_txt import export_joconde_txt, wrap
from musees.catalogue.exporters.lido import export_lido
from musees.catalogue.importers.lido import LidoParser
from musees.catalogue.importers.records import WorkRecord
from musees.catalogue.models import Work, WorkImage
from tests.catalogue.factories import (
    DenominationFactory,
    DomainFactory,
    PeriodFactory,
    PersonFactory,
    PlaceFactory,
    TechniqueFactory,
    WorkAuthorFactory,
    WorkFactory,
    WorkImageFactory,
    WorkPlaceFactory,
)
from tests.museums.factories import MuseumPageFactory

SCHEMAS = Path(__file__).resolve().parents[2] / "data" / "schemas" / "lido"
LONG_DESCRIPTION = (
    "Robe de jour en deux parties, corsage baleiné à manches gigot et jupe à traîne, "
    "garnie de dentelle mécanique et de passementerie ; boutons de nacre au dos."
)


@pytest.fixture(scope="module")
def lido_schema():
    parser = etree.XMLParser(no_network=True, load_dtd=False, resolve_entities=False)
    return etree.XMLSchema(etree.parse(str(SCHEMAS / "lido-v1.1.xsd"), parser))


@pytest.fixture
def museum(museum_index):
    return MuseumPageFactory(
        parent=museum_index, title="Musée du Vieux Nîmes", slug="vieux-nimes", museofile_id="M0458"
    )


@pytest.fixture
def works(museum):
    dress = WorkFactory(
        museum=museum,
        inventory_number="2001/12 A",
        title="Robe de mariée",
        appellation="robe à la française",
        domains=[DomainFactory(label="costume - accessoires du costume")],
        denominations=[DenominationFactory(label="robe"), DenominationFactory(label="corsage")],
        periods=[PeriodFactory(label="4e quart 19e siècle")],
        periods_text="4e quart 19e siècle",
        millesime_text="1885",
        techniques=[TechniqueFactory(label="soie"), TechniqueFactory(label="dentelle")],
        techniques_text="soie ; dentelle",
        authors_text="Worth, Charles Frederick (couturier)",
        dimensions_text="Hauteur en cm 140 ; Largeur en cm 58",
        inscriptions="étiquette",
        inscription_details="étiquette, dans le col : C. Worth",
        description=LONG_DESCRIPTION,
        history="Portée à Nîmes en 1886.\nDonnée au musée en 1921.",
        acquisition_text="1921 don",
        location="Nîmes ; musée du Vieux Nîmes",
        links="https://example.org/notice/1",
    )
    WorkAuthorFactory(
        work=dress,
        person=PersonFactory(label="Worth, Charles Frederick", dates="1825-1895"),
        role="couturier",
    )
    WorkPlaceFactory(work=dress, place=PlaceFactory(label="Paris"))
    WorkImageFactory(work=dress, caption="Face", copyright_line="© Musée du Vieux Nîmes")
    bare = WorkFactory(museum=museum, inventory_number="1950.3", title="")
    WorkFactory(museum=museum, inventory_number="brouillon", status=Work.Status.DRAFT)
    return [dress, bare]


def loaded(works):
    works = list(
        Work.objects.filter(pk__in=[w.pk for w in works]).select_related("museum").order_by("pk")
    )
    prefetch_related_objects(works, *work_prefetches())
    return works


def test_wrap_cuts_long_lines_at_spaces_with_continuation_marks():
    lines = wrap(LONG_DESCRIPTION)

    assert len(lines) > 1
    assert all(len(line) <= 80 for line in lines)
    assert all(line.endswith(" -") for line in lines[:-1])
    assert " ".join(line.removesuffix(" -") for line in lines) == LONG_DESCRIPTION


@pytest.mark.django_db
def test_joconde_text_is_crlf_utf8_with_records_closed(works):
    data = b"".join(export_joconde_txt(loaded(works)))

    text = data.decode("utf-8")
    assert text.count("\r\n//\r\n") == 2
    assert "\n" not in text.replace("\r\n", "")
    assert all(len(line) <= 80 for line in text.split("\r\n"))
    assert "MUSEO\r\nM0458\r\n" in text
    assert "DOMN\r\ncostume - accessoires du costume\r\n" in text
    assert "DENO\r\nrobe ; corsage\r\n" in text or "DENO\r\ncorsage ; robe\r\n" in text
    assert "HIST\r\nPortée à Nîmes en 1886.#Donnée au musée en 1921.\r\n" in text


@pytest.mark.django_db
def test_joconde_export_read_back_gives_the_same_values(works):
    from musees.catalogue.importers.joconde_txt import JocondeTxtParser

    dress = loaded(works)[0]
    data = b"".join(export_joconde_txt([dress]))

    (record,) = list(JocondeTxtParser(data))

    assert isinstance(record, WorkRecord)
    assert record.museofile_id == "M0458"
    assert record.inventory_number == "2001/12 A"
    assert record.domains == ["costume - accessoires du costume"]
    assert sorted(record.denominations) == ["corsage", "robe"]
    assert record.periods == ["4e quart 19e siècle"]
    for name in [
        "title",
        "appellation",
        "authors_text",
        "millesime_text",
        "techniques_text",
        "dimensions_text",
        "inscriptions",
        "inscription_details",
        "description",
        "history",
        "acquisition_text",
        "location",
        "links",
    ]:
        assert record.fields[name] == getattr(dress, name), name
    assert [(a.name, a.role) for a in record.authors] == [("Worth, Charles Frederick", "couturier")]
    # The image is named by its stored file (REFIM), which import_works --images-dir finds.
    image = dress.images.get()
    assert [i.reference for i in record.images] == [image.image.file.name.rsplit("/", 1)[-1]]


@pytest.mark.django_db
def test_lido_export_validates_against_the_lido_1_1_schema(works, lido_schema):
    data = b"".join(export_lido(loaded(works), base_url="https://musees.example"))

    document = etree.fromstring(data)
    assert lido_schema.validate(document.getroottree()), lido_schema.error_log
    ns = {"lido": "http://www.lido-schema.org"}
    assert document.xpath("count(lido:lido)", namespaces=ns) == 2
    image = WorkImage.objects.get()
    links = document.xpath(
        "//lido:resourceRepresentation[@lido:type='image_master']/lido:linkResource/text()",
        namespaces=ns,
    )
    assert links == [f"https://musees.example/iiif/3/{image.image_id}/full/max/0/default.jpg"]
    master_files = document.xpath(
        "//lido:linkResource[@lido:encodinganalog='REFIM']/text()", namespaces=ns
    )
    assert master_files == [image.image.file.name.rsplit("/", 1)[-1]]
    assert document.xpath("//lido:creditLine/text()", namespaces=ns) == ["© Musée du Vieux Nîmes"]
    assert document.xpath("//lido:lidoRecID/text()", namespaces=ns)[0] == "M0458/2001%2F12%20A"


@pytest.mark.django_db
def test_lido_export_read_back_gives_the_same_record(works):
    dress, bare = loaded(works)
    data = b"".join(export_lido([dress, bare]))

    first, second = LidoParser(data)

    assert first.museofile_id == "M0458"
    assert first.inventory_number == "2001/12 A"
    assert first.fields["title"] == "Robe de mariée"
    assert first.fields["appellation"] == "robe à la française"
    assert first.domains == ["costume - accessoires du costume"]
    assert sorted(first.denominations) == ["corsage", "robe"]
    assert [(a.name, a.role, a.dates) for a in first.authors] == [
        ("Worth, Charles Frederick", "couturier", "1825-1895")
    ]
    assert first.fields["authors_text"] == dress.authors_text
    assert first.fields["dimensions_text"] == dress.dimensions_text
    assert first.fields["description"] == LONG_DESCRIPTION
    assert first.fields["millesime_text"] == "1885"
    assert sorted(first.techniques) == ["dentelle", "soie"]
    assert [(p.name, p.role) for p in first.places] == [("Paris", "creation")]
    assert first.images[0].licence == "cc-by"
    assert second.inventory_number == "1950.3"
    assert second.denominations == []
    # LIDO requires a title: the display title is written, but not read back as the work's.
    assert "title" not in second.fields


@pytest.mark.django_db
def test_export_command_writes_published_works_of_one_museum(works, museum, museum_index, tmp_path):
    other = MuseumPageFactory(parent=museum_index, museofile_id="M7013")
    WorkFactory(museum=other, inventory_number="MHNT 1")
    output = tmp_path / "export.xml"

    call_command("export_works", "--format", "lido", "--museum", "M0458", "--output", str(output))

    inventories = [r.inventory_number for r in LidoParser(output)]
    assert inventories == ["2001/12 A", "1950.3"]  # not the draft, not the other museum's


@pytest.mark.django_db
def test_export_command_queries_do_not_grow_with_the_number_of_works(
    works, museum, django_assert_max_num_queries
):
    for n in range(30):
        WorkFactory(museum=museum, inventory_number=f"LOT {n}")
    out = io.StringIO()

    with django_assert_max_num_queries(12):
        call_command("export_works", "--format", "joconde-txt", stdout=out)

    assert out.getvalue().count("\r\n//\r\n") == 32
