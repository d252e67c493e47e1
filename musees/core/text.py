"""Text helpers shared by every app: accent-insensitive search keys and clean free text."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Lower-case, accent-free, single-spaced form of a text ("Céret " -> "ceret").

    Used both when storing search keys and when reading a visitor's query, so the same folding
    applies on SQLite and PostgreSQL without any database extension.
    """
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    stripped = stripped.replace("œ", "oe").replace("Œ", "oe").replace("æ", "ae").replace("Æ", "ae")
    stripped = re.sub(r"[’'`\-_/,;.()]", " ", stripped)
    return _SPACES.sub(" ", stripped).strip().lower()


def clean_text(value: str | None) -> str:
    """Trim a free-text value from an external file and collapse runs of spaces."""
    if not value:
        return ""
    return _SPACES.sub(" ", value.replace("\u00a0", " ")).strip()
