"""Muséofile reader: the two data.culture.gouv.fr CSV files of Musées de France, as records.

A pure parser (no database): bytes in, `MuseumRecord`s and per-row errors out. It reads
- the full base export ("Répertoire des Musées de France : base Muséofile": `Identifiant;
  Nom_officiel;...;Coordonnees`, `"lat, lon"` in one column), and
- the "Liste et localisation des Musées de France" (`region_administrative;departement;
  identifiant_museofile;...`, separate latitude/longitude and the label decree date).

Each record carries only the fields its format really has, keyed by `MuseumPage` field name, so
that importing the list after the base only fills and updates the list's own fields.
"""

import csv
import datetime
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy

from musees.core.geo import departement_from_postcode, valid_coordinates
from musees.core.text import clean_text, fold

FORMAT_BASE = "base"
FORMAT_LIST = "list"
FORMAT_LABELS = {
    FORMAT_BASE: gettext_lazy("base Muséofile"),
    FORMAT_LIST: gettext_lazy("liste et localisation des Musées de France"),
}

BASE_COLUMNS = [
    "Identifiant",
    "Nom_officiel",
    "Adresse",
    "Lieu",
    "Code_postal",
    "Ville",
    "Departement",
    "Région",
    "URL",
    "Telephone",
    "Categorie",
    "Domaine_thematique",
    "Histoire",
    "Atout",
    "Thèmes",
    "Artiste",
    "Personnage_phare",
    "Intérêt",
    "Protection_batiment",
    "Protection_espace",
    "Refmer",
    "Annee_creation",
    "Date_de_mise_a_jour",
    "Coordonnees",
]
LIST_COLUMNS = [
    "region_administrative",
    "departement",
    "identifiant_museofile",
    "commune",
    "nom_officiel_du_musee",
    "adresse",
    "lieu",
    "code_postal",
    "telephone",
    "url",
    "latitude",
    "longitude",
    "ref_deps",
    "geolocalisation",
    "date_arrete_attribution_appellation",
]

# Lengths of the MuseumPage fields the parser fills (kept here so the parser needs no database).
MAX_LENGTHS = {
    "title": 255,
    "address": 255,
    "address_place": 255,
    "postcode": 20,
    "commune": 120,
    "departement_name": 80,
    "region": 80,
    "phone": 120,
    "website": 500,
    "category": 255,
}
DOMAIN_LABEL_MAX_LENGTH = 100
FIELD_LABELS = {
    "title": gettext_lazy("nom officiel"),
    "address": gettext_lazy("adresse"),
    "address_place": gettext_lazy("lieu"),
    "postcode": gettext_lazy("code postal"),
    "commune": gettext_lazy("commune"),
    "departement_name": gettext_lazy("département"),
    "region": gettext_lazy("région"),
    "phone": gettext_lazy("téléphone"),
    "website": gettext_lazy("site web"),
    "category": gettext_lazy("catégorie"),
}

# File-level errors (the whole file is refused).
ERROR_EMPTY_FILE = gettext_lazy("Le fichier est vide.")
ERROR_NOT_TEXT = gettext_lazy(
    "Le fichier n'est pas un fichier texte lisible (ni UTF-8 ni Windows-1252) : "
    "enregistrez-le en CSV UTF-8."
)
ERROR_UNKNOWN_FORMAT = gettext_lazy(
    "Format de fichier non reconnu : l'en-tête ne correspond ni à la base Muséofile "
    "(Identifiant;Nom_officiel;…;Coordonnees) ni à la liste des Musées de France "
    "(region_administrative;departement;identifiant_museofile;…). En-tête lu : « %(header)s »."
)
ERROR_UNREADABLE = gettext_lazy("Impossible de lire le fichier « %(path)s » : %(error)s")

# Row-level errors (the row is rejected, the others are read).
ERROR_MISSING_ID = gettext_lazy("identifiant Muséofile manquant")
ERROR_MALFORMED_ID = gettext_lazy(
    "identifiant Muséofile « %(value)s » mal formé (attendu : M suivi de 4 chiffres)"
)
ERROR_DUPLICATE_ID = gettext_lazy(
    "identifiant Muséofile « %(value)s » en double (déjà lu ligne %(first_line)d)"
)
ERROR_MISSING_NAME = gettext_lazy("nom officiel du musée manquant")
ERROR_BAD_COORDINATES = gettext_lazy("coordonnées invalides (« %(value)s »)")
ERROR_COLUMN_COUNT = gettext_lazy("%(found)d colonnes au lieu de %(expected)d")
ERROR_LINE = gettext_lazy("ligne %(line)d : %(reason)s")

# Warnings (the row is read, a value is left out or changed).
WARNING_CP1252 = gettext_lazy(
    "Le fichier n'est pas en UTF-8 : il a été lu comme Windows-1252 (Latin-1). "
    "Vérifiez les accents des musées importés."
)
WARNING_BAD_URL = gettext_lazy("site web « %(value)s » inutilisable : laissé vide")
WARNING_BAD_DATE = gettext_lazy("date « %(value)s » illisible : laissée vide")
WARNING_TRUNCATED = gettext_lazy(
    "valeur trop longue pour « %(field)s » : tronquée à %(max)d caractères"
)
WARNING_NO_COORDINATES = gettext_lazy("coordonnées absentes")

MUSEOFILE_ID = re.compile(r"M\d{4}")
_PHONE_PREFIX = re.compile(r"^(?:\+33|0033|33(?=\s*\(0\)))\s*(?:\(0\))?\s*")
_PHONE_CHARS = re.compile(r"[\d\s.\-/]+")
_URL_VALIDATOR = URLValidator(schemes=["http", "https"])


@dataclass
class MuseumRecord:
    """One museum as a file describes it: Muséofile id, physical line and model field values."""

    museofile_id: str
    line: int
    fields: dict[str, Any]
    # Domain labels ("Archéologie"), or None when the format has no domains.
    domains: list[str] | None = None
    warnings: list[str] = field(default_factory=list)
    # Fields this record only fills when the museum has no value yet. The older "liste et
    # localisation" file completes the base export; it must not replace the base's newer values.
    fill_only: frozenset[str] = frozenset()


@dataclass
class RowError:
    """A rejected row: its physical line in the file and the reason, in French."""

    line: int
    reason: str

    def __str__(self) -> str:
        return str(ERROR_LINE % {"line": self.line, "reason": self.reason})


@dataclass
class ParseResult:
    """What a file gave: its format, the good records, the rejected rows and the warnings."""

    format: str
    records: list[MuseumRecord] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


class MuseofileFileError(ValueError):
    """The whole file cannot be read (unreadable, not text, unknown header)."""


def decode(data: bytes) -> tuple[str, list[str]]:
    """Text of a file in UTF-8 (with or without BOM), or else Windows-1252 with a warning."""
    if not data.strip():
        raise MuseofileFileError(str(ERROR_EMPTY_FILE))
    if b"\x00" in data:
        raise MuseofileFileError(str(ERROR_NOT_TEXT))
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), [str(WARNING_CP1252)]
    except UnicodeDecodeError as exc:
        raise MuseofileFileError(str(ERROR_NOT_TEXT)) from exc


def detect_format(header: list[str]) -> str:
    """Which Muséofile file a header row belongs to (FORMAT_BASE or FORMAT_LIST)."""
    names = [clean_text(name).lstrip("\ufeff") for name in header]
    if names == BASE_COLUMNS:
        return FORMAT_BASE
    if names == LIST_COLUMNS:
        return FORMAT_LIST
    shown = ";".join(names)
    if len(shown) > 200:
        shown = shown[:200] + "…"
    raise MuseofileFileError(str(ERROR_UNKNOWN_FORMAT % {"header": shown}))


def parse_museofile(source: bytes | str | Path, *, region: str | None = None) -> ParseResult:
    """Read a Muséofile CSV (either format) into records and per-row errors, optionally by region.

    `source` is the file's bytes or its path. Raises MuseofileFileError for a file-level problem.
    """
    if isinstance(source, (str, Path)):
        try:
            data = Path(source).read_bytes()
        except OSError as exc:
            raise MuseofileFileError(
                str(ERROR_UNREADABLE % {"path": source, "error": exc.strerror or exc})
            ) from exc
    else:
        data = bytes(source)
    text, warnings = decode(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";", quotechar='"')
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as exc:
        raise MuseofileFileError(str(ERROR_EMPTY_FILE)) from exc
    file_format = detect_format(header)
    columns = BASE_COLUMNS if file_format == FORMAT_BASE else LIST_COLUMNS
    result = ParseResult(format=file_format, warnings=warnings)
    wanted_region = fold(region) if region else ""
    region_column = "Région" if file_format == FORMAT_BASE else "region_administrative"
    seen: dict[str, int] = {}
    while True:
        line = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            result.errors.append(RowError(line, str(exc)))
            continue
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(columns):
            result.errors.append(
                RowError(
                    line,
                    str(ERROR_COLUMN_COUNT % {"found": len(cells), "expected": len(columns)}),
                )
            )
            continue
        row = dict(zip(columns, cells, strict=True))
        if wanted_region and fold(row[region_column]) != wanted_region:
            continue
        try:
            if file_format == FORMAT_BASE:
                record = _base_record(row, line)
            else:
                record = _list_record(row, line)
        except _RowRejected as exc:
            result.errors.append(RowError(line, exc.reason))
            continue
        if record.museofile_id in seen:
            result.errors.append(
                RowError(
                    line,
                    str(
                        ERROR_DUPLICATE_ID
                        % {"value": record.museofile_id, "first_line": seen[record.museofile_id]}
                    ),
                )
            )
            continue
        seen[record.museofile_id] = line
        result.records.append(record)
        result.warnings.extend(
            str(ERROR_LINE % {"line": line, "reason": warning}) for warning in record.warnings
        )
    return result


class _RowRejected(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _base_record(row: dict[str, str], line: int) -> MuseumRecord:
    record = _common_record(
        row,
        line,
        museofile_id=row["Identifiant"],
        name=row["Nom_officiel"],
        address=row["Adresse"],
        place=row["Lieu"],
        postcode=row["Code_postal"],
        commune=row["Ville"],
        departement=row["Departement"],
        region=row["Région"],
        url=row["URL"],
        phone=row["Telephone"],
        keep_empty=True,
    )
    lat, lon = _parse_coordinate_pair(row["Coordonnees"])
    _set_coordinates(record, lat, lon, raw=row["Coordonnees"])
    fields = record.fields
    fields["category"] = _limited(record, "category", clean_text(row["Categorie"]))
    fields["history"] = clean_text(row["Histoire"])
    fields["highlights"] = clean_text(row["Atout"])
    fields["themes_text"] = "\n".join(
        filter(None, (clean_text(theme) for theme in row["Thèmes"].split(";")))
    )
    fields["artists"] = clean_text(row["Artiste"])
    fields["notable_people"] = clean_text(row["Personnage_phare"])
    fields["interest"] = clean_text(row["Intérêt"])
    fields["museofile_updated_on"] = _parse_date(record, row["Date_de_mise_a_jour"])
    record.domains = _split_domains(row["Domaine_thematique"])
    return record


def _list_record(row: dict[str, str], line: int) -> MuseumRecord:
    record = _common_record(
        row,
        line,
        museofile_id=row["identifiant_museofile"],
        name=row["nom_officiel_du_musee"],
        address=row["adresse"],
        place=row["lieu"],
        postcode=row["code_postal"],
        commune=row["commune"],
        departement=row["departement"],
        region=row["region_administrative"],
        url=row["url"],
        phone=row["telephone"],
        keep_empty=False,
    )
    raw_lat, raw_lon = clean_text(row["latitude"]), clean_text(row["longitude"])
    if raw_lat or raw_lon:
        lat, lon = _parse_float(raw_lat), _parse_float(raw_lon)
        raw = f"{raw_lat}, {raw_lon}"
        if lat is None or lon is None:
            raise _RowRejected(str(ERROR_BAD_COORDINATES % {"value": raw}))
        _set_coordinates(record, lat, lon, raw=raw)
    else:
        _set_coordinates(record, None, None, raw="")
    record.fill_only = frozenset(record.fields)
    label_date = _parse_date(record, row["date_arrete_attribution_appellation"])
    if label_date is not None:
        record.fields["label_date"] = label_date
    return record


def _common_record(
    row: dict[str, str],
    line: int,
    *,
    museofile_id: str,
    name: str,
    address: str,
    place: str,
    postcode: str,
    commune: str,
    departement: str,
    region: str,
    url: str,
    phone: str,
    keep_empty: bool,
) -> MuseumRecord:
    """The fields both formats share; `keep_empty` False leaves out the empty ones."""
    museofile_id = clean_text(museofile_id).upper()
    if not museofile_id:
        raise _RowRejected(str(ERROR_MISSING_ID))
    if not MUSEOFILE_ID.fullmatch(museofile_id):
        raise _RowRejected(str(ERROR_MALFORMED_ID % {"value": museofile_id}))
    title = capfirst(clean_text(name))
    if not title:
        raise _RowRejected(str(ERROR_MISSING_NAME))
    record = MuseumRecord(museofile_id=museofile_id, line=line, fields={})
    postcode = clean_text(postcode)
    values = {
        "title": title,
        "is_musee_de_france": True,
        "address": clean_text(address),
        "address_place": clean_text(place),
        "postcode": postcode,
        "commune": clean_text(commune),
        "departement_code": departement_from_postcode(postcode),
        "departement_name": clean_text(departement),
        "region": clean_text(region),
        "website": normalize_website(url, warnings=record.warnings),
        "phone": normalize_phone(phone),
    }
    for name_, value in values.items():
        if isinstance(value, str):
            value = _limited(record, name_, value)
        if keep_empty or value not in ("", None):
            record.fields[name_] = value
    return record


def _limited(record: MuseumRecord, name: str, value: str) -> str:
    limit = MAX_LENGTHS.get(name)
    if limit is None or len(value) <= limit:
        return value
    record.warnings.append(str(WARNING_TRUNCATED % {"field": FIELD_LABELS[name], "max": limit}))
    cut = value[: limit - 1].rsplit(" ", 1)[0]
    return cut.rstrip(" ;,/-") + "…"


def _set_coordinates(record: MuseumRecord, lat, lon, *, raw: str) -> None:
    if lat is None and lon is None and not clean_text(raw):
        record.warnings.append(str(WARNING_NO_COORDINATES))
        return
    if not valid_coordinates(lat, lon):
        raise _RowRejected(str(ERROR_BAD_COORDINATES % {"value": clean_text(raw)}))
    record.fields["latitude"] = lat
    record.fields["longitude"] = lon


def _parse_float(value: str) -> float | None:
    try:
        number = float(value.replace(",", ".")) if value else None
    except ValueError:
        return None
    if number is not None and number != number:  # NaN
        return None
    return number


def _parse_coordinate_pair(value: str) -> tuple[float | None, float | None]:
    """`"43.211552, 2.355531"` -> (43.211552, 2.355531); raises _RowRejected if unreadable."""
    value = clean_text(value)
    if not value:
        return None, None
    parts = [part.strip() for part in value.split(",")]
    if len(parts) != 2:
        raise _RowRejected(str(ERROR_BAD_COORDINATES % {"value": value}))
    lat, lon = _parse_float(parts[0]), _parse_float(parts[1])
    if lat is None or lon is None:
        raise _RowRejected(str(ERROR_BAD_COORDINATES % {"value": value}))
    return lat, lon


def _parse_date(record: MuseumRecord, value: str) -> str | None:
    """An ISO date kept as its ISO text (JSON-friendly), or None with a warning if unreadable."""
    value = clean_text(value)
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value).isoformat()
    except ValueError:
        record.warnings.append(str(WARNING_BAD_DATE % {"value": value}))
        return None


def _split_domains(value: str) -> list[str]:
    labels: list[str] = []
    for part in value.split(","):
        label = capfirst(clean_text(part))[:DOMAIN_LABEL_MAX_LENGTH]
        if label and label not in labels:
            labels.append(label)
    return labels


def normalize_website(value: str, *, warnings: list[str] | None = None) -> str:
    """A website address with its scheme ("www.x.fr/" -> "https://www.x.fr/"), or "" if broken."""
    raw = clean_text(value)
    if not raw:
        return ""
    url = re.sub(r"\s*[\r\n\t]+\s*", "", value.strip())
    if not re.match(r"^https?://", url, flags=re.IGNORECASE):
        url = "https://" + url.lstrip("/:")
    try:
        url = url.replace(" ", "%20")
        if len(url) > MAX_LENGTHS["website"]:
            raise ValidationError("bad url")
        _URL_VALIDATOR(url)
    except ValidationError:
        if warnings is not None:
            warnings.append(str(WARNING_BAD_URL % {"value": raw}))
        return ""
    return url


def normalize_phone(value: str) -> str:
    """A French phone number as "05 61 65 56 05"; any other text is kept as it is, trimmed."""
    text = clean_text(value)
    if not text or not _PHONE_CHARS.fullmatch(_PHONE_PREFIX.sub("0", text, count=1) or "x"):
        return text
    digits = re.sub(r"\D", "", _PHONE_PREFIX.sub("0", text, count=1))
    if len(digits) == 9 and digits[0] != "0":
        digits = "0" + digits  # a spreadsheet dropped the leading zero
    if len(digits) != 10 or digits[0] != "0" or digits[1] == "0":
        return text
    return " ".join(digits[i : i + 2] for i in range(0, 10, 2))
