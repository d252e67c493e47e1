#!/usr/bin/env python
"""Search benchmark: the catalogue search over 1,000,000 generated works (see README.md here).

For each database (SQLite, then PostgreSQL; `--sqlite` or `--postgres [URL]` for one only):
1. reuses the bench database when it holds the expected number of generated works, or fills it
   (migrate, load_demo_data, works_import of `--count` records of generate_works' generator,
   seed 2024, batches of 1,000; timed);
2. times `rebuild()` of the search index (unless --skip-build);
3. runs a fixed query set through `search()` in this process (broad words, rare words, two
   words, phrases, prefixes, browsing without text; each with 0, 1 and 3 facet filters taken
   from the query's own unfiltered facets; page 1 and page 500): one warm-up pass, then
   `--repeats` passes; prints p50/p95/max per class and overall, and the slow queries with
   their timings (refresh, engine, fetch);
4. measures the naive query in the same run: SQLite FTS5 (or a PostgreSQL tsvector GIN index)
   ranked first page + count + GROUP BY museum, on the broad words;
5. starts gunicorn (2 workers) on the bench database, has each worker answer the query set
   over HTTP, and reads each worker's RSS and PSS.
Prints PASS or MISS against the aims of issue 4.

Exit code: 0 when the measurement ran (whatever the figures), 2 when it could not.
"""

import argparse
import io
import json
import os
import random
import secrets
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]
BENCH_DIR = ROOT / "var" / "bench-search"
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/musees_bench_search"
SEED = 2024
BATCH = 1_000
SOURCE_FORMAT = "generated"  # what `manage.py generate_works` writes: the same database either way
AIM_P95_MS = 50.0
AIM_RATIO = 20.0
AIM_BUILD_SECONDS = 240.0  # on SQLite
AIM_WORKER_MB = 300.0
PAGES = (1, 500)
FILTER_COUNTS = (0, 1, 3)
WORKERS = 2
THREADS = 32  # as tests/bench/run_bench.py: gthread, one thread per keep-alive connection
HTTP_CLIENTS = 4
HTTP_PASSES = 8  # at most: until each worker has answered every URL of the query set
WORKER_HEADER = "X-Bench-Worker"

# The fixed query set. Frequencies in the 1,000,000 generated works are printed with it.
QUERIES = {
    "mots larges": ["peinture", "huile", "vase", "portrait", "céramique"],
    # A saint, a virtue, an author (surname and first name), a Joconde reference, an inventory
    # number, a word no work has.
    "mots rares": [
        "Fulcran",
        "Tempérance",
        "Azaïs Hyacinthe",
        "G024000663328",
        "2012.6633.29",
        "xylophone",
    ],
    "deux mots": [
        "vase faïence",
        "portrait huile",
        "amphore sigillée",
        "statue marbre",
        "paysage Montpellier",
    ],
    "phrases": ['"huile sur toile"', '"lampe à huile"', '"terre cuite"', '"fer forgé"'],
    "préfixes": ["céram*", "port*", "amph*", "sculpt*"],
    "sans texte": [""],
}
BROAD = "mots larges"


def log(message: str) -> None:
    print(message, flush=True)


# Reused from the import benchmark: its configure() empties var/bench-import, so not that one.
sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_import import BenchError, TimedIterator, rate, recreate_postgres  # noqa: E402

# Database ---------------------------------------------------------------------------------


def bench_env(postgres_url: str | None) -> dict[str, str]:
    """The environment of this process and of gunicorn: production settings, the bench's files."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "CACHE_URL", "MUSEES_", "SEARCH_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="musees.settings.base",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="bench-search-" + secrets.token_urlsafe(30),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_LOG_LEVEL="WARNING",
        DATABASE_URL=postgres_url or f"sqlite:///{BENCH_DIR / 'bench.sqlite3'}",
        MUSEES_VAR_DIR=str(BENCH_DIR),
        DJANGO_STATIC_ROOT=str(BENCH_DIR / "staticfiles"),
        DJANGO_MEDIA_ROOT=str(BENCH_DIR / "media"),
        PYTHONDONTWRITEBYTECODE="1",
    )
    return env


def postgres_name(url: str) -> str:
    name = urlsplit(url).path.lstrip("/")
    if "bench" not in name:
        raise BenchError(
            f"la base PostgreSQL « {name} » peut être effacée : son nom doit contenir « bench »"
        )
    return name


def ensure_postgres(url: str) -> None:
    """Create the PostgreSQL database of `url` when it does not exist (never drops it)."""
    import psycopg

    name = postgres_name(url)
    admin_url = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    try:
        with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as connection:
            exists = connection.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [name]
            ).fetchone()
            if not exists:
                connection.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as error:
        raise BenchError(f"PostgreSQL injoignable ({admin_url}) : {error}") from error


def configure(postgres_url: str | None, fresh: bool) -> dict[str, str]:
    """Point Django at the bench database (emptied first with --fresh) and set Django up."""
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    if postgres_url:
        postgres_name(postgres_url)
        if fresh:
            recreate_postgres(postgres_url)
        else:
            ensure_postgres(postgres_url)
    elif fresh:
        for suffix in ("", "-wal", "-shm"):
            (BENCH_DIR / f"bench.sqlite3{suffix}").unlink(missing_ok=True)
    env = bench_env(postgres_url)
    for key in list(os.environ):
        if key.startswith(("DJANGO_", "DATABASE_URL", "CACHE_URL", "MUSEES_", "SEARCH_")):
            del os.environ[key]
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    return env


def generated_works() -> int:
    from musees.catalogue.models import Work

    return Work.objects.filter(source_format=SOURCE_FORMAT).count()


def fill(count: int, postgres_url: str | None) -> None:
    """Make the database hold `count` generated works: reuse, complete, or start again."""
    from django.core.management import call_command

    from musees.catalogue.management.commands.generate_works import (
        default_museofile_ids,
        generate_records,
    )
    from musees.catalogue.services import works_import

    call_command("migrate", "--no-input", verbosity=0)
    present = generated_works()
    if present == count:
        log(f"· base réutilisée : {present:,} œuvres générées (graine {SEED})")
        analyze(postgres_url)
        return
    if present > count:
        log(f"· la base contient {present:,} œuvres générées, pas {count:,} : elle est refaite")
        if postgres_url:
            recreate_postgres(postgres_url)
        else:
            raise BenchError(
                f"{BENCH_DIR / 'bench.sqlite3'} contient {present:,} œuvres générées : "
                "relancez avec --fresh pour la refaire"
            )
        call_command("migrate", "--no-input", verbosity=0)
    log("· load_demo_data")
    call_command(
        "load_demo_data", "--data-dir", str(ROOT / "data" / "museofile"), stdout=io.StringIO()
    )
    museofile_ids = default_museofile_ids()
    if not museofile_ids:
        raise BenchError("aucun musée chargé")
    what = "complétée" if present else "remplie"
    log(f"· base {what} : works_import de {count:,} notices générées (graine {SEED}), par {BATCH}")
    records = TimedIterator(generate_records(count, seed=SEED, museofile_ids=museofile_ids))
    started = time.perf_counter()
    marks = [0]

    def progress(report):
        done = report.processed
        if done > marks[-1] and (done >= marks[-1] + 100_000 or done == count):
            marks.append(report.processed)
            wall = time.perf_counter() - started
            log(
                f"  {report.processed:>9,} notices  {wall:7.1f} s  "
                f"{rate(report.processed, wall - records.seconds):>7}/s chargeur"
            )

    report = works_import(
        records=records, batch_size=BATCH, progress=progress, source_format=SOURCE_FORMAT
    )
    wall = time.perf_counter() - started
    log(
        f"  import : {report.summary()} en {wall:.1f} s "
        f"(chargeur seul {rate(count, wall - records.seconds)}/s)"
    )
    present = generated_works()
    if present != count:
        raise BenchError(f"{present:,} œuvres générées en base après l'import, {count:,} attendues")
    analyze(postgres_url)


def analyze(postgres_url: str | None) -> None:
    """PostgreSQL: up-to-date planner statistics, as autovacuum keeps them in production.

    Without them (a server with autovacuum off, or right after the import), the planner reads
    the first denomination and domain of a card by walking the whole relation table in primary
    key order: 3.4 s for the 24 works of a page instead of a few milliseconds.
    """
    if not postgres_url:
        return
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    log(f"· ANALYZE ({time.perf_counter() - started:.1f} s)")


def build_index() -> tuple[float, int]:
    """Seconds of `rebuild()` of the search index, and the number of documents."""
    from musees.search.engine import rebuild

    started = time.perf_counter()

    def progress(done: int) -> None:
        if done % 200_000 == 0:
            log(f"  {done:>9,} documents  {time.perf_counter() - started:7.1f} s")

    state = rebuild(progress)
    return time.perf_counter() - started, state.documents


# Query set --------------------------------------------------------------------------------


@dataclass
class Case:
    category: str
    text: str
    filters: dict[str, tuple[str, ...]]
    page: int
    total: int = 0
    runs: list[dict] = field(default_factory=list)  # timings of each measured run

    @property
    def filter_count(self) -> int:
        return len(self.filters)

    def label(self) -> str:
        shown = self.text or "(aucun texte)"
        if self.filters:
            shown += " | " + ", ".join(f"{k}={v[0]}" for k, v in self.filters.items())
        return f"{shown} | p.{self.page}"


def top_value(results, facet: str) -> str | None:
    """The facet value with the most works (what a visitor would click first)."""
    values = results.facet(facet).values
    return values[0].value if values else None


def build_cases() -> tuple[list[Case], dict]:
    """The query set: every text x (0, 1, 3 filters) x (page 1, page 500), and the cold search.

    The filters of a text are the values a visitor would click first in its unfiltered facets:
    its top domain (1 filter), then its top museum, domain and period (3 filters).
    """
    from musees.search.service import SearchQuery, search

    started = time.perf_counter()
    first = search(SearchQuery(text=QUERIES[BROAD][0]))
    cold = {
        "label": QUERIES[BROAD][0],
        "ms": (time.perf_counter() - started) * 1000,
        "timings": first.timings,
    }
    cases = []
    for category, texts in QUERIES.items():
        for text in texts:
            unfiltered = search(SearchQuery(text=text))
            filter_sets: dict[int, dict] = {0: {}}
            domain = top_value(unfiltered, "domain")
            museum = top_value(unfiltered, "museum")
            period = top_value(unfiltered, "period")
            if domain:
                filter_sets[1] = {"domain": (domain,)}
            if domain and museum and period:
                filter_sets[3] = {
                    "museum": (museum,),
                    "domain": (domain,),
                    "period": (period,),
                }
            for count in FILTER_COUNTS:
                if count not in filter_sets:
                    continue
                for page in PAGES:
                    cases.append(Case(category, text, filter_sets[count], page))
    return cases, cold


def run_case(case: Case, record: bool) -> None:
    from musees.search.service import SearchQuery, search

    started = time.perf_counter()
    results = search(SearchQuery(text=case.text, filters=case.filters, page=case.page))
    wall = (time.perf_counter() - started) * 1000
    if len(results.hits) > 24 or (results.total and not results.hits):
        raise BenchError(f"réponse incohérente pour {case.label()} : {results.total} œuvres")
    case.total = results.total
    if record:
        case.runs.append({**results.timings, "wall_ms": wall, "page": results.query.page})


def measure(cases: list[Case], repeats: int) -> None:
    for case in cases:  # warm-up pass
        run_case(case, record=False)
    shuffler = random.Random(SEED)
    order = list(cases)
    for _ in range(repeats):
        shuffler.shuffle(order)
        for case in order:
            run_case(case, record=True)


def percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def summary_row(label: str, values: list[float], extra: str = "") -> str:
    return (
        f"{label:<24}{len(values):>6}{percentile(values, 0.5):>9.1f}"
        f"{percentile(values, 0.95):>9.1f}{max(values, default=0):>9.1f}{extra}"
    )


def print_query_set(cases: list[Case]) -> None:
    log("")
    log("Jeu de requêtes (œuvres trouvées sans filtre · avec 1 filtre · avec 3 filtres) :")
    seen = {}
    for case in cases:
        if case.page != 1:
            continue
        seen.setdefault((case.category, case.text), []).append(case)
    for (category, text), group in seen.items():
        totals = " · ".join(f"{c.total:,}" for c in group)
        filters = next((c.filters for c in group if c.filter_count == 3), {})
        chosen = ", ".join(f"{k}={v[0]}" for k, v in filters.items())
        log(f"  {category:<12} {text or '(aucun texte)':<22} {totals:<30} {chosen}")


def print_results(cases: list[Case], cold: dict, vendor: str) -> list[tuple[str, bool]]:
    log("")
    head = f"{'':<24}{'n':>6}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}"
    log(head + f"{'moteur p95':>12}{'lecture p95':>13}")

    def row(label: str, group: list[Case]) -> None:
        runs = [run for case in group for run in case.runs]
        engine = [run["refresh_ms"] + run["engine_ms"] for run in runs]
        fetch = [run["fetch_ms"] for run in runs]
        extra = f"{percentile(engine, 0.95):>12.1f}{percentile(fetch, 0.95):>13.1f}"
        log(summary_row(label, [run["wall_ms"] for run in runs], extra))

    for category in QUERIES:
        row(category, [c for c in cases if c.category == category])
    for count in FILTER_COUNTS:
        row(
            f"  {count} filtre{'s' if count > 1 else ''}",
            [c for c in cases if c.filter_count == count],
        )
    for page in PAGES:
        row(f"  page {page}", [c for c in cases if c.page == page])
    row("ensemble", cases)
    log(
        f"première recherche du processus (ouvre l'index) : {cold['ms']:.1f} ms "
        f"« {cold['label']} » {format_timings(cold['timings'])}"
    )

    slow = [c for c in cases if percentile([r["wall_ms"] for r in c.runs], 0.95) > AIM_P95_MS]
    if slow:
        log("")
        log(f"Requêtes au-delà de {AIM_P95_MS:.0f} ms au p95 (médianes des temps de search()) :")
        for case in sorted(slow, key=lambda c: -percentile([r["wall_ms"] for r in c.runs], 0.95)):
            walls = [r["wall_ms"] for r in case.runs]
            med = {
                key: statistics.median(r[key] for r in case.runs)
                for key in ("refresh_ms", "engine_ms", "fetch_ms", "total_ms")
            }
            fallback = (
                " (au-delà de la dernière page : moteur appelé deux fois)"
                if (case.runs[0]["page"] != case.page)
                else ""
            )
            log(
                f"  {case.category:<12} {case.label():<60} {case.total:>8,} œuvres  "
                f"p95 {percentile(walls, 0.95):6.1f}  {format_timings(med)}{fallback}"
            )
    aims = []
    for category in QUERIES:
        walls = [r["wall_ms"] for c in cases if c.category == category for r in c.runs]
        p95 = percentile(walls, 0.95)
        aims.append(
            (f"p95 <= {AIM_P95_MS:.0f} ms {category} ({p95:.1f} ms, {vendor})", p95 <= AIM_P95_MS)
        )
    overall = percentile([r["wall_ms"] for c in cases for r in c.runs], 0.95)
    aims.append(
        (
            f"p95 <= {AIM_P95_MS:.0f} ms ensemble du jeu ({overall:.1f} ms, {vendor})",
            overall <= AIM_P95_MS,
        )
    )
    return aims


def format_timings(timings: dict) -> str:
    return " ".join(
        f"{key.removesuffix('_ms')} {timings[key]:.1f}"
        for key in ("refresh_ms", "engine_ms", "fetch_ms", "total_ms")
        if key in timings
    )


# Naive baseline ---------------------------------------------------------------------------

NAIVE_TABLE = "bench_naive_fts"
NAIVE_META = "bench_naive_meta"


def _sql_names():
    from musees.catalogue.models import Denomination, Domain, Work

    def labels(relation: str, model) -> tuple[str, str, str]:
        through = getattr(Work, relation).through
        column = model._meta.model_name + "_id"
        return through._meta.db_table, column, model._meta.db_table

    return Work._meta.db_table, labels("denominations", Denomination), labels("domains", Domain)


def _public_ids_sql() -> tuple[str, list]:
    from musees.catalogue.models import Work

    return Work.objects.published().values("pk").query.sql_with_params()


def _documents_select(vendor: str) -> tuple[str, list]:
    """SELECT work id, museum, title, denominations, domains, authors, ..., of the public works."""
    work, (deno_through, deno_col, deno), (domain_through, domain_col, domain) = _sql_names()
    concat = "group_concat(v.label, ' ')" if vendor == "sqlite" else "string_agg(v.label, ' ')"
    public_sql, params = _public_ids_sql()
    return (
        f"""
        SELECT w.id, w.title || ' ' || w.appellation,
          (SELECT {concat} FROM {deno_through} t JOIN {deno} v ON v.id = t.{deno_col}
           WHERE t.work_id = w.id),
          (SELECT {concat} FROM {domain_through} t JOIN {domain} v ON v.id = t.{domain_col}
           WHERE t.work_id = w.id),
          w.authors_text, w.techniques_text, w.periods_text, w.places_text,
          w.description || ' ' || w.subject || ' ' || w.inscriptions
        FROM {work} w WHERE w.id IN ({public_sql})
        """,
        list(params),
    )


def naive_prepare(vendor: str, public: int) -> str:
    """Create the naive full-text table once (reused while it holds the public works)."""
    from django.db import connection

    with connection.cursor() as cursor:
        row = None
        if NAIVE_META in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT works FROM {NAIVE_META}")
            row = cursor.fetchone()
        if row and row[0] == public:
            return "réutilisée"
        started = time.perf_counter()
        select, params = _documents_select(vendor)
        cursor.execute(f"DROP TABLE IF EXISTS {NAIVE_META}")
        cursor.execute(f"DROP TABLE IF EXISTS {NAIVE_TABLE}")
        if vendor == "sqlite":
            cursor.execute(
                f"CREATE VIRTUAL TABLE {NAIVE_TABLE} USING fts5(title, denominations, domains, "
                "authors, techniques, periods, places, body, content='', "
                "tokenize='unicode61 remove_diacritics 2')"
            )
            cursor.execute(
                f"INSERT INTO {NAIVE_TABLE}(rowid, title, denominations, domains, authors, "
                f"techniques, periods, places, body) {select}",
                params,
            )
        else:
            cursor.execute(
                f"CREATE TABLE {NAIVE_TABLE} (work_id bigint PRIMARY KEY, document text NOT NULL)"
            )
            cursor.execute(
                f"INSERT INTO {NAIVE_TABLE} (work_id, document) SELECT id, concat_ws(' ', "
                "t1, t2, t3, t4, t5, t6, t7, t8) FROM ("
                f"{select}) AS d(id, t1, t2, t3, t4, t5, t6, t7, t8)",
                params,
            )
            cursor.execute(
                f"CREATE INDEX {NAIVE_TABLE}_gin ON {NAIVE_TABLE} "
                "USING gin (to_tsvector('french', document))"
            )
            cursor.execute(f"ANALYZE {NAIVE_TABLE}")
        cursor.execute(f"CREATE TABLE {NAIVE_META} (works integer)")
        cursor.execute(f"INSERT INTO {NAIVE_META} VALUES (%s)", [public])
    return f"créée en {time.perf_counter() - started:.1f} s"


def naive_statements(vendor: str) -> list[str]:
    """Ranked first page, count, one facet: what a naive search page runs for a word."""
    work = _sql_names()[0]
    if vendor == "sqlite":
        match = f"{NAIVE_TABLE} MATCH %s"
        return [
            f"SELECT w.id, w.title, w.museum_id FROM (SELECT rowid, rank FROM {NAIVE_TABLE} "
            f"WHERE {match} ORDER BY rank LIMIT 24) f JOIN {work} w ON w.id = f.rowid "
            "ORDER BY f.rank",
            f"SELECT count(*) FROM {NAIVE_TABLE} WHERE {match}",
            f"SELECT w.museum_id, count(*) FROM {NAIVE_TABLE} JOIN {work} w "
            f"ON w.id = {NAIVE_TABLE}.rowid WHERE {match} GROUP BY w.museum_id",
        ]
    vector = "to_tsvector('french', f.document)"
    query = "plainto_tsquery('french', %s)"
    return [
        f"SELECT w.id, w.title, w.museum_id FROM {NAIVE_TABLE} f JOIN {work} w "
        f"ON w.id = f.work_id WHERE {vector} @@ {query} "
        f"ORDER BY ts_rank({vector}, {query}) DESC LIMIT 24",
        f"SELECT count(*) FROM {NAIVE_TABLE} f WHERE {vector} @@ {query}",
        f"SELECT w.museum_id, count(*) FROM {NAIVE_TABLE} f JOIN {work} w "
        f"ON w.id = f.work_id WHERE {vector} @@ {query} GROUP BY w.museum_id",
    ]


def naive_run(vendor: str, word: str) -> tuple[float, int]:
    from django.db import connection

    statements = naive_statements(vendor)
    term = f'"{word}"' if vendor == "sqlite" else word
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for number, statement in enumerate(statements):
            cursor.execute(statement, [term] * statement.count("%s"))
            rows = cursor.fetchall()
            if number == 1:
                total = rows[0][0]
    return (time.perf_counter() - started) * 1000, total


def naive_baseline(vendor: str, cases: list[Case], repeats: int) -> list[tuple[str, bool]]:
    log("")
    kind = (
        "FTS5 sans contenu (content=''), unicode61 remove_diacritics 2"
        if vendor == "sqlite"
        else "to_tsvector('french', …) en index GIN d'expression, ts_rank"
    )
    log(f"Référence naïve ({kind}) : 24 premiers par rang + total + GROUP BY musée")
    log(
        f"{'mot':<14}{'œuvres':>10}{'naïf p50':>11}{'naïf p95':>11}"
        f"{'nous p50':>11}{'nous p95':>11}{'rapport p50':>13}"
    )
    ratios, naive_all, ours_all = [], [], []
    for word in QUERIES[BROAD]:
        timings, total = [], 0
        for _ in range(repeats):
            ms, total = naive_run(vendor, word)
            timings.append(ms)
        ours = [
            r["wall_ms"]
            for c in cases
            if c.category == BROAD and c.text == word and not c.filters and c.page == 1
            for r in c.runs
        ]
        ratio = statistics.median(timings) / max(statistics.median(ours), 1e-6)
        ratios.append(ratio)
        naive_all += timings
        ours_all += ours
        log(
            f"{word:<14}{total:>10,}"
            f"{percentile(timings, 0.5):>11.1f}{percentile(timings, 0.95):>11.1f}"
            f"{percentile(ours, 0.5):>11.1f}{percentile(ours, 0.95):>11.1f}{ratio:>12.0f}x"
        )
    log(
        f"{'ensemble':<14}{'':>10}"
        f"{percentile(naive_all, 0.5):>11.1f}{percentile(naive_all, 0.95):>11.1f}"
        f"{percentile(ours_all, 0.5):>11.1f}{percentile(ours_all, 0.95):>11.1f}"
        f"{percentile(naive_all, 0.5) / max(percentile(ours_all, 0.5), 1e-6):>12.0f}x"
    )
    worst = min(ratios)
    return [
        (
            f">= {AIM_RATIO:.0f}x plus rapide que la requête naïve sur chaque mot large "
            f"(le moins : {worst:.0f}x, {vendor})",
            worst >= AIM_RATIO,
        )
    ]


# Web workers ------------------------------------------------------------------------------

_django_application = None


def worker_app(environ, start_response):
    """gunicorn's application here: the site, each answer marked with the worker's pid, and
    /bench-search/?q=… calling search() directly (for when the search page does not use it)."""
    global _django_application
    if _django_application is None:
        from musees.wsgi import application

        _django_application = application
    pid = str(os.getpid())

    def start(status, headers, exc_info=None):
        return start_response(status, [*headers, (WORKER_HEADER, pid)], exc_info)

    if environ.get("PATH_INFO") == "/bench-search/":
        from urllib.parse import parse_qs

        from musees.search.service import SearchQuery, search

        params = parse_qs(environ.get("QUERY_STRING", ""))
        filters = {k: tuple(v) for k, v in params.items() if k not in ("q", "page")}
        results = search(
            SearchQuery(
                text=params.get("q", [""])[0],
                filters=filters,
                page=int(params.get("page", ["1"])[0]),
            )
        )
        body = json.dumps({"total": results.total, "timings": results.timings}).encode()
        start("200 OK", [("Content-Type", "application/json")])
        return [body]
    return _django_application(environ, start)


def memory_of(pid: int) -> dict[str, float]:
    """Rss, Pss and private memory of a process, in MB (/proc/PID/smaps_rollup)."""
    values = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[2] == "kB":
            values[parts[0].rstrip(":")] = int(parts[1]) / 1024
    return {
        "rss": values.get("Rss", 0.0),
        "pss": values.get("Pss", 0.0),
        "private": values.get("Private_Clean", 0.0) + values.get("Private_Dirty", 0.0),
    }


def index_size(index_dir: Path) -> str:
    """The size of the served segment's files (mapped by every worker), largest first."""
    from musees.search.models import SearchIndexState

    state = SearchIndexState.objects.filter(pk=1).first()
    files = sorted((index_dir / state.segment).glob("*.npy"), key=lambda p: -p.stat().st_size)
    total = sum(path.stat().st_size for path in files) / 2**20
    largest = ", ".join(f"{p.stem} {p.stat().st_size / 2**20:.0f}" for p in files[:4])
    return f"index servi (fichiers projetés en mémoire) : {total:.0f} Mo, dont {largest}"


def maps_index(pid: int, index_dir: str) -> bool:
    """Whether a process has the search index's files mapped (it has run the engine)."""
    try:
        return index_dir in Path(f"/proc/{pid}/maps").read_text()
    except OSError:
        return False


def case_url(path: str, case: Case) -> str:
    """The URL of a case: the search page's own parameter names, the facet names otherwise."""
    names = {}
    if path == "/collections/":
        try:
            from musees.catalogue.forms import PARAM_OF_FACET as names
        except ImportError:
            names = {}
    params = [("q", case.text)] if case.text else []
    params += [(names.get(name, name), values[0]) for name, values in case.filters.items()]
    if case.page != 1:
        params.append(("page", case.page))
    return f"{path}?{urlencode(params)}"


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=120) as response:
            response.read()
            return response.status, response.headers.get(WORKER_HEADER, "")
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get(WORKER_HEADER, "")


def serve_query_set(base: str, urls: list[str]) -> tuple[dict[str, set], list[str]]:
    """Ask every URL until each worker has answered all of them (or HTTP_PASSES passes)."""
    answered: dict[str, set] = {}
    errors: list[str] = []
    lock = threading.Lock()

    def one(url):
        status, pid = fetch(base + url)
        with lock:
            if status != 200:
                errors.append(f"{status} {url}")
            elif pid:
                answered.setdefault(pid, set()).add(url)

    with ThreadPoolExecutor(HTTP_CLIENTS) as pool:
        for _ in range(HTTP_PASSES):
            list(pool.map(one, urls))
            if len(answered) >= WORKERS and all(len(a) == len(urls) for a in answered.values()):
                break
    return answered, errors


def start_gunicorn(env: dict, port: int):
    from run_bench import Gunicorn

    class SearchGunicorn(Gunicorn):
        """run_bench's gunicorn (same workers and threads), serving `worker_app`."""

        def __enter__(self):
            self.log_path = BENCH_DIR / "gunicorn.log"
            command = [
                sys.executable, "-m", "gunicorn", "bench_search:worker_app",
                "--pythonpath", str(Path(__file__).resolve().parent),
                "--bind", f"127.0.0.1:{self.port}",
                "--workers", str(self.workers),
                "--worker-class", "gthread", "--threads", str(self.threads),
                "--error-logfile", str(self.log_path), "--log-level", "warning",
            ]  # fmt: skip
            self.log_file = self.log_path.open("w")
            self.process = subprocess.Popen(
                command,
                cwd=ROOT,
                env=self.env,
                stdout=self.log_file,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            self.wait_ready(timeout=120)
            return self

    return SearchGunicorn(env, port, WORKERS, THREADS)


def worker_memory(env: dict, cases: list[Case], vendor: str) -> list[tuple[str, bool]]:
    from django.conf import settings
    from django.core.management import call_command
    from run_bench import free_port

    log("")
    log("· collectstatic (gunicorn sert le site avec les réglages de production)")
    call_command("collectstatic", "--no-input", verbosity=0)
    index_dir = str(Path(settings.SEARCH_INDEX_DIR).resolve())
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log(f"· gunicorn : {WORKERS} workers gthread × {THREADS} threads sur 127.0.0.1:{port}")
    with start_gunicorn(env, port):
        # Both workers serve the search page once; then, has it opened the index?
        first = case_url("/collections/", cases[0])
        seen, errors = serve_query_set(base, [first] * HTTP_CLIENTS)
        for error in errors[:3]:
            log(f"! {error}")
        uses_engine = seen and all(maps_index(int(pid), index_dir) for pid in seen)
        if uses_engine:
            path = "/collections/"
            log("· chaque worker répond au jeu de requêtes sur /collections/?q=…")
        else:
            path = "/bench-search/"
            log(
                "! /collections/ n'utilise pas encore le moteur de recherche (aucun worker n'a "
                "ouvert l'index) : mesure par /bench-search/?q=…, qui appelle search() dans le "
                "worker gunicorn"
            )
        urls = list(dict.fromkeys(case_url(path, case) for case in cases))
        started = time.perf_counter()
        answered, errors = serve_query_set(base, urls)
        seconds = time.perf_counter() - started
        for error in errors[:5]:
            log(f"! {error}")
        if len(errors) > 5:
            log(f"! … {len(errors)} réponses en erreur")
        log(f"  {len(urls)} URL, {seconds:.1f} s")
        log("")
        log(
            f"{'worker':<10}{'URL servies':>12}{'RSS Mo':>9}{'PSS Mo':>9}{'privé Mo':>10}"
            f"{'index ouvert':>14}"
        )
        rows = []
        for pid in sorted(answered):
            memory = memory_of(int(pid))
            rows.append(memory)
            log(
                f"{pid:<10}{len(answered[pid]):>7}/{len(urls):<4}{memory['rss']:>9.0f}"
                f"{memory['pss']:>9.0f}{memory['private']:>10.0f}"
                f"{'oui' if maps_index(int(pid), index_dir) else 'non':>14}"
            )
    if not rows:
        raise BenchError("aucun worker n'a répondu au jeu de requêtes")
    log(index_size(Path(index_dir)))
    rss = max(r["rss"] for r in rows)
    pss = max(r["pss"] for r in rows)
    where = path + ("" if uses_engine else " (page pas encore branchée)")
    return [
        (
            f"mémoire d'un worker <= {AIM_WORKER_MB:.0f} Mo (RSS max {rss:.0f} Mo, "
            f"PSS max {pss:.0f} Mo, {where}, {vendor})",
            rss <= AIM_WORKER_MB,
        )
    ]


# Main -------------------------------------------------------------------------------------


def run_one(args) -> int:
    postgres_url = args.postgres
    try:
        env = configure(postgres_url, args.fresh)
        from django.db import connection

        from musees.catalogue.models import Work

        vendor = connection.vendor
        log(f"· base : {vendor} ({connection.settings_dict['NAME']})")
        fill(args.count, postgres_url)
        public = Work.objects.published().count()
        aims = []
        from musees.search.models import SearchIndexState

        if args.skip_build and SearchIndexState.objects.exists():
            log("· index de recherche réutilisé (--skip-build)")
        else:
            log(f"· construction de l'index : rebuild() de {public:,} œuvres publiques")
            seconds, documents = build_index()
            log(f"  {documents:,} documents en {seconds:.1f} s ({rate(documents, seconds)}/s)")
            aim = (
                f"construction de l'index <= {AIM_BUILD_SECONDS:.0f} s "
                f"({seconds:.0f} s, {documents:,} œuvres, {vendor})"
            )
            aims.append((aim, seconds <= AIM_BUILD_SECONDS) if vendor == "sqlite" else (aim, None))

        log("· jeu de requêtes : recherche sans filtre de chaque texte, pour ses facettes")
        cases, cold = build_cases()
        log(
            f"· mesure : {len(cases)} requêtes, 1 passe de mise en route puis {args.repeats} passes"
        )
        measure(cases, args.repeats)
        print_query_set(cases)
        aims += print_results(cases, cold, vendor)

        log("")
        log(f"· référence naïve : table {NAIVE_TABLE} {naive_prepare(vendor, public)}")
        aims += naive_baseline(vendor, cases, args.naive_repeats)

        if not args.skip_http:
            aims += worker_memory(env, cases, vendor)
    except BenchError as error:
        log(f"ERREUR {error}")
        return 2
    log("")
    for text, ok in aims:
        log(f"{'INFO' if ok is None else 'PASS' if ok else 'MISS'}  {text}")
    return 0


def run_both(argv: list[str], postgres_url: str) -> int:
    """One child process per database (Django is set up for one database per process)."""
    script = str(Path(__file__).resolve())
    summary, code = [], 0
    for flags in (["--sqlite"], ["--postgres", postgres_url]):
        log(f"=== {' '.join(flags)}")
        child = subprocess.Popen(
            [sys.executable, "-u", script, *argv, *flags],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for line in child.stdout:
            print(line, end="", flush=True)
            if line.startswith(("PASS", "MISS", "INFO", "ERREUR")):
                summary.append(line.rstrip())
        code = max(code, child.wait())
    log("")
    log("=== les deux bases")
    for line in summary:
        log(line)
    return 2 if code else 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=1_000_000, help="generated works expected")
    parser.add_argument("--sqlite", action="store_true", help="SQLite only")
    parser.add_argument(
        "--postgres",
        metavar="URL",
        nargs="?",
        const=DEFAULT_POSTGRES,
        help=f"PostgreSQL only (default URL {DEFAULT_POSTGRES}; its name must contain 'bench')",
    )
    reuse = parser.add_mutually_exclusive_group()
    # Both options set `fresh`: its default must be given, or argparse takes --reuse's (True).
    parser.set_defaults(fresh=False)
    reuse.add_argument(
        "--reuse",
        dest="fresh",
        action="store_false",
        help="reuse the bench database when it holds --count generated works (default)",
    )
    reuse.add_argument(
        "--fresh", action="store_true", help="empty the bench database and import the works again"
    )
    parser.add_argument("--skip-build", action="store_true", help="do not rebuild the index")
    parser.add_argument("--skip-http", action="store_true", help="no gunicorn memory measurement")
    parser.add_argument("--repeats", type=int, default=5, help="measured passes of the query set")
    parser.add_argument("--naive-repeats", type=int, default=3, help="runs of each naive query")
    args = parser.parse_args(argv)
    if args.sqlite or args.postgres:
        if args.sqlite and args.postgres:
            return run_both(
                strip_database_flags(sys.argv[1:] if argv is None else argv), args.postgres
            )
        return run_one(args)
    return run_both(strip_database_flags(sys.argv[1:] if argv is None else argv), DEFAULT_POSTGRES)


def strip_database_flags(argv: list[str]) -> list[str]:
    kept, skip = [], False
    for index, arg in enumerate(argv):
        if skip:
            skip = False
            continue
        if arg == "--sqlite" or arg.startswith("--postgres="):
            continue
        if arg == "--postgres":
            following = argv[index + 1] if index + 1 < len(argv) else ""
            skip = bool(following) and not following.startswith("-")
            continue
        kept.append(arg)
    return kept


if __name__ == "__main__":
    sys.exit(main())
