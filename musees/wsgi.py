"""WSGI entry point for gunicorn and any WSGI server."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "musees.settings.base")
application = get_wsgi_application()
