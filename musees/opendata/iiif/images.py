"""Which images the IIIF Image API 3.0 service shows, at what size, and their info.json.

Specification: https://iiif.io/api/image/3.0/#5-image-information

An identifier is the primary key of a Wagtail image attached to a published work of a live museum
(`Work.objects.published()`); any other identifier is unknown (404), so a draft never shows.
An image whose high-resolution download is not allowed is served as if its master were at most
IIIF_RESTRICTED_MAX_SIZE pixels on its long side: no request, tile by tile or whole, gets more.
"""

import math
from dataclasses import dataclass

from django.conf import settings

from musees.catalogue.models import Work, WorkImage

from . import image as iiif_image
from .pyramid import TILE, Source, source_key

CONTEXT = "http://iiif.io/api/image/3/context.json"
PROTOCOL = "http://iiif.io/api/image"
PROFILE = "level1"
PROFILE_URI = "http://iiif.io/api/image/3/level1.json"
MAX_DB_ID = 2**63 - 1


def max_area() -> int:
    """The largest number of pixels one response may hold (IIIF_MAX_AREA)."""
    return getattr(settings, "IIIF_MAX_AREA", 4_000_000)


def restricted_max_size() -> int:
    """Long side of images whose high-resolution download is not allowed."""
    return getattr(settings, "IIIF_RESTRICTED_MAX_SIZE", 1600)


def iiif_rights(licence_url: str) -> str | None:
    """The licence as IIIF `rights` wants it (Creative Commons and RightsStatements.org, http).

    IIIF accepts only those two families, in their canonical http form; another licence (the
    Licence Ouverte) has no `rights` value and is stated in the metadata instead.
    """
    url = licence_url.replace("https://creativecommons.org/", "http://creativecommons.org/")
    if url.startswith(("http://creativecommons.org/", "http://rightsstatements.org/vocab/")):
        return url
    return None


@dataclass(frozen=True)
class ServedImage:
    """A public image as the service shows it: served size, limits, licence."""

    work_image: WorkImage
    width: int
    height: int
    limits: iiif_image.Limits
    restricted: bool

    @property
    def source(self) -> Source:
        image = self.work_image.image
        return Source(
            key=source_key(image.pk, image.file.name, image.file_size, self.width, self.height),
            open_master=lambda: image.open_file(),
            width=self.width,
            height=self.height,
        )


def served_size(width: int, height: int, restricted: bool) -> tuple[int, int]:
    """The size the service shows for a master of width x height."""
    cap = restricted_max_size()
    if not restricted or max(width, height) <= cap:
        return width, height
    scale = cap / max(width, height)
    return max(1, round(width * scale)), max(1, round(height * scale))


def served_image_for(work_image: WorkImage) -> ServedImage:
    """How the service shows one work image."""
    restricted = not work_image.high_resolution_download
    width, height = served_size(work_image.image.width, work_image.image.height, restricted)
    cap = restricted_max_size() if restricted else max(width, height)
    return ServedImage(
        work_image=work_image,
        width=width,
        height=height,
        limits=iiif_image.Limits(max_width=cap, max_height=cap, max_area=max_area()),
        restricted=restricted,
    )


def find_public_image(identifier: str) -> ServedImage | None:
    """The public image behind an identifier, or None (unknown, or attached to no public work)."""
    if not identifier.isascii() or not identifier.isdigit() or int(identifier) > MAX_DB_ID:
        return None
    work_image = (
        WorkImage.objects.filter(image_id=int(identifier), work__in=Work.objects.published())
        .select_related("image")
        # The most generous use wins when one image illustrates several works.
        .order_by("-high_resolution_download", "pk")
        .first()
    )
    return served_image_for(work_image) if work_image else None


def image_info(served: ServedImage, service_id: str) -> dict:
    """The info.json document of one image service."""
    width, height, limits = served.width, served.height, served.limits
    factors = iiif_image.scale_factors(width, height, TILE)
    sizes = []
    for factor in reversed(factors):
        size_w, size_h = math.ceil(width / factor), math.ceil(height / factor)
        if size_w * size_h <= limits.max_area:
            sizes.append({"width": size_w, "height": size_h})
    info = {
        "@context": CONTEXT,
        "id": service_id,
        "type": "ImageService3",
        "protocol": PROTOCOL,
        "profile": PROFILE,
        "width": width,
        "height": height,
        "maxArea": limits.max_area,
        "sizes": sizes,
        "tiles": [{"width": TILE, "scaleFactors": factors}],
        "extraFormats": iiif_image.EXTRA_FORMATS,
        "extraQualities": iiif_image.EXTRA_QUALITIES,
        "extraFeatures": iiif_image.EXTRA_FEATURES,
    }
    if served.restricted:
        info["maxWidth"] = limits.max_width
        info["maxHeight"] = limits.max_height
    rights = iiif_rights(served.work_image.licence_url)
    if rights:
        info["rights"] = rights
    return info
