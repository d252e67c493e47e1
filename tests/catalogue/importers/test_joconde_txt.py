"""The Joconde text reader, on the real POP sample notices of the musée Rolin and broken copies."""

import io
import re
from pathlib import Path

import pytest

from musees.catalogue.importers.errors import ERROR_EMPTY_FILE, ERROR_NOT_TEXT, CatalogueFileError
from musees.catalogue.importers.joconde_txt import (
    ERROR_DUPLICATE_INVENTORY,
    ERROR_MISSING_INVENTORY,
    ERROR_MISSING_MUSEUM,
    ERROR_TOO_LONG,
    ERROR_TRUNCATED,
    WARNING_NO_END,
    WARNING_NOT_UTF8,
    WARNING_UNKNOWN_CODE,
    JocondeTxtParser,
    parse_author,
    parse_joconde_txt,
)
from musees.catalogue.importers.records import (
    AuthorRecord,
    ImageRecord,
    PlaceRecord,
    RecordError,
    WorkRecord,
)

SAMPLE = Path(__file__).parents[2] / "data" / "joconde" / "pop_fixture_joconde-valid-UTF-8.txt"
COPYRIGHT = "© Autun, musée Rolin, © Service des musées de France, 2018"


def parse(source, **kwargs):
    parser = JocondeTxtParser(source, **kwargs)
    return list(parser), parser.warnings


def notice(*fields: tuple[str, str]) -> str:
    """A Joconde text record from (code, value) pairs, CRLF as the real files."""
    return "".join(f"{code}\r\n{value}\r\n" for code, value in fields) + "//\r\n"


def test_reads_the_three_rolin_notices_without_warning():
    items, warnings = parse(SAMPLE)

    assert [type(item) for item in items] == [WorkRecord] * 3
    assert [item.inventory_number for item in items] == ["A1973.2.1", "A1982.9.4", "A1983.15.1"]
    assert [item.number for item in items] == [1, 2, 3]
    assert [item.line for item in items] == [1, 60, 106]
    assert {item.museofile_id for item in items} == {"M0017"}
    assert warnings == []


def test_first_notice_field_by_field():
    record = next(iter(JocondeTxtParser(SAMPLE)))

    assert record.joconde_ref == "01610014032"
    assert record.inventory_number == "A1973.2.1"
    assert record.domains == ["archéologie", "céramique", "gallo-romain"]
    assert record.denominations == ["fragment"]
    # TECH "céramique, sigillée": a material then a technique, both terms; the text stays whole.
    assert record.techniques == ["céramique", "sigillée"]
    assert record.fields["techniques_text"] == "céramique, sigillée"
    assert record.authors == [AuthorRecord(name="anonymesss", role="céramiste, artisan")]
    assert record.fields["authors_text"] == "anonymesss (céramiste, artisan)"
    # PDEC is wrapped with " -": the two lines make one value with a single space.
    assert record.fields["discovery_details"] == (
        "Rue de la Croix-Verte, dans les terrassements des H.L.M. de la Croix-Verte ; "
        "Anonyme Anonyme (inventeur) ; 1980 (invention du site)"
    )
    # BIBL holds two blocks separated by "#", the second wrapped over three lines.
    assert record.fields["bibliography"].split("\n") == [
        "Inventaire B. Archéo, fiches inventaire, Bulliot",
        "Autun Augustodunum - Capitale des Eduens, musée Rolin - Hôtel de Ville - Autun, "
        "16 mars- 27 octobre 1985 (p. 159-162)",
    ]
    assert record.fields["description"] == (
        "Fond de vaisselle en sigillée, type coupelle, à pied annulaire rapporté, estampille au "
        "centre dans cartouche cerclé : OFFRMO"
    )
    assert record.fields["acquisition_text"] == "1955 acquis ; 1954 entrée matérielle"
    assert record.fields["epoch"] == "gallo-romain"
    assert record.fields["location"] == "Autun ; musée Rolin"
    assert record.fields["copyright_notice"] == COPYRIGHT
    assert record.places == [
        PlaceRecord(name="France, Saône-et-Loire, Autun", role="discovery"),
        PlaceRecord(name="France, Saône-et-Loire, Autun", role="creation"),
    ]
    assert record.fields["places_text"] == "France, Saône-et-Loire, Autun (lieu de création)"
    assert record.images == [
        ImageRecord(
            reference="M016183_0016630_P.JPG",
            photographer="Cliché Anonyme",
            copyright_line=COPYRIGHT,
        ),
        ImageRecord(
            reference="M016183_0016631_P.JPG",
            photographer="Cliché Anonyme",
            copyright_line=COPYRIGHT,
        ),
    ]
    # Technical codes (COOR, LABEL, IMAGE) are not kept as work fields.
    assert "Anonyme Anonyme" not in record.fields.values()
    assert not any("Musée de France" in value for value in record.fields.values())


def test_third_notice_title_and_discovery_place_written_before_its_marker():
    record = list(JocondeTxtParser(SAMPLE))[2]

    assert record.fields["title"] == "Main"
    assert record.denominations == ["figurine (fragment)"]
    assert record.domains == ["archéologie", "sculpture", "céramique", "gallo-romain"]
    # DECV "France, Saône-et-Loire, Antully;(lieu de découverte) (1982, ...)"
    assert PlaceRecord(name="France, Saône-et-Loire, Antully", role="discovery") in record.places


def test_windows_1252_copy_reads_the_same_with_a_warning():
    utf8_items, _ = parse(SAMPLE)
    cp1252 = SAMPLE.read_bytes().decode("utf-8").encode("cp1252")

    items, warnings = parse(cp1252)

    assert items == utf8_items
    assert warnings == [str(WARNING_NOT_UTF8 % {"line": 8})]


def test_bom_and_lf_line_ends_and_a_file_object_read_the_same():
    utf8_items, _ = parse(SAMPLE)
    lf = b"\xef\xbb\xbf" + SAMPLE.read_bytes().replace(b"\r\n", b"\n")

    items, warnings = parse(io.BytesIO(lf))

    assert items == utf8_items
    assert warnings == []


def test_function_form_gives_the_same_parser_shape():
    parser = parse_joconde_txt(SAMPLE)

    assert len(list(parser)) == 3
    assert parser.warnings == []


def test_missing_inventory_number_rejects_that_record_only():
    text = notice(("REF", "1"), ("MUSEO", "M0458"), ("DENO", "gilet")) + notice(
        ("MUSEO", "M0458"), ("INV", "921.82.1")
    )

    items, _ = parse(text.encode())

    assert items[0] == RecordError(
        number=1, line=1, field="INV", reason=str(ERROR_MISSING_INVENTORY)
    )
    assert isinstance(items[1], WorkRecord)
    assert items[1].number == 2
    assert items[1].line == 8


def test_missing_museum_uses_the_default_or_is_rejected():
    text = notice(("INV", "921.82.1"), ("DENO", "châle")).encode()

    (without,), _ = parse(text)
    (with_default,), _ = parse(text, default_museofile_id="M0458")

    assert without == RecordError(number=1, line=1, field="MUSEO", reason=str(ERROR_MISSING_MUSEUM))
    assert with_default.museofile_id == "M0458"
    assert with_default.denominations == ["châle"]


def test_duplicated_inventory_number_rejects_the_second_record():
    first = notice(("MUSEO", "M0458"), ("INV", "921.82.1"))
    other_museum = notice(("MUSEO", "M0567"), ("INV", "921.82.1"))
    items, _ = parse((first + other_museum + first).encode())

    assert [type(item) for item in items] == [WorkRecord, WorkRecord, RecordError]
    assert items[2].number == 3
    assert items[2].field == "INV"
    assert items[2].reason == str(
        ERROR_DUPLICATE_INVENTORY % {"inventory": "921.82.1", "museum": "M0458", "first": 1}
    )


def test_a_ten_megabyte_value_is_rejected_with_its_record_and_field():
    huge = notice(("MUSEO", "M0458"), ("INV", "2"), ("DESC", "x" * 10_000_000))
    items, _ = parse(
        (notice(("MUSEO", "M0458"), ("INV", "1")) + huge).encode() + SAMPLE.read_bytes()
    )

    assert items[1] == RecordError(number=2, line=6, field="DESC", reason=str(ERROR_TOO_LONG))
    assert [item.inventory_number for item in items if isinstance(item, WorkRecord)] == [
        "1",
        "A1973.2.1",
        "A1982.9.4",
        "A1983.15.1",
    ]


def test_a_value_over_one_megabyte_in_many_short_lines_is_rejected():
    lines = "\r\n".join(["une ligne de bibliographie assez longue"] * 30_000)
    items, _ = parse(notice(("MUSEO", "M0458"), ("INV", "1"), ("BIBL", lines)).encode())

    assert items == [RecordError(number=1, line=1, field="BIBL", reason=str(ERROR_TOO_LONG))]


def test_unknown_field_code_is_reported_once_and_the_record_kept():
    text = notice(("MUSEO", "M0458"), ("INV", "1"), ("XYZW", "valeur"), ("ADPT", "ancien dépôt"))
    items, warnings = parse((text + text.replace("\r\n1\r\n", "\r\n2\r\n")).encode())

    assert [item.inventory_number for item in items] == ["1", "2"]
    assert warnings == [
        str(WARNING_UNKNOWN_CODE % {"code": "XYZW"}),
        str(WARNING_UNKNOWN_CODE % {"code": "ADPT"}),
    ]
    assert "valeur" not in items[0].fields.values()


def test_last_record_without_end_marker_is_read_with_a_warning():
    text = notice(("MUSEO", "M0458"), ("INV", "1")).removesuffix("//\r\n")

    items, warnings = parse(text.encode())

    assert [item.inventory_number for item in items] == ["1"]
    assert warnings == [str(WARNING_NO_END % {"number": 1, "line": 1})]


def test_last_record_cut_in_a_continued_value_is_rejected():
    text = "MUSEO\r\nM0458\r\nINV\r\n1\r\nDESC\r\nFond de vaisselle -\r\n"

    items, _ = parse(text.encode())

    assert items == [RecordError(number=1, line=1, field="DESC", reason=str(ERROR_TRUNCATED))]


@pytest.mark.parametrize("content", [b"", b"\r\n  \r\n"])
def test_empty_file_is_a_clear_error(content):
    with pytest.raises(CatalogueFileError, match=str(ERROR_EMPTY_FILE)):
        list(JocondeTxtParser(content))


@pytest.mark.parametrize(
    "content",
    [
        b'<?xml version="1.0"?>\n<lido:lidoWrap/>\n',
        b"Localisation,Nom_officiel_musee,Code_Museofile\nNimes,Musee,M0458\n",
    ],
)
def test_a_file_that_is_not_joconde_text_is_a_clear_error(content):
    with pytest.raises(CatalogueFileError, match="n'est pas au format texte Joconde"):
        list(JocondeTxtParser(content))


def test_a_binary_file_is_a_clear_error():
    with pytest.raises(CatalogueFileError, match=re.escape(str(ERROR_NOT_TEXT))):
        list(JocondeTxtParser(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"))


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ("anonyme (artisan)", AuthorRecord("anonyme", "artisan")),
        ("Colin Laure (1827-1878)", AuthorRecord("Colin Laure", "", "1827-1878")),
        (
            "LANTE Louis Marie (dessinateur, d'après)",
            AuthorRecord("LANTE Louis Marie", "dessinateur, d'après"),
        ),
        (
            "Chataigner Alexis (graveur, actif 1772-1817)",
            AuthorRecord("Chataigner Alexis", "graveur", "actif 1772-1817"),
        ),
        ("Leroy  (imprimeur)", AuthorRecord("Leroy", "imprimeur")),
        ("COROT Jean-Baptiste Camille", AuthorRecord("COROT Jean-Baptiste Camille")),
    ],
)
def test_author_name_role_and_dates(entry, expected):
    assert parse_author(entry) == expected
