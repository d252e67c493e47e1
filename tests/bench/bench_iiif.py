"""Benchmark: first-tile latency of the IIIF Image API 3.0 service on a 6000 x 4000 master.

Run with `make bench-iiif` (or `.venv/bin/python tests/bench/bench_iiif.py [--tiles N]`).
It builds a throw-away in-memory database and a temporary media folder, creates a 6000 x 4000
JPEG master (made here with Pillow, never stored in the repository), attaches it to a published
work, prepares its tiled pyramid once, then asks the Django test client for N different tiles,
each for the first time (so each is computed, none comes from the derivative cache), and for a
static file of the same byte size served by WhiteNoise through the same client: the baseline.
Prints p50/p95 of both, their ratio, and PASS/MISS for the aim (first tile p95 <= 100 ms).
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "musees.settings.test"
os.environ.setdefault("DATABASE_URL", "sqlite:///" + str(Path(tempfile.gettempdir()) / "x.db"))

AIM_P95_MS = 100.0
MASTER_SIZE = (6000, 4000)


def make_master(path: Path) -> None:
    """A 6000 x 4000 JPEG with gradients and texture, so that it compresses like a photograph."""
    from PIL import Image, ImageDraw, ImageFilter

    width, height = MASTER_SIZE
    small = Image.linear_gradient("L").resize((width // 8, height // 8))
    red = small
    green = small.rotate(90, expand=False)
    blue = Image.effect_noise((width // 8, height // 8), 60)
    image = Image.merge("RGB", (red, green, blue)).resize(MASTER_SIZE, Image.Resampling.BICUBIC)
    draw = ImageDraw.Draw(image)
    for i in range(0, width, 97):
        draw.line([(i, 0), (width - i, height)], fill=(i % 255, 80, 200 - i % 200), width=3)
    noise = Image.effect_noise(MASTER_SIZE, 25).filter(ImageFilter.SMOOTH)
    image = Image.blend(image, Image.merge("RGB", (noise, noise, noise)), 0.2)
    image.save(path, "JPEG", quality=90)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tiles", type=int, default=200, help="different tiles to time")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.core.files.images import ImageFile
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment
    from wagtail.images.models import Image
    from wagtail.models import Page, Site

    workdir = Path(tempfile.mkdtemp(prefix="musees-bench-iiif-"))
    settings.MEDIA_ROOT = str(workdir / "media")
    settings.STATIC_ROOT = str(workdir / "static")
    Path(settings.STATIC_ROOT).mkdir(parents=True)
    setup_test_environment()
    settings.DEBUG = False
    print("Base de données de test (migrations)…", flush=True)
    connection.creation.create_test_db(verbosity=0)

    from musees.catalogue.models import WorkImage
    from musees.opendata.iiif.images import find_public_image
    from musees.opendata.iiif.pyramid import prepare
    from tests.catalogue.factories import WorkFactory, WorkImageFactory
    from tests.museums.factories import (
        HomePageFactory,
        MuseumIndexPageFactory,
        MuseumPageFactory,
    )

    home = HomePageFactory(parent=Page.get_first_root_node())
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "testserver", "port": 80, "root_page": home},
    )
    museum = MuseumPageFactory(parent=MuseumIndexPageFactory(parent=home), slug="musee-banc")
    master_path = workdir / "master-6000x4000.jpg"
    make_master(master_path)
    with master_path.open("rb") as handle:
        image = Image.objects.create(title="banc", file=ImageFile(handle, name=master_path.name))
    WorkImageFactory(
        work=WorkFactory(museum=museum),
        image=image,
        high_resolution_download=True,
        licence=WorkImage.Licence.CC0,
    )
    size_mb = master_path.stat().st_size / 1e6
    print(f"Original : {MASTER_SIZE[0]} x {MASTER_SIZE[1]} px, {size_mb:.1f} Mo", flush=True)

    started = time.perf_counter()
    meta = prepare(find_public_image(str(image.pk)).source)
    prepare_s = time.perf_counter() - started
    print(f"Préparation de la pyramide : {prepare_s:.2f} s ({len(meta['levels'])} niveaux)")

    client = Client()
    info = client.get(f"/iiif/3/{image.pk}/info.json").json()
    tile = info["tiles"][0]["width"]
    urls = []
    for factor in info["tiles"][0]["scaleFactors"]:
        span = tile * factor
        for y in range(0, info["height"], span):
            for x in range(0, info["width"], span):
                w, h = min(span, info["width"] - x), min(span, info["height"] - y)
                out_w = -(-w // factor)
                urls.append(f"/iiif/3/{image.pk}/{x},{y},{w},{h}/{out_w},/0/default.jpg")
    grid = len(urls)
    # Then tiles off the grid (half a tile across), as a viewer asks when it pans freely:
    # each covers four prepared tiles.
    offset = tile // 2
    for y in range(offset, info["height"] - tile, tile):
        for x in range(offset, info["width"] - tile, tile):
            urls.append(f"/iiif/3/{image.pk}/{x},{y},{tile},{tile}/{tile},/0/default.jpg")
    urls = urls[: args.tiles]

    tile_ms, sizes = [], []
    for url in urls:
        started = time.perf_counter()
        response = client.get(url)
        tile_ms.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        sizes.append(len(response.content))

    median_size = int(statistics.median(sizes))
    static_dir = Path(settings.STATIC_ROOT) / "bench"
    static_dir.mkdir(parents=True, exist_ok=True)
    (static_dir / "tile-copy.jpg").write_bytes(os.urandom(median_size))
    static_client = Client()  # a new handler, so WhiteNoise sees the file just written
    static_ms = []
    for _ in range(len(urls)):
        started = time.perf_counter()
        response = static_client.get("/static/bench/tile-copy.jpg")
        static_ms.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
        if response.streaming:
            b"".join(response.streaming_content)

    cached_ms = []
    for url in urls[:50]:
        started = time.perf_counter()
        client.get(url)
        cached_ms.append((time.perf_counter() - started) * 1000)

    def row(label, values):
        p50, p95 = percentile(values, 0.5), percentile(values, 0.95)
        print(f"{label:34} {len(values):>5} {p50:>9.2f} {p95:>9.2f}")
        return p50, p95

    print()
    print(f"{'':34} {'n':>5} {'p50 ms':>9} {'p95 ms':>9}")
    row("tuiles sur la grille (1re fois)", tile_ms[:grid])
    if len(tile_ms) > grid:
        row("tuiles hors grille (1re fois)", tile_ms[grid:])
    p50, p95 = row("toutes les tuiles (1re fois)", tile_ms)
    row("tuiles déjà servies (cache)", cached_ms)
    s50, s95 = row(f"fichier statique ({median_size} octets)", static_ms)
    print()
    print(f"Rapport tuile / statique : p50 {p50 / s50:.1f}x, p95 {p95 / s95:.1f}x")
    verdict = "PASS" if p95 <= AIM_P95_MS else "MISS"
    print(f"{verdict}  première tuile p95 <= {AIM_P95_MS:.0f} ms une fois préparée ({p95:.1f} ms)")
    connection.creation.destroy_test_db(":memory:", verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
