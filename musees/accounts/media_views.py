"""Wagtail media views that forget a museum's collections, replaced by scoped ones.

Routed in musees/urls.py before Wagtail's admin URLs (same addresses); found by the IDOR matrix
of tests/security.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404
from wagtail.images import get_image_model
from wagtail.images.permissions import permission_policy as image_policy
from wagtail.images.views.chooser import ImageSelectFormatView


class ScopedImageSelectFormatView(ImageSelectFormatView):
    """The image chooser's format step, for images the user may choose only (else 404).

    Wagtail's view looks the image up by id without the collection check of the chooser's
    listing: another museum's image title would show.
    """

    def dispatch(self, request, *args, **kwargs):
        image = get_object_or_404(get_image_model(), id=kwargs["image_id"])
        if not image_policy.user_has_permission_for_instance(request.user, "choose", image):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


def scoped_image_select_format_view():
    """The view as Wagtail's image chooser builds its own (same model and URL parameters)."""
    from wagtail.images.views.chooser import viewset

    return ScopedImageSelectFormatView.as_view(
        model=get_image_model(), preserve_url_parameters=viewset.preserve_url_parameters
    )
