#!/usr/bin/env python
"""Load benchmark of the public site under gunicorn, measured with wrk (see README.md here).

Builds a database of its own under var/bench/ with the real demo data, collects the static
files, starts gunicorn on a free loopback port, and runs wrk against a museum page, the
directory and a static copy of the museum page (the baseline), all in the same run. Prints
requests/s, p50 and p99 of each, the ratios to the baseline, and whether the aims are met.

Exit code: 0 when the measurement ran (whatever the figures), 2 when it could not run (server
that does not start, wrk missing or failing).
"""

import argparse
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BENCH_DIR = ROOT / "var" / "bench"
HOST = "127.0.0.1"
# Two worker processes: one per core of the reference machine (2 cores). Rendering a page is
# CPU-bound Python, so more processes than cores only make them (and wrk) fight for the cores.
# Each worker runs gthread with 32 threads, so that each of the 64 keep-alive connections has a
# thread: threads add no CPU (one GIL per process) but a short request (a cache hit, a static
# file) no longer waits behind another connection. Measured here with --quick on the same data:
# sync workers ~1,000 req/s (no keep-alive, p50 57 ms), 2 x 4 threads ~1,400 req/s,
# 2 x 32 threads ~2,800 req/s (p50 18 ms), 4 sync workers ~600 req/s.
WORKERS = 2
THREADS = 32
CONNECTIONS = 64
UNCACHED_CONNECTIONS = 8
WRK_THREADS = 2
AIM_RATIO = 0.5  # a museum page at least half as fast as a static file of the same size
AIM_P99_MS = 50.0
STATIC_COPY = "bench/museum-page-copy.html"


class BenchError(Exception):
    """The benchmark could not run (as opposed to figures that miss an aim)."""


@dataclass
class Result:
    label: str
    url: str
    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: str


def log(message: str) -> None:
    print(message, flush=True)


def bench_env() -> dict:
    """The environment of every child process: production settings, the bench's own files."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "CACHE_URL", "MUSEES_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="musees.settings.base",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="bench-" + secrets.token_urlsafe(40),
        DJANGO_ALLOWED_HOSTS=HOST,
        DJANGO_LOG_LEVEL="WARNING",
        DATABASE_URL=f"sqlite:///{BENCH_DIR / 'bench.sqlite3'}",
        MUSEES_VAR_DIR=str(BENCH_DIR),
        DJANGO_STATIC_ROOT=str(BENCH_DIR / "staticfiles"),
        DJANGO_MEDIA_ROOT=str(BENCH_DIR / "media"),
        PYTHONDONTWRITEBYTECODE="1",
    )
    return env


def manage(env: dict, *args: str) -> str:
    command = [sys.executable, str(ROOT / "manage.py"), *args]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode:
        raise BenchError(
            f"`manage.py {' '.join(args)}` a échoué :\n{done.stdout[-2000:]}{done.stderr[-3000:]}"
        )
    return done.stdout


def prepare_database(env: dict) -> None:
    if BENCH_DIR.exists():
        shutil.rmtree(BENCH_DIR)
    BENCH_DIR.mkdir(parents=True)
    log("· base de données : migrate")
    manage(env, "migrate", "--no-input", "--verbosity", "0")
    log("· données de démonstration : load_demo_data")
    manage(env, "load_demo_data", "--data-dir", str(ROOT / "data" / "museofile"))
    log("· fichiers statiques : collectstatic")
    manage(env, "collectstatic", "--no-input", "--verbosity", "0")


SNAPSHOT = """
import django
django.setup()
from django.test import Client
from musees.museums.models import MuseumPage
museum = MuseumPage.objects.live().public().order_by("path").first()
if museum is None:
    raise SystemExit("aucun musée publié")
response = Client(HTTP_HOST="127.0.0.1").get(museum.url)
assert response.status_code == 200, response.status_code
print(museum.url)
import sys
sys.stdout.flush()
sys.stdout.buffer.write(response.content)
"""


def snapshot_museum_page(env: dict) -> str:
    """Render one museum page and store a copy of its HTML in the static root (the baseline)."""
    done = subprocess.run([sys.executable, "-c", SNAPSHOT], cwd=ROOT, env=env, capture_output=True)
    if done.returncode:
        raise BenchError("rendu de la page musée impossible :\n" + done.stderr.decode()[-3000:])
    url, html = done.stdout.split(b"\n", 1)
    target = BENCH_DIR / "staticfiles" / STATIC_COPY
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(html)
    return url.decode().strip()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class Gunicorn:
    """gunicorn in its own process group, always stopped (exit, error, Ctrl-C)."""

    def __init__(self, env: dict, port: int, workers: int = WORKERS, threads: int = THREADS):
        self.env = env
        self.port = port
        self.workers = workers
        self.threads = threads
        self.process: subprocess.Popen | None = None
        self.log_path = BENCH_DIR / "gunicorn.log"

    def __enter__(self):
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "musees.wsgi",
            "--bind",
            f"{HOST}:{self.port}",
            "--workers",
            str(self.workers),
            "--worker-class",
            "gthread" if self.threads > 1 else "sync",
            "--threads",
            str(self.threads),
            "--backlog",
            "2048",
            "--error-logfile",
            str(self.log_path),
            "--log-level",
            "warning",
        ]
        self.log_file = self.log_path.open("w")
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=self.env,
            stdout=self.log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.wait_ready()
        return self

    def wait_ready(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BenchError(f"gunicorn s'est arrêté au démarrage :\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(f"http://{HOST}:{self.port}/", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise BenchError(f"gunicorn ne répond pas après {timeout:.0f} s :\n{self.log_tail()}")

    def log_tail(self) -> str:
        self.log_file.flush()
        return self.log_path.read_text(errors="replace")[-3000:]

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log_file.close()
        return False


UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def to_ms(value: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value.strip())
    if not match:
        raise BenchError(f"durée illisible dans la sortie de wrk : {value!r}")
    return float(match.group(1)) * UNITS_MS[match.group(2)]


def parse_wrk(output: str, label: str, url: str) -> Result:
    """Requests/s and latency percentiles from `wrk --latency` output."""
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    p50 = re.search(r"^\s+50%\s+(\S+)", output, re.MULTILINE)
    p99 = re.search(r"^\s+99%\s+(\S+)", output, re.MULTILINE)
    total = re.search(r"(\d+) requests in", output)
    if not (rps and p50 and p99 and total):
        raise BenchError(f"sortie de wrk illisible :\n{output}")
    errors = []
    socket_errors = re.search(r"Socket errors: (.*)", output)
    if socket_errors:
        errors.append("socket " + socket_errors.group(1).strip())
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if non_2xx:
        errors.append(f"{non_2xx.group(1)} réponses non 2xx/3xx")
    return Result(
        label,
        url,
        float(rps.group(1)),
        to_ms(p50.group(1)),
        to_ms(p99.group(1)),
        int(total.group(1)),
        "; ".join(errors),
    )


def wrk(url: str, seconds: int, connections: int = CONNECTIONS) -> str:
    command = [
        "wrk",
        f"-t{WRK_THREADS}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--latency",
        url,
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60)
    if done.returncode:
        raise BenchError(f"wrk a échoué ({done.returncode}) :\n{done.stdout}{done.stderr}")
    return done.stdout


def check_url(url: str) -> int:
    with urllib.request.urlopen(url, timeout=10) as response:
        if response.status != 200:
            raise BenchError(f"{url} répond {response.status}")
        return len(response.read())


def print_table(results: list[Result], baseline: Result, sizes: dict) -> None:
    log("")
    log(f"{'':<22}{'octets':>9}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'/ statique':>12}")
    for r in results:
        ratio = r.rps / baseline.rps if baseline.rps else 0.0
        log(
            f"{r.label:<22}{sizes[r.label]:>9}{r.rps:>10.0f}{r.p50_ms:>9.2f}{r.p99_ms:>9.2f}"
            f"{ratio:>12.2f}"
        )
        if r.errors:
            log(f"  ! {r.label} : {r.errors}")


def check_aims(results: dict[str, Result]) -> list[tuple[str, bool]]:
    static = results["statique (copie)"]
    museum = results["page musée"]
    directory = results["annuaire /musees/"]
    return [
        (
            f"page musée >= {AIM_RATIO:.0%} du débit statique ({museum.rps / static.rps:.2f})",
            museum.rps >= AIM_RATIO * static.rps,
        ),
        (
            f"page musée p99 <= {AIM_P99_MS:.0f} ms à {CONNECTIONS} connexions "
            f"({museum.p99_ms:.1f} ms)",
            museum.p99_ms <= AIM_P99_MS,
        ),
        (
            f"annuaire p99 <= {AIM_P99_MS:.0f} ms à {CONNECTIONS} connexions "
            f"({directory.p99_ms:.1f} ms)",
            directory.p99_ms <= AIM_P99_MS,
        ),
    ]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="runs of 5 s instead of 15 s")
    parser.add_argument("--seconds", type=int, help="duration of each wrk run")
    parser.add_argument("--workers", type=int, default=WORKERS, help="gunicorn workers")
    parser.add_argument(
        "--threads", type=int, default=THREADS, help="threads per worker (gthread when > 1)"
    )
    parser.add_argument(
        "--reuse", action="store_true", help="keep the database of the last run (skip loading)"
    )
    args = parser.parse_args(argv)
    seconds = args.seconds or (5 if args.quick else 15)
    if not shutil.which("wrk"):
        log("wrk est introuvable : installez le paquet Debian wrk (make system-deps).")
        return 2

    env = bench_env()
    try:
        if not (args.reuse and (BENCH_DIR / "bench.sqlite3").exists()):
            prepare_database(env)
        museum_path = snapshot_museum_page(env)
        port = free_port()
        kind = f"gthread × {args.threads} threads" if args.threads > 1 else "sync"
        log(f"· gunicorn musees.wsgi : {args.workers} workers {kind} sur {HOST}:{port}")
        with Gunicorn(env, port, args.workers, args.threads):
            base = f"http://{HOST}:{port}"
            targets = {
                "page musée": base + museum_path,
                "annuaire /musees/": base + "/musees/",
                "statique (copie)": f"{base}/static/{STATIC_COPY}",
            }
            sizes = {label: check_url(url) for label, url in targets.items()}
            log("· mise en route (chaque URL, les deux workers)")
            for url in targets.values():
                wrk(url, 2 if args.quick else 3, connections=8)
            results = {}
            for label, url in targets.items():
                log(f"· wrk -t{WRK_THREADS} -c{CONNECTIONS} -d{seconds}s --latency {url}")
                results[label] = parse_wrk(wrk(url, seconds), label, url)
        # The same pages rendered on every request (page cache off): what a first visit, a
        # page just published or a rarely asked filter combination costs. Measured with as many
        # connections as the server has cores' worth of useful concurrency (8), since at 64
        # connections a CPU-bound render only queues (and wrk times out after 2 s).
        uncached_env = {**env, "PUBLIC_PAGE_CACHE_SECONDS": "0"}
        log(f"· gunicorn sans cache de pages sur {HOST}:{port}")
        with Gunicorn(uncached_env, port, args.workers, args.threads):
            for label, path in [
                ("page musée sans cache", museum_path),
                ("annuaire sans cache", "/musees/"),
            ]:
                url = f"http://{HOST}:{port}{path}"
                sizes[label] = check_url(url)
                wrk(url, 2 if args.quick else 3, connections=UNCACHED_CONNECTIONS)
                log(f"· wrk -t{WRK_THREADS} -c{UNCACHED_CONNECTIONS} -d{seconds}s --latency {url}")
                output = wrk(url, seconds, connections=UNCACHED_CONNECTIONS)
                results[label] = parse_wrk(output, label, url)
    except BenchError as exc:
        log(f"ÉCHEC : {exc}")
        return 2
    except KeyboardInterrupt:
        log("interrompu")
        return 130

    print_table(list(results.values()), results["statique (copie)"], sizes)
    log("")
    for text, ok in check_aims(results):
        log(f"{'PASS' if ok else 'MISS'}  {text}")
    return 0


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    sys.exit(main())
