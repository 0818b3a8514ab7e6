"""WSGI entry point for gunicorn: `gunicorn config.wsgi`."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
application = get_wsgi_application()

# What is loaded by now (Django, the apps, the URL patterns) lives as long as the worker: keep
# it out of the garbage collector's full passes, which otherwise walk all of it during
# whichever request triggers one (+30–40 ms on the dashboard; bench/DASHBOARD.md).
gc.freeze()
