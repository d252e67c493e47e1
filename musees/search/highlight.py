"""Snippets: the words a visitor typed, marked in a work's text, escaped for HTML."""

import re
from functools import lru_cache

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .analysis import STOP_WORDS, stem, words

_WORD = re.compile(r"[^\W_]+")
SNIPPET_LENGTH = 220


@lru_cache(maxsize=100_000)
def _matches(word: str, stems: frozenset[str], prefixes: tuple[str, ...]) -> bool:
    folded = next(iter(words(word)), "")
    if not folded or folded in STOP_WORDS:
        return False
    return stem(folded) in stems or any(folded.startswith(p) for p in prefixes)


def highlight(
    text: str,
    stems: frozenset[str],
    prefixes: tuple[str, ...] = (),
    *,
    length: int | None = None,
) -> SafeString:
    """`text` escaped, typed words in <mark>; cut to about `length` characters around the first
    match (with "…" where cut) when `length` is given."""
    if not text:
        return mark_safe("")
    spans = (
        [m.span() for m in _WORD.finditer(text) if _matches(m.group(), stems, prefixes)]
        if (stems or prefixes)
        else []
    )
    start, end = 0, len(text)
    if length and len(text) > length:
        first = spans[0][0] if spans else 0
        start = max(0, first - length // 3)
        if start:
            space = text.find(" ", start)
            start = space + 1 if 0 <= space < first else start
        end = min(len(text), start + length)
        if end < len(text):
            space = text.rfind(" ", start, end)
            end = space if space > start else end
    parts = ["… " if start else ""]
    position = start
    for span_start, span_end in spans:
        if span_start < start or span_end > end:
            continue
        parts.append(escape(text[position:span_start]))
        parts.append(f"<mark>{escape(text[span_start:span_end])}</mark>")
        position = span_end
    parts.append(escape(text[position:end]))
    if end < len(text):
        parts.append(" …")
    return mark_safe("".join(parts))
