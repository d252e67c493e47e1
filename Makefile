# Musées en réseau — every command a newcomer or CI needs. `make help` lists them.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
PORT ?= 8000
# The PostgreSQL run uses a throw-away database on the local server (pytest-django adds test_).
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/musees
DEMO_DATA_DIR ?= data/museofile
DEV_ENV := DJANGO_DEBUG=$${DJANGO_DEBUG:-1}

.PHONY: help install run migrate demo-data test test-sqlite test-postgres test-browser lint format check bench bench-iiif messages system-deps bench-import bench-search

help: ## List the make targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-15s %s\n", $$1, $$2}'

$(BIN)/activate:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 ou plus récent est nécessaire (trouvé : " + sys.version.split()[0] + ").")'
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/activate pyproject.toml requirements.lock
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c requirements.lock -e '.[dev]'
	@touch $@

node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm est introuvable : installez Node.js 20 ou plus récent (paquets Debian nodejs npm)."; exit 1; }
	npm ci --no-fund --no-audit --loglevel=error
	@touch $@

musees/static/vendor/.copied: node_modules/.installed scripts/copy-vendor.mjs
	node scripts/copy-vendor.mjs
	@touch $@

musees/locale/en/LC_MESSAGES/django.mo: $(VENV)/.installed $(wildcard musees/locale/*/LC_MESSAGES/django.po)
	@command -v msgfmt >/dev/null || { echo "msgfmt est introuvable : installez le paquet Debian gettext."; exit 1; }
	cd musees && $(DEV_ENV) ../$(PY) ../manage.py compilemessages --verbosity 0

install: $(VENV)/.installed musees/static/vendor/.copied musees/locale/en/LC_MESSAGES/django.mo ## Install Python and npm packages, copy front-end libraries, compile translations

migrate: install ## Apply database migrations
	$(DEV_ENV) $(PY) manage.py migrate --no-input

demo-data: migrate ## Load the real demo data (132 Occitanie museums) if the database is empty
	$(DEV_ENV) $(PY) manage.py load_demo_data --data-dir $(DEMO_DATA_DIR)

run: demo-data ## Install, migrate, load demo data once, serve http://127.0.0.1:$(PORT) with the import worker and scheduled publication
	-$(DEV_ENV) $(PY) manage.py create_demo_accounts
	$(DEV_ENV) $(PY) manage.py collectstatic --no-input --verbosity 0
	$(DEV_ENV) $(PY) manage.py db_worker --backend imports --no-reload & pid=$$!; \
	( while sleep 60; do $(DEV_ENV) $(PY) manage.py publish_scheduled >/dev/null; done ) & clock=$$!; \
	trap 'kill $$pid $$clock' EXIT; $(DEV_ENV) $(PY) manage.py runserver 127.0.0.1:$(PORT)

lint: install ## Check code style (ruff)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install ## Format and fix code (ruff)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check: lint ## Django system checks, missing migrations and translations
	$(DEV_ENV) $(PY) manage.py check
	DJANGO_DEBUG=0 DJANGO_SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))') DJANGO_SECURE_SSL_REDIRECT=1 DJANGO_SECURE_HSTS_SECONDS=31536000 $(PY) manage.py check --deploy --fail-level WARNING
	$(DEV_ENV) $(PY) manage.py makemigrations --check --dry-run
	$(DEV_ENV) $(PY) scripts/check_translations.py

test-sqlite: install ## Run the suite on SQLite
	$(BIN)/pytest -m "not browser" -n 2 $(ARGS)

test-postgres: install ## Run the suite on PostgreSQL (TEST_DATABASE_URL)
	@$(PY) scripts/check_postgres.py "$(TEST_DATABASE_URL)"
	DATABASE_URL="$(TEST_DATABASE_URL)" $(BIN)/pytest -m "not browser" -n 2 --create-db $(ARGS)

test-browser: install system-deps ## Run the browser tests in Chromium (Playwright, axe-core)
	$(BIN)/pytest -m browser -p no:xdist $(ARGS)

test: check test-sqlite test-postgres test-browser ## Everything CI runs: lint, checks, SQLite, PostgreSQL, browser

system-deps: ## Check (and install with apt-get when root) the Debian packages the tests need
	@bash scripts/system-deps.sh

messages: install ## Extract translatable strings into the .po catalogues
	cd musees && $(DEV_ENV) ../$(PY) ../manage.py makemessages -l en --no-location --ignore 'static/vendor/*'

bench: install system-deps ## Benchmark the site under gunicorn with wrk (see tests/bench)
	$(PY) tests/bench/run_bench.py

bench-iiif: install ## Benchmark IIIF first-tile latency on a 6000 px master (see tests/bench)
	$(PY) tests/bench/bench_iiif.py

bench-import: install ## Benchmark the catalogue import on 1,000,000 generated works (see tests/bench)
	$(PY) tests/bench/bench_import.py $(ARGS)

bench-search: install ## Benchmark the catalogue search on 1,000,000 works, SQLite and PostgreSQL (see tests/bench)
	$(PY) tests/bench/bench_search.py $(ARGS)
