"""The rate limits count across processes without Redis (issue 12, defect 7): the `ratelimit`
cache is a database table (hoptac.core.cache.AtomicDatabaseCache) whose counters are exact
under concurrent requests and keep the end of their window."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.db import connection
from django.utils import timezone

from hoptac.core.cache import AtomicDatabaseCache

TABLE = settings.CACHES["ratelimit"].get("LOCATION", "hoptac_ratelimit_cache")

WORKERS = 4
CALLS = 15  # per worker
RATE = 20  # per hour: fewer than WORKERS * CALLS

# A worker process: sets Django up, says "ready", waits for "go", then asks the portal's rate
# limit CALLS times for one address and prints how many messages it let through.
WORKER = """
import sys
import django
django.setup()
from django.test import RequestFactory
from hoptac.portal import throttle
request = RequestFactory().post("/gop-y/", REMOTE_ADDR=sys.argv[1])
print("ready", flush=True)
sys.stdin.readline()
print(sum(not throttle.message_limited(request) for _ in range(int(sys.argv[2]))), flush=True)
"""


def _stored_row(key: str):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT expires FROM {TABLE} WHERE cache_key = %s", [key])  # noqa: S608
        return cursor.fetchone()


def test_settings_without_redis_count_in_the_database():
    assert settings.RATELIMIT_USE_CACHE == "ratelimit"
    assert isinstance(caches["ratelimit"], AtomicDatabaseCache)
    assert caches["ratelimit"]._table == TABLE


@pytest.mark.django_db
def test_two_cache_connections_share_the_count():
    first = caches.create_connection("ratelimit")
    second = caches.create_connection("ratelimit")
    assert first is not second
    assert first.add("hits", 1, 3600)
    assert not second.add("hits", 1, 3600)
    assert second.incr("hits") == 2
    assert first.incr("hits") == 3
    assert second.get("hits") == 3


@pytest.mark.django_db
def test_incr_keeps_the_end_of_the_window():
    """Django's DatabaseCache.incr re-sets the row with the default timeout (300 s): a limit of
    5 an hour would start again after five quiet minutes."""
    cache = caches["ratelimit"]
    cache.add("window", 1, 3600)
    key = cache.make_and_validate_key("window")
    before = _stored_row(key)
    assert cache.incr("window", 2) == 3
    assert _stored_row(key) == before
    assert cache.get("window") == 3


@pytest.mark.django_db
def test_plain_database_cache_loses_the_window():
    """What the fix is for: Django's own incr gives the counter a 5-minute expiry."""
    cache = DatabaseCache(TABLE, {})
    cache.add("plain", 1, 3600)
    cache.incr("plain")
    (expires,) = _stored_row(cache.make_and_validate_key("plain"))
    expires = AtomicDatabaseCache._expiry(connection, expires)
    assert expires < timezone.now() + timedelta(minutes=6)


@pytest.mark.django_db
def test_incr_of_a_missing_or_expired_key_fails():
    cache = caches["ratelimit"]
    with pytest.raises(ValueError, match="not found"):
        cache.incr("never-added")
    cache.set("gone", 1, -1)  # expired at once
    with pytest.raises(ValueError, match="not found"):
        cache.incr("gone")


def _database_url(tmp_path: Path) -> str:
    """This run's PostgreSQL test database, or a SQLite file migrated for core (the table)."""
    if connection.vendor == "postgresql":
        s = connection.settings_dict
        auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
        return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    url = f"sqlite:///{tmp_path / 'ratelimit.sqlite3'}"
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "core", "-v0"],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings.test"},
        check=True,
        timeout=300,
    )
    return url


def test_processes_share_one_exact_limit(tmp_path, django_db_setup, django_db_blocker):
    """WORKERS processes send CALLS messages each, all at once, from one address: exactly RATE
    get through, as with one process (with a cache per process, each would let RATE through)."""
    with django_db_blocker.unblock():
        url = _database_url(tmp_path)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "config.settings.test"),
        "DATABASE_URL": url,
        "REDIS_URL": "",
        "HOPTAC_MESSAGE_RATE": f"{RATE}/h",
    }
    address = f"198.51.100.{uuid.uuid4().int % 250 + 1}"
    workers = [
        subprocess.Popen(  # noqa: S603
            [sys.executable, "-c", WORKER, address, str(CALLS)],
            cwd=settings.BASE_DIR,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(WORKERS)
    ]
    try:
        for worker in workers:
            assert worker.stdout.readline().strip() == "ready"
        for worker in workers:  # all start together
            worker.stdin.write("go\n")
            worker.stdin.flush()
        allowed = [int(worker.communicate(timeout=120)[0]) for worker in workers]
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
        if connection.vendor == "postgresql":
            with django_db_blocker.unblock():
                caches["ratelimit"].clear()
    assert sum(allowed) == RATE, allowed
    assert WORKERS * CALLS > RATE
