"""Named queries over museums: what the directory, the map and the API ask."""

from django.db.models import F
from django.utils.text import slugify
from wagtail.query import PageQuerySet

from musees.core.text import fold


class MuseumPageQuerySet(PageQuerySet):
    """Chainable filters for the museums directory."""

    def base_queryset(self):
        """Museums with what a listing shows, in a constant number of queries."""
        return self.select_related("image").prefetch_related("domains", "opening_hours", "closures")

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
        import math

        k = math.cos(math.radians(lat)) ** 2
        return (
            self.exclude(latitude=None)
            .exclude(longitude=None)
            .alias(
                _d2=(F("latitude") - lat) * (F("latitude") - lat)
                + (F("longitude") - lon) * (F("longitude") - lon) * k
            )
            .order_by("_d2", "title")
        )
