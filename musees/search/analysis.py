"""The French analyzer: how a text becomes search terms, the same way at index and query time.

    "L'Amphore gallo-romaine, céramiques sigillées" -> amphor gallo romain ceram sigille

1. lower case, accents and ligatures folded ("Céramique" = "ceramique", "œuvre" = "oeuvre");
2. split on anything that is not a letter or a digit: elisions ("l'", "d'", "qu'") and hyphens
   ("Toulouse-Lautrec") come apart; the query side keeps a hyphenated word as a phrase;
3. French stop words dropped (articles, prepositions, conjunctions: they carry no meaning a
   visitor searches for and are the largest postings);
4. Snowball French stemmer (PyStemmer), applied to the folded word, so "peintures" and
   "peinture" give "peintur", and a word typed without its accents stems like the catalogue's.

SQLite has no French stemmer and PostgreSQL's differs slightly from Snowball's on folded words:
doing it here, once, is what makes both databases answer the same.
"""

import hashlib
import re
import unicodedata
from functools import lru_cache

import Stemmer

# Longer "words" (hashes, URLs) are cut to this many bytes: nobody types them in full, and the
# index stores its terms at a fixed width.
MAX_TERM_LENGTH = 32
_WORD = re.compile(r"[^\W_]+")

# Articles, prepositions, conjunctions, pronouns and elided forms: words a catalogue record is
# full of and a visitor never searches for alone. Folded (no accents), as the analyzer sees them.
STOP_WORDS = frozenset(
    """
    a au aux avec c ce ces cet cette d dans de des du elle en et il ils j l la le les leur leurs
    lui m ma mes n ne ni nos notre nous on ou par pas pour qu que qui s sa se ses son sous sur t
    ta te tes un une vos votre vous y jusqu lorsqu puisqu quoiqu
    """.split()
)

_stemmer = Stemmer.Stemmer("french")


def _latin_table() -> dict[int, str]:
    """Accented Latin letters -> their letters without accents, for str.translate (fast)."""
    table = {}
    for code in range(0xC0, 0x250):
        char = chr(code)
        plain = "".join(
            c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
        )
        if plain != char and plain.isascii():
            table[code] = plain.lower()
    for char, plain in {"œ": "oe", "æ": "ae", "ß": "ss", "ø": "o", "ł": "l", "đ": "d"}.items():
        table[ord(char)] = plain
        if len(char.upper()) == 1:
            table[ord(char.upper())] = plain
    table[ord("’")] = "'"
    return table


_LATIN = _latin_table()


def fold(text: str) -> str:
    """Lower-case, accent-free form of a text, with its punctuation kept ("Céret" -> "ceret")."""
    if text.isascii():
        return text.lower()
    lowered = text.lower().translate(_LATIN)
    if lowered.isascii():
        return lowered
    decomposed = unicodedata.normalize("NFKD", lowered)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    """The folded words of a text, stop words included ("L'Amphore" -> ["l", "amphore"])."""
    return [_cut(w) for w in _WORD.findall(fold(text))]


def _cut(word: str) -> str:
    if len(word) <= MAX_TERM_LENGTH and (word.isascii() or len(word.encode()) <= MAX_TERM_LENGTH):
        return word
    return word.encode()[:MAX_TERM_LENGTH].decode("utf-8", "ignore")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The stem of one folded word ("peintures" -> "peintur")."""
    if word.isdigit():
        return word.lstrip("0") or "0"
    return _stemmer.stemWord(word)


def is_stop_word(word: str) -> bool:
    return word in STOP_WORDS


def terms(text: str) -> list[str]:
    """The search terms of a text, in order, stop words dropped: what the index stores."""
    return [stem(w) for w in words(text) if w not in STOP_WORDS]


@lru_cache(maxsize=100_000)
def terms_of_label(text: str) -> tuple[str, ...]:
    """`terms()` of a short text that recurs (a vocabulary label, a place), kept in memory."""
    return tuple(terms(text))


def inventory_key(inventory_number: str) -> str:
    """The exact-match key of an inventory number: folded, without spaces or punctuation.

    "2001.12.3", "2001 12 3" and "2001-12-3" share the key "#2001.12.3". The index keeps it
    as a term of its own (the "#" keeps any word from colliding with it).
    """
    key = "#" + ".".join(_WORD.findall(fold(inventory_number)))
    if len(key.encode()) > MAX_TERM_LENGTH:  # a long number: a digest of the same width
        key = "#" + hashlib.blake2b(key.encode(), digest_size=15).hexdigest()[: MAX_TERM_LENGTH - 1]
    return key
