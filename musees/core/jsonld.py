"""schema.org JSON-LD helpers: serialise a dict into a safe <script type="application/ld+json">.

JSON-LD 1.1 (https://www.w3.org/TR/json-ld11/) with the schema.org vocabulary. The script is data,
not code, so the Content-Security-Policy lets it through; its text must still never close the
element early, hence the escaping of "<", ">" and "&" as JSON unicode escapes.
"""

import json

from django.utils.safestring import SafeString, mark_safe

SCHEMA_CONTEXT = "https://schema.org"

_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


def dumps(data: dict) -> str:
    """The JSON text of a JSON-LD document, safe to embed in HTML."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str).translate(
        _ESCAPES
    )


def script(data: dict | list | None) -> SafeString:
    """A <script type="application/ld+json"> element holding a document ("" when empty)."""
    if not data:
        return mark_safe("")
    return mark_safe(f'<script type="application/ld+json">{dumps(data)}</script>')


def compact(data: dict) -> dict:
    """A copy of a JSON-LD node without empty values (None, "", [] and {})."""
    result = {}
    for key, value in data.items():
        if isinstance(value, dict):
            value = compact(value)
        elif isinstance(value, list):
            value = [compact(v) if isinstance(v, dict) else v for v in value]
            value = [v for v in value if v not in (None, "", {}, [])]
        if value in (None, "", {}, []):
            continue
        result[key] = value
    return result


def breadcrumb_list(items: list[tuple[str, str]]) -> dict:
    """A schema.org BreadcrumbList from (name, absolute URL) pairs, from the home page down."""
    return {
        "@context": SCHEMA_CONTEXT,
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": position, "name": str(name), "item": url}
            for position, (name, url) in enumerate(items, start=1)
        ],
    }
