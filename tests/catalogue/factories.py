"""Factories for catalogue records: works, their vocabularies, authors, places and images.

Shared by the catalogue tests: add to it, do not change what others use.
"""

import factory
from wagtail.images.tests.utils import get_test_image_file

from musees.catalogue.importers.records import AuthorRecord, PlaceRecord, WorkRecord
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
from tests.museums.factories import MuseumPageFactory


def _slug(label: str) -> str:
    from django.utils.text import slugify

    return slugify(label)[:255] or "terme"


class DomainFactory(factory.django.DjangoModelFactory):
    label = factory.Sequence(lambda n: f"domaine {n}")
    slug = factory.LazyAttribute(lambda o: _slug(o.label))

    class Meta:
        model = Domain
        django_get_or_create = ("label",)


class DenominationFactory(DomainFactory):
    label = factory.Sequence(lambda n: f"dénomination {n}")

    class Meta:
        model = Denomination
        django_get_or_create = ("label",)


class PeriodFactory(DomainFactory):
    label = factory.Sequence(lambda n: f"période {n}")

    class Meta:
        model = Period
        django_get_or_create = ("label",)


class TechniqueFactory(DomainFactory):
    label = factory.Sequence(lambda n: f"technique {n}")

    class Meta:
        model = Technique
        django_get_or_create = ("label",)


class PersonFactory(DomainFactory):
    label = factory.Sequence(lambda n: f"Auteur {n}")

    class Meta:
        model = Person
        django_get_or_create = ("label",)


class PlaceFactory(DomainFactory):
    label = factory.Sequence(lambda n: f"Lieu {n}")

    class Meta:
        model = Place
        django_get_or_create = ("label",)


class WorkFactory(factory.django.DjangoModelFactory):
    """A published work; pass `museum=` (a MuseumPage under the `museum_index` fixture)."""

    museum = factory.SubFactory(MuseumPageFactory)
    inventory_number = factory.Sequence(lambda n: f"INV {n}")
    status = Work.Status.PUBLISHED
    title = factory.Sequence(lambda n: f"Œuvre {n}")

    class Meta:
        model = Work
        skip_postgeneration_save = True

    @factory.post_generation
    def domains(self, create, extracted, **kwargs):
        if create and extracted:
            self.domains.set(extracted)
            self.domains.commit()  # a parental many-to-many waits for save() otherwise

    @factory.post_generation
    def denominations(self, create, extracted, **kwargs):
        if create and extracted:
            self.denominations.set(extracted)
            self.denominations.commit()  # a parental many-to-many waits for save() otherwise

    @factory.post_generation
    def periods(self, create, extracted, **kwargs):
        if create and extracted:
            self.periods.set(extracted)
            self.periods.commit()  # a parental many-to-many waits for save() otherwise

    @factory.post_generation
    def techniques(self, create, extracted, **kwargs):
        if create and extracted:
            self.techniques.set(extracted)
            self.techniques.commit()  # a parental many-to-many waits for save() otherwise


class WorkAuthorFactory(factory.django.DjangoModelFactory):
    work = factory.SubFactory(WorkFactory)
    person = factory.SubFactory(PersonFactory)
    role = "peintre"

    class Meta:
        model = WorkAuthor


class WorkPlaceFactory(factory.django.DjangoModelFactory):
    work = factory.SubFactory(WorkFactory)
    place = factory.SubFactory(PlaceFactory)
    role = WorkPlace.Role.CREATION

    class Meta:
        model = WorkPlace


class WagtailImageFactory(factory.django.DjangoModelFactory):
    """A small real image file in Wagtail's image library."""

    title = factory.Sequence(lambda n: f"Image {n}")
    file = factory.LazyFunction(get_test_image_file)

    class Meta:
        model = "wagtailimages.Image"


class WorkImageFactory(factory.django.DjangoModelFactory):
    work = factory.SubFactory(WorkFactory)
    image = factory.SubFactory(WagtailImageFactory)
    copyright_line = "© Musée"
    licence = WorkImage.Licence.CC_BY

    class Meta:
        model = WorkImage


class WorkRecordFactory(factory.Factory):
    """A parsed record, as a parser yields it to the loader (no database); set museofile_id."""

    number = factory.Sequence(lambda n: n + 1)
    line = factory.LazyAttribute(lambda o: 20 * o.number - 19)
    museofile_id = "M0458"
    inventory_number = factory.Sequence(lambda n: f"2024.1.{n + 1}")
    fields = factory.LazyFunction(
        lambda: {
            "title": "Coiffe arlésienne",
            "description": "Coiffe de dentelle aux fuseaux, ruban de velours.",
            "dimensions_text": "Hauteur en cm 58 ; Largeur en cm 46.7",
            "periods_text": "2e moitié 19e siècle",
            "acquisition_text": "1955 acquis ; 1954 entrée matérielle",
        }
    )
    domains = factory.LazyFunction(lambda: ["costume - accessoires du costume"])
    denominations = factory.LazyFunction(lambda: ["coiffe"])
    periods = factory.LazyFunction(lambda: ["2e moitié 19e siècle"])
    techniques = factory.LazyFunction(lambda: ["dentelle aux fuseaux", "velours"])
    authors = factory.LazyFunction(lambda: [AuthorRecord(name="anonyme", role="brodeuse")])
    places = factory.LazyFunction(lambda: [PlaceRecord(name="France, Gard, Nîmes")])

    class Meta:
        model = WorkRecord
