"""WSGI entry point for gunicorn and any WSGI server."""

import os

from django.core.wsgi import get_wsgi_application

from musees.core.memory import limit_malloc_arenas

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "musees.settings.base")
# Before the server's threads start: a threaded worker keeps a few malloc arenas, not dozens.
limit_malloc_arenas()
application = get_wsgi_application()
