"""The works ("Œuvres") in the admin: each museum's staff see and edit their own museum's only."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import (
    FieldPanel,
    MultiFieldPanel,
    ObjectList,
    PublishingPanel,
)
from wagtail.admin.ui.tables import DateColumn
from wagtail.snippets.models import register_snippet

from musees.accounts.scoping import (
    MuseumScopedDeleteBulkAction,
    MuseumScopedSnippetViewSet,
    museum_scope,
    museums_for,
)
from musees.trash.views import TrashDeleteBulkAction, TrashDeleteView

from .admin_dashboard import WorkDashboardPanel
from .admin_forms import WorkAdminForm
from .admin_image_drop import ImageDropInlinePanel
from .models import Work
from .presenters import GROUP_TITLES


def _user_museums(request):
    """The museum filter offers the user's museums only."""
    return museums_for(request.user) if request is not None else museums_for(None)


class WorkFilterSet(WagtailFilterSet):
    museum = django_filters.ModelChoiceFilter(label=_("Musée"), queryset=_user_museums)
    status = django_filters.ChoiceFilter(label=_("État"), choices=Work.Status.choices)

    class Meta:
        model = Work
        fields = ["museum", "status"]


def _group(key, *panels):
    """A section of the form, titled like the public page's group of the same fields."""
    return MultiFieldPanel(list(panels), heading=GROUP_TITLES[key])


class WorkViewSet(MuseumScopedSnippetViewSet):
    model = Work
    icon = "doc-full-inverse"
    menu_label = _("Œuvres")
    menu_order = 210
    add_to_admin_menu = True
    url_prefix = "oeuvres"
    delete_view_class = TrashDeleteView  # to the trash, restorable (musees/trash)
    # Publishing goes through Wagtail's actions (publish, schedule, submit for review,
    # unpublish), each checked against the work's museum; `status` follows (Work.save).

    list_display = [
        "__str__",
        "inventory_number",
        "museum",
        # Wagtail adds the publication status (published, draft, in review) as last column.
        DateColumn("updated_at", label=_("Modifiée le"), sort_key="updated_at"),
    ]
    list_per_page = 50
    filterset_class = WorkFilterSet
    search_fields = ["title", "appellation", "inventory_number", "joconde_ref", "authors_text"]
    search_backend_name = None  # works are not in Wagtail's search index: database lookups
    list_export = ["inventory_number", "title", "museum", "get_status_display", "joconde_ref"]
    export_headings = {
        "inventory_number": _("Numéro d'inventaire"),
        "title": _("Titre"),
        "museum": _("Musée"),
        "get_status_display": _("État"),
        "joconde_ref": _("Référence Joconde"),
    }
    export_filename = "oeuvres"

    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                # A list of the user's museums, not Wagtail's page chooser (which browses them all).
                [FieldPanel("museum", widget=forms.Select)],
                heading=_("Musée"),
            ),
            _group(
                "identification",
                FieldPanel("title"),
                FieldPanel("appellation"),
                # Vocabularies: autocompleted (musees/catalogue/vocabulary.py, declared fields of
                # WorkAdminForm), in the order of the public page.
                FieldPanel("denominations"),
                FieldPanel("domains"),
                FieldPanel("inventory_number"),
                FieldPanel("joconde_ref"),
            ),
            _group(
                "creation",
                FieldPanel("authors_text"),
                FieldPanel("author_details"),
                FieldPanel("former_attributions"),
                FieldPanel("school"),
                FieldPanel("periods_text"),
                FieldPanel("periods"),
                FieldPanel("millesime_text"),
                FieldPanel("epoch"),
                FieldPanel("places_text"),
                FieldPanel("place_details"),
                FieldPanel("historical_geography"),
                FieldPanel("genesis"),
                FieldPanel("techniques_text"),
                FieldPanel("techniques"),
                FieldPanel("dimensions_text"),
            ),
            _group(
                "description",
                FieldPanel("description"),
                FieldPanel("inscriptions"),
                FieldPanel("inscription_details"),
                FieldPanel("subject"),
                FieldPanel("subject_details"),
                FieldPanel("subject_date"),
                FieldPanel("onomastics"),
                FieldPanel("use"),
                FieldPanel("use_details"),
                FieldPanel("use_period"),
                FieldPanel("comments"),
            ),
            _group(
                "history",
                FieldPanel("history"),
                FieldPanel("discovery"),
                FieldPanel("discovery_details"),
                FieldPanel("site_number"),
                FieldPanel("acquisition_text"),
                FieldPanel("former_owner"),
                FieldPanel("deposit"),
                FieldPanel("deposit_date"),
                FieldPanel("legal_status"),
                FieldPanel("location"),
            ),
            _group(
                "references",
                FieldPanel("bibliography"),
                FieldPanel("exhibitions"),
                FieldPanel("links"),
                FieldPanel("record_authors"),
            ),
            _group(
                "rights",
                FieldPanel("copyright_notice"),
                FieldPanel("photo_credits"),
                # The images, with a drop zone for new files (admin_image_drop.py).
                ImageDropInlinePanel(
                    "images",
                    heading=_("Images"),
                    label=_("Image"),
                    panels=[
                        FieldPanel("image"),
                        FieldPanel("alt_text"),
                        FieldPanel("caption"),
                        FieldPanel("photographer"),
                        FieldPanel("copyright_line"),
                        FieldPanel("licence"),
                        FieldPanel("high_resolution_download"),
                    ],
                ),
            ),
            # Scheduled publication ("Programmer" in the status panel): go-live and expiry dates.
            PublishingPanel(),
        ],
        base_form_class=WorkAdminForm,
    )

    def get_queryset(self, request):
        return Work.objects.select_related("museum")


register_snippet(WorkViewSet)

# After Wagtail's own (order 0), so that it replaces Wagtail's bulk delete for scoped models.
hooks.register("register_bulk_action", MuseumScopedDeleteBulkAction, order=1)
# Works go to the trash when deleted in bulk too (replaces the one above for them).
hooks.register("register_bulk_action", TrashDeleteBulkAction, order=2)


@hooks.register("construct_homepage_panels")
def add_work_dashboard_panel(request, panels):
    """Museum staff see their own museums' works and completeness on the admin home."""
    scope = museum_scope(request.user)
    if scope.is_museum_staff:
        panels.append(WorkDashboardPanel(scope.museum_ids(["view"])))
