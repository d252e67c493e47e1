"""Joconde CSV reader: the open-data extract of the national catalogue and its re-shaped copies.

Format: "Joconde - Catalogue collectif des collections des musées de France", dataset
`base-joconde-extrait` of https://data.culture.gouv.fr (Ministère de la Culture, Licence
Ouverte 2.0), columns named after the Joconde labels ("Numero_inventaire", "Domaine",
"Denomination"...), or after the field codes (REF, INV, DOMN...) as in the POP export; field
dictionary: https://github.com/betagouv/pop/blob/master/apps/api/doc/joconde.md

Also read: spreadsheet re-shapings of that extract, with `,` separators, multi-valued columns
split into numbered ones ("Denomination_1", "Denomination 3"...) and "Non renseigné" for empty.
The separator (`;`, `,`, `|` or tab) is read from the header line.

Same shape as the TXT reader: `JocondeCsvParser(source, default_museofile_id=None)` is
iterable (WorkRecord or RecordError, row by row) and fills `.warnings`.
"""

import csv
import itertools
import re
import unicodedata
from collections.abc import Iterator
from typing import BinaryIO

from django.utils.translation import gettext_lazy

from .base import RecordParser
from .errors import ERROR_EMPTY_FILE, CatalogueFileError
from .joconde_txt import (
    ERROR_TOO_LONG,
    IGNORED,
    JOCONDE_FIELDS,
    MAX_VALUE_BYTES,
    DuplicateGuard,
    build_record,
    iter_decoded_lines,
)
from .records import RecordError, WorkRecord

# Normalised column name (lower case, no accents, `_` between words, numbered suffix removed)
# -> Joconde code, then JOCONDE_FIELDS says where the code goes. Numbered columns
# ("Denomination_1" ... "Denomination 7") collapse into one list. A column that is a Joconde
# code itself (REF, INV...) needs no entry.
CSV_COLUMNS: dict[str, str] = {
    "reference": "REF",
    "numero_inventaire": "INV",
    "n_inventaire": "INV",
    "code_museofile": "MUSEO",
    "identifiant_museofile": "MUSEO",
    "lien_museofile": "MUSEO",
    "domaine": "DOMN",
    "denomination": "DENO",
    "appellation": "APPL",
    "titre": "TITR",
    "auteur": "AUTR",
    "precisions_sur_l_auteur": "PAUT",
    "precision_auteur": "PAUT",
    "ancienne_attribution": "ATTR",
    "anciennes_attributions": "ATTR",
    "ecole_pays": "ECOL",
    "ecole": "ECOL",
    "periode_de_creation": "PERI",
    "millesime_de_creation": "MILL",
    "millesime_de_creation_initial": "MILL",
    "epoque": "EPOQ",
    "materiaux_techniques": "TECH",
    "mesures": "DIMS",
    "lieu_de_creation_utilisation": "LIEUX",
    "precisions_lieux_creations": "PLIEUX",
    "precisions_lieu_creation": "PLIEUX",
    "geographie_historique": "GEOHI",
    "lieu_historique": "GEOHI",
    "genese": "GENE",
    "inscription": "INSC",
    "inscriptions": "INSC",
    "precisions_inscriptions": "PINS",
    "description": "DESC",
    "onomastique": "ONOM",
    "sujet_represente": "REPR",
    "precisions_sujets_representes": "PREP",
    "precisions_sujet_represente": "PREP",
    "date_sujet_represente": "DREP",
    "utilisation": "UTIL",
    "utilisation_destination": "UTIL",
    "precisions_utilisation": "PUTI",
    "periode_d_utilisation": "PERU",
    "historique": "HIST",
    "decouverte_collecte": "DECV",
    "precisions_decouverte_collecte": "PDEC",
    "precisions_decouverte": "PDEC",
    "numero_de_site": "NSDA",
    "statut_juridique": "STAT",
    "date_d_acquisition": "DACQ",
    "date_acquisition": "DACQ",
    "ancienne_appartenance": "APTN",
    "lieu_de_depot": "DEPO",
    "date_de_depot": "DDPT",
    "localisation": "LOCA",
    "exposition": "EXPO",
    "bibliographie": "BIBL",
    "commentaires": "COMM",
    "redacteur": "REDA",
    "credits_photos": "PHOT",
    "copyright_notice": "COPY",
    "copyright": "COPY",
    "lien_site_associe": "WWW",
    "adresse_image": "IMG",
    "reference_image": "REFIM",
    # Known Joconde columns that the Work model does not keep: reported once, like unknown ones.
    "ancien_depot": "ADPT",
    "millesime_d_utilisation": "MILU",
    "periode_de_l_original_copie": "PEOC",
    "source_de_la_representation": "SREP",
    "source_representation": "SREP",
    "artiste_sous_droits": "DATA",
    "date_entree_dans_le_domaine_public": "LOCA3",
    "manquant": "MANQUANT",
    "manquant_commentaires": "MANQUANT_COM",
    "lien_base_arcade": "LARC",
    "lien_inha": "RETIF",
    "lien_video": "LVID",
    "references_memoires": "REFMEM",
    "references_merimee": "REFMER",
    "references_palissy": "REFPAL",
    # The museum's own metadata, repeated on every row: the museum page already has it, and
    # Code_Museofile ties the work to it. lat/long are the museum's, not the object's.
    "nom_officiel_musee": IGNORED,
    "lat": IGNORED,
    "long": IGNORED,
    "coordonnees": IGNORED,
    "region": IGNORED,
    "departement": IGNORED,
    "ville": IGNORED,
    "appellation_musee_de_france": IGNORED,
    # Bookkeeping of the notice, not of the work.
    "date_de_mise_a_jour": IGNORED,
    "date_de_creation": IGNORED,
    "reference_maj": IGNORED,
    # A yes/no flag: with no image reference in the row there is nothing to import.
    "presence_image": IGNORED,
}

# How a spreadsheet writes "no value".
EMPTY_VALUES = {"non renseigne", "non renseignee"}

# A cell may be longer than csv's default limit (128 KiB) and still be under MAX_VALUE_BYTES;
# beyond this the csv module gives up on the cell and the row is rejected without its column.
CSV_FIELD_LIMIT = 16 * MAX_VALUE_BYTES

ERROR_NOT_JOCONDE_CSV = gettext_lazy(
    "Ce fichier n'est pas un export CSV de Joconde : aucune colonne de numéro d'inventaire "
    "(« Numero_inventaire » ou « INV ») dans l'en-tête « %(header)s »."
)
ERROR_TOO_LONG_COLUMN = gettext_lazy("valeur de plus de 1 Mo (colonne « %(column)s »)")
ERROR_COLUMN_COUNT = gettext_lazy("%(found)d colonnes au lieu de %(expected)d")
ERROR_UNREADABLE_ROW = gettext_lazy("ligne illisible : %(error)s")
WARNING_UNKNOWN_COLUMN = gettext_lazy("colonne « %(column)s » inconnue : ignorée")
WARNING_UNUSED_COLUMN = gettext_lazy(
    "colonne « %(column)s » (champ Joconde « %(code)s ») non reprise dans le catalogue : ignorée"
)
WARNING_DUPLICATE_COLUMN = gettext_lazy(
    "colonne « %(column)s » en double : seule la première est lue"
)

_DELIMITERS = ";,|\t"


def _folded(value: str) -> str:
    decomposed = unicodedata.normalize("NFKD", value)
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).lower().split())


def normalise_column(name: str) -> str:
    """A column's lookup key: "Denomination 3" -> "denomination", "Précisions" -> "precisions"."""
    decomposed = unicodedata.normalize("NFKD", name.strip().lstrip("\ufeff"))
    ascii_name = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    snake = re.sub(r"[^a-z0-9]+", "_", ascii_name).strip("_")
    return re.sub(r"_\d+$", "", snake)


def column_code(name: str) -> str | None:
    """The Joconde code a column holds (IGNORED for museum metadata), None when unknown."""
    bare = name.strip().lstrip("\ufeff")
    if bare in JOCONDE_FIELDS or (bare.isupper() and bare in CSV_COLUMNS.values()):
        return bare
    return CSV_COLUMNS.get(normalise_column(name))


def sniff_delimiter(header: str) -> str:
    """The separator a header line uses: the most frequent of `;`, `,`, `|` and tab."""
    counts = {delimiter: header.count(delimiter) for delimiter in _DELIMITERS}
    return max(counts, key=lambda delimiter: counts[delimiter])


# In the open-data CSV a multi-valued cell joins its values with `;`; re-shaped copies use `,`
# for Domaine, Materiaux_techniques and Sujet_Represente, which the shared splitting handles.
_JOIN_NUMBERED = " ; "


class JocondeCsvParser(RecordParser):
    """Reads a Joconde CSV export row by row into WorkRecords and RecordErrors.

    `source` is a path, bytes or a binary file object (left open). `default_museofile_id`
    is the museum of rows without a Muséofile code. File-level warnings collect in `warnings`;
    a file that is not a Joconde CSV raises CatalogueFileError.
    """

    def _columns(self, header: list[str]) -> list[tuple[str, str | None]]:
        """(column name, Joconde code or None) for each header cell, warning once for each."""
        columns: list[tuple[str, str | None]] = []
        seen: set[str] = set()
        for name in header:
            shown = name.strip().lstrip("\ufeff")
            code = column_code(name)
            if code is None:
                self.warnings.append(str(WARNING_UNKNOWN_COLUMN % {"column": shown}))
            elif code != IGNORED and code not in JOCONDE_FIELDS:
                self.warnings.append(str(WARNING_UNUSED_COLUMN % {"column": shown, "code": code}))
                code = None
            elif code == "INV" and "INV" in seen:
                self.warnings.append(str(WARNING_DUPLICATE_COLUMN % {"column": shown}))
                code = None
            if code:
                seen.add(code)
            columns.append((shown, code if code != IGNORED else None))
        if "INV" not in seen:
            shown = ",".join(name.strip() for name in header)
            shown = shown if len(shown) <= 200 else shown[:200] + "…"
            raise CatalogueFileError(str(ERROR_NOT_JOCONDE_CSV % {"header": shown}))
        return columns

    def _parse(self, stream: BinaryIO) -> Iterator[WorkRecord | RecordError]:
        if csv.field_size_limit() < CSV_FIELD_LIMIT:
            csv.field_size_limit(CSV_FIELD_LIMIT)
        lines = (text for _, text, _ in iter_decoded_lines(stream, self.warnings))
        lines = itertools.dropwhile(lambda text: not text.strip(), lines)
        first = next(lines, None)
        if first is None:
            raise CatalogueFileError(str(ERROR_EMPTY_FILE))
        reader = csv.reader(itertools.chain([first], lines), delimiter=sniff_delimiter(first))
        columns = self._columns(next(reader))
        duplicates = DuplicateGuard()
        number = 0
        while True:
            line = reader.line_num + 1
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                number += 1
                reason = (
                    ERROR_TOO_LONG
                    if "field larger" in str(exc)
                    else ERROR_UNREADABLE_ROW % {"error": exc}
                )
                yield RecordError(number=number, line=line, field="", reason=str(reason))
                continue
            if not any(cell.strip() for cell in cells):
                continue
            number += 1
            yield self._row(cells, columns, number, line, duplicates)

    def _row(self, cells, columns, number: int, line: int, duplicates: DuplicateGuard):
        if len(cells) != len(columns):
            reason = ERROR_COLUMN_COUNT % {"found": len(cells), "expected": len(columns)}
            return RecordError(number=number, line=line, field="", reason=str(reason))
        values: dict[str, list[str]] = {}
        for (column, code), cell in zip(columns, cells, strict=True):
            if code is None:
                continue
            if len(cell) > MAX_VALUE_BYTES // 4 and len(cell.encode()) > MAX_VALUE_BYTES:
                reason = ERROR_TOO_LONG_COLUMN % {"column": column}
                return RecordError(number=number, line=line, field=code, reason=str(reason))
            value = cell.strip()
            if not value or (len(value) < 20 and _folded(value) in EMPTY_VALUES):
                continue
            values.setdefault(code, []).append(value)
        record = build_record(
            {code: _JOIN_NUMBERED.join(parts) for code, parts in values.items()},
            number=number,
            line=line,
            default_museofile_id=self.default_museofile_id,
        )
        if isinstance(record, WorkRecord):
            return duplicates.check(record) or record
        return record


def parse_joconde_csv(source, *, default_museofile_id: str | None = None) -> JocondeCsvParser:
    """A Joconde CSV file's records and errors: iterate the result; see its `warnings`."""
    return JocondeCsvParser(source, default_museofile_id=default_museofile_id)
