"""The search engine: clauses, filters, exact facet counts and ranking over segments.

The same code runs on SQLite and PostgreSQL: the database is the truth (works, the change log,
the index state) and the segments are derived from it (see models.py and index.py).

Ranking, in one place
---------------------
A work's score is the sum, over the words typed, of

    FIELD_WEIGHTS[the most telling field the word is in] x idf(word)

where idf = 1 + ln(total works / (1 + works with the word)) favours rare words, and the fields
weigh, from most to least telling:

    exact inventory number  100  ("2011.3.12" typed in full puts that work first)
    author                   10  (typing "Toulouse-Lautrec" shows his works before works
                                  that only mention him)
    title, denomination       8
    domain, period, technique, place, school, subject, inventory words   3
    description and every other text   1

then multiplied by IMAGE_BONUS (1.05) when the work has an image: ahead of an equal match
without one, never ahead of a better match. Equal scores go to the most recently added work.
"""

import fcntl
import logging
import math
import multiprocessing
import os
import secrets
import shutil
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from django.conf import settings
from django.db import connection, connections, transaction
from django.db.models import Count, Max, Min
from django.utils import timezone

from .documents import Vocabularies, all_documents, documents_for
from .index import (
    CACHED_FACETS,
    NO_YEAR,
    SINGLE_FACETS,
    OldSegment,
    Segment,
    SegmentBuilder,
    count_facet,
    member,
    write_directory_atomically,
)
from .models import SearchChange, SearchIndexState
from .query import Clause, ParsedQuery

logger = logging.getLogger(__name__)

FIELD_WEIGHTS = np.array([0, 1, 3, 8, 10, 100], dtype=np.float32)
IMAGE_BONUS = np.float32(1.05)
PREFIX_EXPANSION = 64  # a prefix matches the terms of its 64 most frequent words
FACETS = (
    "museum",
    "departement",
    "domain",
    "denomination",
    "period",
    "author",
    "technique",
    "image",
)
SORTS = ("relevance", "date", "-date", "title", "recent")
# Works changed since the segment was built are served from a small segment made in memory
# from the database, made again when a change comes (about 0.1 s per 1,000 works). Past
# DELTA_LIMIT (a large import under way) that would slow every search: the segment is served
# as it is until a new segment replaces it: import_works has one made while it runs
# (follower.py) once it has changed REBUILD_AFTER_IMPORT works.
DELTA_LIMIT = 10_000
REBUILD_AFTER_IMPORT = getattr(settings, "SEARCH_REBUILD_AFTER_IMPORT", 5_000)
# A rebuild of more works than PARALLEL_FROM reads and analyses slices of BUILD_SLICE ids in
# BUILD_PROCESSES processes at most (one per core).
PARALLEL_FROM = 50_000
BUILD_SLICE = 25_000
BUILD_PROCESSES = 2
_EMPTY = np.zeros(0, dtype=np.uint32)


# Clauses ---------------------------------------------------------------------------------


_member = member


def _union(parts: list[tuple[np.ndarray, np.ndarray]], size: int) -> tuple[np.ndarray, np.ndarray]:
    """Documents of several postings, each with its best weight."""
    if len(parts) == 1:
        return parts[0]
    total = sum(len(d) for d, _ in parts)
    if total * 4 > size:  # large: one dense buffer of weights, no sort
        best = np.zeros(size, dtype=np.float32)
        for docs, weights in parts:
            best[docs] = np.maximum(best[docs], weights)
        docs = np.flatnonzero(best).astype(np.uint32)
        return docs, best[docs]
    docs = np.concatenate([d for d, _ in parts])
    weights = np.concatenate([w for _, w in parts])
    order = np.lexsort((-weights, docs))
    docs, weights = docs[order], weights[order]
    unique, first = np.unique(docs, return_index=True)
    return unique, weights[first]


def _term_ids(segment: Segment, clause: Clause) -> list[int]:
    if clause.kind == "prefix":
        return [int(t) for t in segment.prefix_terms(clause.terms[0], PREFIX_EXPANSION)]
    return [segment.term(t) for t in clause.terms]


def clause_frequency(segment: Segment, clause: Clause) -> int:
    """How many documents of the segment a clause could match (for idf)."""
    tids = _term_ids(segment, clause)
    if clause.kind == "prefix":
        return max((segment.document_frequency(t) for t in tids), default=0)
    if any(t < 0 for t in tids):
        return 0
    return min(segment.document_frequency(t) for t in tids)


def clause_postings(segment: Segment, clause: Clause) -> tuple[np.ndarray, np.ndarray]:
    """(documents, weight) of the documents that satisfy a clause, ascending."""
    tids = _term_ids(segment, clause)
    if not tids or any(t < 0 for t in tids):
        return _EMPTY, np.zeros(0, dtype=np.float32)
    if clause.kind == "prefix":
        parts = []
        for tid in tids:
            docs, codes = segment.postings(tid)
            parts.append((np.asarray(docs), FIELD_WEIGHTS[codes]))
        return _union(parts, segment.size)
    if clause.kind == "term":
        docs, codes = segment.postings(tids[0])
        return np.asarray(docs), FIELD_WEIGHTS[codes]
    # A phrase: each pair of terms next to each other, then the words' weights summed.
    docs = None
    for first, second in zip(tids, tids[1:], strict=False):
        pair = np.asarray(segment.bigram(first, second))
        docs = pair if docs is None else docs[_member(pair, docs)[0]]
        if not len(docs):
            return _EMPTY, np.zeros(0, dtype=np.float32)
    weights = np.zeros(len(docs), dtype=np.float32)
    for tid in tids:
        term_docs, codes = segment.postings(tid)
        found, positions = _member(term_docs, docs)
        weights += np.where(found, FIELD_WEIGHTS[np.asarray(codes)[positions]], 0)
    return docs, weights / len(tids)


# One segment -----------------------------------------------------------------------------


@dataclass
class SegmentAnswer:
    """What one segment contributes: its matches (after filters), counts and best documents."""

    segment: Segment
    total: int
    counts: dict[str, tuple]  # facet -> (value ids, counts)
    best_docs: np.ndarray  # document numbers, best first, at most `limit`
    best_scores: np.ndarray


def _codes_of(table: np.ndarray, ids) -> np.ndarray:
    """The codes (positions in a facet's id table) of the ids the segment has."""
    if not len(table) or not ids:
        return np.zeros(0, dtype=np.int64)
    wanted = np.asarray(list(ids), dtype=table.dtype)
    positions = np.searchsorted(table, wanted)
    positions[positions >= len(table)] = 0
    return positions[table[positions] == wanted]


def _selection(segment: Segment, facet: str, ids) -> np.ndarray:
    """bool[N]: the documents that have at least one of these values of a facet."""
    table = segment.a[f"{facet}_ids"]
    codes = _codes_of(table, ids)
    if facet in SINGLE_FACETS:
        wanted = np.zeros(len(table), dtype=bool)
        wanted[codes] = True
        return wanted[segment.a[facet]] if len(table) else np.zeros(segment.size, dtype=bool)
    selected = np.zeros(segment.size, dtype=bool)
    offsets = segment.a[f"{facet}_code_offsets"]
    by_code = segment.a[f"{facet}_by_code"]
    for code in codes.tolist():
        selected[by_code[offsets[code] : offsets[code + 1]]] = True
    return selected


def _count(segment: Segment, facet: str, docs: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """(value ids, counts) of a facet over `docs` (None: every document), exact, nonzero only."""
    counts = count_facet(segment.a, facet, docs)
    nonzero = np.flatnonzero(counts)
    return segment.a[f"{facet}_ids"][nonzero], counts[nonzero]


def _whole_counts(segment: Segment) -> dict:
    """Every facet's counts over the whole segment (kept for the segment's life)."""
    cached = segment.cache.get("counts")
    if cached is None:
        cached = segment.cache["counts"] = {f: _count(segment, f, None) for f in FACETS}
    return cached


def _cached_counts(segment: Segment, tid: int, dead: np.ndarray | None, docs: np.ndarray):
    """The facet counts of a frequent term's documents read from the segment, less those of
    its documents changed since the build (`dead`, ascending), or None."""
    cached = segment.cached_counts(tid)
    if cached is None:
        return None
    gone = None
    if dead is not None and len(dead):
        gone = dead[_member(docs, dead)[0]]
        if not len(gone):
            gone = None
    counts = {}
    for facet, (codes, numbers) in zip(CACHED_FACETS, cached, strict=True):
        ids = segment.a[f"{facet}_ids"]
        if gone is not None:
            numbers = numbers - count_facet(segment.a, facet, gone)[codes]
            keep = numbers > 0
            codes, numbers = codes[keep], numbers[keep]
        counts[facet] = (ids[codes], np.asarray(numbers, dtype=np.int64))
    return counts


def _best_by_level(levels: np.ndarray, limit: int) -> np.ndarray:
    """Positions of the `limit` best of `levels` (small integers, the highest first; within a
    level, the last position first: the most recent work)."""
    chosen, needed = [], limit
    for level in np.flatnonzero(np.bincount(levels))[::-1].tolist():
        found = np.flatnonzero(levels == level)[::-1][:needed]
        chosen.append(found)
        needed -= len(found)
        if needed <= 0:
            break
    return np.concatenate(chosen) if chosen else np.zeros(0, dtype=np.int64)


def _ordering_key(segment: Segment, docs: np.ndarray, scores: np.ndarray, sort: str):
    """A unique int64 key per document, smallest first, for the requested order."""
    docs64 = docs.astype(np.int64)
    if sort == "recent":
        return -docs64
    if sort == "title":
        return segment.a["title_rank"][docs].astype(np.int64)
    if sort in ("date", "-date"):
        years = segment.a["year"][docs].astype(np.int64)
        if sort == "-date":
            years = np.where(years == NO_YEAR, NO_YEAR, -years)
        return ((years + 2**31) << 24) | segment.a["title_rank"][docs].astype(np.int64)
    rounded = np.round(scores.astype(np.float64) * 1000).astype(np.int64)
    return -((rounded << 24) | docs64)


def _best_of_all(segment: Segment, sort: str, limit: int) -> np.ndarray:
    """The first `limit` documents of the whole segment in an order (no words, no filter)."""
    if sort == "title":
        return np.asarray(segment.a["title_order"][:limit])
    if sort == "date":
        return np.asarray(segment.a["date_order"][:limit])
    if sort == "-date":
        order = np.asarray(segment.a["date_order"])
        years = segment.a["year"][order]
        dated = order[years != NO_YEAR]
        # Latest year first; within a year, titles in order; undated works last.
        boundaries = np.flatnonzero(np.diff(years[: len(dated)])) + 1
        groups = np.split(dated, boundaries)[::-1]
        ranked = np.concatenate([*groups, order[len(dated) :]]) if groups else order
        return ranked[:limit]
    return np.arange(segment.size - 1, max(segment.size - 1 - limit, -1), -1, dtype=np.uint32)


def search_segment(
    segment: Segment,
    alive: np.ndarray | None,
    query: ParsedQuery,
    idfs: list[float],
    filters: dict,
    sort: str,
    limit: int,
    with_counts: bool = True,
    dead: np.ndarray | None = None,
) -> SegmentAnswer:
    """`alive`: bool[N] of the documents still current (None: all); `dead`: the others."""
    positives = query.positive
    docs = scores = None  # None: every document of the segment
    # One plain word: its score is a function of (field code, image), a dozen levels, and its
    # facet counts may have been computed at build time.
    single = (
        len(positives) == 1
        and positives[0].kind == "term"
        and not query.inventory_key
        and not query.negative
    )
    if single and not filters and sort == "relevance":
        return _one_word(segment, alive, dead, positives[0].terms[0], idfs[0], limit, with_counts)
    levels = None
    if positives:
        evaluated = []
        for clause, idf in zip(positives, idfs, strict=True):
            clause_docs, weights = clause_postings(segment, clause)
            evaluated.append((clause_docs, weights * np.float32(idf)))
        evaluated.sort(key=lambda pair: len(pair[0]))
        docs, scores = evaluated[0][0], evaluated[0][1].astype(np.float32)
        for other_docs, other_weights in evaluated[1:]:
            if not len(docs):
                break
            found, positions = _member(other_docs, docs)
            docs, scores = docs[found], scores[found] + other_weights[positions[found]]
    keep = alive  # bool[N] of the documents that may match (None: all)
    for clause in query.negative:
        excluded, _weights = clause_postings(segment, clause)
        if len(excluded):
            keep = np.ones(segment.size, dtype=bool) if keep is None else keep.copy()
            keep[excluded] = False
    selections = {facet: _selection(segment, facet, ids) for facet, ids in filters.items()}
    counts: dict[str, tuple] = {}

    if docs is None and keep is None and not selections:
        # The whole catalogue: counts computed once per segment, orders built in.
        if with_counts:
            counts = _whole_counts(segment)
        best = _best_of_all(segment, sort, limit)
        return SegmentAnswer(segment, segment.size, counts, best, np.zeros(len(best), np.float32))

    if docs is None:
        base = keep if keep is not None else np.ones(segment.size, dtype=bool)
        masks = dict(selections)

        def subset(skip: str | None) -> np.ndarray:
            combined = base
            for facet, mask in masks.items():
                if facet != skip:
                    combined = combined & mask
            return np.flatnonzero(combined).astype(np.uint32)

        docs = subset(None)
        scores = np.zeros(len(docs), dtype=np.float32)
    else:
        if keep is not None and len(docs):
            kept = keep[docs]
            docs, scores = docs[kept], scores[kept]
        if len(docs):
            if query.inventory_key:
                tid = segment.term(query.inventory_key)
                if tid >= 0:
                    exact = _member(np.asarray(segment.postings(tid)[0]), docs)[0]
                    scores = scores + np.where(exact, FIELD_WEIGHTS[5] * 10, 0).astype(np.float32)
            images = segment.a["image"][docs]
            scores = scores * np.where(images == 1, IMAGE_BONUS, 1)
            if single and sort == "relevance":
                codes = segment.postings(segment.term(positives[0].terms[0]))[1]
                if keep is not None:
                    codes = codes[kept]
                levels = codes.astype(np.uint8) * np.uint8(2) + images.astype(np.uint8)
        text_docs, text_scores = docs, scores
        masks = {facet: selection[text_docs] for facet, selection in selections.items()}

        def subset(skip: str | None) -> np.ndarray:
            others = [mask for facet, mask in masks.items() if facet != skip]
            return text_docs[np.logical_and.reduce(others)] if others else text_docs

        if masks:
            chosen = np.logical_and.reduce(list(masks.values()))
            docs, scores = text_docs[chosen], text_scores[chosen]
            if levels is not None:
                levels = levels[chosen]
    if with_counts:
        everything = docs
        # No words, nothing excluded, one facet filtered: that facet's own counts are the
        # whole catalogue's, computed once per segment.
        whole = not positives and keep is None and len(masks) == 1
        for facet in FACETS:
            if facet in masks and whole:
                counts[facet] = _whole_counts(segment)[facet]
            else:
                counts[facet] = _count(
                    segment, facet, subset(facet) if facet in masks else everything
                )
    if sort == "recent" or (sort == "relevance" and not positives):
        # Documents are numbered in work id order: the most recent are the last ones.
        best = docs[::-1][:limit]
        return SegmentAnswer(segment, len(docs), counts, best, np.zeros(len(best), np.float32))
    if levels is not None:
        best = _best_by_level(levels, limit)
        return SegmentAnswer(segment, len(docs), counts, docs[best], scores[best])
    keys = _ordering_key(segment, docs, scores, sort)
    if len(keys) > limit:
        best = np.argpartition(keys, limit - 1)[:limit]
        best = best[np.argsort(keys[best])]
    else:
        best = np.argsort(keys)
    return SegmentAnswer(segment, len(docs), counts, docs[best], scores[best].astype(np.float32))


def _one_word(segment, alive, dead, term, idf, limit, with_counts) -> SegmentAnswer:
    """One word, no filter, by relevance: what a visitor types most. Its facet counts may be
    in the segment, and its scores take a dozen values (field code x image): the best are read
    level by level, and only their scores computed."""
    tid = segment.term(term)
    if tid < 0:
        return SegmentAnswer(
            segment,
            0,
            {f: _count(segment, f, _EMPTY) for f in FACETS},
            _EMPTY,
            np.zeros(0, np.float32),
        )
    all_docs, codes = segment.postings(tid)
    docs = all_docs
    if alive is not None:
        kept = alive[docs]
        docs, codes = docs[kept], codes[kept]
    images = segment.a["image"][docs].astype(np.uint8)
    best = _best_by_level(codes * np.uint8(2) + images, limit)
    scores = FIELD_WEIGHTS[codes[best]] * np.float32(idf)
    scores = (scores * np.where(images[best] == 1, IMAGE_BONUS, np.float32(1))).astype(np.float32)
    counts = {}
    if with_counts:
        counts = _cached_counts(segment, tid, dead, all_docs)
        if counts is None:
            counts = {facet: _count(segment, facet, docs) for facet in FACETS}
    return SegmentAnswer(segment, len(docs), counts, docs[best], scores)


# The engine of a process -----------------------------------------------------------------


@dataclass
class Snapshot:
    main: Segment | None
    alive: np.ndarray | None
    delta: Segment | None
    changes_seen: int = 0
    stale: int = 0  # works served from the delta segment
    dead: np.ndarray | None = None  # documents of `main` not alive, ascending

    def __post_init__(self):
        if self.alive is not None and self.dead is None:
            self.dead = np.flatnonzero(~self.alive)

    @property
    def segments(self):
        return [
            (s, a, d)
            for s, a, d in ((self.main, self.alive, self.dead), (self.delta, None, None))
            if s is not None
        ]

    @property
    def size(self) -> int:
        return sum(s.size for s, _a, _d in self.segments) - (
            0 if self.alive is None else int((~self.alive).sum())
        )


@dataclass
class EngineAnswer:
    total: int
    work_ids: list[int]
    scores: list[float]
    counts: dict[str, tuple]  # facet -> (value ids, counts), nonzero only
    timings: dict = field(default_factory=dict)
    version: tuple = ()  # changes when the index does (segment built, works changed)
    cards: list[tuple] = field(default_factory=list)  # the stored card of each work of the page


def index_root() -> Path:
    root = Path(settings.SEARCH_INDEX_DIR)
    root.mkdir(parents=True, exist_ok=True)
    return root


@contextmanager
def _build_lock(root: Path):
    with open(root / ".build.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def latest_change() -> int:
    return SearchChange.objects.aggregate(latest=Max("id"))["latest"] or 0


def committed_change() -> int:
    """The last change such that every change up to it is committed: a watermark.

    On SQLite, writers take turns, so ids are committed in order. PostgreSQL hands out ids when
    rows are inserted and transactions commit in any order: a SHARE lock on the change log
    waits for the transactions writing to it to end (and holds new writers back for the time of
    one MAX), so no change below the watermark can commit later and be skipped.
    """
    if connection.vendor != "postgresql":
        return latest_change()
    with transaction.atomic(), connection.cursor() as cursor:
        table = connection.ops.quote_name(SearchChange._meta.db_table)
        cursor.execute(f"LOCK TABLE {table} IN SHARE MODE")
        cursor.execute(f"SELECT MAX(id) FROM {table}")
        return cursor.fetchone()[0] or 0


def segment_name() -> str:
    return f"seg-{timezone.now():%Y%m%d%H%M%S}-{secrets.token_hex(4)}"


def rebuild(progress=None, *, only_if_missing: bool = False) -> SearchIndexState:
    """Build a new segment of every public work, make it current, prune the change log.

    `progress(documents_done)` is called every few thousand documents. With `only_if_missing`,
    nothing is done when a segment exists (the first search of several workers at once).
    """
    root = index_root()
    with _build_lock(root):
        if only_if_missing:
            existing = SearchIndexState.objects.filter(pk=1).first()
            if existing is not None:
                return existing
        started = time.monotonic()
        watermark = committed_change()
        builder = build_all(progress)
        return install(builder, watermark, started)


def install(builder: SegmentBuilder, watermark: int, started: float) -> SearchIndexState:
    """Write the segment of `builder` (every public work as of change `watermark`), make it
    current and prune the change log one generation late (workers still serving the previous
    segment need the changes since its build). Called with the build lock held.

    A segment older than the current one (a rebuild finished meanwhile) is not installed.
    """
    root = index_root()
    current = SearchIndexState.objects.filter(pk=1).first()
    if current is not None and current.watermark > watermark:
        logger.warning(
            "Segment de recherche dépassé (%d < %d) : ignoré.", watermark, current.watermark
        )
        return current
    name = segment_name()
    write_directory_atomically(root, name, builder, {"watermark": watermark})
    seconds = time.monotonic() - started
    with transaction.atomic():
        previous = SearchIndexState.objects.select_for_update().filter(pk=1).first()
        old_segment = previous.segment if previous else None
        old_watermark = previous.watermark if previous else 0
        state, _created = SearchIndexState.objects.update_or_create(
            pk=1,
            defaults={
                "segment": name,
                "watermark": watermark,
                "previous_watermark": old_watermark,
                "documents": len(builder),
                "built_at": timezone.now(),
                "build_seconds": round(seconds, 2),
            },
        )
        SearchChange.objects.filter(id__lte=old_watermark).delete()
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        # The pruned rows stay in the index until a vacuum: MAX(id) would walk them all.
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {SearchChange._meta.db_table}")
    keep = {name, old_segment}
    for path in root.glob("seg-*"):
        if path.is_dir() and path.name not in keep:
            shutil.rmtree(path, ignore_errors=True)
    engine.forget()
    return state


def _part(bounds: tuple[int, int]) -> dict:
    """In a child process: the builder part of the public works with ids in `bounds`."""
    global _child_vocabularies
    if _child_vocabularies is None:
        _child_vocabularies = Vocabularies()
    builder = SegmentBuilder()
    for document in all_documents(_child_vocabularies, first=bounds[0], last=bounds[1]):
        builder.add(document)
    return builder.part()


_child_vocabularies = None


def build_all(progress=None, *, processes: int | None = None) -> SegmentBuilder:
    """A builder holding every public work: reading and analysis shared between processes
    (one per core, at most BUILD_PROCESSES) when there are more than PARALLEL_FROM works."""
    from musees.catalogue.models import Work

    bounds = Work.objects.published().aggregate(first=Min("pk"), last=Max("pk"), count=Count("pk"))
    builder = SegmentBuilder()
    processes = processes or min(BUILD_PROCESSES, os.cpu_count() or 1)
    if bounds["count"] < PARALLEL_FROM or processes < 2:
        for number, document in enumerate(all_documents(Vocabularies()), 1):
            builder.add(document)
            if progress and number % 5_000 == 0:
                progress(number)
    else:
        step = max(BUILD_SLICE, 1)
        slices = [
            (start, min(start + step - 1, bounds["last"]))
            for start in range(bounds["first"], bounds["last"] + 1, step)
        ]
        connections.close_all()  # the children open their own connections
        context = multiprocessing.get_context("fork")
        with context.Pool(processes) as pool:
            for part in pool.imap(_part, slices):
                builder.merge(part)
                if progress:
                    progress(len(builder))
    if progress:
        progress(len(builder))
    return builder


def _open_or_build(name: str) -> Segment:
    """The current segment; built here under its name when this machine lacks it (a new web
    server) or holds it in an older format (after an upgrade)."""
    root = index_root()
    try:
        return Segment.open(root / name)
    except (FileNotFoundError, OldSegment):
        pass
    with _build_lock(root):
        try:
            return Segment.open(root / name)
        except (FileNotFoundError, OldSegment):
            pass
        logger.warning("Segment de recherche %s absent ou ancien : construction.", name)
        builder = build_all()
        return write_directory_atomically(root, name, builder, {"watermark": latest_change()})


_CHANGES_TABLE = SearchChange._meta.db_table
_STATE_TABLE = SearchIndexState._meta.db_table
_STATE_SQL = (
    f"SELECT segment, watermark, (SELECT MAX(id) FROM {_CHANGES_TABLE}) "
    f"FROM {_STATE_TABLE} WHERE id = 1"
)


class Engine:
    """The segments a process serves, refreshed from the database before each search."""

    def __init__(self):
        self.lock = threading.Lock()
        self.snapshot = Snapshot(None, None, None, changes_seen=-1)
        self.main_name: str | None = None
        self.main_watermark = 0
        self.vocabularies_cache = None

    def forget(self):
        with self.lock:
            self.snapshot = Snapshot(None, None, None, changes_seen=-1)
            self.main_name = None

    def current(self) -> Snapshot:
        """The snapshot that includes every committed change (one small query)."""
        with connection.cursor() as cursor:
            cursor.execute(_STATE_SQL)
            row = cursor.fetchone()
        if row is None:
            rebuild(only_if_missing=True)
            return self.current()
        name, watermark, latest = row[0], row[1], row[2] or 0
        snapshot = self.snapshot
        if name == self.main_name and latest == snapshot.changes_seen:
            return snapshot
        with self.lock:
            if name != self.main_name:
                main = _open_or_build(name)
                self.main_name, self.main_watermark = name, watermark
                self.snapshot = Snapshot(main, None, None, changes_seen=-1)
            if latest != self.snapshot.changes_seen:
                self.snapshot = self._with_changes(self.snapshot.main, latest)
            return self.snapshot

    def _with_changes(self, main: Segment, latest: int) -> Snapshot:
        pending = SearchChange.objects.filter(id__gt=self.main_watermark)
        if pending.count() > 2 * DELTA_LIMIT:  # counted before read: a million rows is slow
            logger.warning("Index de recherche en attente de rebuild_search.")
            return Snapshot(main, None, None, changes_seen=latest, stale=DELTA_LIMIT)
        changed = sorted(
            set(
                SearchChange.objects.filter(id__gt=self.main_watermark).values_list(
                    "work_id", flat=True
                )
            )
        )
        if not changed:
            return Snapshot(main, None, None, changes_seen=latest)
        if len(changed) > DELTA_LIMIT:
            logger.warning(
                "%d œuvres modifiées depuis la construction de l'index de recherche : il est "
                "servi tel quel jusqu'à la fin de rebuild_search.",
                len(changed),
            )
            return Snapshot(main, None, None, changes_seen=latest, stale=len(changed))
        alive = np.ones(main.size, dtype=bool)
        work_ids = main.a["work_ids"]
        if len(work_ids):
            found, positions = _member(work_ids, np.asarray(changed, dtype=np.int64))
            alive[positions[found]] = False
        builder = SegmentBuilder()
        for document in documents_for(changed, Vocabularies()):
            builder.add(document)
        delta = builder.segment() if len(builder) else None
        return Snapshot(main, alive, delta, changes_seen=latest, stale=len(changed))

    def search(
        self, query: ParsedQuery, filters: dict, sort: str, offset: int, limit: int
    ) -> EngineAnswer:
        started = time.perf_counter()
        snapshot = self.current()
        refreshed = time.perf_counter()
        segments = snapshot.segments
        total_docs = max(snapshot.size, 1)
        idfs = []
        for clause in query.positive:
            frequency = sum(clause_frequency(s, clause) for s, _a, _d in segments)
            idfs.append(1 + math.log(total_docs / (1 + frequency)) if frequency else 1.0)
        want = offset + limit
        answers = [
            search_segment(s, alive, query, idfs, filters, sort, want, dead=dead)
            for s, alive, dead in segments
        ]
        counts = {facet: _merge_counts([a.counts[facet] for a in answers]) for facet in FACETS}
        total = sum(a.total for a in answers)
        if len(answers) == 1:
            answer = answers[0]
            docs = answer.best_docs[offset:want].tolist()
            work_ids = answer.segment.a["work_ids"][docs].tolist()
            scores = answer.best_scores[offset:want].tolist()
            cards = [answer.segment.card(doc) for doc in docs]
        else:
            candidates = []
            for answer in answers:
                segment = answer.segment
                ids = segment.a["work_ids"][answer.best_docs].tolist()
                years = segment.a["year"][answer.best_docs].tolist()
                titles = segment.a["title_keys"][answer.best_docs].tolist()
                for doc, work_id, score, year, title in zip(
                    answer.best_docs.tolist(),
                    ids,
                    answer.best_scores.tolist(),
                    years,
                    titles,
                    strict=True,
                ):
                    key = _merge_key(sort, work_id, score, year, title)
                    candidates.append((key, work_id, score, doc, segment))
            candidates.sort(key=lambda candidate: candidate[0])
            page = candidates[offset:want]
            work_ids = [c[1] for c in page]
            scores = [c[2] for c in page]
            cards = [c[4].card(c[3]) for c in page]
        finished = time.perf_counter()
        return EngineAnswer(
            version=(self.main_name, snapshot.changes_seen),
            total=total,
            work_ids=work_ids,
            scores=scores,
            counts=counts,
            cards=cards,
            timings={
                "refresh_ms": round((refreshed - started) * 1000, 2),
                "engine_ms": round((finished - refreshed) * 1000, 2),
            },
        )

    def suggest(self, prefix: str, limit: int) -> list[tuple[str, int]]:
        """The most frequent folded words starting with `prefix`, with their document counts."""
        snapshot = self.current()
        found: dict[str, int] = {}
        for segment, _alive, _dead in snapshot.segments:
            start, end = segment.word_range(prefix)
            if end <= start:
                continue
            counts = segment.a["word_counts"][start:end]
            chosen = np.argsort(-counts, kind="stable")[: limit * 2]
            for index in chosen.tolist():
                word = segment.a["words"][start + index].decode()
                found[word] = found.get(word, 0) + int(counts[index])
        ranked = sorted(found.items(), key=lambda item: (-item[1], item[0]))
        return ranked[:limit]


def _merge_counts(parts: list[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    """The (value ids, counts) of several segments added up."""
    parts = [p for p in parts if len(p[0])]
    if not parts:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    if len(parts) == 1:
        return parts[0]
    ids = np.concatenate([p[0] for p in parts])
    counts = np.concatenate([p[1] for p in parts])
    unique, inverse = np.unique(ids, return_inverse=True)
    return unique, np.bincount(inverse, weights=counts).astype(np.int64)


def _merge_key(sort, work_id, score, year, title):
    if sort == "recent":
        return (-work_id,)
    if sort == "title":
        return (title, work_id)
    if sort == "date":
        return (year, title, work_id)
    if sort == "-date":
        return (year == NO_YEAR, -year, title, work_id)
    return (-round(score * 1000), -work_id)


engine = Engine()
