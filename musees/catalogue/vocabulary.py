"""The work form's vocabularies: domains, denominations, periods, materials and techniques.

Each is a text field of labels separated by " ; " (what the form posts, with or without
JavaScript) that static/catalogue/admin/vocabulary.js turns into an autocompleted list: the
ARIA 1.2 combobox pattern, suggestions from `vocabulary_suggestions` (folded prefix matches,
then folded "contains" matches), chosen terms as removable chips.

A label is matched to a term by its label or its slug (the loader's `_slug`, so "Céramique" finds
"céramique"). Denominations, periods and techniques may be new: the term is created when the
form is saved (`VocabularyFormMixin.save`), never while typing. Domains are the Joconde list: an
unknown one is an error.
"""

import re
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connections, transaction
from django.db.models import Q
from django.http import JsonResponse
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from musees.accounts.scoping import ADD, CHANGE, museum_scope

from .models import Denomination, Domain, Period, Technique
from .parsing import parse_year_range
from .services import LABEL_MAX, _slug

SEPARATOR = " ; "
SUGGESTIONS = 10

ERROR_UNKNOWN_DOMAIN = _(
    "« %(label)s » n'est pas un domaine de la liste : choisissez parmi les propositions."
)
ERROR_TOO_LONG = _("« %(label)s… » est trop long : un terme a %(max)d caractères au plus.")
ERROR_NOT_STAFF = _("Les vocabulaires sont réservés aux équipes des musées.")


@dataclass(frozen=True)
class Vocabulary:
    """One vocabulary of the work form: its model, its address, whether a label may be new."""

    field_name: str  # the Work field
    model: type
    url_segment: str
    creatable: bool

    @property
    def url_name(self) -> str:
        return f"catalogue_vocabulary_{self.field_name}"

    def new_term(self, label: str):
        """An unsaved term for a label the vocabulary does not have (a period with its years)."""
        term = self.model(label=label, slug=_slug(label))
        if self.model is Period:
            years = parse_year_range(label)
            if years:
                term.year_start, term.year_end = years
        return term


VOCABULARIES = {
    vocabulary.field_name: vocabulary
    for vocabulary in (
        Vocabulary("domains", Domain, "domaines", creatable=False),
        Vocabulary("denominations", Denomination, "denominations", creatable=True),
        Vocabulary("periods", Period, "periodes", creatable=True),
        Vocabulary("techniques", Technique, "techniques", creatable=True),
    )
}


# --- Matching ----------------------------------------------------------------------------------


def fold(text: str) -> str:
    """A text as slugs are written (no accents, lower case, words joined by "-")."""
    return slugify(text or "")[:LABEL_MAX]


def _prefix_matches(model, folded: str, limit: int) -> list:
    """Terms whose slug starts with `folded`, in slug order, read from an index."""
    connection = connections[model.objects.db]
    if connection.vendor == "postgresql":
        # LIKE 'x%' is answered by the varchar_pattern_ops index Django adds beside a unique
        # varchar column. Ordered by that index's own order (USING ~<~, which the ORM cannot
        # write), the scan stops at the limit; ORDER BY slug would walk the whole unique index or
        # sort every match (100 ms against 0.1 ms on 100,000 terms).
        table = connection.ops.quote_name(model._meta.db_table)
        pattern = re.sub(r"([\\%_])", r"\\\1", folded) + "%"
        sql = f"SELECT * FROM {table} WHERE slug LIKE %s ORDER BY slug USING ~<~ LIMIT %s"
        return list(model.objects.raw(sql, [pattern, limit]))
    # SQLite's LIKE uses no index; its BINARY collation makes a range on the slug's unique
    # index exact instead (slugs are ASCII: every character sorts before \x7f).
    terms = model.objects.filter(slug__gte=folded, slug__lt=folded + "\x7f").order_by("slug")
    return list(terms[:limit])


def term_suggestions(model, query: str, limit: int = SUGGESTIONS) -> list:
    """Terms whose label starts with the query (accents and case folded), then those that
    contain it, in slug order: at most `limit`."""
    folded = fold(query)
    if not folded:
        return []
    terms = _prefix_matches(model, folded, limit)
    if len(terms) < limit:
        # Not index-backed (a trigram index would be): a scan in slug order, stopped at the limit.
        others = model.objects.filter(slug__contains=folded).exclude(slug__startswith=folded)
        terms += others.order_by("slug")[: limit - len(terms)]
    return terms


def split_labels(text: str) -> list[str]:
    """The labels of a field's text ("a ; b"), spaces tidied, each slug once, in order."""
    labels, seen = [], set()
    for part in re.split(r"[;\n]", text or ""):
        label = " ".join(part.split())
        key = _slug(label) if label else ""
        if key and key not in seen:
            seen.add(key)
            labels.append(label)
    return labels


def _labels_of(value) -> list[str]:
    """Labels of a field value: text, terms, or term ids (a form's initial value)."""
    if value is None:
        return []
    if isinstance(value, str):
        return split_labels(value)
    items = list(value)
    return [item.label if hasattr(item, "label") else str(item) for item in items]


def resolve_terms(vocabulary: Vocabulary, labels: list[str]) -> tuple[list, list[str]]:
    """The terms of these labels, in order (unsaved for new labels), and the unknown labels of a
    vocabulary where none may be new."""
    slugs = {label: _slug(label) for label in labels}
    found = vocabulary.model.objects.filter(Q(label__in=labels) | Q(slug__in=slugs.values()))
    by_label, by_slug = {}, {}
    for term in found:
        by_label[term.label] = term
        by_slug[term.slug] = term
    terms, unknown = [], []
    for label in labels:
        term = by_label.get(label) or by_slug.get(slugs[label])
        if term is None:
            if not vocabulary.creatable:
                unknown.append(label)
                continue
            term = vocabulary.new_term(label)
        terms.append(term)
    return terms, unknown


def term_save(term):
    """Save a new term, or take the one another form saved meanwhile (same slug)."""
    try:
        with transaction.atomic():
            term.save()
    except IntegrityError:
        return type(term).objects.get(Q(slug=term.slug) | Q(label=term.label))
    return term


# --- Form field and widget ---------------------------------------------------------------------


class VocabularyWidget(forms.TextInput):
    """A text input of labels; the script makes it a combobox with chips."""

    template_name = "catalogue/admin/vocabulary_widget.html"

    class Media:
        js = ["catalogue/admin/vocabulary.js"]
        css = {"all": ["catalogue/admin/vocabulary.css"]}

    def __init__(self, vocabulary: Vocabulary | None = None, attrs=None):
        super().__init__(attrs={"autocomplete": "off", **(attrs or {})})
        self.vocabulary = vocabulary

    def render(self, name, value, attrs=None, renderer=None):
        # The project's template folders, not only the form renderer's (apps and Django's own).
        return mark_safe(render_to_string(self.template_name, self.get_context(name, value, attrs)))

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        vocabulary = self.vocabulary
        labels = split_labels(value if isinstance(value, str) else "")
        known = set(
            vocabulary.model.objects.filter(
                Q(label__in=labels) | Q(slug__in=[_slug(label) for label in labels])
            ).values_list("slug", flat=True)
        )
        widget_id = context["widget"]["attrs"].get("id", "")
        described = context["widget"]["attrs"].get("aria-describedby", "")
        context["widget"]["attrs"]["aria-describedby"] = " ".join(
            part for part in [described, f"{widget_id}-separator"] if part
        )
        context["vocabulary"] = {
            "url": reverse(vocabulary.url_name),
            "creatable": vocabulary.creatable,
            "new_labels": [label for label in labels if _slug(label) not in known],
            "hint_id": f"{widget_id}-separator",
            "msg_unknown": ERROR_UNKNOWN_DOMAIN,
        }
        return context


class VocabularyField(forms.Field):
    """Labels separated by " ; ", cleaned to the vocabulary's terms (new ones unsaved)."""

    def __init__(self, field_name: str, **kwargs):
        self.vocabulary = VOCABULARIES[field_name]
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", VocabularyWidget(self.vocabulary))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, str):
            return value
        if value and all(isinstance(item, int) for item in value):
            labels = dict(
                self.vocabulary.model.objects.filter(pk__in=value).values_list("pk", "label")
            )
            return SEPARATOR.join(labels[pk] for pk in value if pk in labels)
        return SEPARATOR.join(_labels_of(value))

    def to_python(self, value):
        return split_labels(value) if isinstance(value, str) else _labels_of(value)

    def validate(self, value):
        super().validate(value)
        errors = [
            ValidationError(
                ERROR_TOO_LONG,
                code="too_long",
                params={"label": label[:40], "max": LABEL_MAX},
            )
            for label in value
            if len(label) > LABEL_MAX
        ]
        if errors:
            raise ValidationError(errors)

    def clean(self, value):
        labels = super().clean(value)
        terms, unknown = resolve_terms(self.vocabulary, labels)
        if unknown:
            raise ValidationError(
                [
                    ValidationError(ERROR_UNKNOWN_DOMAIN, code="unknown", params={"label": label})
                    for label in unknown
                ]
            )
        return terms

    def has_changed(self, initial, data):
        before = [_slug(label) for label in _labels_of(self.prepare_value(initial) or "")]
        after = [_slug(label) for label in split_labels(data or "")]
        return before != after


class VocabularyFormMixin:
    """For a model form with VocabularyFields: the new terms are saved with the form, not before
    (an invalid form creates nothing)."""

    def save(self, commit=True):
        for name, field in self.fields.items():
            if isinstance(field, VocabularyField) and name in self.cleaned_data:
                self.cleaned_data[name] = [
                    term if term.pk else term_save(term) for term in self.cleaned_data[name]
                ]
        return super().save(commit=commit)


# --- Suggestions endpoint ----------------------------------------------------------------------


def may_use_vocabularies(user) -> bool:
    """Museum staff who may add or change works somewhere (and the network's roles)."""
    scope = museum_scope(user)
    return scope.allows_somewhere(ADD) or scope.allows_somewhere(CHANGE)


def vocabulary_suggestions(request, field_name: str):
    """JSON: {"results": [{"label"}], "exact": whether the query names a term (folded)}."""
    if not may_use_vocabularies(request.user):
        return JsonResponse({"error": str(ERROR_NOT_STAFF)}, status=403)
    vocabulary = VOCABULARIES[field_name]
    query = request.GET.get("q", "")[:LABEL_MAX]
    terms = term_suggestions(vocabulary.model, query)
    folded = fold(query)
    return JsonResponse(
        {
            "results": [{"label": term.label} for term in terms],
            "exact": bool(folded) and any(term.slug == folded for term in terms),
        }
    )


@hooks.register("register_admin_urls")
def register_vocabulary_urls():
    # One fixed address per vocabulary (no identifier in the path): /admin/oeuvres/vocabulaire/…
    return [
        path(
            f"oeuvres/vocabulaire/{vocabulary.url_segment}/",
            vocabulary_suggestions,
            {"field_name": vocabulary.field_name},
            name=vocabulary.url_name,
        )
        for vocabulary in VOCABULARIES.values()
    ]
