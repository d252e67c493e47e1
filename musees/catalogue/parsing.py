"""Parsed forms of Joconde free texts: dimensions in cm, year ranges, acquisition year.

Pure functions, the same for every importer (the loader calls them on the verbatim texts).
They keep only what the text allows: a value that cannot be read is left out, never guessed.
Conventions of the Joconde dictionary (Service des musées de France): DIMS labels "Hauteur",
"Largeur", "Longueur", "Profondeur", "Epaisseur", "Diamètre" or their abbreviations (H., l.,
L., Pr., Ep., D.), centimetres unless a unit says otherwise; PERI reads "1er quart 19e siècle",
MILL "1800 entre,1900 et" or "1880 vers".
"""

import re
from functools import lru_cache

# --- Dimensions -------------------------------------------------------------------------------

_UNIT_FACTORS = {"mm": 0.1, "cm": 1.0, "m": 100.0}

# A dimension label, then up to 40 characters of qualifiers ("extérieur", "(broche)", "en cm",
# "Env.") that contain neither a digit nor a separator, then the number and an optional unit.
# Single letters are case-sensitive where Joconde makes them so: "L." longueur, "l." largeur.
_LABELS = (
    r"(?P<height>[Hh]auteur|[Hh]aut\.|[Hh]\.|H(?=\s*\d))"
    r"|(?P<width>[Ll]argeur|[Ll]arg\.|l\.|La\.|l(?=\s*\d))"
    r"|(?P<length>[Ll]ongueur|[Ll]ong\.|L\.|LO\b|L(?=\s*\d))"
    r"|(?P<depth>[Pp]rofondeur|[Pp]rof\.|[EÉeé]paisseur|[EÉeé]p\.|Pr\.|P\.|E\.)"
    r"|(?P<diameter>[Dd]iam[èe]tre|[Dd]iam\.|[Dd]ia\.|[Dd]\.|D(?=\s*\d))"
)
_MEASURE = re.compile(
    r"(?<![A-Za-zÀ-ÿ])(?:" + _LABELS + r")"
    r"(?P<between>[^\d;,/]{0,40}?)"
    r"(?P<number>\d+(?:[.,]\d+)?)"
    r"(?P<unit>\s*(?:mm|cm|m)\b)?"
)
_UNIT_IN = re.compile(r"\b(?:en\s+)?(mm|cm|m)\b")
_DEFAULT_UNIT = re.compile(r"\ben\s+(mm|cm|m)\b")


def parse_dimensions(text: str | None) -> dict[str, float]:
    """Height, width, depth and diameter in cm read from a DIMS text; only those it gives.

    Keys are the `Work` field names (height_cm, width_cm, depth_cm, diameter_cm). "Longueur"
    counts as the width when the text gives no "Largeur"; "Epaisseur" and "Profondeur" are the
    depth; the first value of each dimension wins ("Diamètre extérieur" before "intérieur").
    A number without a unit is in the unit the text announces ("Dimensions en mm : ..."), else
    in centimetres, the Joconde default.
    """
    if not text:
        return {}
    announced = _DEFAULT_UNIT.search(text)
    default_unit = announced.group(1) if announced else "cm"
    found: dict[str, float] = {}
    for match in _MEASURE.finditer(text):
        kind = _kind_of(match)
        if kind in found:
            continue
        unit = default_unit
        if match.group("unit"):
            unit = match.group("unit").strip()
        else:
            stated = _UNIT_IN.search(match.group("between"))
            if stated:
                unit = stated.group(1)
        value = float(match.group("number").replace(",", ".")) * _UNIT_FACTORS[unit]
        found[kind] = round(value, 4)
    result = {}
    if "height" in found:
        result["height_cm"] = found["height"]
    if "width" in found:
        result["width_cm"] = found["width"]
    elif "length" in found:
        result["width_cm"] = found["length"]
    if "depth" in found:
        result["depth_cm"] = found["depth"]
    if "diameter" in found:
        result["diameter_cm"] = found["diameter"]
    return result


_KINDS = ("height", "width", "length", "depth", "diameter")


def _kind_of(match: re.Match) -> str:
    groups = match.groupdict()
    for kind in _KINDS:
        if groups[kind]:
            return kind
    raise AssertionError(match)


# --- Years ------------------------------------------------------------------------------------

_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "M": 1000}
_CENTURY = re.compile(
    r"(?<![A-Za-zÀ-ÿ])(?P<number>\d{1,2}|[IVXLC]+)\s*(?:e|er|ème|eme|ère|re)?\s*(?:siècle|siecle|s\.)",
    re.IGNORECASE,
)
_BEFORE_CHRIST = re.compile(r"\bav(?:ant|\.)?\s*J\.?\s*-?\s*C", re.IGNORECASE)
_ORDINAL = r"(?P<ordinal>\d)\s*(?:e|er|ère|ere|ème|eme|re)?"
_QUARTER = re.compile(_ORDINAL + r"\s*quart\b", re.IGNORECASE)
_HALF = re.compile(_ORDINAL + r"\s*moiti[ée]\b", re.IGNORECASE)
_THIRD = re.compile(_ORDINAL + r"\s*tiers\b", re.IGNORECASE)
_START = re.compile(r"\b(?:d[ée]but|commencement)\b", re.IGNORECASE)
_MIDDLE = re.compile(r"\bmilieu\b", re.IGNORECASE)
_END = re.compile(r"\bfin\b", re.IGNORECASE)
_YEAR = re.compile(r"(?<!\d)(-?\d{3,4})(?!\d)")
_PARTS = re.compile(r"[;#,]")


def _roman_to_int(numeral: str) -> int | None:
    total, previous = 0, 0
    for char in reversed(numeral.upper()):
        value = _ROMAN.get(char)
        if value is None:
            return None
        total = total - value if value < previous else total + value
        previous = max(previous, value)
    return total or None


def _century_range(part: str) -> tuple[int, int] | None:
    match = _CENTURY.search(part)
    if not match:
        return None
    number = match.group("number")
    century = int(number) if number.isdigit() else _roman_to_int(number)
    if not century or century > 21:
        return None
    if _BEFORE_CHRIST.search(part):
        # Astronomical years (1 BC = 0), so the 1st century BC is -99..0.
        first, last = -(100 * century - 1), -100 * (century - 1)
    else:
        first, last = 100 * (century - 1), 100 * (century - 1) + 99
    head = part[: match.start()]
    for pattern, size in ((_QUARTER, 4), (_HALF, 2), (_THIRD, 3)):
        fraction = pattern.search(head)
        if fraction:
            index = int(fraction.group("ordinal"))
            if not 1 <= index <= size:
                return None
            span = 100 // size
            start = first + span * (index - 1)
            end = last if index == size else start + span
            return start, end
    if _START.search(head):
        return first, first + 25
    if _MIDDLE.search(head):
        return first + 40, first + 60
    if _END.search(head):
        return first + 75, last
    return first, last


def _part_range(part: str) -> tuple[int, int] | None:
    century = _century_range(part)
    if century:
        return century
    years = [int(year) for year in _YEAR.findall(part)]
    if not years:
        return None
    if _BEFORE_CHRIST.search(part):
        years = [1 - abs(year) for year in years]
    return min(years), max(years)


@lru_cache(maxsize=8192)  # period and millésime texts repeat across a collection
def parse_year_range(text: str | None) -> tuple[int, int] | None:
    """The (first, last) years a PERI or MILL text covers, or None when it names no date.

    "1er quart 19e siècle" -> (1800, 1825), "2e moitié 18e siècle" -> (1750, 1799),
    "XIXe siècle" -> (1800, 1899), "milieu 18e siècle" -> (1740, 1760), "1800 entre,1900 et"
    -> (1800, 1900), "vers 1880" -> (1880, 1880), "Ier siècle av J.C." -> (-99, 0) in
    astronomical years; several values (" ; ", "#") give the range covering them all.
    """
    if not text:
        return None
    # "entre ... et" millésimes and dates are split on commas too; centuries never hold one.
    ranges = [found for part in _PARTS.split(text) if (found := _part_range(part))]
    if not ranges:
        return None
    return min(start for start, _ in ranges), max(end for _, end in ranges)


_ACQUISITION_YEAR = re.compile(r"(?<!\d)(1[0-9]{3}|20[0-9]{2})(?!\d)")


def parse_acquisition_year(text: str | None) -> int | None:
    """The year of acquisition a DACQ text gives first ("1955 acquis ; 1954 entrée" -> 1955)."""
    if not text:
        return None
    match = _ACQUISITION_YEAR.search(text)
    return int(match.group(1)) if match else None
