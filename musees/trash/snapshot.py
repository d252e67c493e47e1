"""Every row a deletion removes, as JSON; and how to put those rows back, or say why not.

What a deletion removes is found the way Django's own deletion finds it (`Collector`): the
object, the rows that point to it with `on_delete=CASCADE` (a work's images, authors, places),
the rows of its many-to-many tables, the Wagtail revisions and workflow states of the object
(linked by content type and id; Wagtail's mixins declare generic relations so that they go with
the object), and whatever cascades from those (a workflow's task states). Each row is kept with
every concrete field of its model, read from `_meta`, so fields added to a model later are kept
too. Rows elsewhere that the deletion only emptied (`on_delete=SET_NULL`) are noted to be
linked again.

Restoring inserts the same rows with the same ids, in one transaction, after checking what
could make it fail: an id taken, a unique value (inventory number, Joconde reference) now used
by another row, or a row it needs (its museum, an image, an author) deleted since.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.apps import apps
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, router
from django.db.models.deletion import CASCADE, SET_NULL, Collector
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.images import get_image_model
from wagtail.models import Revision, WorkflowState

FORMAT = 1
BATCH = 500
LABEL_LENGTH = 200

RESTORE_FAILED = gettext_lazy(
    "La notice n'a pas pu être restaurée : un élément qu'elle contient entre en conflit avec le "
    "site tel qu'il est. Rien n'a été modifié."
)

# Clear sentences for the unique values a restore can collide with, by model and fields.
CONFLICT_MESSAGES = {
    ("catalogue.work", ("museum", "inventory_number")): lambda values: (
        _(
            "Le musée « %(museum)s » a déjà une autre notice portant le numéro d'inventaire "
            "« %(inventory_number)s ». Changez le numéro de cette autre notice (ou placez-la dans "
            "la corbeille), puis recommencez."
        )
        % values
    ),
    ("catalogue.work", ("joconde_ref",)): lambda values: (
        _(
            "Une autre notice porte déjà la référence Joconde « %(joconde_ref)s ». Retirez cette "
            "référence de l'autre notice, puis recommencez."
        )
        % values
    ),
}


# --- Rows as JSON ------------------------------------------------------------------------------


def encode_row(instance) -> dict:
    """{"model": "app.model", "fields": {attname: JSON value}} with every concrete field."""
    values = {}
    for model_field in instance._meta.concrete_fields:
        value = model_field.value_from_object(instance)
        if value is None or isinstance(value, bool | int | float | str):
            values[model_field.attname] = value
        elif isinstance(model_field, models.JSONField):
            values[model_field.attname] = value
        else:
            # Dates at full precision, decimals, UUIDs, files: the field's own text form.
            values[model_field.attname] = model_field.value_to_string(instance)
    return {"model": instance._meta.label_lower, "fields": values}


def decode_row(model, values: dict):
    """An unsaved instance of `model` from encode_row's fields (fields it no longer has are
    ignored; fields it gained keep their default)."""
    kwargs = {}
    for model_field in model._meta.concrete_fields:
        if model_field.attname not in values:
            continue
        value = values[model_field.attname]
        if value is not None and not isinstance(model_field, models.JSONField):
            value = model_field.to_python(value)
        kwargs[model_field.attname] = value
    return model(**kwargs)


def _label_of(model) -> str:
    return model._meta.label_lower


def _key(model, pk) -> str:
    return f"{_label_of(model)}:{pk}"


# --- Taking the snapshot -----------------------------------------------------------------------


@dataclass
class Collected:
    """What deleting an object removes: its snapshot, and the collector that will delete it."""

    snapshot: dict
    collector: Collector


def attached_rows(obj) -> list[list]:
    """Rows tied to `obj` by content type and id rather than a foreign key."""
    return [
        list(Revision.objects.for_instance(obj)),
        list(WorkflowState.objects.for_instance(obj)),
    ]


def collect(obj) -> Collected:
    """Find every row that deleting `obj` removes and read them whole (raises ProtectedError
    or RestrictedError as a deletion would)."""
    using = router.db_for_write(type(obj), instance=obj)
    collector = Collector(using=using, origin=obj)
    collector.collect([obj])
    for rows in attached_rows(obj):
        if rows:
            collector.collect(rows)

    pks = defaultdict(set)
    for model, instances in collector.data.items():
        pks[model._meta.concrete_model].update(instance.pk for instance in instances)
    for queryset in collector.fast_deletes:
        pks[queryset.model._meta.concrete_model].update(queryset.values_list("pk", flat=True))
    # A row of a child model (multi-table inheritance) is saved with its parent's row.
    for model in list(pks):
        for parent in model._meta.get_parent_list():
            if parent in pks:
                pks[parent] -= pks[model]

    root_key = _key(type(obj)._meta.concrete_model, obj.pk)
    root, rows, removed = None, [], set()
    for model, model_pks in pks.items():
        ordered = sorted(model_pks, key=str)
        for start in range(0, len(ordered), BATCH):
            chunk = ordered[start : start + BATCH]
            for instance in model._base_manager.using(using).filter(pk__in=chunk).order_by("pk"):
                key = _key(model, instance.pk)
                removed.add(key)
                if key == root_key:
                    root = encode_row(instance)
                else:
                    rows.append(encode_row(instance))
    # Make sure the parents of child rows count as removed.
    for model in pks:
        for parent in model._meta.get_parent_list():
            removed.update(_key(parent, pk) for pk in pks[model])

    snapshot = {
        "format": FORMAT,
        "object": root,
        "rows": rows,
        "relinks": _relinks(collector, removed),
        "labels": _labels([root, *rows], removed),
    }
    return Collected(snapshot=snapshot, collector=collector)


def _relinks(collector: Collector, removed: set) -> list[dict]:
    """Rows outside the deletion whose link to a deleted row is set to NULL by it."""
    relinks = []
    for (model_field, value), batches in collector.field_updates.items():
        if value is not None:
            continue  # SET_DEFAULT and SET(...) are not undone
        model = model_field.model._meta.concrete_model
        for batch in batches:
            if isinstance(batch, models.QuerySet):
                pairs = list(batch.values_list("pk", model_field.attname))
            else:
                pairs = [(row.pk, getattr(row, model_field.attname)) for row in batch]
            for pk, original in pairs:
                if original is not None and _key(model, pk) not in removed:
                    relinks.append(
                        {
                            "model": _label_of(model),
                            "pk": pk,
                            "field": model_field.attname,
                            "value": original,
                        }
                    )
    return relinks


def _foreign_keys(model):
    return [
        model_field
        for model_field in model._meta.concrete_fields
        if model_field.is_relation and (model_field.many_to_one or model_field.one_to_one)
    ]


def _labels(rows: list[dict], removed: set) -> dict:
    """The names of the rows outside the snapshot that it needs (museum, images, people,
    vocabulary terms), to name them if they are gone at restore time."""
    wanted = defaultdict(set)
    for row in rows:
        model = apps.get_model(row["model"])
        for model_field in _foreign_keys(model):
            value = row["fields"].get(model_field.attname)
            if value is None or model_field.remote_field.on_delete is SET_NULL:
                continue
            target = model_field.related_model._meta.concrete_model
            if _key(target, value) not in removed:
                wanted[target].add(value)
    labels = {}
    for target, ids in wanted.items():
        for instance in target._base_manager.filter(pk__in=list(ids)):
            labels[_key(target, instance.pk)] = str(instance)[:LABEL_LENGTH]
    return labels


# --- Restoring ---------------------------------------------------------------------------------


@dataclass
class Restoration:
    """What restoring a snapshot would do: the instances to insert, in order; the problems that
    prevent it; the rows left out because what they depended on was deleted since."""

    root: models.Model | None = None
    instances: list = field(default_factory=list)
    relinks: list = field(default_factory=list)
    auto_dates: list = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)


def plan_restore(snapshot: dict) -> Restoration:
    """Check a snapshot against the database as it is now; nothing is written."""
    plan = Restoration()
    entries = []
    for row in [snapshot["object"], *snapshot["rows"]]:
        try:
            model = apps.get_model(row["model"])
        except LookupError:
            plan.problems.append(
                _("Ce type d'élément (%(model)s) n'existe plus dans le site.")
                % {"model": row["model"]}
            )
            return plan
        entries.append((model, decode_row(model, row["fields"])))
    plan.root = entries[0][1]
    labels = snapshot.get("labels", {})
    inside = {_key(model, instance.pk) for model, instance in entries}

    # What the snapshot points to outside itself and that was deleted since: a link that the
    # deletion would have emptied is emptied, a row the deletion would have taken with it is
    # left out (a vocabulary term deleted since), anything else prevents the restore.
    missing = _missing_targets(entries, inside)
    dropped = set()
    for index, (model, instance) in enumerate(entries):
        for model_field in _foreign_keys(model):
            target = model_field.related_model._meta.concrete_model
            target_key = _key(target, getattr(instance, model_field.attname))
            if target_key not in missing:
                continue
            rule = model_field.remote_field.on_delete
            if not getattr(model_field, "db_constraint", True):
                continue
            if rule is SET_NULL and model_field.null:
                setattr(instance, model_field.attname, None)
            elif rule is CASCADE and index > 0:
                dropped.add(_key(model, instance.pk))
                plan.dropped.append(_named(target, labels.get(target_key, target_key)))
            else:
                plan.problems.append(_gone_message(target, labels.get(target_key, target_key)))
    if plan.problems:
        return plan
    # Rows of the snapshot that point to a row left out go too (its task states with a
    # workflow state), or lose the link if it may be empty.
    while True:
        newly = set()
        for model, instance in entries:
            if _key(model, instance.pk) in dropped:
                continue
            for model_field in _foreign_keys(model):
                target = model_field.related_model._meta.concrete_model
                if _key(target, getattr(instance, model_field.attname)) not in dropped:
                    continue
                if model_field.null and model_field.remote_field.on_delete is SET_NULL:
                    setattr(instance, model_field.attname, None)
                else:
                    newly.add(_key(model, instance.pk))
        if not newly:
            break
        dropped |= newly
    if _key(type(plan.root), plan.root.pk) in dropped:
        plan.problems.append(str(RESTORE_FAILED))
        return plan
    kept = [
        (model, instance) for model, instance in entries if _key(model, instance.pk) not in dropped
    ]

    plan.problems.extend(_taken_ids(kept))
    for model, instance in kept:
        plan.problems.extend(_unique_conflicts(model, instance, labels))
    if plan.problems:
        return plan

    plan.instances = [instance for _model, instance in _insertion_order(kept)]
    for model, instance in kept:
        if dates := {f.attname: getattr(instance, f.attname) for f in _auto_add_fields(model)}:
            plan.auto_dates.append((instance, dates))
    plan.relinks = snapshot.get("relinks", [])
    plan.dropped = list(dict.fromkeys(plan.dropped))
    return plan


def _named(model, label) -> str:
    return f"{model._meta.verbose_name} « {label} »"


def _gone_message(model, label) -> str:
    from musees.museums.models import MuseumPage

    if issubclass(model, MuseumPage):
        return _("Le musée « %(label)s » n'existe plus : la notice ne peut pas y revenir.") % {
            "label": label
        }
    if issubclass(model, get_image_model()):
        return _(
            "L'image « %(label)s » de la notice a été supprimée de la médiathèque depuis : la "
            "notice ne peut pas revenir avec toutes ses images."
        ) % {"label": label}
    return _("%(what)s « %(label)s », dont la notice a besoin, a été supprimé depuis.") % {
        "what": capfirst(model._meta.verbose_name),
        "label": label,
    }


def _missing_targets(entries, inside: set) -> set:
    """Keys of the rows outside the snapshot that its foreign keys name and that are gone."""
    wanted = defaultdict(set)
    for model, instance in entries:
        for model_field in _foreign_keys(model):
            value = getattr(instance, model_field.attname)
            if value is None:
                continue
            target = model_field.related_model._meta.concrete_model
            if _key(target, value) not in inside:
                wanted[target].add(value)
    missing = set()
    for target, ids in wanted.items():
        ids = list(ids)
        found = set()
        for start in range(0, len(ids), BATCH):
            found.update(
                target._base_manager.filter(pk__in=ids[start : start + BATCH]).values_list(
                    "pk", flat=True
                )
            )
        missing.update(_key(target, pk) for pk in ids if pk not in found)
    return missing


def _taken_ids(entries) -> list[str]:
    """Rows of the snapshot whose id another row now has (ids are not reused: rare)."""
    by_model = defaultdict(list)
    for model, instance in entries:
        by_model[model._meta.concrete_model].append(instance.pk)
    problems = []
    for model, pks in by_model.items():
        if model._base_manager.filter(pk__in=pks).exists():
            problems.append(
                _("Un élément « %(what)s » portant le même identifiant existe déjà.")
                % {"what": model._meta.verbose_name}
            )
    return problems


def _unique_conflicts(model, instance, labels: dict) -> list[str]:
    """The unique values of `instance` that another row now holds, as sentences."""
    errors = []
    for check in (instance.validate_unique, instance.validate_constraints):
        try:
            check()
        except ValidationError as error:
            for key, items in error.error_dict.items():
                errors.extend((key, item) for item in items)
    problems = []
    pk_name = model._meta.pk.name
    for key, item in errors:
        fields = tuple((item.params or {}).get("unique_check") or ())
        if fields == (pk_name,):
            continue  # reported by _taken_ids
        if not fields and key != NON_FIELD_ERRORS:
            fields = (key,)
        message = CONFLICT_MESSAGES.get((_label_of(model), fields))
        if message is not None:
            problems.append(message(_field_values(instance, fields, labels)))
        else:
            problems.append(
                _("Conflit avec un autre élément : %(error)s") % {"error": " ".join(item.messages)}
            )
    return problems


def _field_values(instance, names, labels: dict) -> dict:
    values = {}
    for name in names:
        model_field = instance._meta.get_field(name)
        value = getattr(instance, model_field.attname)
        if model_field.is_relation and value is not None:
            target = model_field.related_model._meta.concrete_model
            value = labels.get(_key(target, value), value)
        values[name] = value
    return values


def _auto_add_fields(model) -> list:
    return [
        model_field
        for model_field in model._meta.concrete_fields
        if getattr(model_field, "auto_now_add", False)
    ]


def _insertion_order(entries) -> list:
    """Rows whose models others point to first (cycles rely on deferred constraint checks,
    which Django creates on SQLite and PostgreSQL alike)."""
    by_model = defaultdict(list)
    for entry in entries:
        by_model[entry[0]._meta.concrete_model].append(entry)
    depends = {
        model: {
            f.related_model._meta.concrete_model
            for f in _foreign_keys(model)
            if f.related_model._meta.concrete_model in by_model
            and f.related_model._meta.concrete_model is not model
        }
        for model in by_model
    }
    ordered, placed = [], set()
    while len(placed) < len(by_model):
        ready = [m for m in by_model if m not in placed and depends[m] <= placed]
        if not ready:  # a cycle: take the next one as it comes
            ready = [next(m for m in by_model if m not in placed)]
        for model in ready:
            placed.add(model)
            ordered.extend(by_model[model])
    return ordered


def insert(plan: Restoration) -> None:
    """Write a checked plan (inside the caller's transaction).

    `save_base` rather than `save`: the stored values go back as they were, without a model's
    own save logic (Work keeps `status` and `live` in step, Revision sets its date); the usual
    signals still run, so the search index, the page cache and Wagtail's reference index follow.
    """
    for instance in plan.instances:
        instance._state.adding = True
        instance.save_base(force_insert=True)
    # auto_now_add fields were set to now by the insert: give them back their first date.
    for instance, dates in plan.auto_dates:
        type(instance)._base_manager.filter(pk=instance.pk).update(**dates)
    for relink in plan.relinks:
        model = apps.get_model(relink["model"])
        model._base_manager.filter(pk=relink["pk"], **{f"{relink['field']}__isnull": True}).update(
            **{relink["field"]: relink["value"]}
        )
