"""The admin's work form: museums limited by the user's roles, parsed fields kept in step with
the texts they come from, images chosen among those the user may use, and what a work needs
before it is public (every image with its alternative text and its credit)."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.images import get_image_model
from wagtail.images.permissions import permission_policy as image_permission_policy

from musees.accounts.scoping import ADD, CHANGE, museums_for

from .parsing import parse_acquisition_year, parse_dimensions, parse_year_range
from .vocabulary import VocabularyField, VocabularyFormMixin

ERROR_ALT_TEXT = _(
    "Décrivez l'image en quelques mots pour les personnes qui ne la voient pas : le texte "
    "alternatif est nécessaire avant de publier ou de soumettre à relecture."
)
ERROR_CREDIT = _(
    "Indiquez le photographe ou la mention de copyright : le crédit est nécessaire avant de "
    "publier ou de soumettre à relecture."
)
# The buttons of Wagtail's action menu that make a work public, now or after review.
PUBLISHING_ACTIONS = ("action-publish", "action-submit", "action-workflow-action")

# Parsed values and the texts they are read from (as the catalogue loader reads them).
_DIMENSION_FIELDS = ("height_cm", "width_cm", "depth_cm", "diameter_cm")
_YEAR_SOURCES = ("millesime_text", "periods_text")


class WorkAdminForm(VocabularyFormMixin, WagtailAdminModelForm):
    """A work's edit form for one user: their museums, their museums' images."""

    # Vocabularies typed with autocompletion; new terms are created when the form is saved
    # (musees/catalogue/vocabulary.py).
    domains = VocabularyField(
        "domains",
        label=_("Domaines"),
        help_text=_("Les domaines de la liste Joconde (archéologie, peinture…)."),
    )
    denominations = VocabularyField(
        "denominations",
        label=_("Dénominations"),
        help_text=_("Ce qu'est l'objet : tableau, robe, fragment…"),
    )
    periods = VocabularyField(
        "periods",
        label=_("Périodes (termes)"),
        help_text=_("Les périodes qui servent à la recherche (« 1er quart 19e siècle »…)."),
    )
    techniques = VocabularyField(
        "techniques",
        label=_("Matériaux et techniques (termes)"),
        help_text=_("Les termes qui servent à la recherche (« huile sur toile »…)."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        self.creating = self.instance.pk is None
        self._limit_museums(user)
        self._limit_images(user)

    def _limit_museums(self, user):
        if "museum" not in self.fields:
            return
        self.fields["museum"].queryset = museums_for(user, ADD if self.creating else CHANGE)
        museums = list(self.fields["museum"].queryset)
        if self.creating and len(museums) == 1 and not self.is_bound:
            self.initial["museum"] = museums[0].pk

    def _limit_images(self, user):
        # Images come from the collections the user may choose from (their museum's), as in the
        # image chooser; those already on the work stay valid.
        formset = self.formsets.get("images")
        if formset is None:
            return
        choosable = image_permission_policy.instances_user_has_any_permission_for(user, ["choose"])
        current = [] if self.creating else list(self.instance.images.values_list("image_id"))
        allowed = get_image_model().objects.filter(pk__in=choosable.values("pk")) | (
            get_image_model().objects.filter(pk__in=[pk for (pk,) in current])
        )
        for form in formset.forms:
            if "image" in form.fields:
                form.fields["image"].queryset = allowed

    @property
    def publishing(self) -> bool:
        """Whether the user asked to publish the work or to submit it for review."""
        return self.is_bound and any(name in self.data for name in PUBLISHING_ACTIONS)

    def clean(self):
        cleaned = super().clean()
        if self.publishing:
            self._check_images_are_credited()
        return cleaned

    def _check_images_are_credited(self):
        formset = self.formsets.get("images")
        if formset is None:
            return
        formset.is_valid()  # the image forms are cleaned before their errors are added to
        for form in formset.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or not data.get("image"):
                continue
            if not (data.get("alt_text") or "").strip():
                form.add_error("alt_text", ERROR_ALT_TEXT)
            if not (
                (data.get("photographer") or "").strip()
                or (data.get("copyright_line") or "").strip()
            ):
                form.add_error("photographer", ERROR_CREDIT)

    def save(self, commit=True):
        self._derive_parsed_values()
        return super().save(commit=commit)

    def _derive_parsed_values(self):
        """Dimensions in cm and years, read again from the texts when they changed."""
        work, changed = self.instance, set(self.changed_data)
        if self.creating or "dimensions_text" in changed:
            for name in _DIMENSION_FIELDS:
                setattr(work, name, None)
            for name, value in parse_dimensions(work.dimensions_text).items():
                setattr(work, name, value)
        if self.creating or changed & set(_YEAR_SOURCES):
            # Without a period text, the loader reads the period terms: so does the form.
            periods = work.periods_text
            if not periods and not self.creating:
                periods = " ; ".join(period.label for period in work.periods.all())
            years = parse_year_range(work.millesime_text) or parse_year_range(periods)
            work.year_start, work.year_end = years or (None, None)
        if self.creating or "acquisition_text" in changed:
            work.acquisition_year = parse_acquisition_year(work.acquisition_text)
