"""Test settings: the speed block (fast hasher, in-memory cache and e-mail, temp media)."""

import os
import tempfile

os.environ.setdefault("DJANGO_DEBUG", "0")
os.environ.setdefault("DJANGO_SECRET_KEY", "test-secret-key-not-for-production")
os.environ.setdefault("DJANGO_SECURE_COOKIES", "0")
# Tests run on SQLite unless DATABASE_URL names another database (the PostgreSQL run).
os.environ.setdefault(
    "DATABASE_URL", "sqlite:///" + os.path.join(tempfile.gettempdir(), "musees-test.sqlite3")
)

from .base import *  # noqa: F403
from .base import STORAGES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
MEDIA_ROOT = tempfile.mkdtemp(prefix="musees-test-media-")
# Each test gets a folder of its own (tests/conftest.py); this one is for anything outside.
SEARCH_INDEX_DIR = tempfile.mkdtemp(prefix="musees-test-search-")
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Map tiles come from our own static files in tests: no request leaves the machine.
MAP_TILE_URL = "/static/img/map-tile-blank.png"
# WhiteNoise reads STATIC_ROOT at start-up; tests serve static files through the finders.
STATIC_ROOT = tempfile.mkdtemp(prefix="musees-test-static-")
# Two-factor for staff is off in tests; the tests of musees.accounts turn it on where they check it.
MFA_REQUIRED_FOR_STAFF = False
# Background tasks run inline in tests (one test runs the real database worker).
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "imports": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
}
