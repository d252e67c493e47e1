"""The admin home panel of museum staff: their works in draft, the latest changes, and how
complete their museum page and works are. Seven queries whatever the number of museums/works."""

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.components import Component
from wagtail.models import WorkflowState

from musees.museums.models import MuseumPage, OpeningHours

from .models import Work, WorkImage

# How many works each list of the panel shows.
PANEL_LIST_LIMIT = 6

# The museum page fields a visitor needs, each with a test on the page's row.
_PAGE_TEXT_FIELDS = ("description", "address", "postcode", "commune", "phone", "email", "website")
_ACCESS_FIELDS = ("access_motor", "access_hearing", "access_visual", "access_mental")
PAGE_CHECKS = [
    *((name, lambda row, name=name: bool((row[name] or "").strip())) for name in _PAGE_TEXT_FIELDS),
    ("image", lambda row: row["image_id"] is not None),
    ("opening_hours", lambda row: row["has_hours"]),
    ("prices", lambda row: row["admission_free"] or row["price_full"] is not None),
    (
        "accessibility",
        lambda row: (
            any(row[name] for name in _ACCESS_FIELDS) or bool(row["accessibility_note"].strip())
        ),
    ),
]
_CHECK_LABELS = {
    "image": _("image principale"),
    "opening_hours": _("horaires d'ouverture"),
    "prices": _("tarifs"),
    "accessibility": _("accessibilité"),
}


def _check_label(name: str) -> str:
    if name in _CHECK_LABELS:
        return _CHECK_LABELS[name]
    return MuseumPage._meta.get_field(name).verbose_name


def _share(part: int, whole: int) -> int | None:
    """A whole percentage, or None when there is nothing to count."""
    return round(100 * part / whole) if whole else None


@dataclass
class MuseumCompleteness:
    """How complete one museum's page and works are (percentages; None: nothing to measure)."""

    museum_id: int
    title: str
    works: int = 0
    drafts: int = 0
    works_with_image: int = 0
    images: int = 0
    images_with_alt: int = 0
    images_with_credit: int = 0
    page_missing: list = field(default_factory=list)

    @property
    def page_share(self) -> int:
        return _share(len(PAGE_CHECKS) - len(self.page_missing), len(PAGE_CHECKS))

    @property
    def image_share(self) -> int | None:
        return _share(self.works_with_image, self.works)

    @property
    def alt_share(self) -> int | None:
        return _share(self.images_with_alt, self.images)

    @property
    def credit_share(self) -> int | None:
        return _share(self.images_with_credit, self.images)

    @property
    def score(self) -> int:
        """The mean of the shares that can be measured."""
        shares = [self.page_share, self.image_share, self.alt_share, self.credit_share]
        shares = [share for share in shares if share is not None]
        return round(sum(shares) / len(shares))


def museums_completeness(museum_ids) -> list[MuseumCompleteness]:
    """Completeness of each museum (three queries), by title."""
    has_hours = Exists(OpeningHours.objects.filter(page=OuterRef("pk")))
    rows = (
        MuseumPage.objects.filter(pk__in=museum_ids)
        .annotate(has_hours=has_hours)
        .order_by("title")
        .values(
            "pk",
            "title",
            "image_id",
            "admission_free",
            "price_full",
            "accessibility_note",
            "has_hours",
            *_PAGE_TEXT_FIELDS,
            *_ACCESS_FIELDS,
        )
    )
    result = {
        row["pk"]: MuseumCompleteness(
            museum_id=row["pk"],
            title=row["title"],
            page_missing=[_check_label(name) for name, test in PAGE_CHECKS if not test(row)],
        )
        for row in rows
    }
    has_image = Exists(WorkImage.objects.filter(work=OuterRef("pk")))
    works = (
        Work.objects.filter(museum_id__in=museum_ids)
        .order_by()
        .values("museum_id")
        .annotate(
            total=Count("pk"),
            drafts=Count("pk", filter=Q(status=Work.Status.DRAFT)),
            with_image=Count("pk", filter=Q(has_image)),
        )
    )
    for row in works:
        item = result[row["museum_id"]]
        item.works, item.drafts, item.works_with_image = (
            row["total"],
            row["drafts"],
            row["with_image"],
        )
    images = (
        WorkImage.objects.filter(work__museum_id__in=museum_ids)
        .order_by()
        .values("work__museum_id")
        .annotate(
            total=Count("pk"),
            with_alt=Count("pk", filter=~Q(alt_text="")),
            with_credit=Count("pk", filter=~Q(photographer="") | ~Q(copyright_line="")),
        )
    )
    for row in images:
        item = result[row["work__museum_id"]]
        item.images, item.images_with_alt, item.images_with_credit = (
            row["total"],
            row["with_alt"],
            row["with_credit"],
        )
    return list(result.values())


class WorkDashboardPanel(Component):
    """The home panel of museum staff: only the museums where they hold a role."""

    name = "musees_works"
    order = 90
    template_name = "catalogue/admin/dashboard_panel.html"

    def __init__(self, museum_ids):
        self.museum_ids = list(museum_ids)

    def get_context_data(self, parent_context):
        works = Work.objects.filter(museum_id__in=self.museum_ids).select_related("museum")
        edit_url_name = Work.snippet_viewset.get_url_name("edit")
        list_url = reverse(Work.snippet_viewset.get_url_name("list"))

        def rows(queryset):
            return [
                {"work": work, "edit_url": reverse(edit_url_name, args=[work.pk])}
                for work in queryset.order_by("-updated_at", "-pk")[:PANEL_LIST_LIMIT]
            ]

        museums = museums_completeness(self.museum_ids)
        in_review = WorkflowState.objects.filter(
            status=WorkflowState.STATUS_IN_PROGRESS,
            base_content_type=ContentType.objects.get_for_model(Work),
        ).values_list("object_id", flat=True)
        waiting = works.filter(pk__in=[int(pk) for pk in in_review])
        return {
            "museums": museums,
            "waiting": rows(waiting),
            "waiting_count": waiting.count(),
            "unpublished_changes": rows(works.filter(live=True, has_unpublished_changes=True)),
            # Drafts not yet submitted (those waiting for review are listed above).
            "drafts": rows(works.filter(status=Work.Status.DRAFT).exclude(pk__in=waiting)),
            "draft_count": sum(item.drafts for item in museums)
            - waiting.filter(status=Work.Status.DRAFT).count(),
            "recent": rows(works),
            "drafts_url": f"{list_url}?status={Work.Status.DRAFT}",
            "list_url": list_url,
        }
