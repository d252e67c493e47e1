"""Named queries over works."""

from django.db import models
from django.db.models import Case, Count, Exists, F, OuterRef, Subquery, When

# How many works a "related works" strip shows.
RELATED_LIMIT = 4


def century_expression():
    """The century of a work's first year as a number: 1800-1899 -> 19, -50 -> -1 (1st BC).

    The catalogue writes "19e siècle" for 1800-1899 (the parser gives 1800-1825 for "1er quart
    19e siècle"), so a century starts at a multiple of 100. Integer division truncates towards
    zero on both SQLite and PostgreSQL, so years before 0 are shifted first to floor them.
    """
    year = F("year_start")
    return Case(
        When(year_start__gte=0, then=year / 100 + 1),
        default=(year - 99) / 100,
        output_field=models.IntegerField(),
    )


def century_of(year: int) -> int:
    """The century number of a year, as century_expression() computes it in SQL."""
    return year // 100 + 1 if year >= 0 else -((99 - year) // 100)


def century_range(century: int) -> tuple[int, int]:
    """The first and last year of a century number as century_expression() gives it."""
    start = (century - 1) * 100 if century > 0 else century * 100
    return start, start + 99


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

    def detail_queryset(self):
        """Works with everything their page shows, in a constant number of queries."""
        from .models import WorkImage

        return self.select_related("museum").prefetch_related(
            "domains",
            "denominations",
            "periods",
            "techniques",
            "work_authors__person",
            "work_places__place",
            models.Prefetch("images", queryset=WorkImage.objects.select_related("image")),
        )

    def with_card_fields(self):
        """Works with what a card shows, in the same query as the works: their museum,
        `card_denomination` and `card_domain` (the first of each, for the plate of a work
        without image), `card_image_id` (the Wagtail image of the first WorkImage, its IIIF
        identifier) and `card_image_alt`.
        """
        from .models import Work, WorkImage

        first_image = WorkImage.objects.filter(work=OuterRef("pk")).order_by("position", "pk")
        denominations = Work.denominations.through.objects.filter(work=OuterRef("pk")).order_by(
            "pk"
        )
        domains = Work.domains.through.objects.filter(work=OuterRef("pk")).order_by("pk")
        return self.select_related("museum").annotate(
            card_denomination=Subquery(denominations.values("denomination__label")[:1]),
            card_domain=Subquery(domains.values("domain__label")[:1]),
            card_image_id=Subquery(first_image.values("image_id")[:1]),
            card_image_alt=Subquery(first_image.values("alt_text")[:1]),
        )

    def in_museum(self, slug: str):
        """Works of the museum whose page has this slug."""
        return self.filter(museum__slug=slug)

    def with_domain(self, slug: str):
        """Works of a domain (by slug)."""
        from .models import Work

        links = Work.domains.through.objects.filter(work=OuterRef("pk"), domain__slug=slug)
        return self.filter(Exists(links))

    def by_person(self, slug: str):
        """Works one of whose authors is this person (by slug)."""
        from .models import WorkAuthor

        return self.filter(
            Exists(WorkAuthor.objects.filter(work=OuterRef("pk"), person__slug=slug))
        )

    def in_century(self, century: int):
        """Works whose first year falls in a century (19 = 1800-1899, -1 = 1st century BC)."""
        start, end = century_range(century)
        return self.filter(year_start__gte=start, year_start__lte=end)

    def catalogue_order(self):
        """Works in catalogue order: by museum, then inventory number."""
        return self.order_by("museum__title", "inventory_number", "pk")

    def recent_first(self):
        """The works most recently added first."""
        return self.order_by("-created_at", "-pk")

    def related_to(self, work, *, by: str, exclude=()):
        """Other works sharing the work's authors, domains or periods (by = "author",
        "domain" or "period"), newest first; `exclude` lists work ids already shown.

        Ids come from the work's prefetched relations, so this is one query whatever the
        number of authors, domains or periods. A work without periods falls back on its century.
        """
        from .models import Work, WorkAuthor

        qs = self.exclude(pk=work.pk).exclude(pk__in=list(exclude))
        if by == "author":
            ids = [link.person_id for link in work.work_authors.all()]
            if not ids:
                return self.none()
            qs = qs.filter(Exists(WorkAuthor.objects.filter(work=OuterRef("pk"), person__in=ids)))
        elif by == "domain":
            ids = [domain.pk for domain in work.domains.all()]
            if not ids:
                return self.none()
            links = Work.domains.through.objects.filter(work=OuterRef("pk"), domain__in=ids)
            qs = qs.filter(Exists(links))
        elif by == "period":
            ids = [period.pk for period in work.periods.all()]
            if ids:
                links = Work.periods.through.objects.filter(work=OuterRef("pk"), period__in=ids)
                qs = qs.filter(Exists(links))
            elif work.year_start is not None:
                qs = qs.in_century(century_of(work.year_start))
            else:
                return self.none()
        else:
            raise ValueError(f"unknown relation {by!r}")
        return qs.recent_first()

    # --- Facets: one GROUP BY query each -----------------------------------------------------

    def museum_counts(self):
        """(slug, title, short name, count) of the museums holding these works, one query."""
        return (
            self.order_by()
            .values("museum__slug", "museum__title", "museum__short_name")
            .annotate(count=Count("pk"))
            .order_by("museum__title")
        )

    def domain_counts(self):
        """(slug, label, count) of the domains of these works, most frequent first, one query."""
        from .models import Work

        return (
            Work.domains.through.objects.filter(work__in=self.order_by().values("pk"))
            .values("domain__slug", "domain__label")
            .annotate(count=Count("work", distinct=True))
            .order_by("-count", "domain__label")
        )

    def century_counts(self):
        """(century, count) of these works by the century of their first year, one query."""
        return (
            self.exclude(year_start=None)
            .order_by()
            .annotate(century=century_expression())
            .values("century")
            .annotate(count=Count("pk"))
            .order_by("century")
        )
