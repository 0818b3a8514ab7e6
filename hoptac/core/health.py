"""Liveness and readiness (/healthz, /readyz): what a load balancer or an orchestrator asks.

Readiness runs a few cheap checks and names the ones that fail:

- `database`: a `SELECT 1` on the default database;
- `cache`: a value set in the default cache and read back;
- the checks later apps register (`register`): the indicators register `tally`;
- `jobs`: reserved for the job queue's lag; hoptac has no job queue yet, so it is None.

A check is a function returning a dict of what it found; it raises `NotReadyError` (or any
exception) when the site must not get traffic. The error's class is reported, never its text
(which may name hosts or users); the whole exception goes to the log.
"""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.cache import caches
from django.db import connections

log = logging.getLogger(__name__)

Check = Callable[[], dict[str, Any]]


class NotReadyError(Exception):
    """Raised by a check whose finding must take the site out of rotation."""

    def __init__(self, reason: str, found: dict[str, Any] | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.found = found or {}


@dataclass(frozen=True)
class Registered:
    name: str
    check: Check
    needs_database: bool


_CHECKS: dict[str, Registered] = {}


def register(name: str, check: Check, *, needs_database: bool = True) -> None:
    """Add a readiness check (a later app calls this in its AppConfig.ready()). A check that
    reads the database is not run while the database check fails (it reports `"ok": null`,
    and only the database is named as failing)."""
    _CHECKS[name] = Registered(name, check, needs_database)


def check_database() -> dict[str, Any]:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
        if cursor.fetchone() != (1,):
            raise NotReadyError("unexpected answer to SELECT 1")
    return {}


def check_cache() -> dict[str, Any]:
    cache = caches["default"]
    key = f"hoptac:readyz:{secrets.token_hex(8)}"
    value = secrets.token_hex(8)
    cache.set(key, value, timeout=10)
    try:
        if cache.get(key) != value:
            raise NotReadyError("the cache did not return the value just set")
    finally:
        cache.delete(key)
    return {}


def _run(name: str, check: Check) -> dict[str, Any]:
    started = time.monotonic()
    try:
        found = {"ok": True, **check()}
    except NotReadyError as error:
        found = {"ok": False, "error": error.reason, **error.found}
    except Exception as error:
        log.exception("readiness check %s failed", name)
        found = {"ok": False, "error": type(error).__name__}
    found["ms"] = round((time.monotonic() - started) * 1000, 1)
    return found


def readiness() -> tuple[bool, dict[str, Any]]:
    """Run every check; (ready, the JSON body). Not ready names the failing checks."""
    checks: dict[str, Any] = {"database": _run("database", check_database)}
    database_ok = checks["database"]["ok"]
    checks["cache"] = _run("cache", check_cache)
    for item in _CHECKS.values():
        if item.needs_database and not database_ok:
            checks[item.name] = {"ok": None, "skipped": "the database is not reachable"}
        else:
            checks[item.name] = _run(item.name, item.check)
    failing = [name for name, found in checks.items() if found["ok"] is False]
    checks["jobs"] = None  # the job queue's lag, once hoptac has a job queue
    body = {"status": "unavailable" if failing else "ok", "failing": failing, "checks": checks}
    return not failing, body
