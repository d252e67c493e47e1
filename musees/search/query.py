"""What a visitor typed, as clauses the engine runs. Whatever is typed is text: never an error.

    amphore "huile sur toile" -moderne toulouse-lautrec céram*

gives four required clauses and one exclusion:
- `amphore`: a term (stemmed: "amphor");
- `"huile sur toile"`: a phrase (its terms next to each other, stop words aside);
- `toulouse-lautrec`: a word with a hyphen or an apostrophe inside is a phrase too;
- `céram*`: a prefix, on the folded word as written (it matches "céramique", "céramiste");
- `-moderne`: works containing "modern" are left out.

Quotes left open run to the end; a lone `-` or `*` is ignored; parentheses, colons, `AND`,
`NEAR(` and any other syntax of a search engine are plain words. The text is cut at
MAX_QUERY_LENGTH characters and MAX_CLAUSES clauses, so a 10 kB paste costs no more than a
long sentence.
"""

import re
from dataclasses import dataclass, field

from .analysis import STOP_WORDS, inventory_key, stem, words

MAX_QUERY_LENGTH = 500
MAX_CLAUSES = 12
MAX_PHRASE_TERMS = 8
MIN_PREFIX_LENGTH = 2
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class Clause:
    """One requirement: a term, a phrase (terms in order) or a prefix; `negated` excludes."""

    kind: str  # "term", "phrase" or "prefix"
    terms: tuple[str, ...]  # stems; for a prefix, the folded prefix itself
    negated: bool = False


@dataclass
class ParsedQuery:
    text: str = ""
    clauses: list[Clause] = field(default_factory=list)
    inventory_key: str = ""  # the exact inventory number the text could be, "" when it cannot

    @property
    def positive(self) -> list[Clause]:
        return [c for c in self.clauses if not c.negated]

    @property
    def negative(self) -> list[Clause]:
        return [c for c in self.clauses if c.negated]

    @property
    def has_text(self) -> bool:
        return bool(self.positive)

    @property
    def highlight_stems(self) -> frozenset[str]:
        """Stems a snippet marks (prefixes are matched by `startswith` on folded words)."""
        return frozenset(t for c in self.positive if c.kind != "prefix" for t in c.terms)

    @property
    def highlight_prefixes(self) -> tuple[str, ...]:
        return tuple(c.terms[0] for c in self.positive if c.kind == "prefix")


def _tokens(text: str):
    """(raw token, is_phrase, negated) in order: quotes group words, a leading "-" excludes."""
    position, length = 0, len(text)
    while position < length:
        char = text[position]
        if char.isspace():
            position += 1
            continue
        negated = False
        if char == "-" and position + 1 < length and not text[position + 1].isspace():
            negated = True
            position += 1
            char = text[position]
        if char == '"':
            end = text.find('"', position + 1)
            end = length if end == -1 else end
            yield text[position + 1 : end], True, negated
            position = end + 1
            continue
        end = position
        while end < length and not text[end].isspace() and text[end] != '"':
            end += 1
        yield text[position:end], False, negated
        position = end


def _clause(raw: str, quoted: bool, negated: bool) -> Clause | None:
    folded_words = words(raw)
    meaningful = [w for w in folded_words if w not in STOP_WORDS]
    if not meaningful:
        return None
    if not quoted and raw.endswith("*") and len(folded_words) == 1:
        prefix = folded_words[0]
        if len(prefix) >= MIN_PREFIX_LENGTH:
            return Clause("prefix", (prefix,), negated)
    stems = tuple(stem(w) for w in meaningful[:MAX_PHRASE_TERMS])
    if len(stems) == 1:
        return Clause("term", stems, negated)
    return Clause("phrase", stems, negated)


def parse(text: str | None) -> ParsedQuery:
    """The clauses of a visitor's text. Never raises, whatever the text."""
    text = _CONTROL.sub(" ", str(text or ""))[:MAX_QUERY_LENGTH].strip()
    query = ParsedQuery(text=text)
    seen = set()
    for raw, quoted, negated in _tokens(text):
        clause = _clause(raw, quoted, negated)
        if clause is None or clause in seen:
            continue
        seen.add(clause)
        query.clauses.append(clause)
        if len(query.clauses) >= MAX_CLAUSES:
            break
    if any(c.isdigit() for c in text) and len(text) <= 80:
        key = inventory_key(text)
        query.inventory_key = key if len(key) > 1 else ""
    return query
