"""Named queries over works."""

from django.db import models


class WorkQuerySet(models.QuerySet):
    """Chainable filters for works."""

    def published(self):
        """Works the public may see: published, in a published (live) museum page."""
        return self.filter(status="published", museum__live=True)

    def for_museum(self, museum):
        """Works held by a museum."""
        return self.filter(museum=museum)

    def with_images(self):
        """Works that have at least one image."""
        return self.filter(images__isnull=False).distinct()

    def base_queryset(self):
        """Works with what a listing shows (museum, domains, denominations, first images)."""
        return self.select_related("museum").prefetch_related(
            "domains", "denominations", "images__image"
        )
