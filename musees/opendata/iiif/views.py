"""IIIF Image API 3.0 and Presentation API 3.0 endpoints.

Specifications: https://iiif.io/api/image/3.0/ and https://iiif.io/api/presentation/3.0/

Every response, errors included, carries `Access-Control-Allow-Origin: *` so that a viewer on any
site can read it, and stays out of the public page cache (these views keep their own cache).
"""

import functools
import json
import logging

from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe
from PIL import Image as PILImage

from musees.catalogue.models import Work

from . import image as iiif_image
from .images import CONTEXT, PROFILE_URI, find_public_image, image_info
from .presentation import CONTEXT as PRESENTATION_CONTEXT
from .presentation import IiifManifestBuilder
from .pyramid import get_or_render

logger = logging.getLogger(__name__)

CACHE_SECONDS = 3600
NOT_FOUND = _("Ressource IIIF inconnue.")


def _json_response(request, data: dict, context: str, status: int = 200) -> HttpResponse:
    """JSON, or JSON-LD with the context as profile when the client asks for it."""
    if "application/ld+json" in request.headers.get("Accept", ""):
        content_type = f'application/ld+json;profile="{context}"'
    else:
        content_type = "application/json"
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False), content_type=content_type, status=status
    )
    response["Vary"] = "Accept"
    return response


def _error(status: int, message: str) -> HttpResponse:
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


def iiif_endpoint(view):
    """Answer GET/HEAD (and CORS preflight) with CORS headers, outside the public page cache."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        # A timeout of 0 tells the public page cache (musees.core.cache) not to keep the response.
        request.public_cache_seconds = 0
        if request.method == "OPTIONS":
            response = HttpResponse(status=204)
            response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
            response["Access-Control-Allow-Headers"] = "Accept"
        else:
            try:
                response = require_safe(view)(request, *args, **kwargs)
            except Http404:
                response = _error(404, NOT_FOUND)
        response["Access-Control-Allow-Origin"] = "*"
        return response

    return wrapper


@iiif_endpoint
def image_base(request, identifier: str):
    """The base URI of an image service redirects to its info.json (303)."""
    if find_public_image(identifier) is None:
        raise Http404
    response = HttpResponseRedirect(reverse("iiif:info", kwargs={"identifier": identifier}))
    response.status_code = 303
    return response


@iiif_endpoint
def image_info_view(request, identifier: str):
    """The image information document (info.json) of one public image."""
    served = find_public_image(identifier)
    if served is None:
        raise Http404
    service_id = request.build_absolute_uri(reverse("iiif:base", kwargs={"identifier": identifier}))
    response = _json_response(request, image_info(served, service_id), CONTEXT)
    response["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
    return response


@iiif_endpoint
def image_request(request, identifier: str, region: str, size: str, rotation: str, filename: str):
    """One image request: region, size, rotation, quality and format of a public image."""
    served = find_public_image(identifier)
    if served is None:
        raise Http404
    try:
        parsed = iiif_image.parse_request(region, size, rotation, filename)
        resolved = iiif_image.resolve(parsed, served.width, served.height, served.limits)
    except iiif_image.IiifError as error:
        return _error(error.status, error.message)
    try:
        data = get_or_render(served.source, resolved)
    except (OSError, PILImage.DecompressionBombError, ValueError):
        # The master file is missing or unreadable: for the client, this image is not available.
        logger.exception("Image IIIF %s illisible", identifier)
        raise Http404 from None
    response = HttpResponse(data, content_type=resolved.content_type)
    response["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
    response["Link"] = f'<{PROFILE_URI}>;rel="profile"'
    return response


@iiif_endpoint
def manifest(request, museum_slug: str, inventory: str):
    """The Presentation API 3.0 manifest of one public work."""
    work = get_object_or_404(
        Work.objects.published().select_related("museum"),
        museum__slug=museum_slug,
        inventory_number=inventory,
    )
    if not work.images.exists():  # a manifest must have at least one canvas
        raise Http404
    data = IiifManifestBuilder(request).build(work)
    response = _json_response(request, data, PRESENTATION_CONTEXT)
    response["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
    return response
