"""The admin's work form: museums and status limited by the user's roles, parsed fields kept in
step with the texts they come from, images chosen among those the user may use."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.images import get_image_model
from wagtail.images.permissions import permission_policy as image_permission_policy

from musees.accounts.scoping import (
    ADD,
    CHANGE,
    ERROR_PUBLISH,
    PUBLISH,
    museum_scope,
    museums_for,
)

from .models import Work
from .parsing import parse_acquisition_year, parse_dimensions, parse_year_range

HELP_STATUS_LOCKED = _(
    "Œuvre publiée : seul un responsable du musée ou un modérateur du réseau peut changer son état."
)
HELP_STATUS_NO_PUBLISH = _(
    "Un responsable du musée ou un modérateur du réseau publie l'œuvre une fois relue."
)

# Parsed values and the texts they are read from (as the catalogue loader reads them).
_DIMENSION_FIELDS = ("height_cm", "width_cm", "depth_cm", "diameter_cm")
_YEAR_SOURCES = ("millesime_text", "periods_text")


class WorkAdminForm(WagtailAdminModelForm):
    """A work's edit form for one user: their museums, and "publiée" only where they publish."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        self.scope = museum_scope(user)
        self.creating = self.instance.pk is None
        self.original_status = None if self.creating else self.instance.status
        self.original_museum_id = None if self.creating else self.instance.museum_id
        self.museum_ids = []
        self._limit_museums(user)
        self._limit_status()
        self._limit_images(user)

    def _limit_museums(self, user):
        if "museum" not in self.fields:
            return
        self.fields["museum"].queryset = museums_for(user, ADD if self.creating else CHANGE)
        museums = list(self.fields["museum"].queryset)
        self.museum_ids = [museum.pk for museum in museums]
        if self.creating and len(museums) == 1 and not self.is_bound:
            self.initial["museum"] = museums[0].pk

    def _limit_status(self):
        field = self.fields.get("status")
        if field is None:
            return
        published = Work.Status.PUBLISHED
        if self.original_status == published:
            if not self.scope.allows(PUBLISH, self.original_museum_id):
                field.disabled = True
                field.help_text = HELP_STATUS_LOCKED
        elif not any(self.scope.allows(PUBLISH, pk) for pk in self.museum_ids):
            field.choices = [(v, label) for v, label in field.choices if v != published]
            field.help_text = HELP_STATUS_NO_PUBLISH

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

    def clean(self):
        cleaned = super().clean()
        museum, status = cleaned.get("museum"), cleaned.get("status")
        if museum is None or status is None:
            return cleaned
        published = Work.Status.PUBLISHED
        moves = self.original_status != status and published in (self.original_status, status)
        moves = moves or (status == published and museum.pk != self.original_museum_id)
        if moves and not self.scope.allows(PUBLISH, museum.pk):
            self.add_error("status", ERROR_PUBLISH)
        return cleaned

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
