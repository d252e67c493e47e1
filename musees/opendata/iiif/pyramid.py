"""Prepared masters and cached derivatives of the IIIF Image API 3.0 service, on local disk.

Specification: https://iiif.io/api/image/3.0/

A master is decoded once and cut into a tiled pyramid (levels halved down to one tile, each level
in 512 px JPEG tiles): a request then decodes only the few prepared tiles it covers instead of the
whole master, so a tile of a 6000 px master costs a few milliseconds. Every response is also kept,
keyed by image and canonical request, in the Django cache (small ones) and on disk, so a tile asked
twice is computed once. Files are written to a temporary name and renamed, so a reader never sees
half a file and two processes preparing the same master at once do no harm.
"""

import hashlib
import json
import math
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from PIL import Image

from .image import ResolvedRequest, cut_and_scale, finish

TILE = 512
PREPARED_QUALITY = 92
# Bump when the prepared layout changes: old folders are then ignored.
LAYOUT_VERSION = 1
MEMORY_CACHE_MAX_BYTES = 256 * 1024
MEMORY_CACHE_SECONDS = 24 * 3600


def cache_root() -> Path:
    """The folder of prepared masters and derivatives (IIIF_CACHE_DIR, default MEDIA_ROOT)."""
    configured = getattr(settings, "IIIF_CACHE_DIR", None)
    return Path(configured) if configured else Path(settings.MEDIA_ROOT) / "iiif-cache"


@dataclass(frozen=True)
class Source:
    """A master image as served: its key, where to read it, and the size the service shows."""

    key: str  # unique for this master file at this served size
    open_master: object  # callable returning a binary file object
    width: int
    height: int


def source_key(pk: int, name: str, file_size, width: int, height: int) -> str:
    """A key that changes whenever the master file or the served size changes."""
    raw = f"{LAYOUT_VERSION}|{pk}|{name}|{file_size}|{width}x{height}"
    return f"{pk}-{hashlib.sha256(raw.encode()).hexdigest()[:16]}"


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _pyramid_dir(source: Source) -> Path:
    return cache_root() / source.key / "pyramid"


def is_prepared(source: Source) -> bool:
    """Whether the master's tiled pyramid is already on disk."""
    return (_pyramid_dir(source) / "meta.json").exists()


def discard_prepared(source: Source) -> None:
    """Remove the master's pyramid, so that the next `prepare` cuts it again."""
    folder = _pyramid_dir(source)
    if folder.exists():
        # Renamed first: a reader never sees a half-removed pyramid as prepared.
        trash = Path(tempfile.mkdtemp(dir=folder.parent, prefix=".discard-"))
        os.rename(folder, trash / "pyramid")
        shutil.rmtree(trash, ignore_errors=True)


def load_master(source: Source) -> Image.Image:
    """Decode the master at the served size (JPEG is decoded already reduced when it can be)."""
    with source.open_master() as handle:
        master = Image.open(handle)
        if master.format == "JPEG":
            master.draft("RGB", (source.width, source.height))
        master.load()
    if master.mode not in ("RGB", "L"):
        master = master.convert("RGB")
    if master.size != (source.width, source.height):
        master = master.resize((source.width, source.height), Image.Resampling.LANCZOS)
    return master


def prepare(source: Source) -> dict:
    """Cut the master into the tiled pyramid once; return its description (levels and sizes)."""
    folder = _pyramid_dir(source)
    meta_path = folder / "meta.json"
    if meta_path.exists():
        return json.loads(meta_path.read_text())
    level_image = load_master(source)
    folder.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(dir=folder.parent, prefix=".prepare-"))
    try:
        levels = []
        factor = 1
        while True:
            width, height = level_image.size
            levels.append({"factor": factor, "width": width, "height": height})
            level_dir = work / str(factor)
            level_dir.mkdir()
            for row in range(math.ceil(height / TILE)):
                for col in range(math.ceil(width / TILE)):
                    box = (col * TILE, row * TILE, (col + 1) * TILE, (row + 1) * TILE)
                    tile = level_image.crop(
                        (box[0], box[1], min(box[2], width), min(box[3], height))
                    )
                    tile.save(level_dir / f"{col}_{row}.jpg", "JPEG", quality=PREPARED_QUALITY)
            if max(width, height) <= TILE:
                break
            level_image = level_image.reduce(2)
            factor *= 2
        meta = {"width": source.width, "height": source.height, "tile": TILE, "levels": levels}
        (work / "meta.json").write_text(json.dumps(meta))
        try:
            os.rename(work, folder)
        except OSError:  # another process prepared it first: keep theirs
            shutil.rmtree(work, ignore_errors=True)
        return meta
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise


def _region_from_pyramid(source: Source, meta: dict, request: ResolvedRequest) -> Image.Image:
    """The requested region at the output size, read from the fewest prepared tiles."""
    # The most reduced level that still has at least the output's resolution (1 px tolerance,
    # so that the edge tiles a viewer asks for, rounded up, still come from their level).
    ratio = min(
        request.w / max(request.out_w - 1, 1e-9) if request.out_w > 1 else math.inf,
        request.h / max(request.out_h - 1, 1e-9) if request.out_h > 1 else math.inf,
    )
    level = meta["levels"][0]
    for candidate in meta["levels"]:
        if candidate["factor"] <= ratio:
            level = candidate
    factor = level["factor"]
    left, top = request.x / factor, request.y / factor
    right = min((request.x + request.w) / factor, level["width"])
    bottom = min((request.y + request.h) / factor, level["height"])
    col0, row0 = int(left // TILE), int(top // TILE)
    col1, row1 = int(math.ceil(right / TILE)) - 1, int(math.ceil(bottom / TILE)) - 1
    folder = _pyramid_dir(source) / str(factor)
    if col0 == col1 and row0 == row1:
        canvas = Image.open(folder / f"{col0}_{row0}.jpg")
    else:
        canvas = Image.new(
            "RGB", ((col1 - col0 + 1) * TILE, (row1 - row0 + 1) * TILE), (255, 255, 255)
        )
        for row in range(row0, row1 + 1):
            for col in range(col0, col1 + 1):
                with Image.open(folder / f"{col}_{row}.jpg") as tile:
                    canvas.paste(tile.convert("RGB"), ((col - col0) * TILE, (row - row0) * TILE))
    origin_x, origin_y = col0 * TILE, row0 * TILE
    box = (left - origin_x, top - origin_y, right - origin_x, bottom - origin_y)
    return cut_and_scale(canvas, box, (request.out_w, request.out_h))


def _derivative_path(source: Source, request: ResolvedRequest) -> Path:
    digest = hashlib.sha256(request.canonical.encode()).hexdigest()[:32]
    return cache_root() / source.key / "derivatives" / digest[:2] / f"{digest}.{request.format}"


def get_or_render(source: Source, request: ResolvedRequest) -> bytes:
    """The encoded image for a request: from memory, from disk, or computed and stored in both."""
    memory_key = f"iiif:{source.key}:{request.canonical}"
    data = cache.get(memory_key)
    if data is not None:
        return data
    path = _derivative_path(source, request)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        meta = prepare(source)
        data = finish(_region_from_pyramid(source, meta, request), request)
        _write_atomic(path, data)
    if len(data) <= MEMORY_CACHE_MAX_BYTES:
        cache.set(memory_key, data, MEMORY_CACHE_SECONDS)
    return data
