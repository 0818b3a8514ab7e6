"""Tests: fast password hashing, mail kept in memory; the database comes from DATABASE_URL."""

import os

os.environ.setdefault("DJANGO_DEBUG", "false")
os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-not-secret")
os.environ.setdefault("HOPTAC_SECURE_COOKIES", "false")
# Nobody is forced to use two-factor sign-in; its own tests set the level they test.
os.environ.setdefault("HOPTAC_REQUIRE_2FA", "none")
# Never the development database: tests create test_<name> from this one.
os.environ.setdefault("DATABASE_URL", "sqlite:///var/test.sqlite3")

# Jobs run at once inside the test (a test of the worker starts one itself); their progress
# goes through files, the test database being one connection.
os.environ.setdefault("HOPTAC_TASKS_BACKEND", "immediate")
os.environ.setdefault("HOPTAC_JOBS_CHANNEL", "files")

from config.settings.base import *  # noqa: F403
from config.settings.base import STORAGES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
ALLOWED_HOSTS = ["*"]
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
