"""What the index knows of a work: its texts by weight, its facet values and its sort keys.

Documents are read straight from the catalogue tables, in chunks of consecutive ids (a rebuild)
or for a list of ids (the works changed since the last rebuild); only published works of live
museums have one. The weights are the ranking rules of `engine.FIELD_WEIGHTS`.
"""

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from musees.catalogue.models import (
    Denomination,
    Domain,
    Period,
    Person,
    Place,
    Technique,
    Work,
    WorkAuthor,
    WorkImage,
    WorkPlace,
)

from .analysis import fold

# Field weight codes, from least to most telling where a word is found (engine.FIELD_WEIGHTS).
BODY, CONTEXT, TITLE, AUTHOR, INVENTORY = 1, 2, 3, 4, 5

TITLE_FIELDS = ("title", "appellation")
AUTHOR_FIELDS = ("authors_text",)
CONTEXT_FIELDS = (
    "inventory_number",
    "joconde_ref",
    "school",
    "periods_text",
    "millesime_text",
    "epoch",
    "techniques_text",
    "places_text",
    "historical_geography",
    "subject",
    "onomastics",
    "former_attributions",
    "author_details",
)
BODY_FIELDS = (
    "description",
    "inscriptions",
    "inscription_details",
    "subject_details",
    "subject_date",
    "genesis",
    "place_details",
    "use",
    "use_details",
    "use_period",
    "history",
    "discovery",
    "discovery_details",
    "former_owner",
    "deposit",
    "location",
    "exhibitions",
    "bibliography",
    "comments",
)
_COLUMNS = (
    "pk",
    "museum_id",
    "museum__departement_code",
    "year_start",
    *TITLE_FIELDS,
    *AUTHOR_FIELDS,
    *CONTEXT_FIELDS,
    *BODY_FIELDS,
)
_TEXTS_AT = len(_COLUMNS) - len(TITLE_FIELDS + AUTHOR_FIELDS + CONTEXT_FIELDS + BODY_FIELDS)
_AUTHORS_AT = _COLUMNS.index("authors_text")
# The text a result's snippet is cut from: the first of these that is not empty.
_SNIPPET_AT = tuple(
    _COLUMNS.index(name) for name in ("description", "subject", "inscriptions", "history")
)
_CODES = (
    (TITLE,) * len(TITLE_FIELDS)
    + (AUTHOR,) * len(AUTHOR_FIELDS)
    + (CONTEXT,) * len(CONTEXT_FIELDS)
    + (BODY,) * len(BODY_FIELDS)
)
# Facet -> (vocabulary model, its weight code). Museum, département and image are columns.
VOCABULARY_FACETS = {
    "domain": (Domain, CONTEXT),
    "denomination": (Denomination, TITLE),
    "period": (Period, CONTEXT),
    "technique": (Technique, CONTEXT),
    "author": (Person, AUTHOR),
}
CHUNK = 5_000


@dataclass
class Document:
    work_id: int
    museum_id: int
    departement: str
    year: int | None
    title_key: str
    inventory_number: str
    texts: list[tuple[int, str]]  # (weight code, text)
    facets: dict[str, list[int]] = field(default_factory=dict)  # facet -> vocabulary ids
    has_image: bool = False
    labels: list[tuple[int, str]] = field(default_factory=list)  # (weight code, label)
    # What a result card shows (service.CARD_STORED): kept in the segment, so a page of
    # results reads no work from the database.
    card: tuple = ()


class Vocabularies:
    """Every vocabulary's labels by id, read once per build (a few MB for the national scale)."""

    def __init__(self):
        self.labels = {
            name: dict(model.objects.values_list("pk", "label"))
            for name, (model, _code) in VOCABULARY_FACETS.items()
        }
        self.places = dict(Place.objects.values_list("pk", "label"))

    def complete(self, relations: dict) -> None:
        """Read the labels of entries created since (an import under way adds some)."""
        for name, (model, _code) in VOCABULARY_FACETS.items():
            labels = self.labels[name]
            missing = {i for ids in relations[name].values() for i in ids if i not in labels}
            if missing:
                labels.update(model.objects.filter(pk__in=missing).values_list("pk", "label"))
        missing = {i for ids in relations["place"].values() for i in ids if i not in self.places}
        if missing:
            self.places.update(Place.objects.filter(pk__in=missing).values_list("pk", "label"))

    def renamed(self, fresh: "Vocabularies") -> list[int]:
        """The works carrying an entry whose label differs in `fresh` (read later)."""
        from django.db.models import Q

        found: set[int] = set()
        for name in VOCABULARY_FACETS:
            old, new = self.labels[name], fresh.labels[name]
            changed = [i for i, label in old.items() if new.get(i, label) != label]
            if changed:
                if name == "author":
                    rows = WorkAuthor.objects.filter(person_id__in=changed)
                else:
                    through = getattr(Work, f"{name}s").through
                    rows = through.objects.filter(Q(**{f"{name}_id__in": changed}))
                found.update(rows.values_list("work_id", flat=True))
        changed = [i for i, label in self.places.items() if fresh.places.get(i, label) != label]
        if changed:
            rows = WorkPlace.objects.filter(place_id__in=changed)
            found.update(rows.values_list("work_id", flat=True))
        return sorted(found)


def _relations(work_filter: dict) -> dict[str, dict[int, list[int]]]:
    """For the works of `work_filter` (on the relation's `work_id`): facet -> work -> ids."""
    found: dict[str, dict[int, list[int]]] = {}
    for name in ("domain", "denomination", "period", "technique"):
        through = getattr(Work, f"{name}s").through
        rows = through.objects.filter(**work_filter).order_by("pk")
        by_work = defaultdict(list)
        for work_id, value in rows.values_list("work_id", f"{name}_id"):
            by_work[work_id].append(value)
        found[name] = by_work
    by_work = defaultdict(list)
    rows = WorkAuthor.objects.filter(**work_filter).order_by("work_id", "position", "pk")
    for work_id, person_id in rows.values_list("work_id", "person_id"):
        by_work[work_id].append(person_id)
    found["author"] = by_work
    by_work = defaultdict(list)
    rows = WorkPlace.objects.filter(**work_filter).order_by("work_id", "position", "pk")
    for work_id, place_id in rows.values_list("work_id", "place_id"):
        by_work[work_id].append(place_id)
    found["place"] = by_work
    first_images: dict[int, tuple[int, str]] = {}
    rows = WorkImage.objects.filter(**work_filter).order_by("work_id", "position", "pk")
    for work_id, image_id, alt_text in rows.values_list("work_id", "image_id", "alt_text"):
        first_images.setdefault(work_id, (image_id, alt_text))
    found["image"] = first_images
    return found


def _documents(rows, relations, vocabularies: Vocabularies) -> Iterator[Document]:
    for row in rows:
        work_id = row[0]
        texts = [(code, text) for code, text in zip(_CODES, row[_TEXTS_AT:], strict=True) if text]
        title = row[_TEXTS_AT] or row[_TEXTS_AT + 1]
        image = relations["image"].get(work_id)
        document = Document(
            work_id=work_id,
            museum_id=row[1],
            departement=row[2] or "",
            year=row[3],
            title_key=fold(title)[:60],
            inventory_number=row[_TEXTS_AT + len(TITLE_FIELDS) + len(AUTHOR_FIELDS)],
            texts=texts,
            has_image=image is not None,
        )
        for name, (_model, code) in VOCABULARY_FACETS.items():
            ids = relations[name].get(work_id, [])
            document.facets[name] = ids
            labels = vocabularies.labels[name]
            document.labels.extend((code, labels[i]) for i in ids if i in labels)
        places = vocabularies.places
        document.labels.extend(
            (CONTEXT, places[i]) for i in relations["place"].get(work_id, []) if i in places
        )
        denominations, domains = document.facets["denomination"], document.facets["domain"]
        denomination = (
            vocabularies.labels["denomination"].get(denominations[0]) if denominations else None
        )
        if not document.title_key and denomination:
            document.title_key = fold(denomination)[:60]
        document.card = (
            row[_TEXTS_AT],  # title
            row[_TEXTS_AT + 1],  # appellation
            row[_AUTHORS_AT],
            document.inventory_number,
            row[1],  # museum id
            denomination,
            vocabularies.labels["domain"].get(domains[0]) if domains else None,
            image[0] if image else None,
            image[1] if image else None,
            next((row[at] for at in _SNIPPET_AT if row[at]), ""),
        )
        yield document


def all_documents(
    vocabularies: Vocabularies | None = None, first: int = 1, last: int | None = None
) -> Iterator[Document]:
    """Every public work's document (with ids from `first` to `last`), in id order, read in
    chunks of CHUNK works."""
    vocabularies = vocabularies or Vocabularies()
    works = Work.objects.published()
    if last is not None:
        works = works.filter(pk__lte=last)
    last = first - 1
    while True:
        rows = list(works.filter(pk__gt=last).order_by("pk").values_list(*_COLUMNS)[:CHUNK])
        if not rows:
            return
        first_id, last = rows[0][0], rows[-1][0]
        relations = _relations({"work_id__gte": first_id, "work_id__lte": last})
        vocabularies.complete(relations)
        yield from _documents(rows, relations, vocabularies)


def documents_for(work_ids: Iterable[int], vocabularies: Vocabularies | None = None):
    """The documents of these works that the public may see (the others have none)."""
    vocabularies = vocabularies or Vocabularies()
    ids = sorted(set(work_ids))
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        rows = list(
            Work.objects.published().filter(pk__in=chunk).order_by("pk").values_list(*_COLUMNS)
        )
        relations = _relations({"work_id__in": chunk})
        vocabularies.complete(relations)
        yield from _documents(rows, relations, vocabularies)
