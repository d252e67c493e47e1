#!/usr/bin/env python
"""Import benchmark: the catalogue loader on 1,000,000 generated works (see README.md here).

Builds a database of its own (var/bench-import/bench.sqlite3, or a throw-away PostgreSQL
database with --postgres), loads the real museums (migrate, load_demo_data), then in the same
run measures:
1. the baseline: bulk_create of as many bare Work rows (no vocabulary, no related rows), in
   transactions of 1,000, then deleted;
2. works_import of `--count` generated records (generate_works' generator), batches of 1,000:
   records/s overall and per 100,000, with the generator's own time measured apart;
3. a second, idempotent run over the first 100,000 records (everything unchanged).
Prints PASS or MISS against 5,000 records/s for the loader (from parsed records).

The import of step 2 runs as `manage.py import_works` does: with the search index's follower
(musees/search/follower.py) in a second process. The benchmark also measures, end to end, the
moment the imported works are all found by search (the follower's segment installed, checked
by searches), and prints PASS or MISS against 5,000 records/s from the start of the import to
then (generator time excluded, as for the loader). `--command` measures instead
`manage.py import_works FILE` in a subprocess, parsing included, on a Joconde text file of the
same records written first (not timed).

Exit code: 0 when the measurement ran (whatever the figures), 2 when it could not.
"""

import argparse
import io
import os
import shutil
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]
BENCH_DIR = ROOT / "var" / "bench-import"
AIM_RATE = 5_000  # records/s, from parsed records into SQLite on the 2-core reference machine
BATCH = 1_000
STEP = 100_000
SEED = 2024


class BenchError(Exception):
    """The benchmark could not run (as opposed to figures that miss an aim)."""


def log(message: str) -> None:
    print(message, flush=True)


def recreate_postgres(url: str) -> None:
    """Drop and create the PostgreSQL database of `url` (its name must contain "bench")."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if "bench" not in name:
        raise BenchError(
            f"la base PostgreSQL « {name} » sera effacée : son nom doit contenir « bench »"
        )
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')


def configure(postgres_url: str | None) -> None:
    """Point Django at the bench database, with production settings, and set it up."""
    if BENCH_DIR.exists():
        shutil.rmtree(BENCH_DIR)
    BENCH_DIR.mkdir(parents=True)
    for key in list(os.environ):
        if key.startswith(("DJANGO_", "DATABASE_URL", "CACHE_URL", "MUSEES_")):
            del os.environ[key]
    os.environ.update(
        DJANGO_SETTINGS_MODULE="musees.settings.base",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="bench-import-not-secret",
        DJANGO_LOG_LEVEL="WARNING",
        DATABASE_URL=postgres_url or f"sqlite:///{BENCH_DIR / 'bench.sqlite3'}",
        MUSEES_VAR_DIR=str(BENCH_DIR),
        DJANGO_MEDIA_ROOT=str(BENCH_DIR / "media"),
    )
    if postgres_url:
        recreate_postgres(postgres_url)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


class TimedIterator:
    """Wraps the generator and adds up the time spent producing records (not the loader's)."""

    def __init__(self, iterable):
        self.iterator = iter(iterable)
        self.seconds = 0.0

    def __iter__(self):
        return self

    def __next__(self):
        started = time.perf_counter()
        try:
            return next(self.iterator)
        finally:
            self.seconds += time.perf_counter() - started


def baseline(count: int, museum_ids: list[int]) -> float:
    """Seconds to bulk_create `count` bare Work rows in transactions of BATCH, then delete them."""
    from django.db import connection, transaction

    from musees.catalogue.models import Work

    started = time.perf_counter()
    for start in range(0, count, BATCH):
        rows = [
            Work(
                museum_id=museum_ids[index % len(museum_ids)],
                inventory_number=f"BASE.{index}",
                status=Work.Status.PUBLISHED,
            )
            for index in range(start, min(start + BATCH, count))
        ]
        with transaction.atomic():
            Work.objects.bulk_create(rows, batch_size=BATCH)
    seconds = time.perf_counter() - started
    # Only these rows: the demo data may hold real works (and rows that point at them).
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {connection.ops.quote_name(Work._meta.db_table)} "
            "WHERE inventory_number LIKE %s",
            ["BASE.%"],
        )
    return seconds


def rate(count: int, seconds: float) -> str:
    return f"{count / seconds:,.0f}".replace(",", " ") if seconds else "-"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=1_000_000, help="records to generate")
    parser.add_argument(
        "--postgres",
        metavar="URL",
        help="run on PostgreSQL (postgres://user@host:port/NAME, NAME containing 'bench': "
        "the database is dropped and created again)",
    )
    parser.add_argument(
        "--skip-baseline", action="store_true", help="no bulk_create baseline (ratios shown as 0)"
    )
    parser.add_argument(
        "--command",
        action="store_true",
        help="time `manage.py import_works FILE` end to end (parsing included) instead",
    )
    args = parser.parse_args(argv)
    try:
        configure(args.postgres)
        from django.core.management import call_command
        from django.db import connection

        from musees.catalogue.management.commands.generate_works import (
            default_museofile_ids,
            generate_records,
        )
        from musees.catalogue.models import Work
        from musees.catalogue.services import works_import
        from musees.museums.models import MuseumPage
        from musees.search.follower import followed_import

        log(f"· base : {connection.vendor} ({connection.settings_dict['NAME']})")
        log("· migrate, load_demo_data")
        call_command("migrate", "--no-input", verbosity=0)
        call_command(
            "load_demo_data", "--data-dir", str(ROOT / "data" / "museofile"), stdout=io.StringIO()
        )
        museofile_ids = default_museofile_ids()
        if not museofile_ids:
            raise BenchError("aucun musée chargé")
        museum_ids = list(
            MuseumPage.objects.filter(museofile_id__in=museofile_ids).values_list("pk", flat=True)
        )
    except BenchError as error:
        log(f"ERREUR {error}")
        return 2
    count = args.count
    log(f"· {len(museofile_ids)} musées ; {count:,} notices générées (graine {SEED})")
    if args.command:
        return command_end_to_end(count, museofile_ids, args.postgres)

    baseline_seconds = 0.0
    if not args.skip_baseline:
        log("· référence : bulk_create de lignes Work nues")
        baseline_seconds = baseline(count, museum_ids)
        log(f"  {count:,} lignes en {baseline_seconds:.1f} s ({rate(count, baseline_seconds)}/s)")

    log("· import : works_import")
    marks = []  # (records, seconds of wall time, seconds spent in the generator)
    records = TimedIterator(generate_records(count, seed=SEED, museofile_ids=museofile_ids))
    started = time.perf_counter()

    def progress(report):
        done = report.processed
        if done > (marks[-1][0] if marks else 0) and (done // STEP > len(marks) or done == count):
            marks.append((done, time.perf_counter() - started, records.seconds))
            wall, gen = marks[-1][1], marks[-1][2]
            log(
                f"  {done:>9,} notices  {wall:7.1f} s  "
                f"{rate(done, wall - gen):>7}/s chargeur  {rate(done, wall):>7}/s avec génération"
            )

    with followed_import() as follower:
        report = works_import(
            records=records, batch_size=BATCH, progress=progress, source_format="bench"
        )
        wall = time.perf_counter() - started
    indexed_wall = time.perf_counter() - started
    generator_seconds = records.seconds
    searchable = check_searchable(count)
    loader_seconds = wall - generator_seconds
    if report.created != count:
        log(f"! {report.summary()}")
        for error in report.errors[:5]:
            log(f"!   notice {error.number} : {error.reason}")
    works = Work.objects.filter(source_format="bench").count()

    log("· second import (idempotent) des 100 000 premières notices")
    again_count = min(STEP, count)
    again_records = TimedIterator(
        generate_records(again_count, seed=SEED, museofile_ids=museofile_ids)
    )
    again_started = time.perf_counter()
    again = works_import(records=again_records, batch_size=BATCH)
    again_wall = time.perf_counter() - again_started
    again_loader = again_wall - again_records.seconds

    log("")
    log(f"{'':32}{'notices':>10}{'secondes':>10}{'notices/s':>11}{'/ référence':>13}")
    base_rate = count / baseline_seconds if baseline_seconds else 0
    rows = [
        ("référence bulk_create nu", count, baseline_seconds),
        ("import (chargeur seul)", count, loader_seconds),
        ("import (avec génération)", count, wall),
        ("génération seule", count, generator_seconds),
        ("second import (chargeur seul)", again_count, again_loader),
    ]
    for label, n, seconds in rows:
        ratio = (n / seconds) / base_rate if seconds and base_rate else 0
        log(f"{label:32}{n:>10,}{seconds:>10.1f}{rate(n, seconds):>11}{ratio:>13.2f}")
    per_step = []
    previous = (0, 0.0, 0.0)
    for mark in marks:
        records_done = mark[0] - previous[0]
        loader = (mark[1] - previous[1]) - (mark[2] - previous[2])
        per_step.append(rate(records_done, loader))
        previous = mark
    log("par tranche de 100 000 (chargeur seul, notices/s) : " + " · ".join(per_step))
    log(
        f"résultat : {report.summary()} ; second import : {again.summary()} ; "
        f"{works:,} œuvres générées en base"
    )
    end_to_end = indexed_wall - generator_seconds
    log(
        f"index de recherche : segment du suiveur installé {indexed_wall - wall:.1f} s après le "
        f"dernier lot ({follower.result}) ; {searchable}"
    )
    loader_rate = count / loader_seconds if loader_seconds else 0
    verdict = "PASS" if loader_rate >= AIM_RATE else "MISS"
    log(
        f"{verdict}  import >= {AIM_RATE:,} notices/s depuis les notices lues "
        f"({loader_rate:,.0f}/s, {connection.vendor})"
    )
    indexed_rate = count / end_to_end if end_to_end and searchable.startswith("ok") else 0
    verdict = "PASS" if indexed_rate >= AIM_RATE else "MISS"
    log(
        f"{verdict}  import trouvable par la recherche >= {AIM_RATE:,} notices/s de bout en bout "
        f"({indexed_rate:,.0f}/s : {end_to_end:.1f} s du début de l'import à l'index installé, "
        f"génération exclue, {connection.vendor})"
    )
    return 0


def check_searchable(count: int) -> str:
    """'ok …' when a search finds every public work and the imported works one by one."""
    from musees.catalogue.models import Work
    from musees.search.service import SearchQuery, search

    started = time.perf_counter()
    public = Work.objects.published().count()
    everything = search(SearchQuery()).total
    bench = Work.objects.filter(source_format__in=("bench", "joconde-txt"))
    sample = list(bench.order_by("?").values_list("inventory_number", flat=True)[:20])
    last = bench.order_by("-pk").values_list("inventory_number", flat=True).first()
    missing = [
        number
        for number in [*sample, last]
        if number and not any(h.work.inventory_number == number for h in found(number))
    ]
    seconds = time.perf_counter() - started
    if everything != public or missing:
        return f"ÉCHEC : {everything:,} trouvées sur {public:,} publiques, introuvables {missing}"
    return (
        f"ok : les {public:,} œuvres publiques ({count:,} importées) trouvées, "
        f"21 numéros d'inventaire retrouvés ({seconds:.1f} s)"
    )


def found(inventory_number: str):
    from musees.search.service import SearchQuery, search

    return search(SearchQuery(text=inventory_number)).hits


def command_end_to_end(count: int, museofile_ids: list[str], postgres_url: str | None) -> int:
    """`manage.py import_works FILE` in a subprocess, from its start to the works searchable."""
    import subprocess

    from django.db import connection, connections

    from musees.catalogue.management.commands.generate_works import (
        generate_notices,
        notice_as_text,
    )

    source = BENCH_DIR / "works.txt"
    log(f"· écriture de {source} (non chronométrée)")
    with open(source, "w", encoding="utf-8", newline="\n") as out:
        for notice in generate_notices(count, seed=SEED, museofile_ids=museofile_ids):
            out.write(notice_as_text(notice))
    vendor = connection.vendor
    connections.close_all()
    log("· manage.py import_works (suiveur de l'index dans un second processus)")
    started = time.perf_counter()
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "manage.py"),
            "import_works",
            str(source),
            "--format",
            "joconde-txt",
            "--batch-size",
            str(BATCH),
        ],
        cwd=ROOT,
        env=os.environ.copy(),
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - started
    log("  " + "\n  ".join(done.stdout.strip().splitlines()[-4:]))
    if done.returncode:
        log(f"ERREUR import_works : {done.stderr[-2000:]}")
        return 2
    searchable = check_searchable(count)
    log(f"  {searchable}")
    rate_ = count / seconds if searchable.startswith("ok") else 0
    verdict = "PASS" if rate_ >= AIM_RATE else "MISS"
    log(
        f"{verdict}  import_works trouvable par la recherche >= {AIM_RATE:,} notices/s de bout "
        f"en bout, lecture du fichier comprise ({rate_:,.0f}/s : {seconds:.1f} s, {vendor})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
