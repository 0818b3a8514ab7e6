"""Visitor statistics stay exact across processes: two gunicorn servers (one worker process of
eight threads each) over one database take several hundred parallel requests from a thread
pool, and the counts are exactly what was sent.

The database is a SQLite file in a temporary folder (WAL, as the settings configure it), or,
when DATABASE_URL is PostgreSQL, this run's test database; with redis-server installed the same
traffic is also counted in Redis (REDIS_URL).
"""

from __future__ import annotations

import http.client
import os
import re
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.conf import settings

from hoptac.portal.tests.servers import free_port

BROWSER = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:131.0) Gecko/20100101 Firefox/131.0"
BOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
PAGE = "/so-do-trang/"
NEW_VISITORS = 200
RETURNING = 30  # sessions of the first wave that come back twice
RACING = 20  # new sessions whose first three requests hit both servers at once
BOTS = 20
EXPECTED = NEW_VISITORS + RACING


def _wait_for(port: int, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server on port {port} exited with {process.returncode}")
        try:
            status, _headers, _body = _get(port, "/robots.txt", BOT)
            if status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"server on port {port} did not answer")


def _get(port: int, path: str, agent: str, token: str | None = None) -> tuple[int, str, str]:
    """GET `path`; returns the status, the visitor cookie set (if any) and the body."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"User-Agent": agent, "Accept": "text/html"}
    if token:
        headers["Cookie"] = f"hoptac_visitor={token}"
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        body = response.read().decode()
        cookie = re.search(r"hoptac_visitor=([^;]+)", response.getheader("Set-Cookie") or "")
        return response.status, cookie.group(1) if cookie else "", body
    finally:
        connection.close()


def _shown(body: str) -> dict[str, int]:
    """The four figures of the sidebar."""
    found = re.findall(r'data-testid="visits-(\w+)">([\d.,]+)<', body)
    return {name: int(re.sub(r"\D", "", value)) for name, value in found}


def _database_url(tmp_path: Path) -> str:
    """A SQLite file migrated for the portal, or this run's PostgreSQL test database."""
    from django.db import connection

    if connection.vendor == "postgresql":
        s = connection.settings_dict
        auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
        return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    url = f"sqlite:///{tmp_path / 'visits.sqlite3'}"
    for app in ("core", "portal"):  # core: the cached pages' versions
        subprocess.run(  # noqa: S603  (our own manage.py)
            [sys.executable, "manage.py", "migrate", app, "-v0"],
            cwd=settings.BASE_DIR,
            env={
                **os.environ,
                "DATABASE_URL": url,
                "DJANGO_SETTINGS_MODULE": "config.settings.test",
            },
            check=True,
            timeout=300,
        )
    return url


def _clear_postgres_counts(django_db_blocker) -> None:
    from django.db import connection

    from hoptac.portal.models import VisitDay, Visitor

    if connection.vendor == "postgresql":
        with django_db_blocker.unblock():
            VisitDay.objects.all().delete()
            Visitor.objects.all().delete()


@pytest.fixture
def servers(request, tmp_path, django_db_setup, django_db_blocker) -> Iterator[list[int]]:
    """Two gunicorn servers over one database (and Redis when the test asks for it)."""
    redis_url = request.getfixturevalue("redis_server") if request.param == "redis" else ""
    _clear_postgres_counts(django_db_blocker)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": _database_url(tmp_path),
        "REDIS_URL": redis_url,
    }
    ports = [free_port(), free_port()]
    processes = [
        subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                "--worker-class",
                "gthread",
                "--threads",
                "8",
                "--timeout",
                "120",
                "--log-level",
                "warning",
            ],
            cwd=settings.BASE_DIR,
            env=env,
        )
        for port in ports
    ]
    try:
        for port, process in zip(ports, processes, strict=True):
            _wait_for(port, process)
        yield ports
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(30)
        _clear_postgres_counts(django_db_blocker)


@pytest.mark.parametrize("servers", ["database", "redis"], indirect=True)
def test_two_servers_count_parallel_visits_exactly(request, servers, tmp_path, django_db_blocker):
    backend = request.node.callspec.params["servers"]
    first, second = servers
    with ThreadPoolExecutor(max_workers=32) as pool:
        wave = list(pool.map(lambda n: _get(servers[n % 2], PAGE, BROWSER), range(NEW_VISITORS)))
        assert [status for status, _t, _b in wave] == [200] * NEW_VISITORS
        tokens = [token for _s, token, _b in wave]
        assert len(set(tokens)) == NEW_VISITORS
        assert all(tokens)

        racing = [f"race-session-{n:04d}-abcdefgh" for n in range(RACING)]
        jobs = [(servers[n % 2], BROWSER, tokens[n]) for n in range(RETURNING) for _ in (0, 1)]
        jobs += [(port, BROWSER, token) for token in racing for port in (first, second, first)]
        jobs += [(servers[n % 2], BOT, None) for n in range(BOTS)]
        second_wave = list(pool.map(lambda job: _get(job[0], PAGE, job[1], job[2]), jobs))
    assert [status for status, _t, _b in second_wave] == [200] * len(jobs)
    assert len(wave) + len(jobs) >= 200

    expected = {"online": EXPECTED, "today": EXPECTED, "week": EXPECTED, "total": EXPECTED}
    for port in servers:  # each server shows the same exact figures (a bot's view: not counted)
        assert _shown(_get(port, PAGE, BOT)[2]) == expected
    _assert_stored(backend, tmp_path, django_db_blocker)


def _assert_stored(backend: str, tmp_path: Path, django_db_blocker) -> None:
    """What the database holds: one day row of exactly EXPECTED visits and EXPECTED session
    hashes; nothing when Redis counts."""
    from django.db import connection

    from hoptac.portal.models import VisitDay, Visitor

    if connection.vendor == "postgresql":
        with django_db_blocker.unblock():
            visits = list(VisitDay.objects.values_list("visits", flat=True))
            sessions = Visitor.objects.count()
    else:
        with sqlite3.connect(tmp_path / "visits.sqlite3") as db:
            visits = [row[0] for row in db.execute("SELECT visits FROM portal_visitday")]
            sessions = db.execute("SELECT COUNT(*) FROM portal_visitor").fetchone()[0]
            mode = db.execute("PRAGMA journal_mode").fetchone()[0]
            assert mode == "wal"
    if backend == "database":
        assert (visits, sessions) == ([EXPECTED], EXPECTED)
    else:
        assert (visits, sessions) == ([], 0)
