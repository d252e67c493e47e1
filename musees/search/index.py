"""A segment: the inverted index and facet columns of a set of works, as flat numpy arrays.

Built once from documents (`SegmentBuilder`), written as one .npy file per array and opened
memory-mapped (`Segment.open`), so the web workers of one machine share a single copy in the
operating system's page cache and a worker starts in milliseconds.

Arrays (N documents, T terms, B bigrams):
- `work_ids` (N, sorted): the work of each document number;
- `terms` (T, sorted bytes), `term_offsets` (T+1): the postings of term t are
  `post_docs[term_offsets[t]:term_offsets[t+1]]` (document numbers, ascending) and
  `post_codes[...]` (the weight code of the most telling field the term is in);
- `bigrams` (B, sorted uint64 = first term << 32 | second term), `bigram_offsets`,
  `bigram_docs`: documents where two terms follow each other (phrases);
- `words` (sorted bytes), `word_terms`, `word_counts`: the folded words as written, their term
  and in how many documents (prefixes and autocompletion);
- facet columns: `museum`, `departement`, `image` (one code a document) and, for each
  vocabulary facet f, `f_col0`, `f_col1` (its first two values' codes, -1 for none),
  `f_over_codes`/`f_over_docs`/`f_over_offsets` (N+1: the further values, by document),
  `f_by_code` and `f_code_offsets` (documents by value, for filters), `f_ids` (the vocabulary
  id of each code);
- sort keys `year` (missing years last), `title_rank`, and the orders of all documents
  `date_order`, `title_order`;
- `stored_data`, `stored_offsets` (N+1): each document's result card (title, museum, inventory
  number, first denomination and domain, thumbnail, snippet text) as UTF-8 JSON, so that a page
  of results reads no work from the database;
- `facet_cache_terms` (sorted term numbers), `facet_cache_offsets`, `facet_cache_codes`,
  `facet_cache_counts`: the exact facet counts of every term of at least FACET_CACHE_FROM
  documents (run k * len(CACHED_FACETS) + f holds facet f of the k-th term), so that a broad
  word ("peinture": 158,000 works) is not counted again at each search.
"""

import json
import os
import shutil
import time
from array import array
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from .analysis import STOP_WORDS, inventory_key, stem, words
from .documents import INVENTORY, VOCABULARY_FACETS, Document

# Bumped whenever the arrays change: a segment of another format is built again on first use.
FORMAT = 5
NO_YEAR = np.iinfo(np.int32).max
SINGLE_FACETS = ("museum", "departement", "image")
MULTI_FACETS = tuple(VOCABULARY_FACETS)
COLUMNS = 2  # values of a multi-valued facet kept in dense columns (the rest: overflow pairs)
SHORT_TEXT = 80  # texts up to this length are analyzed once and remembered (labels, places)
# The facets, in the order of the engine's answers and of the facet cache's runs.
CACHED_FACETS = (
    "museum",
    "departement",
    "domain",
    "denomination",
    "period",
    "author",
    "technique",
    "image",
)
# Terms in at least this many documents have their facet counts computed once, at build time.
FACET_CACHE_FROM = 20_000


_short_cache: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}


def _analyze(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(terms in order, surface words) of a text; short texts (labels) come from a cache."""
    short = len(text) <= SHORT_TEXT
    if short:
        found = _short_cache.get(text)
        if found is not None:
            return found
    folded = [w for w in words(text) if w not in STOP_WORDS]
    found = (tuple(stem(w) for w in folded), tuple(folded))
    if short and len(_short_cache) < 500_000:
        _short_cache[text] = found
    return found


class SegmentBuilder:
    """Accumulates documents (in any order of work ids) and writes a segment.

    A `replaceable` builder (the one that follows an import) keeps the number of each work's
    document: adding a work again, or `remove()`, leaves the older document out of the segment.
    """

    def __init__(self, replaceable: bool = False):
        self.numbers: dict[int, int] | None = {} if replaceable else None
        self.dead: set[int] = set()
        self.stored = bytearray()
        self.stored_offsets = array("q", [0])
        self.term_ids: dict[str, int] = {}
        self.word_stats: dict[str, list] = {}  # word -> [term id, document count]
        self.post_docs = array("I")
        self.post_terms = array("I")
        self.post_codes = array("B")
        self.bigram_docs = array("I")
        self.bigram_keys = array("Q")
        self.work_ids = array("q")
        self.museum = array("q")
        self.departement: list[str] = []
        self.image = array("B")
        self.year = array("i")
        self.title_keys: list[str] = []
        self.pairs = {name: (array("I"), array("q")) for name in MULTI_FACETS}

    def __len__(self):
        return len(self.work_ids) - len(self.dead)

    def remove(self, work_id: int) -> None:
        """Leave a work out of the segment (it is no longer public); replaceable builders only."""
        number = self.numbers.pop(work_id, None)
        if number is not None:
            self.dead.add(number)

    def _term(self, term: str) -> int:
        found = self.term_ids.get(term)
        if found is None:
            found = self.term_ids[term] = len(self.term_ids)
        return found

    def add(self, document: Document) -> None:
        number = len(self.work_ids)
        if self.numbers is not None:
            previous = self.numbers.get(document.work_id)
            if previous is not None:
                self.dead.add(previous)
            self.numbers[document.work_id] = number
        codes: dict[int, int] = {}
        bigrams: set[int] = set()
        seen_words: set[str] = set()
        term_id = self._term
        texts = document.texts + document.labels
        for code, text in texts:
            found_terms, surface = _analyze(text)
            previous = None
            for term in found_terms:
                tid = term_id(term)
                if codes.get(tid, 0) < code:
                    codes[tid] = code
                if previous is not None:
                    bigrams.add(previous << 32 | tid)
                previous = tid
            seen_words.update(surface)
        if document.inventory_number:
            codes[term_id(inventory_key(document.inventory_number))] = INVENTORY
        word_stats = self.word_stats
        for word in seen_words:
            stats = word_stats.get(word)
            if stats is None:
                word_stats[word] = [term_id(stem(word)), 1]
            else:
                stats[1] += 1
        self.post_terms.extend(codes.keys())
        self.post_codes.extend(codes.values())
        self.post_docs.extend([number] * len(codes))
        self.bigram_keys.extend(bigrams)
        self.bigram_docs.extend([number] * len(bigrams))
        self.work_ids.append(document.work_id)
        self.museum.append(document.museum_id)
        self.departement.append(document.departement)
        self.image.append(1 if document.has_image else 0)
        self.year.append(document.year if document.year is not None else NO_YEAR)
        self.title_keys.append(document.title_key)
        for name in MULTI_FACETS:
            docs, ids = self.pairs[name]
            values = document.facets.get(name) or ()
            docs.extend([number] * len(values))
            ids.extend(values)
        self.stored += json.dumps(document.card, ensure_ascii=False).encode()
        self.stored_offsets.append(len(self.stored))

    def part(self) -> dict:
        """What a builder in another process made, to `merge` into this process's builder."""
        if self.dead:
            raise ValueError("a builder with replaced documents cannot be merged")
        return {
            "terms": list(self.term_ids),
            "word_stats": self.word_stats,
            **{
                name: getattr(self, name)
                for name in (
                    "post_docs post_terms post_codes bigram_docs bigram_keys work_ids museum "
                    "departement image year title_keys stored stored_offsets"
                ).split()
            },
            "pairs": self.pairs,
        }

    def merge(self, part: dict) -> None:
        """Add the documents of another builder's `part()` after this builder's."""
        offset = len(self.work_ids)
        mapping = np.array([self._term(t) for t in part["terms"]], dtype=np.uint64)
        if len(part["post_terms"]):
            terms = mapping[_np(part["post_terms"], np.uint32)]
            self.post_terms.frombytes(terms.astype(np.uint32).tobytes())
            docs = _np(part["post_docs"], np.uint32) + np.uint32(offset)
            self.post_docs.frombytes(docs.tobytes())
            self.post_codes.extend(part["post_codes"])
        if len(part["bigram_keys"]):
            keys = _np(part["bigram_keys"], np.uint64)
            firsts = mapping[(keys >> np.uint64(32)).astype(np.int64)]
            seconds = mapping[(keys & np.uint64(0xFFFFFFFF)).astype(np.int64)]
            self.bigram_keys.frombytes(((firsts << np.uint64(32)) | seconds).tobytes())
            docs = _np(part["bigram_docs"], np.uint32) + np.uint32(offset)
            self.bigram_docs.frombytes(docs.tobytes())
        for word, (tid, count) in part["word_stats"].items():
            stats = self.word_stats.get(word)
            if stats is None:
                self.word_stats[word] = [int(mapping[tid]), count]
            else:
                stats[1] += count
        self.work_ids.extend(part["work_ids"])
        self.museum.extend(part["museum"])
        self.departement.extend(part["departement"])
        self.image.extend(part["image"])
        self.year.extend(part["year"])
        self.title_keys.extend(part["title_keys"])
        base = len(self.stored)
        self.stored += part["stored"]
        offsets = _np(part["stored_offsets"], np.int64)[1:] + base
        self.stored_offsets.frombytes(offsets.tobytes())
        for name in MULTI_FACETS:
            docs, ids = part["pairs"][name]
            if len(docs):
                moved = _np(docs, np.uint32) + np.uint32(offset)
                self.pairs[name][0].frombytes(moved.tobytes())
                self.pairs[name][1].extend(ids)

    def arrays(self) -> dict[str, np.ndarray]:
        """The segment's arrays, documents renumbered in work id order (replaced ones left out).

        The three independent parts (postings, bigrams, the rest) are sorted in threads: numpy
        sorts release the GIL, so a segment made when an import ends takes both cores.
        """
        total = len(self.work_ids)
        all_ids = np.frombuffer(self.work_ids, dtype=np.int64) if total else np.zeros(0, np.int64)
        alive = None
        if self.dead:
            alive = np.ones(total, dtype=bool)
            alive[np.fromiter(self.dead, dtype=np.int64, count=len(self.dead))] = False
        kept = np.arange(total) if alive is None else np.flatnonzero(alive)
        in_order = bool(len(kept) < 2 or (np.diff(all_ids[kept]) > 0).all())
        by_work = kept if in_order else kept[np.argsort(all_ids[kept], kind="stable")]
        n = len(by_work)
        renumber = np.full(total, np.iinfo(np.uint32).max, dtype=np.uint32)
        renumber[by_work] = np.arange(n, dtype=np.uint32)
        # Documents added in work id order and none replaced: numbers are already the final
        # ones, and a stable sort by term alone keeps each term's documents in order.
        identity = in_order and alive is None
        out: dict[str, np.ndarray] = {"work_ids": all_ids[by_work].copy()}

        # Terms, sorted as bytes so that a prefix is a range.
        names = list(self.term_ids)
        encoded = np.array([t.encode() for t in names], dtype=bytes) if names else np.zeros(0, "S1")
        order = np.argsort(encoded, kind="stable")
        rank = np.empty(len(names), dtype=np.uint32)
        rank[order] = np.arange(len(names), dtype=np.uint32)
        out["terms"] = encoded[order]

        def live(docs: np.ndarray, *others: np.ndarray):
            """Documents (renumbered) and the matching values of `others`, replaced ones out."""
            if alive is None:
                return (docs if identity else renumber[docs], *others)
            keep = alive[docs]
            return (renumber[docs[keep]], *(values[keep] for values in others))

        def postings() -> dict:
            docs, terms, codes = live(
                _np(self.post_docs, np.uint32),
                _np(self.post_terms, np.uint32),
                _np(self.post_codes, np.uint8),
            )
            terms = rank[terms]
            by_term = np.argsort(terms, kind="stable") if identity else np.lexsort((docs, terms))
            return {
                "post_docs": docs[by_term],
                "post_codes": codes[by_term],
                "term_offsets": _offsets(terms, len(names)),
            }

        def bigrams() -> dict:
            bdocs, keys = live(_np(self.bigram_docs, np.uint32), _np(self.bigram_keys, np.uint64))
            firsts = rank[(keys >> np.uint64(32)).astype(np.int64)].astype(np.uint64)
            seconds = rank[(keys & np.uint64(0xFFFFFFFF)).astype(np.int64)].astype(np.uint64)
            keys = (firsts << np.uint64(32)) | seconds
            by_key = np.argsort(keys, kind="stable") if identity else np.lexsort((bdocs, keys))
            keys, bdocs = keys[by_key], bdocs[by_key]
            starts = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))
            return {
                "bigrams": keys[starts] if len(keys) else keys,
                "bigram_offsets": np.append(starts, len(keys)).astype(np.int64),
                "bigram_docs": bdocs,
            }

        def documents() -> dict:
            part: dict[str, np.ndarray] = {}
            word_list = sorted(self.word_stats)
            part["words"] = np.array([w.encode() for w in word_list], dtype=bytes)
            if not word_list:
                part["words"] = np.zeros(0, "S1")
            stats = [self.word_stats[w] for w in word_list]
            part["word_terms"] = np.array([rank[s[0]] for s in stats], dtype=np.uint32)
            part["word_counts"] = np.array([s[1] for s in stats], dtype=np.int32)

            museum_ids = _np(self.museum, np.int64)[by_work]
            part["museum_ids"], codes = np.unique(museum_ids, return_inverse=True)
            part["museum"] = codes.astype(np.int32)
            departements = (
                np.array(self.departement, dtype="U3")[by_work] if n else np.zeros(0, "U3")
            )
            part["departement_ids"], codes = np.unique(departements, return_inverse=True)
            part["departement"] = codes.astype(np.int32)
            part["image_ids"] = np.array([0, 1], dtype=np.int64)
            part["image"] = _np(self.image, np.uint8)[by_work].astype(np.int32)
            part["year"] = _np(self.year, np.int32)[by_work]
            titles = [self.title_keys[i] for i in by_work.tolist()]
            title_order = sorted(range(n), key=titles.__getitem__)
            title_rank = np.empty(n, dtype=np.int32)
            title_rank[title_order] = np.arange(n, dtype=np.int32)
            part["title_rank"] = title_rank
            # The first bytes of each title: to merge the title order of two segments.
            part["title_keys"] = np.array([t.encode()[:24] for t in titles], dtype="S24")

            for name in MULTI_FACETS:
                pdocs, ids = live(
                    _np(self.pairs[name][0], np.uint32), _np(self.pairs[name][1], np.int64)
                )
                by_doc = np.argsort(pdocs, kind="stable")
                pdocs, ids = pdocs[by_doc], ids[by_doc]
                vocabulary, codes = np.unique(ids, return_inverse=True)
                codes = codes.astype(np.int32)
                part[f"{name}_ids"] = vocabulary
                # Counting reads the first COLUMNS values of each document from dense columns
                # (-1: none) and the rest, rare, from overflow pairs: a cost in the result size.
                offsets = _offsets(pdocs, n)
                within = np.arange(len(pdocs), dtype=np.int64) - offsets[pdocs.astype(np.int64)]
                for column in range(COLUMNS):
                    values = np.full(n, -1, dtype=np.int32)
                    chosen = within == column
                    values[pdocs[chosen]] = codes[chosen]
                    part[f"{name}_col{column}"] = values
                overflow = within >= COLUMNS
                part[f"{name}_over_codes"] = codes[overflow]
                part[f"{name}_over_docs"] = pdocs[overflow]
                part[f"{name}_over_offsets"] = _offsets(pdocs[overflow], n)
                by_code = np.argsort(codes, kind="stable")
                part[f"{name}_by_code"] = pdocs[by_code]
                part[f"{name}_code_offsets"] = _offsets(codes, len(vocabulary))
            # Orders of every document, for a list without words (the whole catalogue by date).
            part["date_order"] = np.lexsort((title_rank, part["year"])).astype(np.uint32)
            part["title_order"] = np.argsort(title_rank, kind="stable").astype(np.uint32)
            part.update(self._stored(by_work, identity))
            return part

        with ThreadPoolExecutor(3) as pool:
            jobs = [pool.submit(job) for job in (postings, bigrams, documents)]
            for job in jobs:
                out.update(job.result())
        out.update(facet_cache(out))
        return out

    def _stored(self, by_work: np.ndarray, identity: bool) -> dict[str, np.ndarray]:
        """The stored cards in the final document order."""
        offsets = _np(self.stored_offsets, np.int64)
        data = np.frombuffer(self.stored, dtype=np.uint8) if self.stored else np.zeros(0, np.uint8)
        if identity:
            return {"stored_data": data.copy(), "stored_offsets": offsets.copy()}
        view = memoryview(self.stored)
        chosen = [view[offsets[i] : offsets[i + 1]] for i in by_work.tolist()]
        lengths = offsets[by_work + 1] - offsets[by_work]
        new_offsets = np.zeros(len(by_work) + 1, dtype=np.int64)
        np.cumsum(lengths, out=new_offsets[1:])
        return {
            "stored_data": np.frombuffer(b"".join(chosen), dtype=np.uint8),
            "stored_offsets": new_offsets,
        }

    def write(self, directory: Path, meta: dict) -> "Segment":
        """Write the segment into `directory` (created) and open it."""
        directory.mkdir(parents=True, exist_ok=True)
        started = time.monotonic()
        arrays = self.arrays()
        for name, values in arrays.items():
            np.save(directory / f"{name}.npy", values, allow_pickle=False)
        meta = {
            **meta,
            "format": FORMAT,
            "documents": len(self),
            "terms": len(self.term_ids),
        }
        meta["finish_seconds"] = round(time.monotonic() - started, 2)
        (directory / "meta.json").write_text(json.dumps(meta, indent=1))
        return Segment.open(directory)

    def segment(self, meta: dict | None = None) -> "Segment":
        """The segment in memory, without files (the small segment of recent changes)."""
        arrays = self.arrays()
        meta = {**(meta or {}), "documents": len(self.work_ids), "terms": len(self.term_ids)}
        return Segment(arrays, meta)


def _np(values: array, dtype) -> np.ndarray:
    if not len(values):
        return np.zeros(0, dtype=dtype)
    return np.frombuffer(values, dtype=dtype)


def _offsets(sorted_keys: np.ndarray, count: int) -> np.ndarray:
    """Start of each key's run in `sorted_keys` (keys 0..count-1), and the end: count + 1."""
    counts = np.bincount(sorted_keys.astype(np.int64), minlength=count) if count else []
    offsets = np.zeros(count + 1, dtype=np.int64)
    if count:
        np.cumsum(counts[:count], out=offsets[1:])
    return offsets


def member(sorted_docs: np.ndarray, docs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(mask of `docs` found in `sorted_docs`, their positions there)."""
    if not len(sorted_docs):
        return np.zeros(len(docs), dtype=bool), np.zeros(len(docs), dtype=np.int64)
    positions = np.searchsorted(sorted_docs, docs)
    positions[positions >= len(sorted_docs)] = 0
    return sorted_docs[positions] == docs, positions


def count_facet(a: dict, facet: str, docs: np.ndarray | None) -> np.ndarray:
    """The count of every value (by code) of a facet over `docs` (None: every document).

    The cost follows the number of documents, not the number of (document, value) pairs: the
    first values of each document are dense columns, the rare further ones overflow pairs.
    """
    size = len(a[f"{facet}_ids"])
    if not size or (docs is not None and not len(docs)):
        return np.zeros(size, dtype=np.int64)
    if facet in SINGLE_FACETS:
        column = a[facet]
        return np.bincount(column if docs is None else column[docs], minlength=size)
    counts = np.zeros(size, dtype=np.int64)
    for number in range(COLUMNS):
        column = a[f"{facet}_col{number}"]
        values = column if docs is None else column[docs]
        values = values[values >= 0]
        if not len(values):
            break
        counts += np.bincount(values, minlength=size)
    offsets = a[f"{facet}_over_offsets"]
    over_codes = a[f"{facet}_over_codes"]
    if len(over_codes):
        if docs is None:
            counts += np.bincount(over_codes, minlength=size)
        elif len(over_codes) * 8 < len(docs):  # few overflow pairs: look them up
            found = member(docs, a[f"{facet}_over_docs"])[0]
            counts += np.bincount(over_codes[found], minlength=size)
        else:
            starts = offsets[docs]
            lengths = offsets[docs.astype(np.int64) + 1] - starts
            has = lengths > 0
            starts, lengths = starts[has], lengths[has]
            total = int(lengths.sum())
            if total:
                shift = np.repeat(starts - np.cumsum(lengths) + lengths, lengths)
                counts += np.bincount(over_codes[shift + np.arange(total)], minlength=size)
    return counts


def facet_cache(a: dict) -> dict[str, np.ndarray]:
    """The facet counts of every term of at least FACET_CACHE_FROM documents (nonzero only)."""
    offsets = a["term_offsets"]
    frequencies = np.diff(offsets)
    chosen = np.flatnonzero(frequencies >= FACET_CACHE_FROM).astype(np.uint32)
    run_offsets = [0]
    codes, counts = [], []
    for tid in chosen.tolist():
        docs = a["post_docs"][offsets[tid] : offsets[tid + 1]]
        for facet in CACHED_FACETS:
            found = count_facet(a, facet, docs)
            nonzero = np.flatnonzero(found)
            codes.append(nonzero.astype(np.int32))
            counts.append(found[nonzero])
            run_offsets.append(run_offsets[-1] + len(nonzero))
    return {
        "facet_cache_terms": chosen,
        "facet_cache_offsets": np.array(run_offsets, dtype=np.int64),
        "facet_cache_codes": np.concatenate(codes) if codes else np.zeros(0, np.int32),
        "facet_cache_counts": np.concatenate(counts) if counts else np.zeros(0, np.int64),
    }


class OldSegment(Exception):
    """A segment written by another version of this code: it must be built again."""


class Segment:
    """The arrays of a built segment, and the look-ups the engine needs."""

    def __init__(self, arrays: dict[str, np.ndarray], meta: dict):
        self.a = arrays
        self.meta = meta
        self.size = len(arrays["work_ids"])
        self.term_count = len(arrays["terms"])
        self.cache: dict = {}  # results worth keeping for the segment's life (whole counts)

    @classmethod
    def open(cls, directory: Path) -> "Segment":
        meta = json.loads((directory / "meta.json").read_text())
        if meta.get("format") != FORMAT:
            raise OldSegment(directory)
        # Plain views of the mapped files: indexing an np.memmap costs a subclass round trip
        # on every operation (several ms per facet on a million documents).
        arrays = {
            path.stem: np.load(path, mmap_mode="r", allow_pickle=False).view(np.ndarray)
            for path in directory.glob("*.npy")
        }
        return cls(arrays, meta)

    # Terms -------------------------------------------------------------------------------

    def term(self, term: str) -> int:
        """The number of a term, or -1."""
        terms = self.a["terms"]
        key = term.encode()
        position = int(np.searchsorted(terms, key))
        if position < len(terms) and terms[position] == key:
            return position
        return -1

    def postings(self, tid: int) -> tuple[np.ndarray, np.ndarray]:
        """(documents, weight codes) of a term number."""
        start, end = self.a["term_offsets"][tid], self.a["term_offsets"][tid + 1]
        return self.a["post_docs"][start:end], self.a["post_codes"][start:end]

    def document_frequency(self, tid: int) -> int:
        return int(self.a["term_offsets"][tid + 1] - self.a["term_offsets"][tid])

    def bigram(self, first: int, second: int) -> np.ndarray:
        """The documents where term `second` follows term `first` (maybe after stop words)."""
        keys = self.a["bigrams"]
        key = np.uint64(first) << np.uint64(32) | np.uint64(second)
        position = int(np.searchsorted(keys, key))
        if position < len(keys) and keys[position] == key:
            offsets = self.a["bigram_offsets"]
            return self.a["bigram_docs"][offsets[position] : offsets[position + 1]]
        return np.zeros(0, dtype=np.uint32)

    def card(self, doc: int) -> tuple:
        """The stored result card of a document (documents.Document.card)."""
        offsets = self.a["stored_offsets"]
        return tuple(json.loads(self.a["stored_data"][offsets[doc] : offsets[doc + 1]].tobytes()))

    def cached_counts(self, tid: int) -> list[tuple[np.ndarray, np.ndarray]] | None:
        """(codes, counts) per facet of CACHED_FACETS over all the documents of a term, when
        the term is frequent enough to have them computed at build time."""
        terms = self.a["facet_cache_terms"]
        position = int(np.searchsorted(terms, tid))
        if position >= len(terms) or terms[position] != tid:
            return None
        offsets = self.a["facet_cache_offsets"]
        first = position * len(CACHED_FACETS)
        return [
            (
                self.a["facet_cache_codes"][offsets[first + i] : offsets[first + i + 1]],
                self.a["facet_cache_counts"][offsets[first + i] : offsets[first + i + 1]],
            )
            for i in range(len(CACHED_FACETS))
        ]

    def word_range(self, prefix: str) -> tuple[int, int]:
        """The range of folded words that start with `prefix`."""
        key = prefix.encode()
        words_ = self.a["words"]
        start = int(np.searchsorted(words_, key, side="left"))
        end = int(np.searchsorted(words_, key + b"\xff", side="left"))
        return start, end

    def prefix_terms(self, prefix: str, limit: int) -> np.ndarray:
        """The terms of the `limit` most frequent words starting with `prefix`."""
        start, end = self.word_range(prefix)
        if end <= start:
            return np.zeros(0, dtype=np.uint32)
        counts = self.a["word_counts"][start:end]
        if end - start > limit:
            chosen = np.argpartition(-counts, limit - 1)[:limit]
        else:
            chosen = np.arange(end - start)
        return np.unique(self.a["word_terms"][start:end][chosen])


def write_directory_atomically(root: Path, name: str, builder: SegmentBuilder, meta: dict):
    """Write a segment in `root/name` through a temporary directory renamed at the end."""
    temporary = root / f".{name}.tmp"
    if temporary.exists():
        shutil.rmtree(temporary)
    builder.write(temporary, meta)
    final = root / name
    if final.exists():
        shutil.rmtree(final)
    os.replace(temporary, final)
    return Segment.open(final)
