"""The museums directory's filter form: parses the query string, never rejects the page.

A bad value (unknown département, malformed date, coordinates off the Earth) is dropped with a
message saying what was ignored, and the other filters still apply: a shared link with a typo
still lists museums.
"""

import datetime
from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from musees.core.geo import valid_coordinates
from musees.core.text import clean_text

from .querysets import ACCESS_FIELDS

ACCESS_CHOICES = [
    ("moteur", gettext_lazy("Mobilité réduite")),
    ("auditif", gettext_lazy("Handicap auditif")),
    ("visuel", gettext_lazy("Handicap visuel")),
    ("mental", gettext_lazy("Handicap mental")),
    ("th", gettext_lazy("Label Tourisme & Handicap")),
]
assert {key for key, _label in ACCESS_CHOICES} == set(ACCESS_FIELDS)

SORT_BY_NAME = "nom"
SORT_BY_DISTANCE = "distance"
SORT_CHOICES = [
    (SORT_BY_NAME, gettext_lazy("Par nom")),
    (SORT_BY_DISTANCE, gettext_lazy("Par distance")),
]
OPEN_NOW = "maintenant"
DATE_FORMAT = "%Y-%m-%d"
# Every parameter the form reads: pagination links and chips keep these and nothing else.
FILTER_PARAMS = [
    "q",
    "departement",
    "commune",
    "domaine",
    "label",
    "acces",
    "gratuit",
    "ouvert",
    "date",
    "tri",
    "pres_de",
    "lat",
    "lon",
]


class ValueCheckbox(forms.CheckboxInput):
    """A checkbox that sends a word of our URL vocabulary (`ouvert=maintenant`, `label=1`)."""

    def __init__(self, checked_value: str, attrs=None):
        self.checked_value = checked_value
        super().__init__(attrs, check_test=lambda value: value == checked_value)

    def format_value(self, value):
        return self.checked_value

    def value_from_datadict(self, data, files, name):
        return data.get(name, "")


def _flag(value: str, label):
    return forms.CharField(label=label, required=False, widget=ValueCheckbox(value))


class LenientMultipleChoiceField(forms.MultipleChoiceField):
    """Several choices where an unknown one is dropped (by the form, with a notice)."""

    def validate(self, value):
        if self.required and not value:
            raise forms.ValidationError(self.error_messages["required"], code="required")


@dataclass(frozen=True)
class Choices:
    """The values the directory offers, taken from the published museums."""

    departements: list[tuple[str, str]]
    communes: list[tuple[str, str]]
    domains: list[tuple[str, str]]

    @classmethod
    def from_places(cls, places, domains) -> "Choices":
        """Build choices from `MuseumPageQuerySet.places()` rows and (slug, label) domains."""
        departements, communes = {}, {}
        for code, dep_name, commune_slug, commune in places:
            if code:
                departements.setdefault(code, dep_name or code)
            if commune_slug:
                communes.setdefault(commune_slug, (commune, code))
        return cls(
            departements=sorted(departements.items()),
            communes=sorted(
                (
                    (slug, f"{name} ({code})" if code else name)
                    for slug, (name, code) in communes.items()
                ),
                key=lambda item: item[0],
            ),
            domains=sorted(domains, key=lambda item: item[1].lower()),
        )


class DirectoryFilterForm(forms.Form):
    """Filters of /musees/, all optional, combined with AND."""

    q = forms.CharField(
        label=gettext_lazy("Nom du musée ou commune"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    departement = forms.ChoiceField(
        label=gettext_lazy("Département"),
        required=False,
        error_messages={
            "invalid_choice": gettext_lazy(
                "Le département « %(value)s » n'existe pas dans le réseau : ce filtre est ignoré."
            )
        },
    )
    commune = forms.ChoiceField(
        label=gettext_lazy("Commune"),
        required=False,
        error_messages={
            "invalid_choice": gettext_lazy(
                "La commune « %(value)s » n'a pas de musée dans le réseau : ce filtre est ignoré."
            )
        },
    )
    domaine = forms.ChoiceField(
        label=gettext_lazy("Domaine des collections"),
        required=False,
        error_messages={
            "invalid_choice": gettext_lazy(
                "Le domaine « %(value)s » n'existe pas : ce filtre est ignoré."
            )
        },
    )
    label = _flag("1", gettext_lazy("Musées de France seulement"))
    acces = LenientMultipleChoiceField(
        label=gettext_lazy("Accessibilité"),
        required=False,
        choices=ACCESS_CHOICES,
        widget=forms.CheckboxSelectMultiple,
    )
    gratuit = _flag("1", gettext_lazy("Entrée gratuite"))
    ouvert = _flag(OPEN_NOW, gettext_lazy("Ouvert maintenant"))
    date = forms.CharField(
        label=gettext_lazy("Ouvert le"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    tri = forms.ChoiceField(
        label=gettext_lazy("Trier"),
        required=False,
        choices=SORT_CHOICES,
        widget=forms.RadioSelect,
        error_messages={
            "invalid_choice": gettext_lazy(
                "Le tri « %(value)s » n'existe pas : les musées sont triés par nom."
            )
        },
    )
    pres_de = forms.ChoiceField(
        label=gettext_lazy("À partir de la commune"),
        required=False,
        error_messages={
            "invalid_choice": gettext_lazy(
                "La commune « %(value)s » n'a pas de musée dans le réseau : "
                "le tri par distance est ignoré."
            )
        },
    )
    lat = forms.CharField(required=False, widget=forms.HiddenInput)
    lon = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, data, *, choices: Choices, **kwargs):
        super().__init__(data, **kwargs)
        self.choices = choices
        any_departement = [("", _("Tous les départements"))]
        any_commune = [("", _("Toutes les communes"))]
        self.fields["departement"].choices = any_departement + [
            (code, f"{code} · {name}") for code, name in choices.departements
        ]
        self.fields["commune"].choices = any_commune + choices.communes
        self.fields["domaine"].choices = [("", _("Tous les domaines"))] + choices.domains
        self.fields["pres_de"].choices = [("", _("Choisir une commune"))] + choices.communes

    # --- Cleaning: each bad value is reported and dropped, the rest still applies -------------

    def clean_acces(self):
        values = self.cleaned_data["acces"]
        unknown = [value for value in values if value not in ACCESS_FIELDS]
        if unknown:
            self.add_error(
                None,
                _(
                    "Le critère d'accessibilité « %(value)s » n'existe pas : il est ignoré "
                    "(critères possibles : moteur, auditif, visuel, mental, th)."
                )
                % {"value": ", ".join(clean_text(v) for v in unknown)},
            )
        return [value for value in values if value in ACCESS_FIELDS]

    def clean_date(self):
        raw = self.cleaned_data["date"].strip()
        if not raw:
            return None
        try:
            return datetime.datetime.strptime(raw, DATE_FORMAT).date()  # noqa: DTZ007 a date
        except ValueError:
            raise forms.ValidationError(
                _("La date « %(value)s » n'est pas valide (format attendu : AAAA-MM-JJ).")
                % {"value": clean_text(raw)[:40]},
                code="invalid",
            ) from None

    def clean(self):
        cleaned = super().clean()
        lat, lon = self._coordinates()
        cleaned["lat"], cleaned["lon"] = lat, lon
        tri = cleaned.get("tri") or ""
        has_point = lat is not None or bool(cleaned.get("pres_de"))
        if not tri:
            # A point given without an explicit sort (a shared "near <commune>" link) sorts by it.
            tri = SORT_BY_DISTANCE if has_point else SORT_BY_NAME
        if tri == SORT_BY_DISTANCE and not has_point:
            # A bad point was already reported; say why only when no point was given at all.
            if not self._raw("lat") and not self._raw("lon") and not self._raw("pres_de"):
                self.add_error(
                    None,
                    _(
                        "Pour trier par distance, choisissez une commune ou utilisez "
                        "« Près de moi » : les musées sont triés par nom."
                    ),
                )
            tri = SORT_BY_NAME
        cleaned["tri"] = tri
        return cleaned

    def _raw(self, name: str) -> str:
        return (self.data.get(name) or "").strip()

    def _coordinates(self) -> tuple[float | None, float | None]:
        raw_lat, raw_lon = self._raw("lat"), self._raw("lon")
        if not raw_lat and not raw_lon:
            return None, None
        try:
            lat, lon = float(raw_lat), float(raw_lon)
        except ValueError:
            lat = lon = None
        # float() accepts "nan" and "inf": valid_coordinates rejects them with the range check.
        if lat is None or not valid_coordinates(lat, lon):
            self.add_error(None, _("Coordonnées invalides : le tri par distance est ignoré."))
            return None, None
        return lat, lon

    # --- What the view and template read ----------------------------------------------------

    @property
    def filters(self) -> dict:
        """The valid filters, with defaults for the missing or ignored ones."""
        if not hasattr(self, "cleaned_data"):
            self.full_clean()
        data = self.cleaned_data
        return {
            "q": (data.get("q") or "").strip(),
            "departement": data.get("departement") or "",
            "commune": data.get("commune") or "",
            "domaine": data.get("domaine") or "",
            "label": data.get("label") == "1",
            "acces": list(data.get("acces") or []),
            "gratuit": data.get("gratuit") == "1",
            "ouvert": data.get("ouvert") == OPEN_NOW,
            "date": data.get("date"),
            "tri": data.get("tri") or SORT_BY_NAME,
            "pres_de": data.get("pres_de") or "",
            "lat": data.get("lat"),
            "lon": data.get("lon"),
        }

    @property
    def notices(self) -> list[str]:
        """One message per ignored value, in the order of the form."""
        if not hasattr(self, "cleaned_data"):
            self.full_clean()
        messages = []
        for name in [*self.fields, "__all__"]:
            for error in self.errors.get(name, []):
                if error not in messages:
                    messages.append(error)
        return messages

    def querystring(self, *drop: str, drop_access: str = "", page: int | None = None) -> str:
        """The current valid filters as a query string, without the named filters.

        `drop_access` removes one accessibility key only. Ignored values are left out, so the
        links of the page (chips, pagination) never carry a mistake forward.
        """
        f = self.filters
        params = []
        for name in FILTER_PARAMS:
            if name in drop:
                continue
            if name in ("lat", "lon"):
                if f[name] is not None and f["tri"] == SORT_BY_DISTANCE and not f["pres_de"]:
                    params.append((name, f"{f[name]:.5f}"))
                continue
            value = self._param_value(name)
            if isinstance(value, list):
                params.extend((name, v) for v in value if v != drop_access)
            elif value:
                params.append((name, value))
        if page and page > 1:
            params.append(("page", str(page)))
        return urlencode(params)

    def _param_value(self, name: str):
        value = self.filters[name]
        if name in ("label", "gratuit"):
            return "1" if value else ""
        if name == "ouvert":
            return OPEN_NOW if value else ""
        if name == "date":
            return value.strftime(DATE_FORMAT) if value else ""
        if name == "tri":
            return SORT_BY_DISTANCE if value == SORT_BY_DISTANCE else ""
        return value

    def active_filters(self) -> list[tuple[str, str]]:
        """(label, query string without it) of each filter in use: the removable chips."""
        f = self.filters
        chips = []
        if f["q"]:
            chips.append((_("Recherche : %(q)s") % {"q": f["q"]}, self.querystring("q")))
        labels = {
            "departement": dict(self.fields["departement"].choices),
            "commune": dict(self.fields["commune"].choices),
            "domaine": dict(self.fields["domaine"].choices),
        }
        for name in ("departement", "commune", "domaine"):
            if f[name]:
                chips.append((labels[name].get(f[name], f[name]), self.querystring(name)))
        if f["label"]:
            chips.append((_("Musée de France"), self.querystring("label")))
        access_labels = dict(ACCESS_CHOICES)
        for key in f["acces"]:
            chips.append((access_labels[key], self.querystring(drop_access=key)))
        if f["gratuit"]:
            chips.append((_("Gratuit"), self.querystring("gratuit")))
        if f["ouvert"]:
            chips.append((_("Ouvert maintenant"), self.querystring("ouvert")))
        if f["date"]:
            chips.append(
                (
                    _("Ouvert le %(date)s") % {"date": date_format(f["date"], "j F Y")},
                    self.querystring("date"),
                )
            )
        if f["tri"] == SORT_BY_DISTANCE:
            if f["pres_de"]:
                near = dict(self.choices.communes).get(f["pres_de"], f["pres_de"])
                label = _("Près de %(commune)s") % {"commune": near}
            else:
                label = _("Près de moi")
            chips.append((label, self.querystring("tri", "pres_de", "lat", "lon")))
        return chips
