"""The one search interface the site and the API use: a `SearchQuery` in, `SearchResults` out.

    results = search(SearchQuery(text="amphore", filters={"departement": ("34",)}))
    results.total, results.hits[0].work, results.facets[0].values[0].count, results.timings

Filters name facet values as a URL does: a museum by its page slug, a département by its code,
a domain, denomination, period, technique or author by its vocabulary slug, "image" by "1".
Within a facet the values are alternatives (OR); facets combine (AND); each facet's counts are
computed with every filter but its own, so its other values stay visible with their counts.
"""

import time
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from musees.catalogue.models import (
    Denomination,
    Domain,
    Period,
    Person,
    Technique,
    Work,
)
from musees.museums.models import MuseumPage

from .engine import FACETS, SORTS, engine
from .highlight import SNIPPET_LENGTH, highlight
from .query import ParsedQuery, parse

PER_PAGE = 24
MAX_PER_PAGE = 100
FACET_SIZE = 50  # values listed per facet (the selected ones always are)...
# ...but every museum and département: the map shows them all, and they are a few hundred.
UNLIMITED_FACETS = frozenset({"museum", "departement"})
MAX_FILTER_VALUES = 20  # values a visitor can tick in one facet
FACET_LABELS = {
    "museum": _("Musée"),
    "departement": _("Département"),
    "domain": _("Domaine"),
    "denomination": _("Dénomination"),
    "period": _("Période"),
    "author": _("Auteur"),
    "technique": _("Matériau, technique"),
    "image": _("Image"),
}
SORT_LABELS = {
    "relevance": _("Pertinence"),
    "date": _("Date de création (plus ancienne)"),
    "-date": _("Date de création (plus récente)"),
    "title": _("Titre"),
    "recent": _("Ajoutées récemment"),
}
_VOCABULARIES = {
    "domain": Domain,
    "denomination": Denomination,
    "period": Period,
    "technique": Technique,
    "author": Person,
}


@dataclass(frozen=True)
class SearchQuery:
    text: str = ""
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    sort: str = "relevance"
    page: int = 1
    per_page: int = PER_PAGE

    def cleaned(self) -> "SearchQuery":
        """The same query with unknown facets, sorts and out-of-range pages set right."""
        filters = {
            name: tuple(dict.fromkeys(str(v)[:255] for v in values if v))[:MAX_FILTER_VALUES]
            for name, values in self.filters.items()
            if name in FACETS
        }
        return SearchQuery(
            text=str(self.text or ""),
            filters={k: v for k, v in filters.items() if v},
            sort=self.sort if self.sort in SORTS else "relevance",
            page=max(1, min(int(self.page or 1), 100_000)),
            per_page=max(1, min(int(self.per_page or PER_PAGE), MAX_PER_PAGE)),
        )


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class Facet:
    name: str
    label: str
    values: list[FacetValue]

    @property
    def selected(self) -> list[FacetValue]:
        return [v for v in self.values if v.selected]


@dataclass
class Hit:
    work: Work
    score: float
    title_html: str
    snippet_html: str


@dataclass
class SearchResults:
    query: SearchQuery
    parsed: ParsedQuery
    total: int
    hits: list[Hit]
    facets: list[Facet]
    timings: dict[str, float]
    unknown_filters: list[tuple[str, str]] = field(default_factory=list)

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.total // self.query.per_page))

    @property
    def has_next(self) -> bool:
        return self.query.page < self.num_pages

    @property
    def has_previous(self) -> bool:
        return self.query.page > 1

    def facet(self, name: str) -> Facet:
        return next(f for f in self.facets if f.name == name)


def _museum_ids(slugs) -> dict[str, int]:
    return dict(MuseumPage.objects.filter(slug__in=slugs).values_list("slug", "pk"))


def _resolve_filters(filters: dict[str, tuple[str, ...]]):
    """URL values -> index ids (museum and vocabulary pks, département codes), and the unknown."""
    resolved, unknown = {}, []
    for name, values in filters.items():
        if name == "departement":
            ids = {v: v for v in values}
        elif name == "image":
            ids = {v: 1 for v in values if v == "1"}
        elif name == "museum":
            ids = _museum_ids(values)
        else:
            ids = dict(
                _VOCABULARIES[name].objects.filter(slug__in=values).values_list("slug", "pk")
            )
        unknown.extend((name, v) for v in values if v not in ids)
        resolved[name] = set(ids.values())
    return resolved, unknown


# Facet labels read from the database, kept while the index does not change: renaming a
# vocabulary entry or a museum logs its works as changed, which gives the engine a new version.
_label_cache: dict[tuple[str, object], tuple[str, str]] = {}
_label_version: list = [None]
LABEL_CACHE_SIZE = 200_000


def _labels(name: str, ids) -> dict:
    """Index id -> (URL value, label) for the values shown of one facet (cached)."""
    if not ids:
        return {}
    if name == "image":
        return _read_labels(name, ids)
    found, missing = {}, []
    for value in ids:
        cached = _label_cache.get((name, value))
        if cached is None:
            missing.append(value)
        else:
            found[value] = cached
    if missing:
        read = _read_labels(name, missing)
        if len(_label_cache) > LABEL_CACHE_SIZE:
            _label_cache.clear()
        for value, label in read.items():
            _label_cache[(name, value)] = label
        found.update(read)
    return found


def _read_labels(name: str, ids) -> dict:
    if name == "museum":
        rows = (
            MuseumPage.objects.filter(pk__in=ids)
            .order_by()
            .values_list("pk", "slug", "short_name", "title")
        )
        return {pk: (slug, capfirst(short or title)) for pk, slug, short, title in rows}
    if name == "departement":
        rows = (
            MuseumPage.objects.filter(departement_code__in=ids)
            .exclude(departement_name="")
            .order_by()
            .values_list("departement_code", "departement_name")
            .distinct()
        )
        names = dict(rows)
        return {code: (code, f"{names.get(code, code)} ({code})") for code in ids if code}
    if name == "image":
        return {1: ("1", str(_("Avec image")))}
    rows = (
        _VOCABULARIES[name].objects.filter(pk__in=ids).order_by().values_list("pk", "slug", "label")
    )
    return {pk: (slug, capfirst(label)) for pk, slug, label in rows}


def _top(ids: np.ndarray, counts: np.ndarray, size: int) -> dict:
    """{value id: count} of the `size` values with the most works."""
    if len(ids) > size:
        chosen = np.argpartition(-counts, size - 1)[:size]
        ids, counts = ids[chosen], counts[chosen]
    return dict(zip(ids.tolist(), counts.tolist(), strict=True))


def _facets(counts: dict[str, tuple], selected: dict[str, set]) -> list[Facet]:
    facets = []
    for name in FACETS:
        ids, numbers = counts.get(name, (np.zeros(0), np.zeros(0)))
        if name == "image":
            keep = ids == 1
            ids, numbers = ids[keep], numbers[keep]
        shown = _top(ids, numbers, len(ids) if name in UNLIMITED_FACETS else FACET_SIZE)
        chosen = selected.get(name, set())
        if chosen:
            everything = dict(zip(ids.tolist(), numbers.tolist(), strict=True))
            for value in chosen:
                shown.setdefault(value, everything.get(value, 0))
        labels = _labels(name, list(shown))
        entries = [
            FacetValue(
                value=labels[value][0],
                label=labels[value][1],
                count=count,
                selected=value in chosen,
            )
            for value, count in shown.items()
            if value in labels
        ]
        entries.sort(key=lambda v: (not v.selected, -v.count, v.label.lower()))
        facets.append(Facet(name, str(FACET_LABELS[name]), entries))
    return facets


# A result card comes from the index (documents.Document.card): the page reads no work from the
# database. The work is a model instance with these fields loaded (any other is read on access).
CARD_FIELDS = ("id", "museum_id", "title", "appellation", "authors_text", "inventory_number")
_museum_cache: dict[int, MuseumPage] = {}


@lru_cache(maxsize=1)
def _card_order() -> tuple[str, ...]:
    return tuple(f.attname for f in Work._meta.concrete_fields if f.attname in CARD_FIELDS)


def _museums(ids) -> dict[int, MuseumPage]:
    """The museums of a page of results (cached while the index does not change: a museum
    published, renamed or deleted logs its works as changed)."""
    missing = [pk for pk in ids if pk not in _museum_cache]
    if missing:
        if len(_museum_cache) > LABEL_CACHE_SIZE:
            _museum_cache.clear()
        for museum in MuseumPage.objects.filter(pk__in=missing).only("slug", "title", "short_name"):
            _museum_cache[museum.pk] = museum
    return {pk: _museum_cache[pk] for pk in ids if pk in _museum_cache}


def _hits(answer, parsed: ParsedQuery) -> list[Hit]:
    museums = _museums({card[4] for card in answer.cards})
    stems, prefixes = parsed.highlight_stems, parsed.highlight_prefixes
    hits = []
    for work_id, score, card in zip(answer.work_ids, answer.scores, answer.cards, strict=True):
        (title, appellation, authors, inventory, museum_id, denomination, domain) = card[:7]
        image_id, image_alt, text = card[7:10]
        museum = museums.get(museum_id)
        if museum is None:  # deleted since the index was read: the next search knows
            continue
        values = {
            "id": work_id,
            "museum_id": museum_id,
            "title": title,
            "appellation": appellation,
            "authors_text": authors,
            "inventory_number": inventory,
        }
        # from_db takes the values in the order of the model's fields.
        work = Work.from_db("default", CARD_FIELDS, [values[name] for name in _card_order()])
        work.museum = museum
        work.card_denomination, work.card_domain = denomination, domain
        work.card_image_id, work.card_image_alt = image_id, image_alt
        hits.append(
            Hit(
                work=work,
                score=score,
                title_html=highlight(work.display_title, stems, prefixes),
                snippet_html=highlight(text, stems, prefixes, length=SNIPPET_LENGTH),
            )
        )
    return hits


def search(query: SearchQuery) -> SearchResults:
    """Run a search: the page of works asked for, the total and every facet's exact counts."""
    started = time.perf_counter()
    query = query.cleaned()
    parsed = parse(query.text)
    filters, unknown = _resolve_filters(query.filters)
    offset = (query.page - 1) * query.per_page
    answer = engine.search(parsed, filters, query.sort, offset, query.per_page)
    if offset and offset >= answer.total and answer.total:  # past the last page: show the last
        last = -(-answer.total // query.per_page)
        query = SearchQuery(query.text, query.filters, query.sort, last, query.per_page)
        offset = (last - 1) * query.per_page
        answer = engine.search(parsed, filters, query.sort, offset, query.per_page)
    fetched = time.perf_counter()
    if _label_version[0] != answer.version:
        _label_cache.clear()
        _museum_cache.clear()
        _label_version[0] = answer.version
    hits = _hits(answer, parsed)
    facets = _facets(answer.counts, filters)
    finished = time.perf_counter()
    timings = {
        **answer.timings,
        "fetch_ms": round((finished - fetched) * 1000, 2),
        "total_ms": round((finished - started) * 1000, 2),
    }
    return SearchResults(query, parsed, answer.total, hits, facets, timings, unknown)


def suggest(text: str, limit: int = 8) -> list[dict]:
    """Completions of what is being typed: the last word completed, most frequent first.

    [{"text": "amphore gallo-romaine", "count": 1234}, ...]: `count` is how many works hold
    the completed word (not the whole text).
    """
    from .analysis import words

    text = str(text or "")[:200]
    typed = words(text)
    if not typed or len(typed[-1]) < 2 or text[-1:].isspace():
        return []
    last = typed[-1]
    cut = len(text)
    for index in range(len(text) - 1, -1, -1):  # where the last word starts, as typed
        if not text[index].isalnum():
            break
        cut = index
    head = text[:cut]
    return [
        {"text": f"{head}{word}", "count": count} for word, count in engine.suggest(last, limit)
    ]
