"""The filters of /collections/, read from the query string.

A value that cannot be read is ignored with a notice, never an error page; the links of the
page (facets, chips, pagination) rebuild the query string from the filters kept.
"""

from urllib.parse import urlencode

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

BAD_CENTURY = gettext_lazy("Le siècle « %(value)s » n'a pas été compris : ce filtre est ignoré.")
PARAMS = ("musee", "domaine", "siecle", "auteur")


class CollectionsFilterForm(forms.Form):
    """Museum (page slug), domain (slug), century (19, -1 for the 1st century BC), author."""

    musee = forms.SlugField(required=False, max_length=255)
    domaine = forms.SlugField(required=False, max_length=255)
    siecle = forms.IntegerField(required=False, min_value=-99, max_value=21)
    auteur = forms.SlugField(required=False, max_length=255)

    def __init__(self, data, *, path: str):
        super().__init__(data)
        self.path = path
        self.notices: list[str] = []
        self.filters = {name: None if name == "siecle" else "" for name in PARAMS}
        self.is_valid()
        for name in PARAMS:
            if name in self.errors:
                if name == "siecle":
                    self.notices.append(str(BAD_CENTURY % {"value": data.get(name, "")[:20]}))
                else:
                    self.notices.append(
                        _("Le filtre « %(name)s » n'a pas été compris : il est ignoré.")
                        % {"name": name}
                    )
            else:
                value = self.cleaned_data.get(name)
                self.filters[name] = value if value not in ("", None) else self.filters[name]

    def url(self, **overrides) -> str:
        """This page with the current filters, some changed (None removes one)."""
        params = {name: self.filters[name] for name in PARAMS}
        page = overrides.pop("page", None)
        params.update(overrides)
        query = [(k, v) for k, v in params.items() if v not in (None, "")]
        if page:
            query.append(("page", page))
        return f"{self.path}?{urlencode(query)}" if query else self.path
