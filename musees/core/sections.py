"""The sections of the public site, in the order the header and the home page show them.

A section is listed only once its app has built it: an entry whose page or URL does not exist
yet is left out, so a visitor never lands on an empty placeholder.
"""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Section:
    key: str
    label: str
    description: str
    page_model: str | None = None  # "app_label.ModelName" of the section's index page
    url_name: str | None = None  # or a named URL


SECTIONS = [
    Section(
        "musees",
        _("Musées"),
        _("Les musées du réseau, près de chez vous."),
        page_model="museums.MuseumIndexPage",
    ),
    Section(
        "collections",
        _("Collections"),
        _("Les œuvres et objets des musées."),
        url_name="catalogue:search",
    ),
    Section(
        "agenda", _("Agenda"), _("Expositions et événements."), page_model="agenda.AgendaIndexPage"
    ),
    Section(
        "parcours",
        _("Parcours"),
        _("Routes inter-musées et galeries thématiques."),
        page_model="discovery.RouteIndexPage",
    ),
    Section(
        "emplois",
        _("Métiers et emplois"),
        _("Les métiers des musées et les offres d'emploi."),
        page_model="careers.CareersIndexPage",
    ),
    Section(
        "pro",
        _("Espace professionnel"),
        _("Forum, documents et formations du réseau."),
        url_name="pro:home",
    ),
]


def available_sections() -> list[dict]:
    """The sections that exist on this site now, each with its URL."""
    from django.apps import apps

    result = []
    for section in SECTIONS:
        url = None
        if section.page_model:
            try:
                model = apps.get_model(section.page_model)
            except LookupError:
                continue
            page = model.objects.live().public().first()
            url = page.url if page else None
        elif section.url_name:
            try:
                url = reverse(section.url_name)
            except NoReverseMatch:
                url = None
        if url:
            result.append(
                {
                    "key": section.key,
                    "label": section.label,
                    "description": section.description,
                    "url": url,
                }
            )
    return result
