"""The LIDO reader on the real sample files, on broken files and on hostile XML."""

import io
import itertools
import re
import time
from pathlib import Path

import pytest

from musees.catalogue.importers.errors import CatalogueFileError
from musees.catalogue.importers.lido import (
    ERROR_MALFORMED,
    FIELD_INVENTORY,
    LidoParser,
    licence_from_text,
)
from musees.catalogue.importers.records import RecordError, WorkRecord

DATA = Path(__file__).resolve().parents[2] / "data" / "lido"
FONTANA = DATA / "lido_v1.0_example_FotoMarburg_Fontana_del_Moro.xml"
CIMEC = DATA / "lido_cimec_inp_clasate_istoria_stiintei_si_tehnicii_2014-02-02.xml"


def fontana_with_inventory() -> bytes:
    """The Foto Marburg example with inventory numbers FM 1, FM 2... (it has none)."""
    numbers = itertools.count(1)
    return re.sub(
        rb'<lido:repositorySet lido:type="current">',
        lambda match: (
            match.group(0)
            + b'<lido:workID lido:type="inventory number">FM %d</lido:workID>' % next(numbers)
        ),
        FONTANA.read_bytes(),
    )


def wrap(records: str, declaration: str = "") -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        + declaration
        + '<lido:lidoWrap xmlns:lido="http://www.lido-schema.org">'
        + records
        + "</lido:lidoWrap>"
    ).encode()


def minimal_record(
    inventory: str = "2001.1.1",
    title: str = "Vase",
    extra: str = "",
    title_xml: str = "",
) -> str:
    title_xml = title_xml or f"<lido:appellationValue>{title}</lido:appellationValue>"
    return f"""<lido:lido><lido:lidoRecID lido:type="local">r-{inventory}</lido:lidoRecID>
    <lido:descriptiveMetadata xml:lang="fr">
      <lido:objectClassificationWrap><lido:objectWorkTypeWrap><lido:objectWorkType>
        <lido:term>vase</lido:term></lido:objectWorkType></lido:objectWorkTypeWrap>
      </lido:objectClassificationWrap>
      <lido:objectIdentificationWrap>
        <lido:titleWrap><lido:titleSet>{title_xml}</lido:titleSet></lido:titleWrap>
        <lido:repositoryWrap><lido:repositorySet><lido:repositoryName>
          <lido:legalBodyID lido:type="Muséofile">M0458</lido:legalBodyID></lido:repositoryName>
          <lido:workID lido:type="inventory number">{inventory}</lido:workID>
        </lido:repositorySet></lido:repositoryWrap>
        {extra}
      </lido:objectIdentificationWrap>
    </lido:descriptiveMetadata></lido:lido>"""


def test_fontana_example_reads_three_records_and_rejects_them_without_inventory_number():
    items = list(LidoParser(FONTANA))

    assert len(items) == 3
    assert all(isinstance(item, RecordError) for item in items)
    assert [item.field for item in items] == [FIELD_INVENTORY] * 3
    assert "numéro d'inventaire manquant" in items[0].reason
    assert "DE-Mb112/lido-obj20344012" in items[0].reason
    assert [item.line for item in items] == [4, 292, 773]


def test_fontana_record_title_actor_and_images():
    fountain, basin, group = LidoParser(fontana_with_inventory(), default_museofile_id="M0458")

    assert fountain.inventory_number == "FM 1"  # English block first: FM 2 is its German twin
    assert fountain.museofile_id == "M0458"  # the file names no Muséofile id
    assert fountain.fields["title"] == "Fontana del Moro"
    assert fountain.denominations == ["fountain"]  # not the added search term
    assert fountain.domains == ["fountain sculpture"]  # Europeana's "IMAGE" is not a domain
    assert fountain.authors == []
    work = basin
    assert work.fields["title"] == "Fontana del Moro — fountain basin with four tritons and masks"
    author = work.authors[0]
    assert (author.name, author.role, author.dates) == (
        "Porta, Giacomo della",
        "sculptor",
        "1537-1602",
    )
    assert work.fields["millesime_text"] == "1575 ; 1576"
    assert work.images[0].reference == "http://www.bildindex.de/bilder/t/fm1188710"
    assert work.images[0].copyright_line.startswith("Deutsches Dokumentationszentrum")
    assert work.images[1].photographer == "Schröder, Walter"


def test_cimec_export_reads_all_486_records_quickly():
    started = time.perf_counter()
    items = list(LidoParser(CIMEC))
    elapsed = time.perf_counter() - started

    assert len(items) == 486
    assert all(isinstance(item, WorkRecord) for item in items)
    assert elapsed < 2
    first = items[0]
    assert first.inventory_number == "10238"
    assert first.fields["title"] == "Vagon de tramvai cu cai"
    assert first.techniques == ["oțel", "fontă", "alamă", "lemn"]
    assert first.fields["techniques_text"].startswith("oțel; fontă; alamă; lemn")
    assert first.fields["dimensions_text"] == "Cote de gabarit: 560x320x225 cm"
    assert first.fields["periods_text"] == "Începutul sec. XX"
    assert first.domains == ["știință și tehnică", "Mașini"]  # one label per language group
    assert [(p.name, p.role) for p in first.places] == [
        ("Edinburg", "creation"),
        ("București", "discovery"),
    ]
    assert first.fields["links"].startswith("http://clasate.cimec.ro/detaliu.asp?k=00F9478B")
    assert first.museofile_id == ""  # the CIMEC code 7520100 is not a Muséofile id
    assert first.line == 4


def test_museofile_id_french_title_and_structured_measurements():
    extra = """<lido:objectMeasurementsWrap><lido:objectMeasurementsSet><lido:objectMeasurements>
      <lido:measurementsSet><lido:measurementType>height</lido:measurementType>
        <lido:measurementUnit>cm</lido:measurementUnit><lido:measurementValue>12</lido:measurementValue>
      </lido:measurementsSet>
      <lido:measurementsSet><lido:measurementType>width</lido:measurementType>
        <lido:measurementUnit>cm</lido:measurementUnit><lido:measurementValue>8</lido:measurementValue>
      </lido:measurementsSet></lido:objectMeasurements></lido:objectMeasurementsSet>
      </lido:objectMeasurementsWrap>"""
    titles = """<lido:appellationValue xml:lang="en">Vase</lido:appellationValue>
      <lido:appellationValue xml:lang="fr">Vase à anses</lido:appellationValue>"""
    (work,) = LidoParser(wrap(minimal_record(title_xml=titles, extra=extra)))

    assert work.museofile_id == "M0458"
    assert work.fields["title"] == "Vase à anses"
    assert work.fields["dimensions_text"] == "Hauteur en cm 12 ; Largeur en cm 8"


def test_record_without_inventory_number_is_rejected_and_the_next_one_kept():
    items = list(LidoParser(wrap(minimal_record(inventory="") + minimal_record("B 2"))))

    assert isinstance(items[0], RecordError)
    assert items[0].field == FIELD_INVENTORY
    assert items[1].inventory_number == "B 2"


def test_truncated_file_yields_complete_records_then_a_clear_error():
    data = CIMEC.read_bytes()
    cut = data[: len(data) // 2]
    complete = cut.count(b"</lido:lido>")

    items = list(LidoParser(io.BytesIO(cut)))

    assert len(items) == complete + 1
    assert all(isinstance(item, WorkRecord) for item in items[:-1])
    error = items[-1]
    assert isinstance(error, RecordError)
    assert error.reason.startswith("XML mal formé à la ligne ")
    assert error.line > items[-2].line
    assert ERROR_MALFORMED.split("%")[0] in error.reason


def test_malformed_record_in_the_middle_stops_with_its_line():
    broken = minimal_record("A 1") + "<lido:lido><lido:lidoRecID>x</lido:lido>"
    items = list(LidoParser(wrap(broken)))

    assert items[0].inventory_number == "A 1"
    assert isinstance(items[1], RecordError)
    assert "ligne" in items[1].reason


def test_xml_that_is_not_lido_is_refused():
    with pytest.raises(CatalogueFileError, match="n'est pas un fichier LIDO"):
        list(LidoParser(b'<?xml version="1.0"?><rss><channel><title>x</title></channel></rss>'))


def test_text_that_is_not_xml_is_refused():
    with pytest.raises(CatalogueFileError, match="XML"):
        list(LidoParser(b"REF\r\n01610014032\r\n//\r\n"))


def test_external_entity_is_never_expanded():
    declaration = '<!DOCTYPE lido:lidoWrap [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    parser = LidoParser(wrap(minimal_record(title="Vase &xxe; fin"), declaration))

    (work,) = parser

    assert work.fields["title"] == "Vase fin"  # neither the file nor the reference
    assert parser.warnings  # the DTD is reported


def test_billion_laughs_is_never_expanded():
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 if i > 1 else "")) * 10}">' for i in range(1, 10)
    )
    declaration = f"<!DOCTYPE lido:lidoWrap [{entities}]>"

    try:
        items = list(LidoParser(wrap(minimal_record(title="Vase &lol9;"), declaration)))
    except CatalogueFileError as error:  # libxml2 refuses the amplification outright
        assert "lollol" not in str(error)
    else:
        assert items[0].fields["title"] == "Vase"


@pytest.mark.parametrize(
    ("text", "licence"),
    [
        ("CC0", "cc0"),
        ("https://creativecommons.org/publicdomain/zero/1.0/", "cc0"),
        ("CC BY-SA", "cc-by-sa"),
        ("https://creativecommons.org/licenses/by/4.0/", "cc-by"),
        ("Licence Ouverte", "lo"),
        ("http://www.europeana.eu/rights/rr-f/", ""),
    ],
)
def test_image_licence_is_read_from_its_name_or_uri(text, licence):
    assert licence_from_text(text) == licence
