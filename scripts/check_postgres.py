"""Fail with a clear message when the PostgreSQL server for the test run cannot be reached."""

import sys

import dj_database_url
import psycopg

url = sys.argv[1]
cfg = dj_database_url.parse(url)
try:
    psycopg.connect(
        host=cfg["HOST"] or "127.0.0.1",
        port=cfg["PORT"] or 5432,
        user=cfg["USER"],
        password=cfg["PASSWORD"] or None,
        dbname="postgres",
        connect_timeout=5,
    ).close()
except psycopg.OperationalError as exc:
    sys.exit(
        f"PostgreSQL injoignable ({cfg['HOST']}:{cfg['PORT']}, utilisateur {cfg['USER']}) : {exc}\n"
        "Démarrez le serveur ou donnez une autre adresse avec TEST_DATABASE_URL=postgres://..."
    )
