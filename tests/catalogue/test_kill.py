"""kill -9 during an import leaves only whole works, and running it again completes the import.

`manage.py import_works` runs in a subprocess against a database of its own, a copy of the
migrated test database (SQLite: a file backed up from the in-memory test database;
PostgreSQL: `CREATE DATABASE ... TEMPLATE` the test database, dropped at the end). A copy,
rather than the test database with `transactional_db`, because pytest-django empties every
table after a transactional test, Wagtail's root page included, which breaks the next run
with --reuse-db on PostgreSQL. The import is killed with SIGKILL once it has committed at
least one batch, then run again twice.
"""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection, connections

from musees.catalogue.management.commands.generate_works import generate_notices, notice_as_text

ROOT = Path(__file__).resolve().parents[2]
COUNT = 15_000
BATCH = 500
MUSEUMS = ("M0458", "M7013")

# Every generated record has a domain, a denomination and an author: a work without one of
# them would be a work written without its related rows.
ORPHANS_SQL = """
SELECT COUNT(*) FROM catalogue_work w
WHERE NOT EXISTS (SELECT 1 FROM catalogue_work_domains d WHERE d.work_id = w.id)
   OR NOT EXISTS (SELECT 1 FROM catalogue_work_denominations d WHERE d.work_id = w.id)
   OR NOT EXISTS (SELECT 1 FROM catalogue_workauthor a WHERE a.work_id = w.id)
"""
CREATE_MUSEUMS = f"""
from wagtail.models import Page
from tests.museums.factories import HomePageFactory, MuseumIndexPageFactory, MuseumPageFactory
index = MuseumIndexPageFactory(parent=HomePageFactory(parent=Page.get_first_root_node()))
for museofile_id in {MUSEUMS!r}:
    MuseumPageFactory(parent=index, museofile_id=museofile_id)
"""


class Target:
    """The subprocesses' database: its URL, and a way for the test to read it."""

    def __init__(self, url: str, path: Path | None = None):
        self.url = url
        self.path = path
        self.reader = None

    def scalar(self, sql: str) -> int:
        if self.reader is None:
            if self.path is not None:
                self.reader = sqlite3.connect(self.path, timeout=5, isolation_level=None)
            else:
                import psycopg

                self.reader = psycopg.connect(self.url, autocommit=True)
        return self.reader.execute(sql).fetchone()[0]

    def works(self) -> int:
        return self.scalar("SELECT COUNT(*) FROM catalogue_work")

    def close(self) -> None:
        if self.reader is not None:
            self.reader.close()


def _postgres_url(settings: dict, name: str) -> str:
    from urllib.parse import quote

    user = quote(settings["USER"] or "")
    password = f":{quote(settings['PASSWORD'])}" if settings["PASSWORD"] else ""
    port = f":{settings['PORT']}" if settings["PORT"] else ""
    return f"postgres://{user}{password}@{settings['HOST'] or 'localhost'}{port}/{name}"


@pytest.fixture(scope="module")
def target(django_db_setup, django_db_blocker, tmp_path_factory):
    """A copy of the migrated test database, for the subprocesses.

    Module-scoped so that it is made before the test's own transaction begins: PostgreSQL
    copies a template database only while no other session is connected to it.
    """
    with django_db_blocker.unblock():
        settings = connection.settings_dict
        if connection.vendor == "sqlite":
            path = tmp_path_factory.mktemp("kill") / "kill.sqlite3"
            connection.ensure_connection()
            with sqlite3.connect(path) as copy:
                connection.connection.backup(copy)
            copy.close()
            database = Target(f"sqlite:///{path}", path)
            yield database
            database.close()
            return
        import psycopg

        name = f"{settings['NAME']}_kill"
        connections.close_all()  # a template database must have no other session
        admin_url = _postgres_url(settings, "postgres")
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
            admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{settings["NAME"]}"')
        database = Target(_postgres_url(settings, name))
        try:
            yield database
        finally:
            database.close()
            with psycopg.connect(admin_url, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def import_command(path: Path) -> list[str]:
    return [
        sys.executable,
        str(ROOT / "manage.py"),
        "import_works",
        str(path),
        "--format",
        "joconde-txt",
        "--batch-size",
        str(BATCH),
    ]


def child_env(target: Target) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DATABASE_URL")}
    env.update(DJANGO_SETTINGS_MODULE="musees.settings.test", DATABASE_URL=target.url)
    return env


@pytest.mark.django_db  # so that the test database exists: `target` copies it
def test_kill_9_leaves_whole_works_and_the_next_run_completes(target, tmp_path):
    source = tmp_path / "works.txt"
    with source.open("w", encoding="utf-8") as out:
        for notice in generate_notices(COUNT, seed=9, museofile_ids=list(MUSEUMS)):
            out.write(notice_as_text(notice))
    env = child_env(target)
    manage = [sys.executable, str(ROOT / "manage.py")]
    created = subprocess.run(
        [*manage, "shell", "-c", CREATE_MUSEUMS], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert created.returncode == 0, created.stderr[-2000:]

    child = subprocess.Popen(
        import_command(source), cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        deadline = time.monotonic() + 60
        while target.works() == 0:
            assert child.poll() is None, child.stderr.read().decode()[-2000:]
            assert time.monotonic() < deadline, "no batch committed in 60 s"
            time.sleep(0.02)
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.kill()
        child.wait()
    assert child.returncode == -signal.SIGKILL

    after_kill = target.works()
    assert 0 < after_kill < COUNT
    # Whole batches only, and each work with all its related rows.
    assert after_kill % BATCH == 0
    assert target.scalar(ORPHANS_SQL) == 0

    second = subprocess.run(
        import_command(source), cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert second.returncode == 0, second.stderr[-2000:]
    assert (
        f"{COUNT - after_kill} créées, 0 mises à jour, {after_kill} inchangées, 0 rejetées"
        in second.stdout
    )
    assert target.works() == COUNT
    assert target.scalar(ORPHANS_SQL) == 0

    third = subprocess.run(
        import_command(source), cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert third.returncode == 0, third.stderr[-2000:]
    assert f"0 créées, 0 mises à jour, {COUNT} inchangées, 0 rejetées" in third.stdout
