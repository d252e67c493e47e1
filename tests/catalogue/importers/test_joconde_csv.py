"""The Joconde CSV reader: real Occitanie costume rows, an extract sample, broken files."""

from collections import Counter
from pathlib import Path

import pytest

from musees.catalogue.importers.errors import ERROR_EMPTY_FILE, CatalogueFileError
from musees.catalogue.importers.joconde_csv import (
    ERROR_TOO_LONG_COLUMN,
    WARNING_UNKNOWN_COLUMN,
    WARNING_UNUSED_COLUMN,
    JocondeCsvParser,
)
from musees.catalogue.importers.joconde_txt import (
    ERROR_DUPLICATE_INVENTORY,
    ERROR_MISSING_INVENTORY,
    ERROR_MISSING_MUSEUM,
    WARNING_LONG_INVENTORY,
    WARNING_NOT_UTF8,
    fix_c1,
)
from musees.catalogue.importers.records import (
    AuthorRecord,
    ImageRecord,
    PlaceRecord,
    RecordError,
    WorkRecord,
)

DATA = Path(__file__).parents[2] / "data"
OCCITANIE = DATA / "joconde" / "joconde_costumes_occitanie_subset.csv"
SAMPLE = DATA / "joconde" / "joconde_extrait_costumes_sample.csv"
MUSEOFILE = DATA / "museofile" / "musees-de-france-base-museofile_occitanie.csv"


def parse(source, **kwargs):
    parser = JocondeCsvParser(source, **kwargs)
    return list(parser), parser.warnings


def by_inventory(items):
    return {item.inventory_number: item for item in items if isinstance(item, WorkRecord)}


def test_reads_the_39_occitanie_rows_by_museum_without_warning():
    items, warnings = parse(OCCITANIE)

    assert len(items) == 39
    assert all(isinstance(item, WorkRecord) for item in items)
    assert Counter(item.museofile_id for item in items) == {"M0458": 34, "M7013": 3, "M0567": 2}
    assert warnings == []
    # Presence_image is "oui" on every row, but no row names an image.
    assert not any(item.images for item in items)


def test_vieux_nimes_shawl_field_by_field():
    record = by_inventory(parse(OCCITANIE)[0])["920.27.1"]

    assert record.museofile_id == "M0458"
    assert record.number == 33
    assert record.line == 34
    assert record.denominations == ["Châle"]
    assert record.domains == ["ethnologie", "textile", "costume - accessoires du costume"]
    assert record.fields["title"] == 'Châle dit "boiteux"'
    assert record.fields["location"] == "Nîmes ; musée du vieux Nîmes"
    assert record.fields["bibliography"].startswith(
        "Le musée du vieux Nîmes, une histoire, une collection, Nîmes"
    )
    # Museum metadata columns are not work fields.
    assert "Gard" not in record.fields.values()


def test_numbered_denomination_and_period_columns_collapse_into_lists():
    records = by_inventory(parse(OCCITANIE)[0])
    shaman = records["MHNT.ETH.2004.1.1.1-3"]
    buttons = records["001.20.9"]

    assert shaman.museofile_id == "M7013"
    assert shaman.denominations == ["Costume", "coiffe", "tambour", "manteau"]
    assert shaman.periods == ["4e quart 19e siècle", "1er quart 20e siècle"]
    assert shaman.fields["periods_text"] == "4e quart 19e siècle ; 1er quart 20e siècle"
    # Materiaux_techniques separates terms with "," but not inside parentheses.
    assert shaman.techniques == ["peau de mammifère (cousu)", "cuir de cervidé", "cuir de mouton"]
    assert shaman.authors == [AuthorRecord(name="Darkhad", role="population")]
    # "l\x92accompagne": a Windows-1252 apostrophe the export decoded as a control character.
    assert "l’accompagne" in shaman.fields["use_details"]
    assert shaman.warnings
    assert buttons.museofile_id == "M0567"
    assert buttons.denominations == ["Bouton De Vêtement", "uniforme (élément, 5)"]


def test_extract_sample_quirks():
    items, warnings = parse(SAMPLE)
    records = by_inventory(items)
    errors = [item for item in items if isinstance(item, RecordError)]

    assert len(items) == 230
    assert warnings == []
    # "Non renseigné" is no value.
    assert records["2011.0.36"].denominations == []
    # Four M0650 netsuke differ only after the " ; " of their inventory numbers: all kept.
    assert len([number for number in records if number.startswith("7492 ; D 07.1.24")]) == 4
    # An inventory number of 271 characters: its first number identifies the work.
    beylie = records["MG 2013-0-117"]
    assert beylie.warnings == [str(WARNING_LONG_INVENTORY % {"inventory": "MG 2013-0-117"})]
    assert "BMG 2048" in beylie.fields["comments"]
    # Authors separated by ";" with roles.
    assert records["1968.3.281"].museofile_id == "M0986"
    assert errors == [
        RecordError(
            number=211,
            line=212,
            field="INV",
            reason=str(
                ERROR_DUPLICATE_INVENTORY
                % {"inventory": "1968.3.281", "museum": "M0986", "first": 210}
            ),
        )
    ]
    authors = [item for item in records.values() if len(item.authors) == 2]
    assert authors[0].authors == [
        AuthorRecord(name="Maison Henry", role="tisseur"),
        AuthorRecord(name="Poncet Gaston", role="dessinateur"),
    ]


def test_windows_1252_copy_reads_the_same_with_a_warning():
    utf8_items, _ = parse(OCCITANIE)
    text = fix_c1(OCCITANIE.read_bytes().decode("utf-8"))

    items, warnings = parse(text.encode("cp1252"))

    assert [item.fields for item in items] == [item.fields for item in utf8_items]
    assert [item.denominations for item in items] == [item.denominations for item in utf8_items]
    assert warnings == [str(WARNING_NOT_UTF8 % {"line": 2})]


OPEN_DATA = (
    "\ufeffReference;Numero_inventaire;Code_Museofile;Domaine;Denomination;Auteur;"
    "Materiaux_techniques;Lieu_de_creation_utilisation;Ancien_depot;Colonne_maison;"
    "Nom_officiel_musee\r\n"
    "07960000001;D 2004.1.1;M0458;peinture;tableau;MAURIN Charles (peintre, 1856-1914);"
    "huile sur toile;France,Occitanie,Nîmes (lieu de création);Louvre;x;Musée du Vieux Nîmes\r\n"
    "07960000002;D 2004.1.2;M0458;dessin;dessin;;;;;y;Musée du Vieux Nîmes\r\n"
)


def test_open_data_extract_with_semicolons_bom_and_unknown_columns():
    items, warnings = parse(OPEN_DATA.encode())

    first, second = items
    assert first.joconde_ref == "07960000001"
    assert first.inventory_number == "D 2004.1.1"
    assert first.denominations == ["tableau"]
    assert first.authors == [AuthorRecord(name="MAURIN Charles", role="peintre", dates="1856-1914")]
    assert first.places == [PlaceRecord(name="France,Occitanie,Nîmes", role="creation")]
    assert first.fields["places_text"] == "France,Occitanie,Nîmes (lieu de création)"
    assert second.domains == ["dessin"]
    assert warnings == [
        str(WARNING_UNUSED_COLUMN % {"column": "Ancien_depot", "code": "ADPT"}),
        str(WARNING_UNKNOWN_COLUMN % {"column": "Colonne_maison"}),
    ]


def test_pop_export_with_codes_and_pipes_names_its_images():
    text = "REF|INV|MUSEO|DOMN|IMG|COPY\n01|1|M7013|ethnologie|joconde/a.jpg;joconde/b.jpg|© MHNT\n"

    (record,), warnings = parse(text.encode())

    assert record.images == [
        ImageRecord(reference="joconde/a.jpg", copyright_line="© MHNT"),
        ImageRecord(reference="joconde/b.jpg", copyright_line="© MHNT"),
    ]
    assert warnings == []


def test_row_errors_missing_inventory_missing_museum_and_huge_value():
    text = (
        "Numero_inventaire,Code_Museofile,Description\n"
        ",M0458,sans numéro\n"
        "2,,sans musée\n"
        f'3,M0458,"{"x" * 10_000_000}"\n'
        "4,M0458,bon\n"
    )

    items, _ = parse(text.encode())

    assert items[:3] == [
        RecordError(number=1, line=2, field="INV", reason=str(ERROR_MISSING_INVENTORY)),
        RecordError(number=2, line=3, field="MUSEO", reason=str(ERROR_MISSING_MUSEUM)),
        RecordError(
            number=3,
            line=4,
            field="DESC",
            reason=str(ERROR_TOO_LONG_COLUMN % {"column": "Description"}),
        ),
    ]
    assert items[3].inventory_number == "4"
    assert items[3].fields["description"] == "bon"


def test_default_museum_for_rows_without_one():
    (record,), _ = parse(b"Numero_inventaire;Titre\n1;Main\n", default_museofile_id="M0567")

    assert record.museofile_id == "M0567"
    assert record.fields["title"] == "Main"


@pytest.mark.parametrize("content", [b"", b"\n\n"])
def test_empty_file_is_a_clear_error(content):
    with pytest.raises(CatalogueFileError, match=str(ERROR_EMPTY_FILE)):
        list(JocondeCsvParser(content))


def test_a_csv_that_is_not_joconde_is_a_clear_error():
    with pytest.raises(CatalogueFileError, match="n'est pas un export CSV de Joconde"):
        list(JocondeCsvParser(MUSEOFILE))
