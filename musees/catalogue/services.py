"""Writes on the catalogue: the one loader every importer (Joconde TXT and CSV, LIDO) feeds."""

import csv
import hashlib
import re
import time
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.db import DatabaseError, connection, models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from musees.museums.models import MuseumPage
from musees.search.changes import works_changed

from .importers.records import RecordError, WorkRecord
from .models import (
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
from .parsing import parse_acquisition_year, parse_dimensions, parse_year_range

# Error messages (tests import them rather than retype them).
UNKNOWN_MUSEUM = _("musée « %(museofile_id)s » inconnu")
MISSING_MUSEUM = _("identifiant Muséofile du musée manquant")
MISSING_INVENTORY = _("numéro d'inventaire manquant")
INVENTORY_TOO_LONG = _("numéro d'inventaire trop long (%(length)d caractères, 255 au plus)")
DUPLICATE_INVENTORY = _(
    "numéro d'inventaire « %(inventory)s » déjà présent plus haut dans le fichier"
)
REF_TOO_LONG = _("référence Joconde « %(ref)s » trop longue (20 caractères au plus)")
DUPLICATE_REF = _("référence Joconde « %(ref)s » déjà portée par une autre œuvre")
DATABASE_REFUSED = _("refusée par la base de données : %(error)s")
UNKNOWN_FIELD = _("champ « %(field)s » inconnu, ignoré")
RECORD_WARNING = _("notice %(number)d (ligne %(line)d) : %(message)s")

# Change this when the loader derives fields differently, so a re-import rewrites every work.
DIGEST_VERSION = "1"
LABEL_MAX = 255
# Separators of the digest's input (ASCII information separators, never in catalogue texts).
_GROUP, _ITEM, _UNIT = "\x1d", "\x1e", "\x1f"
MAX_STORED_WARNINGS = 10_000
# Rows per IN (...) look-up: SQLite's historical limit is 999 parameters per statement.
LOOKUP_CHUNK = 500

# The Work text fields a record may fill (everything but keys and bookkeeping).
_RESERVED = {"inventory_number", "joconde_ref", "status", "source_format", "source_digest"}
TEXT_FIELDS = frozenset(
    f.name
    for f in Work._meta.concrete_fields
    if isinstance(f, models.CharField | models.TextField) and f.name not in _RESERVED
)
_LICENCES = frozenset(WorkImage.Licence.values)
_PLACE_ROLES = frozenset(WorkPlace.Role.values)
_M2M = {  # WorkRecord attribute -> (vocabulary model, Work many-to-many field)
    "domains": (Domain, "domains"),
    "denominations": (Denomination, "denominations"),
    "periods": (Period, "periods"),
    "techniques": (Technique, "techniques"),
}


@dataclass
class WorkImportReport:
    """What an import did: counts, rejected records with their reasons, warnings, duration."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    errors: list[RecordError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    warnings_dropped: int = 0
    images_missing: int = 0
    images_created: int = 0
    elapsed: float = 0.0
    dry_run: bool = False
    committed: bool = True

    @property
    def processed(self) -> int:
        """Records read, good or bad."""
        return self.created + self.updated + self.unchanged + self.rejected

    def warn(self, message: str) -> None:
        """Keep a warning (the first MAX_STORED_WARNINGS; the others are only counted)."""
        if len(self.warnings) < MAX_STORED_WARNINGS:
            self.warnings.append(str(message))
        else:
            self.warnings_dropped += 1

    def summary(self) -> str:
        """« 3 créées, 0 mises à jour, 0 inchangées, 1 rejetée »."""
        return ", ".join(
            [
                ngettext("%(n)d créée", "%(n)d créées", self.created) % {"n": self.created},
                ngettext("%(n)d mise à jour", "%(n)d mises à jour", self.updated)
                % {"n": self.updated},
                ngettext("%(n)d inchangée", "%(n)d inchangées", self.unchanged)
                % {"n": self.unchanged},
                ngettext("%(n)d rejetée", "%(n)d rejetées", self.rejected) % {"n": self.rejected},
            ]
        )

    def all_warnings(self) -> list[str]:
        """The warnings, with the missing images counted in one line at the end."""
        lines = list(self.warnings)
        if self.warnings_dropped:
            lines.append(
                ngettext(
                    "… et %(n)d autre avertissement",
                    "… et %(n)d autres avertissements",
                    self.warnings_dropped,
                )
                % {"n": self.warnings_dropped}
            )
        if self.images_missing:
            lines.append(
                ngettext(
                    "%(n)d image non importée : fichier introuvable",
                    "%(n)d images non importées : fichiers introuvables",
                    self.images_missing,
                )
                % {"n": self.images_missing}
            )
        return lines

    def write_csv(self, path) -> None:
        """One row per rejected record, then one per warning (the `--report` file)."""
        with open(path, "w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            writer.writerow(["type", "notice", "ligne", "champ", "motif"])
            for error in self.errors:
                writer.writerow(["rejet", error.number, error.line, error.field, error.reason])
            for warning in self.all_warnings():
                writer.writerow(["avertissement", "", "", "", warning])


class _Prepared:
    """A record checked and normalised, ready to be compared with the database and written."""

    __slots__ = (
        "number",
        "line",
        "museum_id",
        "collection_id",
        "inventory",
        "ref",
        "fields",
        "terms",
        "authors",
        "places",
        "images",
        "digest",
    )


def _clean(value) -> str:
    # PostgreSQL refuses NUL characters in text; the digest uses \x1d-\x1f as separators.
    if not value:
        return ""
    value = str(value)
    if "\x00" in value or "\x1d" in value or "\x1e" in value or "\x1f" in value:
        value = value.translate(_CONTROLS)
    return value.strip()


_CONTROLS = dict.fromkeys([0x00, 0x1D, 0x1E, 0x1F])


def _labels(values) -> list[str]:
    seen, labels = set(), []
    for value in values:
        label = _clean(value)[:LABEL_MAX]
        if label and label not in seen:
            seen.add(label)
            labels.append(label)
    return labels


def _slug(label: str) -> str:
    slug = slugify(label)[:LABEL_MAX]
    # A label of punctuation only ("?") has no slug: give it a stable one of its own.
    return slug or "terme-" + hashlib.sha1(label.encode()).hexdigest()[:12]


class _Loader:
    """State of one import run: museum and vocabulary caches, keys seen, the report."""

    def __init__(self, *, museum, dry_run, strict, images_dir, source_format, report):
        self.dry_run = dry_run
        self.strict = strict
        self.writing = not dry_run
        self.images_dir = Path(images_dir) if images_dir else None
        self.source_format = source_format
        self.report = report
        self.forced_museum = museum
        if museum is None:
            # One query for every museum, up front: museofile id -> (page id, collection id).
            self.museums = {
                mid.strip().upper(): (pk, collection_id)
                for mid, pk, collection_id in MuseumPage.objects.exclude(
                    museofile_id__isnull=True
                ).values_list("museofile_id", "pk", "collection_id")
                if mid
            }
        # Keys seen in this run, as hashes (8 bytes each: ~60 MB for a million records), so a
        # duplicated inventory number or REF is rejected whatever batch it falls in.
        self.seen_keys: set[int] = set()
        self.seen_refs: set[int] = set()
        self.term_ids: dict[type, dict[str, int]] = {}  # label -> id, per vocabulary
        self.slug_ids: dict[type, dict[str, int]] = {}  # slug -> id, per vocabulary
        self.now = None

    # --- Checking ---------------------------------------------------------------------------

    def reject(self, number, line, field_code, reason) -> None:
        self.report.rejected += 1
        self.report.errors.append(RecordError(number, line, field_code, str(reason)))
        if self.strict:
            self.writing = False

    def prepare(self, record: WorkRecord) -> _Prepared | None:
        """Check a record and normalise it, or reject it (returns None)."""
        number, line = record.number, record.line
        for message in record.warnings:
            self.report.warn(RECORD_WARNING % {"number": number, "line": line, "message": message})
        if self.forced_museum is not None:
            museum_id = self.forced_museum.pk
            collection_id = self.forced_museum.collection_id
        else:
            museofile_id = _clean(record.museofile_id).upper()
            if not museofile_id:
                self.reject(number, line, "MUSEO", MISSING_MUSEUM)
                return None
            found = self.museums.get(museofile_id)
            if found is None:
                self.reject(number, line, "MUSEO", UNKNOWN_MUSEUM % {"museofile_id": museofile_id})
                return None
            museum_id, collection_id = found
        inventory = _clean(record.inventory_number)
        if not inventory:
            self.reject(number, line, "INV", MISSING_INVENTORY)
            return None
        if len(inventory) > 255:
            self.reject(number, line, "INV", INVENTORY_TOO_LONG % {"length": len(inventory)})
            return None
        ref = _clean(record.joconde_ref)
        if len(ref) > 20:
            self.reject(number, line, "REF", REF_TOO_LONG % {"ref": ref[:40]})
            return None
        key = hash((museum_id, inventory))
        if key in self.seen_keys:
            self.reject(number, line, "INV", DUPLICATE_INVENTORY % {"inventory": inventory})
            return None
        if ref:
            ref_key = hash(ref)
            if ref_key in self.seen_refs:
                self.reject(number, line, "REF", DUPLICATE_REF % {"ref": ref})
                return None
            self.seen_refs.add(ref_key)
        self.seen_keys.add(key)

        fields = {}
        for name, value in record.fields.items():
            if name not in TEXT_FIELDS:
                self.report.warn(
                    RECORD_WARNING
                    % {"number": number, "line": line, "message": UNKNOWN_FIELD % {"field": name}}
                )
                continue
            value = _clean(value)
            if value:
                fields[name] = value
        prepared = _Prepared()
        prepared.number, prepared.line = number, line
        prepared.museum_id, prepared.collection_id = museum_id, collection_id
        prepared.inventory, prepared.ref, prepared.fields = inventory, ref, fields
        prepared.terms = {name: _labels(getattr(record, name)) for name in _M2M}
        authors, author_keys = [], set()
        for author in record.authors:
            name = _clean(author.name)[:LABEL_MAX]
            role = _clean(author.role)[:120]
            if name and (name, role) not in author_keys:
                author_keys.add((name, role))
                authors.append((name, role, _clean(author.dates)[:120]))
        prepared.authors = authors
        places = []
        for place in record.places:
            name = _clean(place.name)[:LABEL_MAX]
            role = place.role if place.role in _PLACE_ROLES else WorkPlace.Role.CREATION.value
            if name and (name, role) not in places:
                places.append((name, role))
        prepared.places = places
        prepared.images = [
            (
                _clean(image.reference),
                _clean(image.caption)[:500],
                _clean(image.photographer)[:255],
                _clean(image.copyright_line)[:500],
                image.licence if image.licence in _LICENCES else "",
            )
            for image in record.images
            if _clean(image.reference)
        ]
        # The digest: every value, with separators that texts do not contain (json.dumps
        # costs 40 µs a record, this a tenth of it).
        parts = [DIGEST_VERSION, str(museum_id), inventory, ref]
        for name in sorted(fields):
            parts += (name, fields[name])
        for name in _M2M:
            parts.append(_GROUP)
            parts += prepared.terms[name]
        for group in (authors, places, prepared.images):
            parts.append(_GROUP)
            parts += [_UNIT.join(item) for item in group]
        prepared.digest = hashlib.sha256(
            _ITEM.join(parts).encode("utf-8", "surrogatepass")
        ).hexdigest()
        return prepared

    # --- Writing ----------------------------------------------------------------------------

    def flush(self, batch: list[_Prepared]) -> None:
        """Compare a batch with the database and write what changed, all or nothing."""
        if not batch:
            return
        existing = self.existing(batch)
        ref_owners = self.ref_owners(batch)
        new, changed = [], []
        for prepared in batch:
            key = (prepared.museum_id, prepared.inventory)
            owner = ref_owners.get(prepared.ref)
            if owner is not None and owner != key:
                self.reject(
                    prepared.number, prepared.line, "REF", DUPLICATE_REF % {"ref": prepared.ref}
                )
                continue
            found = existing.get(key)
            if found is None:
                new.append(prepared)
            elif found[1] != prepared.digest:
                changed.append((found[0], prepared))
            else:
                self.report.unchanged += 1
        if not self.writing or not (new or changed):
            self.report.created += len(new)
            self.report.updated += len(changed)
            return
        try:
            with transaction.atomic():
                self.write(new, changed)
        except DatabaseError as error:
            # The batch left nothing behind; vocabulary ids cached during it may be gone too.
            self.term_ids.clear()
            self.slug_ids.clear()
            if len(new) + len(changed) <= 1:
                prepared = (new or [None])[0] or changed[0][1]
                reason = DATABASE_REFUSED % {"error": str(error).splitlines()[0][:200]}
                self.reject(prepared.number, prepared.line, "", reason)
                return
            # Find the record the database refuses: write the batch again one record at a time.
            for prepared in new:
                self.flush_one([prepared], [])
            for pair in changed:
                self.flush_one([], [pair])
            return
        self.report.created += len(new)
        self.report.updated += len(changed)

    def flush_one(self, new, changed) -> None:
        try:
            with transaction.atomic():
                self.write(new, changed)
        except DatabaseError as error:
            self.term_ids.clear()
            self.slug_ids.clear()
            prepared = new[0] if new else changed[0][1]
            reason = DATABASE_REFUSED % {"error": str(error).splitlines()[0][:200]}
            self.reject(prepared.number, prepared.line, "", reason)
            return
        self.report.created += len(new)
        self.report.updated += len(changed)

    def existing(self, batch) -> dict[tuple[int, str], tuple[int, str]]:
        """(museum id, inventory number) -> (work id, digest) of the batch's works in the base."""
        # One condition per museum, in SQL: "museum IN (...) AND inventory IN (...)" makes
        # SQLite probe the (museum, inventory) index for every pair of the two lists, and
        # OR-ing Q objects costs more Python time than the query itself.
        by_museum: dict[int, list[str]] = {}
        for prepared in batch:
            by_museum.setdefault(prepared.museum_id, []).append(prepared.inventory)
        found = {}
        conditions, params = [], []

        def run():
            with connection.cursor() as cursor:
                cursor.execute(_EXISTING_SQL + " OR ".join(conditions), params)
                for museum_id, inventory, pk, digest in cursor.fetchall():
                    found[(museum_id, inventory)] = (pk, digest)

        for museum_id, inventories in by_museum.items():
            for start in range(0, len(inventories), LOOKUP_CHUNK):
                chunk = inventories[start : start + LOOKUP_CHUNK]
                if conditions and len(params) + len(chunk) + 1 > LOOKUP_CHUNK:
                    run()
                    conditions, params = [], []
                conditions.append(_EXISTING_CONDITION % ", ".join(["%s"] * len(chunk)))
                params += [museum_id, *chunk]
        if conditions:
            run()
        return found

    def ref_owners(self, batch) -> dict[str, tuple[int, str]]:
        """Joconde REF -> (museum id, inventory number) of the work that holds it in the base."""
        refs = sorted({prepared.ref for prepared in batch if prepared.ref})
        owners = {}
        with connection.cursor() as cursor:
            for start in range(0, len(refs), LOOKUP_CHUNK):
                chunk = refs[start : start + LOOKUP_CHUNK]
                cursor.execute(_REF_OWNERS_SQL % ", ".join(["%s"] * len(chunk)), chunk)
                for ref, museum_id, inventory in cursor.fetchall():
                    owners[ref] = (museum_id, inventory)
        return owners

    def write(self, new: list[_Prepared], changed: list[tuple[int, _Prepared]]) -> None:
        """Insert the new works, update the changed ones, rewrite their related rows."""
        now = timezone.now()
        self.now = Work._meta.get_field("updated_at").get_db_prep_save(now, connection)
        everything = new + [prepared for _pk, prepared in changed]
        term_ids = {
            name: self.resolve_terms(model, everything, name) for name, (model, _f) in _M2M.items()
        }
        person_ids = self.resolve_people(everything)
        place_ids = self.resolve_places(everything)

        work_ids: list[tuple[int, _Prepared]] = list(changed)
        if new:
            self.insert_works(new)
            inserted = self.existing(new)
            work_ids += [(inserted[(p.museum_id, p.inventory)][0], p) for p in new]
        if changed:
            self.update_works(changed)
            changed_ids = [pk for pk, _p in changed]
            for start in range(0, len(changed_ids), LOOKUP_CHUNK):
                chunk = changed_ids[start : start + LOOKUP_CHUNK]
                for _name, (_model, field_name) in _M2M.items():
                    getattr(Work, field_name).through.objects.filter(work_id__in=chunk).delete()
                WorkAuthor.objects.filter(work_id__in=chunk).delete()
                WorkPlace.objects.filter(work_id__in=chunk).delete()

        for name, (model, field_name) in _M2M.items():
            through = getattr(Work, field_name).through
            target = model._meta.model_name
            rows, ids = [], term_ids[name]
            for pk, prepared in work_ids:
                done = set()
                for label in prepared.terms[name]:
                    term_id = ids[label]
                    if term_id not in done:
                        done.add(term_id)
                        rows.append((pk, term_id))
            _insert(through, ["work", target], rows)
        _insert(
            WorkAuthor,
            ["work", "person", "role", "position"],
            [
                (pk, person_ids[name], role, position)
                for pk, prepared in work_ids
                for position, (name, role, _dates) in enumerate(prepared.authors)
            ],
        )
        _insert(
            WorkPlace,
            ["work", "place", "role", "position"],
            [
                (pk, place_ids[name], role, position)
                for pk, prepared in work_ids
                for position, (name, role) in enumerate(prepared.places)
            ],
        )
        self.attach_images(work_ids)
        # The search index sees these works again, in this same transaction.
        works_changed([pk for pk, _prepared in work_ids])

    def work_values(self, prepared: _Prepared) -> dict:
        fields = prepared.fields
        values = dict(_WORK_DEFAULTS)
        values.update(fields)
        values.update(
            museum_id=prepared.museum_id,
            inventory_number=prepared.inventory,
            joconde_ref=prepared.ref or None,
            status=Work.Status.PUBLISHED.value,
            live=True,
            source_format=self.source_format,
            source_digest=prepared.digest,
            updated_at=self.now,
        )
        if "dimensions_text" in fields:
            values.update(parse_dimensions(fields["dimensions_text"]))
        years = parse_year_range(fields.get("millesime_text")) or parse_year_range(
            fields.get("periods_text") or " ; ".join(prepared.terms["periods"])
        )
        if years:
            values["year_start"], values["year_end"] = years
        if "acquisition_text" in fields:
            values["acquisition_year"] = parse_acquisition_year(fields["acquisition_text"])
        return values

    def insert_works(self, new: list[_Prepared]) -> None:
        columns = _WORK_INSERT_COLUMNS
        rows = []
        for prepared in new:
            values = self.work_values(prepared)
            values.update(
                created_at=self.now, first_published_at=self.now, last_published_at=self.now
            )
            rows.append([values[name] for name in columns])
        _insert(Work, columns, rows)

    def update_works(self, changed: list[tuple[int, _Prepared]]) -> None:
        columns = _WORK_UPDATE_COLUMNS
        quote = connection.ops.quote_name
        sql = "UPDATE {} SET {} WHERE {} = %s".format(
            quote(Work._meta.db_table),
            ", ".join(f"{quote(Work._meta.get_field(name).column)} = %s" for name in columns),
            quote(Work._meta.pk.column),
        )
        rows = []
        for pk, prepared in changed:
            values = self.work_values(prepared)
            rows.append([*(values[name] for name in columns), pk])
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)

    # --- Vocabularies -----------------------------------------------------------------------

    def resolve_terms(self, model, everything, name) -> dict[str, int]:
        """label -> id for every label of this vocabulary in the batch, creating what is new."""
        wanted = {}
        for prepared in everything:
            for label in prepared.terms[name]:
                wanted.setdefault(label, None)
        extra = None
        if model is Period:

            def extra(label):
                years = parse_year_range(label)
                return {"year_start": years[0], "year_end": years[1]} if years else {}

        return self.ensure_terms(model, wanted, extra)

    def resolve_people(self, everything) -> dict[str, int]:
        dates = {}
        for prepared in everything:
            for name, _role, person_dates in prepared.authors:
                if not dates.get(name):
                    dates[name] = person_dates
        return self.ensure_terms(
            Person, dates, lambda label: {"dates": dates[label]} if dates[label] else {}
        )

    def resolve_places(self, everything) -> dict[str, int]:
        wanted = {}
        for prepared in everything:
            for name, _role in prepared.places:
                wanted.setdefault(name, None)
        return self.ensure_terms(Place, wanted, None)

    def ensure_terms(self, model, labels, extra: Callable | None) -> dict[str, int]:
        """get_or_create in bulk: ids of these labels, deduplicated by slug, cached per run."""
        ids = self.term_ids.setdefault(model, {})
        slug_ids = self.slug_ids.setdefault(model, {})
        result, missing = {}, {}
        for label in labels:
            term_id = ids.get(label)
            if term_id is None:
                slug = _slug(label)
                term_id = slug_ids.get(slug)
                if term_id is None:
                    missing.setdefault(slug, label)
                    continue
                ids[label] = term_id
            result[label] = term_id
        if missing:
            self.fetch_terms(model, missing)
            new_rows = [
                model(label=label, slug=slug, **(extra(label) if extra else {}))
                for slug, label in missing.items()
                if slug not in slug_ids and label not in ids
            ]
            if new_rows:
                model.objects.bulk_create(new_rows, ignore_conflicts=True)
                self.fetch_terms(model, missing)
            for slug, label in missing.items():
                term_id = slug_ids.get(slug) or ids.get(label)
                ids[label] = term_id
            for label in labels:
                if label not in result:
                    result[label] = ids.get(label) or slug_ids[_slug(label)]
        return result

    def fetch_terms(self, model, missing: dict[str, str]) -> None:
        ids, slug_ids = self.term_ids[model], self.slug_ids[model]
        slugs, labels = list(missing), list(missing.values())
        for start in range(0, len(slugs), LOOKUP_CHUNK // 2):
            rows = model.objects.filter(
                Q(slug__in=slugs[start : start + LOOKUP_CHUNK // 2])
                | Q(label__in=labels[start : start + LOOKUP_CHUNK // 2])
            ).values_list("pk", "slug", "label")
            for pk, slug, label in rows:
                slug_ids[slug] = pk
                ids[label] = pk

    # --- Images -----------------------------------------------------------------------------

    def attach_images(self, work_ids: list[tuple[int, _Prepared]]) -> None:
        """Make the images of the works written (new or changed) those their records list.

        Without `images_dir` the import does not manage images: references are only counted
        and the works' images are left as they are. With it, the record is the truth: a work's
        WorkImage rows become the record's images whose file is found, in the record's order,
        with its caption, credit and licence. A file already in the museum's collection (same
        SHA-1 as a Wagtail image there) reuses that image instead of storing the file again; an
        image the record no longer lists loses its WorkImage row, and the Wagtail image itself
        is deleted only when nothing else uses it (no other work, no page). Runs inside the
        batch's transaction, so a killed import leaves the old images or the new ones.
        """
        if self.images_dir is None:
            self.report.images_missing += sum(len(p.images) for _pk, p in work_ids)
            return
        wanted: dict[int, list[tuple[Path, str, tuple]]] = {}
        for pk, prepared in work_ids:
            files = []
            for image_record in prepared.images:
                path = self.image_path(image_record[0])
                if path is None:
                    self.report.images_missing += 1
                    continue
                files.append((path, _file_sha1(path), image_record))
            wanted[pk] = files
        current = self.current_images([pk for pk, _p in work_ids])
        if not current and not any(wanted.values()):
            return
        by_hash = self.collection_images(work_ids, wanted)
        dropped: set[int] = set()
        for pk, prepared in work_ids:
            rows = current.get(pk, [])
            if not rows and not wanted[pk]:
                continue
            dropped.update(self.replace_images(pk, prepared, rows, wanted[pk], by_hash))
        self.delete_unused_images(dropped)

    def image_path(self, reference: str) -> Path | None:
        """The file a reference names under `images_dir`, or None.

        An export names each image by its file as Wagtail stored it: ASCII, spaces as `_`,
        sometimes with Wagtail's 7-character suffix against name clashes. When the reference is
        not a file, it is looked up among the files of `images_dir` by that stored form.
        """
        root = self.images_dir.resolve()
        path = (self.images_dir / reference).resolve()
        if path.is_file() and path.is_relative_to(root):
            return path
        name = Path(reference).name
        if not name or "/" in reference or "\\" in reference:
            return None
        index = self.stored_names(root)
        return index.get(name) or index.get(_WAGTAIL_SUFFIX.sub("", name))

    def stored_names(self, root: Path) -> dict[str, Path]:
        """Stored file name (as Wagtail writes it) -> file, for the files under images_dir."""
        index = getattr(self, "_stored_names", None)
        if index is None:
            index = {}
            for path in sorted(root.rglob("*")):
                if path.is_file():
                    index.setdefault(_stored_name(path.name), path)
            self._stored_names = index
        return index

    def current_images(self, pks: list[int]) -> dict[int, list[tuple]]:
        """work id -> [(row id, image id, file SHA-1, high-resolution flag)], in order."""
        from wagtail.images import get_image_model

        rows: dict[int, list[tuple]] = {}
        for start in range(0, len(pks), LOOKUP_CHUNK):
            for row in (
                WorkImage.objects.filter(work_id__in=pks[start : start + LOOKUP_CHUNK])
                .order_by("work_id", "position", "pk")
                .values_list(
                    "work_id", "pk", "image_id", "image__file_hash", "high_resolution_download"
                )
            ):
                rows.setdefault(row[0], []).append(row[1:])
        for work_rows in rows.values():
            for index, (row_id, image_id, file_hash, high) in enumerate(work_rows):
                if not file_hash:  # an image uploaded before Wagtail kept hashes
                    image = get_image_model().objects.get(pk=image_id)
                    work_rows[index] = (row_id, image_id, image.get_file_hash(), high)
        return rows

    def collection_images(self, work_ids, wanted) -> dict[tuple[int, str], int]:
        """(collection id, file SHA-1) -> Wagtail image id, for the files wanted in the batch."""
        from wagtail.images import get_image_model

        hashes = sorted({sha1 for files in wanted.values() for _path, sha1, _r in files})
        collections = {p.collection_id or _root_collection_id() for _pk, p in work_ids}
        found: dict[tuple[int, str], int] = {}
        for start in range(0, len(hashes), LOOKUP_CHUNK):
            images = (
                get_image_model()
                .objects.filter(
                    file_hash__in=hashes[start : start + LOOKUP_CHUNK],
                    collection_id__in=collections,
                )
                .order_by("pk")
                .values_list("collection_id", "file_hash", "pk")
            )
            for collection_id, file_hash, pk in images:
                found.setdefault((collection_id, file_hash), pk)
        return found

    def replace_images(self, pk, prepared, rows, files, by_hash) -> set[int]:
        """Rewrite one work's WorkImage rows; return the image ids it no longer uses."""
        collection_id = prepared.collection_id or _root_collection_id()
        high_resolution = {image_id: high for _row, image_id, _hash, high in rows}
        # The work's own images first (whatever their collection), then the museum's.
        own = {file_hash: image_id for _row, image_id, file_hash, _high in rows if file_hash}
        title = (prepared.fields.get("title") or prepared.inventory)[:255]
        new_rows = []
        for position, (path, sha1, image_record) in enumerate(files):
            image_id = own.get(sha1) or by_hash.get((collection_id, sha1))
            if image_id is None:
                image_id = self.create_image(path, sha1, collection_id, title)
                by_hash[(collection_id, sha1)] = image_id
            new_rows.append(
                WorkImage(
                    work_id=pk,
                    image_id=image_id,
                    position=position,
                    alt_text=title[:500],
                    caption=image_record[1],
                    photographer=image_record[2],
                    copyright_line=image_record[3],
                    licence=image_record[4] or WorkImage.Licence.ALL_RIGHTS_RESERVED,
                    # The source never says; a choice made in the admin survives the update.
                    high_resolution_download=high_resolution.get(image_id, False),
                )
            )
        if rows:
            WorkImage.objects.filter(pk__in=[row[0] for row in rows]).delete()
        WorkImage.objects.bulk_create(new_rows)
        return set(high_resolution) - {row.image_id for row in new_rows}

    def create_image(self, path, sha1, collection_id, title) -> int:
        """A new Wagtail image of a file, in the museum's collection; its id."""
        from django.core.files.images import ImageFile
        from wagtail.images import get_image_model

        with open(path, "rb") as handle:
            image = get_image_model()(
                title=title,
                file=ImageFile(handle, name=path.name),
                collection_id=collection_id,
                # Wagtail's upload form sets these, not Image.save(): the next import finds
                # the file by its hash.
                file_hash=sha1,
                file_size=path.stat().st_size,
            )
            image.save()
        self.report.images_created += 1
        return image.pk

    def delete_unused_images(self, image_ids: set[int]) -> None:
        """Delete the Wagtail images no work and no page uses any more (file removed on commit)."""
        if not image_ids:
            return
        from django.contrib.contenttypes.models import ContentType
        from wagtail.images import get_image_model
        from wagtail.models import ReferenceIndex

        image_model = get_image_model()
        used = set(
            WorkImage.objects.filter(image_id__in=image_ids).values_list("image_id", flat=True)
        )
        used |= {
            int(object_id)
            for object_id in ReferenceIndex.objects.filter(
                to_content_type=ContentType.objects.get_for_model(image_model),
                to_object_id__in=[str(pk) for pk in image_ids],
            ).values_list("to_object_id", flat=True)
        }
        unused = image_ids - used
        if unused:
            for image in image_model.objects.filter(pk__in=unused):
                image.delete()


# Django's storage adds "_" and 7 letters or digits before the extension when a name is taken.
_WAGTAIL_SUFFIX = re.compile(r"_[A-Za-z0-9]{7}(?=\.[^.]*$|$)")


def _stored_name(name: str) -> str:
    """The file name Wagtail stores an uploaded file under (without its folder)."""
    from wagtail.images import get_image_model

    return Path(get_image_model()().get_upload_to(name)).name


def _file_sha1(path: Path) -> str:
    """The SHA-1 of a file, as Wagtail keeps it in `Image.file_hash`."""
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha1").hexdigest()


def _root_collection_id() -> int:
    from wagtail.models import Collection

    return Collection.get_first_root_node().pk


# Wagtail's bookkeeping of revisions, publication and locks: set once when a work is created
# by an import, never rewritten by a later import of the same record (but for `live`, which says
# what `status` says: an imported record is published).
_WAGTAIL_FIELDS = {
    "has_unpublished_changes",
    "first_published_at",
    "last_published_at",
    "go_live_at",
    "expire_at",
    "expired",
    "latest_revision",
    "live_revision",
    "locked",
    "locked_at",
    "locked_by",
}
_WORK_FIELDS = [f for f in Work._meta.concrete_fields if not f.primary_key]
_WORK_UPDATE_COLUMNS = [
    f.attname for f in _WORK_FIELDS if f.name != "created_at" and f.name not in _WAGTAIL_FIELDS
]
_WORK_INSERT_COLUMNS = [
    *_WORK_UPDATE_COLUMNS,
    "created_at",
    "first_published_at",
    "last_published_at",
]
# What a column holds when the record says nothing about it: the model field's default.
_WORK_DEFAULTS = {f.attname: f.get_default() for f in _WORK_FIELDS}


def _column(name: str) -> str:
    return connection.ops.quote_name(Work._meta.get_field(name).column)


# Raw SQL for the two look-ups of every batch: the ORM's per-parameter work on 1,000 values
# costs more than the queries.
_EXISTING_SQL = "SELECT {}, {}, {}, {} FROM {} WHERE ".format(
    *map(_column, ("museum", "inventory_number", "id", "source_digest")),
    connection.ops.quote_name(Work._meta.db_table),
)
_EXISTING_CONDITION = "({} = %%s AND {} IN (%s))".format(
    _column("museum"), _column("inventory_number")
)
_REF_OWNERS_SQL = "SELECT {}, {}, {} FROM {} WHERE {} IN (%s)".format(
    *map(_column, ("joconde_ref", "museum", "inventory_number")),
    connection.ops.quote_name(Work._meta.db_table),
    _column("joconde_ref"),
)


def _insert(model, names: list[str], rows: list) -> None:
    """Multi-row INSERT through executemany: no model instances, no per-row SQL compiling."""
    if not rows:
        return
    quote = connection.ops.quote_name
    columns = [model._meta.get_field(name.removesuffix("_id")).column for name in names]
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(model._meta.db_table),
        ", ".join(quote(column) for column in columns),
        ", ".join(["%s"] * len(columns)),
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


# SQLite page cache during an import (KiB): the indexes of a million works no longer fit in the
# site's 64 MB, and each batch then reads back the index pages it updates.
IMPORT_SQLITE_CACHE_KIB = 512 * 1024


@contextmanager
def _large_sqlite_cache():
    """A bigger SQLite page cache for this connection while the import runs, then the old one."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        previous = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = -{IMPORT_SQLITE_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(previous)}")


def works_import(
    *,
    records: Iterable[WorkRecord | RecordError],
    museum: MuseumPage | None = None,
    dry_run: bool = False,
    strict: bool = False,
    batch_size: int = 1000,
    progress: Callable[[WorkImportReport], None] | None = None,
    images_dir: str | Path | None = None,
    source_format: str = "",
) -> WorkImportReport:
    """Load parsed records into the catalogue, in all-or-nothing batches; idempotent.

    Every format (Joconde TXT and CSV, LIDO) comes through here. Records go to the museum whose
    Muséofile id they carry, or all to `museum` when given; a record whose museum is unknown,
    whose inventory number is missing or repeated in the file is rejected with its reason and
    the others are kept (`strict=True`: if any record is bad, nothing is committed).

    - Idempotent: each work stores a sha256 digest of its normalised record; a record whose
      digest is unchanged is counted "unchanged" and not written, so a second run writes nothing.
    - Atomic: each batch (works, vocabulary rows, many-to-many and author/place rows) is one
      transaction, so killing the process leaves only whole works; running again completes.
    - Imported works are `published`: the museum's own export is its act of publication (the
      public still sees them only while the museum's page is live).
    - Parsed forms are derived from the verbatim texts: dimensions in cm, year range from the
      millésime or else the period, acquisition year; a Period row gets its year range.
    - Images: a reference that is a file under `images_dir` becomes a Wagtail image in the
      museum's collection with a WorkImage; other references are only counted in a warning.
    - `strict` wraps the whole run in one transaction (memory stays constant: records are read
      once, in batches) and rolls it back at the end if any record was rejected; once a record
      is bad the rest is only checked, not written. `dry_run` checks and compares, writes nothing.
    - Memory: one batch of records, the vocabulary caches, and one 8-byte hash per record key.
    """
    report = WorkImportReport(dry_run=dry_run)
    started = time.monotonic()
    loader = _Loader(
        museum=museum,
        dry_run=dry_run,
        strict=strict,
        images_dir=images_dir,
        source_format=source_format,
        report=report,
    )

    def run():
        batch = []
        for item in records:
            if isinstance(item, RecordError):
                loader.reject(item.number, item.line, item.field, item.reason)
            else:
                prepared = loader.prepare(item)
                if prepared is not None:
                    batch.append(prepared)
            if len(batch) >= batch_size:
                loader.flush(batch)
                batch = []
                report.elapsed = time.monotonic() - started
                if progress:
                    progress(report)
        loader.flush(batch)

    with _large_sqlite_cache():
        if strict and not dry_run:
            with transaction.atomic():
                run()
                if report.rejected:
                    transaction.set_rollback(True)
                    report.committed = False
        else:
            run()
            report.committed = not dry_run
    for warning in getattr(records, "warnings", None) or []:
        report.warn(warning)
    report.elapsed = time.monotonic() - started
    if progress:
        progress(report)
    return report
