"""Errors shared by the catalogue parsers (Joconde TXT and CSV, LIDO).

A `RecordError` (records.py) rejects one record and the import goes on; a `CatalogueFileError`
means the whole file cannot be read as the format asked for, with a reason in French.
"""

from django.utils.translation import gettext_lazy


class CatalogueFileError(ValueError):
    """The whole file cannot be read: empty, not text, or not in the expected format."""


ERROR_EMPTY_FILE = gettext_lazy("Le fichier est vide.")
ERROR_NOT_TEXT = gettext_lazy(
    "Ce fichier n'est pas un fichier texte (il contient des octets nuls) : "
    "enregistrez-le en UTF-8 ou en Windows-1252."
)
ERROR_UTF16 = gettext_lazy(
    "Ce fichier est encodé en UTF-16, qui n'est pas pris en charge : enregistrez-le en UTF-8."
)
ERROR_UNREADABLE = gettext_lazy("Impossible de lire le fichier « %(path)s » : %(error)s")
