"""IIIF Image API 3.0: parse an image request and apply it to an image, with no I/O.

Specification: https://iiif.io/api/image/3.0/ (compliance: https://iiif.io/api/image/3.0/compliance/)

`parse_request` turns the four path segments of an image request into an `ImageRequest`, or
raises `IiifError` with the status the specification asks for: 400 for a request whose syntax is
wrong, 501 for a valid request using a feature this server does not implement. `resolve` then
places the request on an image of a given size (the region in pixels and the size of the output),
raising 400 for a region entirely outside the image or a size that would need upscaling, and 404
for a size over the server's limits. `render` applies a resolved request to a PIL image.
"""

import io
import math
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _
from PIL import Image

# What this server implements beyond level 1 (the names are those of the specification).
EXTRA_FEATURES = [
    "mirroring",
    "regionByPct",
    "rotationBy90s",
    "sizeByConfinedWh",
    "sizeByPct",
]
EXTRA_QUALITIES = ["color", "gray"]
EXTRA_FORMATS = ["png", "webp"]
FORMATS = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}
# Formats and qualities the specification defines that this server does not produce (501).
UNSUPPORTED_FORMATS = {"tif", "gif", "pdf", "jp2"}
UNSUPPORTED_QUALITIES = {"bitonal"}
QUALITIES = {"default", "color", "gray"}
JPEG_QUALITY = 85

_INT = r"\d+"
_FLOAT = r"\d+(?:\.\d+)?|\.\d+"
_REGION_PX = re.compile(rf"^({_INT}),({_INT}),({_INT}),({_INT})$")
_REGION_PCT = re.compile(rf"^pct:({_FLOAT}),({_FLOAT}),({_FLOAT}),({_FLOAT})$")
_SIZE_W = re.compile(rf"^({_INT}),$")
_SIZE_H = re.compile(rf"^,({_INT})$")
_SIZE_WH = re.compile(rf"^(!?)({_INT}),({_INT})$")
_SIZE_PCT = re.compile(rf"^pct:({_FLOAT})$")
_ROTATION = re.compile(rf"^(!?)({_FLOAT})$")


class IiifError(Exception):
    """A request the server answers with an error status (400, 404 or 501) and a message."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def _bad(message: str) -> IiifError:
    return IiifError(400, message)


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _bad(_("Valeur trop grande : %(value)s…") % {"value": text[:20]})
    return value


@dataclass(frozen=True)
class ImageRequest:
    """A parsed image request: region, size, rotation, quality and format, not yet placed."""

    region: tuple  # ("full",) | ("square",) | ("px", x, y, w, h) | ("pct", x, y, w, h)
    size: tuple  # ("max",) | ("w", w) | ("h", h) | ("pct", n) | ("wh", w, h) | ("confined", w, h)
    rotation: int  # 0, 90, 180 or 270
    mirror: bool
    quality: str
    format: str


@dataclass(frozen=True)
class Limits:
    """What the server accepts to return for one image (maxWidth, maxHeight, maxArea)."""

    max_width: int
    max_height: int
    max_area: int


@dataclass(frozen=True)
class ResolvedRequest:
    """A request placed on an image: the region in pixels and the exact output size."""

    x: int
    y: int
    w: int
    h: int
    out_w: int
    out_h: int
    rotation: int
    mirror: bool
    quality: str
    format: str

    @property
    def canonical(self) -> str:
        """The canonical form of the request (one cache entry for equivalent requests)."""
        mirror = "!" if self.mirror else ""
        return (
            f"{self.x},{self.y},{self.w},{self.h}/{self.out_w},{self.out_h}/"
            f"{mirror}{self.rotation}/{self.quality}.{self.format}"
        )

    @property
    def content_type(self) -> str:
        return FORMATS[self.format]


def _parse_region(text: str) -> tuple:
    if text in ("full", "square"):
        return (text,)
    if match := _REGION_PX.match(text):
        x, y, w, h = (int(v) for v in match.groups())
        if w == 0 or h == 0:
            raise _bad(_("La largeur et la hauteur de la région doivent être positives."))
        return ("px", x, y, w, h)
    if match := _REGION_PCT.match(text):
        x, y, w, h = (_finite(v) for v in match.groups())
        if w <= 0 or h <= 0:
            raise _bad(_("La largeur et la hauteur de la région doivent être positives."))
        return ("pct", x, y, w, h)
    raise _bad(_("Région invalide."))


def _parse_size(text: str) -> tuple[tuple, bool]:
    """The size and whether it asks for upscaling (the ^ prefix)."""
    upscale = text.startswith("^")
    if upscale:
        text = text[1:]
    if text == "max":
        return ("max",), upscale
    if match := _SIZE_W.match(text):
        return ("w", int(match.group(1))), upscale
    if match := _SIZE_H.match(text):
        return ("h", int(match.group(1))), upscale
    if match := _SIZE_WH.match(text):
        kind = "confined" if match.group(1) else "wh"
        return (kind, int(match.group(2)), int(match.group(3))), upscale
    if match := _SIZE_PCT.match(text):
        return ("pct", _finite(match.group(1))), upscale
    raise _bad(_("Taille invalide."))


def parse_request(region: str, size: str, rotation: str, quality_format: str) -> ImageRequest:
    """Parse the path segments of an image request; raise IiifError(400 or 501) if unusable."""
    parsed_region = _parse_region(region)
    parsed_size, upscale = _parse_size(size)
    match = _ROTATION.match(rotation)
    if not match:
        raise _bad(_("Rotation invalide."))
    mirror = bool(match.group(1))
    degrees = _finite(match.group(2))
    if degrees > 360:
        raise _bad(_("La rotation doit être comprise entre 0 et 360."))
    quality, dot, fmt = quality_format.rpartition(".")
    if not dot or quality not in QUALITIES | UNSUPPORTED_QUALITIES:
        raise _bad(_("Qualité invalide."))
    if fmt not in FORMATS and fmt not in UNSUPPORTED_FORMATS:
        raise _bad(_("Format invalide."))
    # The request is valid: now refuse what this server does not implement.
    if upscale:
        raise IiifError(501, _("L'agrandissement (^) n'est pas pris en charge."))
    if degrees % 90 != 0:
        raise IiifError(
            501, _("Seules les rotations de 0, 90, 180 et 270 degrés sont prises en charge.")
        )
    if quality in UNSUPPORTED_QUALITIES:
        raise IiifError(
            501, _("La qualité %(quality)s n'est pas prise en charge.") % {"quality": quality}
        )
    if fmt in UNSUPPORTED_FORMATS:
        raise IiifError(501, _("Le format %(format)s n'est pas pris en charge.") % {"format": fmt})
    return ImageRequest(
        region=parsed_region,
        size=parsed_size,
        rotation=int(degrees) % 360,
        mirror=mirror,
        quality=quality,
        format=fmt,
    )


def _resolve_region(region: tuple, width: int, height: int) -> tuple[int, int, int, int]:
    kind = region[0]
    if kind == "full":
        return 0, 0, width, height
    if kind == "square":
        side = min(width, height)
        return (width - side) // 2, (height - side) // 2, side, side
    if kind == "px":
        x, y, w, h = region[1:]
    else:
        px, py, pw, ph = region[1:]
        x, y = math.floor(px * width / 100), math.floor(py * height / 100)
        w, h = max(1, round(pw * width / 100)), max(1, round(ph * height / 100))
    if x >= width or y >= height:
        raise _bad(_("La région est entièrement hors de l'image."))
    return x, y, min(w, width - x), min(h, height - y)


def _fit(w: int, h: int, limits: Limits) -> float:
    """The largest scale (<= 1) at which a w x h image fits the limits."""
    return min(
        1.0,
        limits.max_width / w,
        limits.max_height / h,
        math.sqrt(limits.max_area / (w * h)),
    )


def _resolve_size(size: tuple, rw: int, rh: int, limits: Limits) -> tuple[int, int]:
    kind = size[0]
    too_big = _("La taille demandée dépasse celle de la région : ajoutez ^ pour agrandir.")
    if kind == "max":
        scale = _fit(rw, rh, limits)
        return max(1, math.floor(rw * scale)), max(1, math.floor(rh * scale))
    if kind == "w":
        w = size[1]
        if w > rw:
            raise _bad(too_big)
        out = w, round(rh * w / rw)
    elif kind == "h":
        h = size[1]
        if h > rh:
            raise _bad(too_big)
        out = round(rw * h / rh), h
    elif kind == "pct":
        if size[1] > 100:
            raise _bad(too_big)
        out = round(rw * size[1] / 100), round(rh * size[1] / 100)
    elif kind == "wh":
        w, h = size[1:]
        if w > rw or h > rh:
            raise _bad(too_big)
        out = w, h
    else:  # confined: as large as possible within w x h, the region and the limits
        w, h = size[1:]
        scale = min(w / rw, h / rh, _fit(rw, rh, limits)) if w and h else 0
        out = min(w, math.floor(rw * scale + 1e-9)), min(h, math.floor(rh * scale + 1e-9))
    if out[0] <= 0 or out[1] <= 0:
        raise _bad(_("La taille demandée donne une image vide."))
    return out


def resolve(request: ImageRequest, width: int, height: int, limits: Limits) -> ResolvedRequest:
    """Place a request on a width x height image; raise IiifError(400 or 404) if impossible."""
    x, y, w, h = _resolve_region(request.region, width, height)
    out_w, out_h = _resolve_size(request.size, w, h, limits)
    if out_w > limits.max_width or out_h > limits.max_height or out_w * out_h > limits.max_area:
        raise IiifError(404, _("La taille demandée dépasse les limites de ce service."))
    return ResolvedRequest(
        x=x,
        y=y,
        w=w,
        h=h,
        out_w=out_w,
        out_h=out_h,
        rotation=request.rotation,
        mirror=request.mirror,
        quality=request.quality,
        format=request.format,
    )


def finish(image: Image.Image, request: ResolvedRequest) -> bytes:
    """Mirror, rotate, set the quality and encode an image already cut and scaled."""
    if request.mirror:
        image = image.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    if request.rotation:
        image = image.transpose(
            {
                90: Image.Transpose.ROTATE_270,  # IIIF turns clockwise, PIL counter-clockwise
                180: Image.Transpose.ROTATE_180,
                270: Image.Transpose.ROTATE_90,
            }[request.rotation]
        )
    image = image.convert("L" if request.quality == "gray" else "RGB")
    output = io.BytesIO()
    if request.format == "jpg":
        image.save(output, "JPEG", quality=JPEG_QUALITY, optimize=False)
    elif request.format == "webp":
        image.save(output, "WEBP", quality=JPEG_QUALITY, method=2)
    else:
        image.save(output, "PNG", compress_level=3)
    return output.getvalue()


def render(image: Image.Image, request: ResolvedRequest) -> bytes:
    """Apply a resolved request to a whole image (region, size, rotation, quality, format)."""
    box = (request.x, request.y, request.x + request.w, request.y + request.h)
    return finish(cut_and_scale(image, box, (request.out_w, request.out_h)), request)


def cut_and_scale(image: Image.Image, box: tuple, size: tuple[int, int]) -> Image.Image:
    """The part of an image inside box (floats allowed), scaled to size."""
    left, top, right, bottom = box
    integral = all(float(v).is_integer() for v in box)
    if integral and (right - left, bottom - top) == size:
        return image.crop(tuple(int(v) for v in box))
    if image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    return image.resize(size, Image.Resampling.LANCZOS, box=box)


def scale_factors(width: int, height: int, tile: int) -> list[int]:
    """Powers of two from 1 until the whole image fits in one tile."""
    factors = [1]
    while math.ceil(max(width, height) / factors[-1]) > tile:
        factors.append(factors[-1] * 2)
    return factors
