"""Factories for museum pages and their hours (wagtail-factories builds the page tree)."""

import datetime

import factory
import wagtail_factories

from musees.core.models import HomePage
from musees.museums.models import Domain, MuseumClosure, MuseumIndexPage, MuseumPage, OpeningHours


class HomePageFactory(wagtail_factories.PageFactory):
    title = "Musées d'Occitanie"
    slug = "accueil"

    class Meta:
        model = HomePage


class MuseumIndexPageFactory(wagtail_factories.PageFactory):
    title = "Musées"
    slug = "musees"

    class Meta:
        model = MuseumIndexPage


class DomainFactory(factory.django.DjangoModelFactory):
    label = factory.Sequence(lambda n: f"Domaine {n}")
    slug = factory.Sequence(lambda n: f"domaine-{n}")

    class Meta:
        model = Domain
        django_get_or_create = ("slug",)


class MuseumPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Musée numéro {n}")
    museofile_id = factory.Sequence(lambda n: f"M9{n:03d}")
    is_musee_de_france = True
    address = "1 place de la Mairie"
    postcode = "32700"
    commune = "Lectoure"
    departement_code = "32"
    departement_name = "Gers"
    region = "Occitanie"
    latitude = 43.934
    longitude = 0.622

    class Meta:
        model = MuseumPage


class OpeningHoursFactory(factory.django.DjangoModelFactory):
    page = factory.SubFactory(MuseumPageFactory)
    weekdays = ["1", "2", "3", "4", "5", "6"]  # Tuesday to Sunday
    opens = datetime.time(10, 0)
    closes = datetime.time(18, 0)

    class Meta:
        model = OpeningHours


class MuseumClosureFactory(factory.django.DjangoModelFactory):
    page = factory.SubFactory(MuseumPageFactory)
    start_date = datetime.date(2026, 12, 24)
    reason = "Inventaire"

    class Meta:
        model = MuseumClosure


class LunchBreakHoursFactory(OpeningHoursFactory):
    """The afternoon row of a museum that closes for lunch (pair it with a 10 h-12 h row)."""

    opens = datetime.time(14, 0)
    closes = datetime.time(18, 0)


def museum_in(parent, commune: str, departement_code: str, departement_name: str, **kwargs):
    """A museum placed in a real commune (coordinates of the commune given in kwargs)."""
    return MuseumPageFactory(
        parent=parent,
        commune=commune,
        departement_code=departement_code,
        departement_name=departement_name,
        **kwargs,
    )
