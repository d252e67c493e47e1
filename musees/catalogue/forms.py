"""The parameters of /collections/ (the catalogue search), read from the query string.

Every parameter is French and repeatable where a facet allows several values:
q, musee, departement, domaine, denomination, periode, auteur, technique, image=1,
tri (pertinence|date|-date|titre|recent), page, vue=carte. A value that cannot be read is
ignored with a notice, never an error page; the links of the page (facets, chips, pagination,
map markers) rebuild the query string from the values kept.
"""

import re
from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

from django.utils.translation import gettext_lazy

from musees.search.service import MAX_FILTER_VALUES, SearchQuery

# URL parameter -> facet of the search engine, in the order the facets are shown.
FACET_PARAMS = {
    "musee": "museum",
    "departement": "departement",
    "domaine": "domain",
    "denomination": "denomination",
    "periode": "period",
    "auteur": "author",
    "technique": "technique",
    "image": "image",
}
PARAM_OF_FACET = {facet: param for param, facet in FACET_PARAMS.items()}
SORT_PARAMS = {
    "pertinence": "relevance",
    "date": "date",
    "-date": "-date",
    "titre": "title",
    "recent": "recent",
}
DEFAULT_SORT = "pertinence"
MAP_VIEW = "carte"
MAX_PAGE = 100_000
# What a facet value in a URL can be: a page or vocabulary slug, a département code ("2A").
_VALUE = re.compile(r"^[-\w]{1,255}$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")

BAD_VALUE = gettext_lazy("Le filtre « %(label)s : %(value)s » n’existe pas : il est ignoré.")
BAD_SORT = gettext_lazy(
    "Le tri « %(value)s » n’existe pas : les œuvres sont triées par pertinence."
)
BAD_PAGE = gettext_lazy("La page « %(value)s » n’existe pas : voici la première page.")
BAD_VIEW = gettext_lazy("L’affichage « %(value)s » n’existe pas : voici la liste des œuvres.")
TOO_MANY = gettext_lazy(
    "Au plus %(max)d valeurs par filtre : les suivantes du filtre « %(label)s » sont ignorées."
)
CENTURY_GONE = gettext_lazy(
    "Le filtre par siècle n’est plus proposé : choisissez une période dans le filtre « Période »."
)


def _short(value: str, length: int = 40) -> str:
    value = _CONTROL.sub(" ", value).strip()
    return value if len(value) <= length else value[: length - 1] + "…"


@dataclass
class SearchParams:
    """What a visitor asked for, cleaned: the text, the facet values kept, sort, page, view."""

    path: str
    q: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)  # URL param -> values
    tri: str = DEFAULT_SORT
    page: int = 1
    vue: str = ""
    notices: list[str] = field(default_factory=list)

    @classmethod
    def from_request(cls, data, *, path: str, facet_labels: dict[str, str]) -> "SearchParams":
        """Read a QueryDict; `facet_labels` (URL param -> label) words the notices."""
        params = cls(path=path)
        params.q = _CONTROL.sub(" ", " ".join(v for v in data.getlist("q") if v.strip()))[:500]
        params.q = params.q.strip()
        for param in FACET_PARAMS:
            values = []
            for raw in data.getlist(param):
                value = raw.strip()
                if not value:
                    continue
                if not _VALUE.match(value) or (param == "image" and value != "1"):
                    params.notices.append(
                        str(BAD_VALUE % {"label": facet_labels[param], "value": _short(value)})
                    )
                elif value not in values:
                    values.append(value)
            if len(values) > MAX_FILTER_VALUES:
                params.notices.append(
                    str(TOO_MANY % {"max": MAX_FILTER_VALUES, "label": facet_labels[param]})
                )
                values = values[:MAX_FILTER_VALUES]
            if values:
                params.filters[param] = values
        tri = data.get("tri", "")
        if tri in SORT_PARAMS:
            params.tri = tri
        elif tri.strip():
            params.notices.append(str(BAD_SORT % {"value": _short(tri)}))
        page = data.get("page", "").strip()
        if page:
            if page.isascii() and page.isdigit() and 1 <= int(page) <= MAX_PAGE:
                params.page = int(page)
            else:
                params.notices.append(str(BAD_PAGE % {"value": _short(page)}))
        vue = data.get("vue", "").strip()
        if vue == MAP_VIEW:
            params.vue = MAP_VIEW
        elif vue and vue != "liste":
            params.notices.append(str(BAD_VIEW % {"value": _short(vue)}))
        if "siecle" in data:
            params.notices.append(str(CENTURY_GONE))
        return params

    def query(self, *, per_page: int | None = None, page: int | None = None) -> SearchQuery:
        """The engine's query for these parameters."""
        return SearchQuery(
            text=self.q,
            filters={FACET_PARAMS[p]: tuple(v) for p, v in self.filters.items()},
            sort=SORT_PARAMS[self.tri],
            page=page or self.page,
            **({"per_page": per_page} if per_page else {}),
        )

    def without_unknown(self, unknown: list[tuple[str, str]]) -> "SearchParams":
        """These parameters without the facet values the engine does not know."""
        drop = {(PARAM_OF_FACET[facet], value) for facet, value in unknown}
        filters = {
            param: [v for v in values if (param, v) not in drop]
            for param, values in self.filters.items()
        }
        return replace(self, filters={p: v for p, v in filters.items() if v})

    @property
    def has_filters(self) -> bool:
        return bool(self.filters)

    @property
    def is_bare(self) -> bool:
        """Nothing asked for: the page a search engine may index."""
        return not (self.q or self.filters or self.page > 1 or self.vue)

    def changed(self, **changes) -> "SearchParams":
        filters = changes.pop("filters", None)
        new = replace(self, **changes)
        new.filters = {p: list(v) for p, v in (filters or self.filters).items() if v}
        return new

    def toggled(self, param: str, value: str) -> "SearchParams":
        """These parameters with one facet value added or removed (back to page 1)."""
        values = list(self.filters.get(param, []))
        values = [v for v in values if v != value] if value in values else [*values, value]
        return self.changed(filters={**self.filters, param: values}, page=1)

    def url(self, **changes) -> str:
        """This page's address for these parameters, some changed (page 1 unless given)."""
        params = self.changed(**{"page": 1, **changes})
        query = []
        if params.q:
            query.append(("q", params.q))
        for param in FACET_PARAMS:
            query.extend((param, value) for value in params.filters.get(param, []))
        if params.tri != DEFAULT_SORT:
            query.append(("tri", params.tri))
        if params.vue:
            query.append(("vue", params.vue))
        if params.page > 1:
            query.append(("page", params.page))
        return f"{params.path}?{urlencode(query)}" if query else params.path
