"""The Muséofile parser on the real files: formats, quirks, rejected rows (no database)."""

from pathlib import Path

import pytest

from musees.museums.importers import museofile
from musees.museums.importers.museofile import (
    ERROR_BAD_COORDINATES,
    ERROR_COLUMN_COUNT,
    ERROR_DUPLICATE_ID,
    ERROR_MALFORMED_ID,
    ERROR_MISSING_ID,
    ERROR_MISSING_NAME,
    FORMAT_BASE,
    FORMAT_LIST,
    WARNING_BAD_URL,
    WARNING_CP1252,
    MuseofileFileError,
    normalize_phone,
    normalize_website,
    parse_museofile,
)

ROOT = Path(__file__).resolve().parents[3]
OCCITANIE = ROOT / "tests/data/museofile/musees-de-france-base-museofile_occitanie.csv"
BASE = ROOT / "data/museofile/musees-de-france-base-museofile.csv"
LIST = ROOT / "data/museofile/liste-et-localisation-des-musees-de-france.csv"


def by_id(result):
    return {record.museofile_id: record for record in result.records}


def test_occitanie_base_subset_gives_132_museums_without_error():
    result = parse_museofile(OCCITANIE)
    assert result.format == FORMAT_BASE
    assert len(result.records) == 132
    assert result.errors == []
    foix = by_id(result)["M0543"]
    assert foix.line == 2
    assert foix.fields["title"] == "Musée départemental de l'Ariège"
    assert (foix.fields["latitude"], foix.fields["longitude"]) == (42.965864, 1.6053)
    assert foix.domains == ["Archéologie", "Histoire"]
    assert foix.fields["website"] == "https://www.sites-touristiques-ariege.fr/chateau-de-foix/"
    assert foix.fields["phone"] == "05 61 65 56 05"
    assert foix.fields["postcode"] == "09000"
    assert foix.fields["departement_code"] == "09"
    assert foix.fields["departement_name"] == "Ariège"
    assert foix.fields["is_musee_de_france"] is True
    assert foix.fields["category"] == "Musée de site"
    assert foix.fields["museofile_updated_on"] == "2024-01-30"
    assert foix.fields["themes_text"].splitlines()[0] == "Archéologie nationale : Médiéval"
    assert foix.fields["notable_people"].startswith("Gaston Fébus")
    assert foix.fields["history"].startswith("Musée créé en 1881.")
    assert "label_date" not in foix.fields  # not in the base export


def test_full_base_with_bom_and_region_filter_folds_accents_and_case():
    result = parse_museofile(BASE.read_bytes(), region="occitanie")
    assert result.format == FORMAT_BASE
    assert set(by_id(result)) == set(by_id(parse_museofile(OCCITANIE)))


def test_full_base_reports_its_real_bad_rows_with_their_line():
    result = parse_museofile(BASE)
    assert len(result.records) + len(result.errors) == 1228
    reasons = {error.line: error.reason for error in result.errors}
    assert reasons[523] == str(ERROR_MALFORMED_ID % {"value": "B9001"})
    assert reasons[218] == str(ERROR_MISSING_NAME)


def test_list_file_carries_only_its_own_fields():
    result = parse_museofile(LIST, region="Occitanie")
    assert result.format == FORMAT_LIST
    assert len(result.records) == 132
    foix = by_id(result)["M0543"]
    assert foix.fields["label_date"] == "2003-02-01"
    assert (foix.fields["latitude"], foix.fields["longitude"]) == (42.965864, 1.6053)
    assert foix.domains is None
    for absent in ("category", "history", "highlights", "themes_text", "museofile_updated_on"):
        assert absent not in foix.fields


def test_list_file_regions_spelled_differently_match_the_base():
    base_idf = by_id(parse_museofile(BASE, region="Ile-de-France"))
    list_idf = by_id(parse_museofile(LIST, region="Ile-de-France"))
    assert len(list_idf) > 100
    assert set(list_idf) == set(base_idf)


def test_list_file_duplicate_id_is_rejected_with_first_line():
    result = parse_museofile(LIST)
    duplicates = [error for error in result.errors if "M7042" in error.reason]
    assert [(error.line, error.reason) for error in duplicates] == [
        (24, str(ERROR_DUPLICATE_ID % {"value": "M7042", "first_line": 23})),
        (513, str(ERROR_DUPLICATE_ID % {"value": "M7042", "first_line": 23})),
    ]
    # The multi-line quoted URL of M0040 is one record, and lines after it keep their number.
    assert by_id(result)["M0040"].fields["website"] == (
        "https://www.neuf-brisach.fr/Culture-Patrimoine/Musee.Html"
    )
    assert [w for w in result.warnings if "html#.YFtE-ZvjLZ4" in w] == [
        "ligne 17 : " + str(WARNING_BAD_URL % {"value": "html#.YFtE-ZvjLZ4"})
    ]


def broken_file() -> tuple[bytes, list[str]]:
    """Header + real Occitanie rows, some of them with one field broken."""
    lines = OCCITANIE.read_bytes().decode("utf-8").split("\r\n")
    header, rows = lines[0], lines[1:9]
    ids = [row.split(";", 1)[0] for row in rows]
    broken = list(rows)
    broken[1] = ";" + rows[1].split(";", 1)[1]  # line 3: no id
    broken[2] = "M12;" + rows[2].split(";", 1)[1]  # line 4: malformed id
    broken[3] = rows[3].rsplit(";", 1)[0] + ";95.2, 3.1"  # line 5: latitude out of range
    broken[4] = rows[4].rsplit(";", 1)[0] + ";abc"  # line 6: unreadable coordinates
    broken[5] = rows[5].rsplit(";", 1)[0]  # line 7: one column short
    broken.append(rows[0])  # line 10: duplicate of line 2
    return ("\r\n".join([header, *broken]) + "\r\n").encode(), ids


def test_broken_rows_are_reported_with_line_and_reason_and_good_rows_kept():
    data, ids = broken_file()
    result = parse_museofile(data)
    assert [(error.line, error.reason) for error in result.errors] == [
        (3, str(ERROR_MISSING_ID)),
        (4, str(ERROR_MALFORMED_ID % {"value": "M12"})),
        (5, str(ERROR_BAD_COORDINATES % {"value": "95.2, 3.1"})),
        (6, str(ERROR_BAD_COORDINATES % {"value": "abc"})),
        (7, str(ERROR_COLUMN_COUNT % {"found": 23, "expected": 24})),
        (10, str(ERROR_DUPLICATE_ID % {"value": ids[0], "first_line": 2})),
    ]
    assert str(result.errors[0]) == "ligne 3 : identifiant Muséofile manquant"
    assert [record.museofile_id for record in result.records] == [ids[0], ids[6], ids[7]]


def test_lf_line_ends_give_the_same_records_and_lines():
    crlf = parse_museofile(OCCITANIE)
    lf = parse_museofile(OCCITANIE.read_bytes().replace(b"\r\n", b"\n"))
    assert [(r.museofile_id, r.line, r.fields) for r in lf.records] == [
        (r.museofile_id, r.line, r.fields) for r in crlf.records
    ]


def test_windows_1252_file_is_read_with_a_warning():
    data = OCCITANIE.read_text(encoding="utf-8").encode("cp1252", errors="replace")
    result = parse_museofile(data)
    assert result.warnings[0] == str(WARNING_CP1252)
    assert len(result.records) == 132
    assert by_id(result)["M0543"].fields["title"] == "Musée départemental de l'Ariège"


@pytest.mark.parametrize(
    "data",
    [b"", b"\x00\x01\x02binary", "Identifiant;Nom_officiel".encode("utf-16")],
)
def test_empty_or_binary_file_is_a_file_error(data):
    with pytest.raises(MuseofileFileError):
        parse_museofile(data)


def test_unknown_header_is_a_clear_file_error():
    with pytest.raises(MuseofileFileError) as error:
        parse_museofile(b"nom;ville;lat;lon\r\nmus\xc3\xa9e;Foix;1;2\r\n")
    assert str(error.value) == str(museofile.ERROR_UNKNOWN_FORMAT % {"header": "nom;ville;lat;lon"})


def test_missing_file_is_a_file_error(tmp_path):
    with pytest.raises(MuseofileFileError, match="Impossible de lire"):
        parse_museofile(tmp_path / "absent.csv")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("www.musee.fr/", "https://www.musee.fr/"),
        ("http://www.musee.fr", "http://www.musee.fr"),
        ("/www.coubertin.fr/", "https://www.coubertin.fr/"),
        ("html#.YFtE-ZvjLZ4", ""),
        ("en cours de réalisation", ""),
        ("", ""),
    ],
)
def test_normalize_website(raw, expected):
    assert normalize_website(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("05 61 65 56 05", "05 61 65 56 05"),
        ("05.61.65.56.05", "05 61 65 56 05"),
        ("0561655605", "05 61 65 56 05"),
        ("385242474", "03 85 24 24 74"),
        ("+33 5 61 65 56 05", "05 61 65 56 05"),
        ("33 (0) 3 27 82 27 90", "03 27 82 27 90"),
        ("05  62 48 58 00", "05 62 48 58 00"),
        ("04 66 76 71 82 (accueil)", "04 66 76 71 82 (accueil)"),
        ("03 88 80 34 49 / 03 88 80 89 30", "03 88 80 34 49 / 03 88 80 89 30"),
    ],
)
def test_normalize_phone(raw, expected):
    assert normalize_phone(raw) == expected
