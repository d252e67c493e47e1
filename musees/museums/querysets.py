"""Named queries over museums: what the directory, the map and the API ask."""

import math

from django.db.models import Avg, Exists, F, OuterRef, Q
from django.utils.text import slugify
from wagtail.query import PageQuerySet

from musees.core.text import fold

# The accessibility keys of the directory's `acces` filter, and the field each one reads.
ACCESS_FIELDS = {
    "moteur": "access_motor",
    "auditif": "access_hearing",
    "visuel": "access_visual",
    "mental": "access_mental",
    "th": "tourisme_handicap",
}


class MuseumPageQuerySet(PageQuerySet):
    """Chainable filters for the museums directory."""

    def published(self):
        """Museums a visitor may see: live and outside any private section."""
        return self.live().public()

    def base_queryset(self):
        """Museums with what a listing shows, in a constant number of queries."""
        return self.select_related("image").prefetch_related(
            "domains", "opening_hours", "closures", "image__renditions"
        )

    def in_departement(self, code: str):
        """Museums of a département, by code ("32", "2A")."""
        return self.filter(departement_code=code)

    def in_commune(self, commune: str):
        """Museums of a commune, by name or slug, whatever the accents and case typed."""
        return self.filter(commune_slug=slugify(commune))

    def with_domain(self, slug: str):
        """Museums with a thematic domain (by slug)."""
        return self.filter(domains__slug=slug)

    def musees_de_france(self):
        """Museums holding the "Musée de France" label."""
        return self.filter(is_musee_de_france=True)

    def free(self):
        """Museums whose entry is free for everyone."""
        return self.filter(admission_free=True)

    def accessible_for(self, keys):
        """Museums offering every accessibility feature asked (keys of ACCESS_FIELDS)."""
        return self.filter(**{ACCESS_FIELDS[key]: True for key in keys if key in ACCESS_FIELDS})

    def with_coordinates(self):
        """Museums placed on the map (both latitude and longitude known)."""
        return self.exclude(latitude=None).exclude(longitude=None)

    def with_hours(self):
        """Museums that have given structured opening hours."""
        from .models import OpeningHours

        return self.filter(Exists(OpeningHours.objects.filter(page=OuterRef("pk"))))

    def matching(self, text: str):
        """Museums whose name or commune contains every word typed, accents and case ignored."""
        qs = self
        for word in fold(text).split():
            qs = qs.filter(search_text__contains=word)
        return qs

    def by_distance_from(self, lat: float, lon: float):
        """Museums with coordinates, nearest first.

        Sorted on an equirectangular approximation that needs only arithmetic in SQL (the same on
        SQLite and PostgreSQL); exact distances are computed for display with `haversine_km`.
        """
        k = math.cos(math.radians(lat)) ** 2
        return (
            self.with_coordinates()
            .alias(
                _d2=(F("latitude") - lat) * (F("latitude") - lat)
                + (F("longitude") - lon) * (F("longitude") - lon) * k
            )
            .order_by("_d2", "title")
        )

    def centroid(self) -> tuple[float, float] | None:
        """The mean (lat, lon) of the museums with coordinates, or None when none has any."""
        point = self.with_coordinates().aggregate(lat=Avg("latitude"), lon=Avg("longitude"))
        if point["lat"] is None or point["lon"] is None:
            return None
        return point["lat"], point["lon"]

    def places(self):
        """Distinct (département code, département name, commune slug, commune) rows, one query.

        The directory builds both its département and its commune choices from these rows.
        """
        return (
            self.exclude(Q(departement_code="") & Q(commune_slug=""))
            .order_by()
            .values_list("departement_code", "departement_name", "commune_slug", "commune")
            .distinct()
        )
