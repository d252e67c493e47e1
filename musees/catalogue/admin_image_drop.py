"""Images of a work added by drag and drop (or chosen files) in its admin form.

`ImageDropInlinePanel` is the work's images InlinePanel with a drop zone under its rows:
static/catalogue/admin/image-drop.js sends each file to `image_drop_upload`, which puts it in
the museum's Wagtail collection through Wagtail's own image form (the same format, size and
pixel checks as the image library), then adds a row to the panel with the image chosen and
moves the focus to its alternative text. Refused: a museum where the user may not add or
change works, a collection where they may not add images, a file Wagtail does not take as an
image. Nothing is saved then.
"""

import os

from django.http import JsonResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from wagtail import hooks
from wagtail.admin.panels import InlinePanel
from wagtail.images import get_image_model
from wagtail.images.forms import get_image_form
from wagtail.images.utils import get_accept_attributes
from wagtail.images.widgets import AdminImageChooser

from musees.accounts.scoping import ADD, CHANGE, museum_scope
from musees.museums.models import MuseumPage

URL_NAME = "catalogue_image_drop"

ERROR_NO_MUSEUM = _(
    "Choisissez d'abord le musée de l'œuvre : ses images vont dans la photothèque du musée."
)
ERROR_MUSEUM_NOT_ALLOWED = _("Vous ne pouvez pas ajouter d'images aux collections de ce musée.")
ERROR_NO_FILE = _("Aucun fichier reçu : choisissez une image, ou déposez-la dans la zone.")


def _error(message, status: int) -> JsonResponse:
    return JsonResponse({"error": str(message)}, status=status)


def _museum_of(request):
    try:
        museum_id = int(request.POST.get("museum", ""))
    except ValueError:
        return None
    return MuseumPage.objects.filter(pk=museum_id).only("pk", "collection_id").first()


@require_POST
def image_drop_upload(request):
    """Save one uploaded image in the museum's collection: JSON of the image chooser's state."""
    museum = _museum_of(request)
    if museum is None:
        return _error(ERROR_NO_MUSEUM, 400)
    scope = museum_scope(request.user)
    if museum.collection_id is None or not (
        scope.allows(ADD, museum.pk) or scope.allows(CHANGE, museum.pk)
    ):
        return _error(ERROR_MUSEUM_NOT_ALLOWED, 403)
    upload = request.FILES.get("file")
    if upload is None:
        return _error(ERROR_NO_FILE, 400)

    image_model = get_image_model()
    title = os.path.splitext(os.path.basename(upload.name))[0].strip() or upload.name
    title_max = image_model._meta.get_field("title").max_length
    # Wagtail's own form: its file checks, and a collection among those the user may add to.
    form = get_image_form(image_model)(
        {"title": title[:title_max], "collection": museum.collection_id},
        {"file": upload},
        user=request.user,
    )
    if not form.is_valid():
        if "file" in form.errors:
            return _error(" ".join(form.errors["file"]), 400)
        if "collection" in form.errors:
            return _error(ERROR_MUSEUM_NOT_ALLOWED, 403)
        return _error(
            " ".join(message for errors in form.errors.values() for message in errors), 400
        )
    image = form.save(commit=False)
    image.uploaded_by_user = request.user
    image.save()
    return JsonResponse({"image": AdminImageChooser().get_value_data(image)})


@hooks.register("register_admin_urls")
def register_image_drop_urls():
    # The museum is posted with the file (no identifier in the path).
    return [path("oeuvres/images/depot/", image_drop_upload, name=URL_NAME)]


class ImageDropInlinePanel(InlinePanel):
    """The images InlinePanel, with a drop zone for new image files under its rows."""

    class BoundPanel(InlinePanel.BoundPanel):
        template_name = "catalogue/admin/image_drop_inline_panel.html"

        class Media:
            js = ["catalogue/admin/image-drop.js"]
            css = {"all": ["catalogue/admin/image-drop.css"]}

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            file_field = get_image_form(get_image_model())(user=self.request.user).fields["file"]
            context["drop"] = {
                "url": reverse(URL_NAME),
                "accept": get_accept_attributes(),
                "max_size": file_field.max_upload_size or "",
                "too_large": file_field.error_messages["file_too_large_unknown_size"],
                "help": file_field.help_text,
                "no_museum": ERROR_NO_MUSEUM,
            }
            return context
