"""Parsed forms of Joconde texts: dimensions in cm, year ranges, acquisition year."""

import pytest

from musees.catalogue.parsing import parse_acquisition_year, parse_dimensions, parse_year_range


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The POP fixture (musée Rolin): an empty "Epaisseur" gives no depth.
        (
            "Hauteur en cm 1.64 ; Longueur en cm 6.6 ; Epaisseur en cm",
            {"height_cm": 1.64, "width_cm": 6.6},
        ),
        ("H. 21 cm, D. 69,5 cm", {"height_cm": 21.0, "diameter_cm": 69.5}),
        ("Hauteur en cm 58 ; Largeur en cm 46.7", {"height_cm": 58.0, "width_cm": 46.7}),
        ("h. 1,20 m ; l. 80 mm", {"height_cm": 120.0, "width_cm": 8.0}),
        ("D. 0,017 m", {"diameter_cm": 1.7}),
        ("Dia. 0,028 m", {"diameter_cm": 2.8}),
        (
            "Hauteur en cm 13.5 ; Largeur en cm 11 ; Profondeur en cm 14.5",
            {"height_cm": 13.5, "width_cm": 11.0, "depth_cm": 14.5},
        ),
        # Largeur wins over Longueur for the width; the unit after "en" applies to its value.
        ("Longueur cm 69 ; Largeur cm 77", {"width_cm": 77.0}),
        (
            "L. en mm 9.5 ; l. en mm 5.6 ; Epaisseur en cm 0.6",
            {"width_cm": 0.56, "depth_cm": 0.6},
        ),
        # The first diameter (extérieur) is kept.
        (
            "Diamètre extérieur en cm 5.6 ; Diamètre intérieur en cm 5",
            {"diameter_cm": 5.6},
        ),
        (
            "Hauteur en cm (de la feuille) 37.7 ; Largeur en cm (de la feuille) 26.4",
            {"height_cm": 37.7, "width_cm": 26.4},
        ),
        ("L. Pan. 35 cm ; H. 36 cm ; l. Env. 68 cm", {"height_cm": 36.0, "width_cm": 68.0}),
        # No unit: the one announced at the start, else centimetres; weight is not a dimension.
        (
            "Dimensions hors tout en cm : H. 10 LO 60, l. 51",
            {"height_cm": 10.0, "width_cm": 51.0},
        ),
        ("H. 42 L. 223 l. 80 ; Pds. 104", {"height_cm": 42.0, "width_cm": 80.0}),
        ("Dimensions en mm : H. 250", {"height_cm": 25.0}),
        ("H. 31, L. 96, l", {"height_cm": 31.0, "width_cm": 96.0}),
        ("Ep. 2 cm", {"depth_cm": 2.0}),
    ],
)
def test_parse_dimensions_reads_joconde_measures_in_cm(text, expected):
    assert parse_dimensions(text) == expected


@pytest.mark.parametrize("text", ["", None, "Pds. 303 g", "non mesuré", "Hauteur en cm", "###"])
def test_parse_dimensions_gives_nothing_for_texts_without_a_measure(text):
    assert parse_dimensions(text) == {}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1er quart 19e siècle", (1800, 1825)),
        ("2e quart 19e siècle", (1825, 1850)),
        ("4e quart 20e siècle", (1975, 1999)),
        ("2e moitié 18e siècle", (1750, 1799)),
        ("1ère moitié 19e siècle", (1800, 1850)),
        ("19e siècle", (1800, 1899)),
        ("19 e siècle", (1800, 1899)),
        ("3e siècle", (200, 299)),
        ("XIXe siècle", (1800, 1899)),
        ("XVIIIe s.", (1700, 1799)),
        ("milieu 18e siècle", (1740, 1760)),
        ("fin 17e siècle", (1675, 1699)),
        ("début 20e siècle", (1900, 1925)),
        ("2e tiers 19e siècle", (1833, 1866)),
        ("Ier siècle av J.C.", (-99, 0)),
        ("IIIe siècle av. J.-C.", (-299, -200)),
        ("1856", (1856, 1856)),
        ("1800 entre,1900 et", (1800, 1900)),
        ("1870 entre,1875 et", (1870, 1875)),
        ("vers 1880", (1880, 1880)),
        ("1880 vers", (1880, 1880)),
        ("19e siècle ; 20e siècle", (1800, 1999)),
        ("4e quart 19e siècle#1er quart 20e siècle", (1875, 1925)),
    ],
)
def test_parse_year_range_reads_periods_and_millesimes(text, expected):
    assert parse_year_range(text) == expected


@pytest.mark.parametrize(
    "text", ["", None, "gallo-romain", "incertain", "Néolithique", "5e quart 19e siècle", "?"]
)
def test_parse_year_range_gives_none_without_a_date(text):
    assert parse_year_range(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1955 acquis ; 1954 entrée matérielle", 1955),
        ("1973/02/27 décision dation ; 1973 date d'acquisition", 1973),
        ("2018/10/24 acquis", 2018),
        ("25/10/2019", 2019),
        ("28 juin 2010", 2010),
        ("1984 après", 1984),
        ("date d'acquisition inconnue", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_acquisition_year_takes_the_first_year(text, expected):
    assert parse_acquisition_year(text) == expected
