"""Context every public template can use."""

from django.conf import settings

from .sections import available_sections


def site_context(request):
    """Site name, the sections built so far, and the map tile server."""
    return {
        "SITE_NAME": settings.WAGTAIL_SITE_NAME,
        "site_sections": available_sections,  # called lazily by templates that show it
        "MAP_TILE_URL": settings.MAP_TILE_URL,
        "MAP_TILE_ATTRIBUTION": settings.MAP_TILE_ATTRIBUTION,
    }
