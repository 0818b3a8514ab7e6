"""Rendered fragments kept in the cache, exact rather than stale.

A fragment (a part of a page, or a whole public page) is cached under a key that holds the
*versions* of the namespaces it was computed from ("portal", later "area:<id>"…). A write that
changes what a namespace shows bumps its version when its transaction commits; the next
request then reads a new version, misses, and renders afresh. Nothing waits for a time-out,
and nothing is served that a fresh computation would not give:

- versions live where every app server sees them: the table `core_cacheversion` (one indexed
  read per request), or Redis when REDIS_URL is set (one round trip, with the fragment);
- a bump happens after the commit, once per transaction and namespace (an import of 10,000
  rows bumps once), so a reader never caches old data under the new version;
- a version that disappears (a flushed table, an evicted Redis key) comes back as a new random
  value, never as one a cached fragment was stored under.

The fragments themselves are in Django's default cache: Redis when REDIS_URL is set (shared by
the app servers), this process's memory otherwise. `HOPTAC_FRAGMENT_CACHE=false` turns the
mechanism off (everything is rendered on each request).
"""

from __future__ import annotations

import functools
import hashlib
import secrets
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.db.models import F

from hoptac.core.models import CacheVersion

FRAGMENT_SECONDS = 24 * 3600  # a fragment unused for a day leaves the cache
_REDIS_PREFIX = "hoptac:version:"


def enabled() -> bool:
    return bool(getattr(settings, "HOPTAC_FRAGMENT_CACHE", True))


def _fresh() -> int:
    """A starting value no earlier version of a namespace can have had (63 random bits)."""
    return secrets.randbits(62) + 1


def _shared_cache() -> bool:
    return bool(getattr(settings, "REDIS_URL", ""))


def versions(namespaces: Iterable[str]) -> dict[str, int]:
    """The current version of each namespace (one read: a query, or a Redis round trip)."""
    names = sorted(set(namespaces))
    if _shared_cache():
        keys = {_REDIS_PREFIX + name: name for name in names}
        found = {keys[key]: value for key, value in cache.get_many(list(keys)).items()}
        for name in names:
            if name not in found:
                cache.add(_REDIS_PREFIX + name, _fresh(), timeout=None)
                found[name] = cache.get(_REDIS_PREFIX + name)
        return found
    table = CacheVersion._meta.db_table
    with connection.cursor() as cursor:  # the hot path of every cached page: no ORM
        marks = ", ".join(["%s"] * len(names))
        cursor.execute(f"SELECT name, value FROM {table} WHERE name IN ({marks})", names)  # noqa: S608
        found = dict(cursor.fetchall())
    for name in names:
        if name not in found:
            found[name] = _create(name)
    return found


def _create(name: str) -> int:
    try:
        with transaction.atomic():
            return CacheVersion.objects.create(name=name, value=_fresh()).value
    except IntegrityError:  # created meanwhile by another request
        return CacheVersion.objects.get(name=name).value


def _bump_now(names: Iterable[str]) -> None:
    for name in sorted(set(names)):
        if _shared_cache():
            key = _REDIS_PREFIX + name
            try:
                cache.incr(key)
            except ValueError:  # missing (evicted): any new value will do
                cache.set(key, _fresh(), timeout=None)
        elif not CacheVersion.objects.filter(name=name).update(value=F("value") + 1):
            _create(name)


def bump_within_transaction(*namespaces: str) -> None:
    """Move the versions at once, inside the current transaction: readers see the new ones
    when it commits, with its data. It holds the versions' rows locked until then, so only a
    short transaction may use it (a visit's count); any other uses `bump`."""
    _bump_now(namespaces)


def bump(*namespaces: str) -> None:
    """Say that what `namespaces` show has changed: their versions move when the current
    transaction commits (at once outside a transaction), once per transaction."""
    if not connection.in_atomic_block:
        _bump_now(namespaces)
        return
    pending = getattr(connection, "_hoptac_pending_bumps", None)
    # Django replaces its list of commit hooks at every commit and rollback (of a savepoint
    # too): the same list, and our hook not run yet, means it is still to come.
    if pending is None or pending[0] is not connection.run_on_commit or pending[2]:
        names: set[str] = set()
        ran: list[bool] = []

        def run() -> None:
            ran.append(True)
            _bump_now(names)

        transaction.on_commit(run)
        pending = connection._hoptac_pending_bumps = (connection.run_on_commit, names, ran)
    pending[1].update(namespaces)


@functools.cache
def release() -> str:
    """What this process renders with: a digest of the code, templates, compiled translations
    and static manifest it started from. Part of every key, so that a new release never reads
    a fragment an older one cached (in Redis, which outlives a deploy); the same files on two
    servers give the same digest, so they share their fragments."""
    base = Path(settings.BASE_DIR)
    digest = hashlib.blake2b(digest_size=16)
    patterns = ("hoptac/**/*.py", "config/**/*.py", "templates/**/*", "locale/**/*.mo")
    files = sorted({f for pattern in patterns for f in base.glob(pattern) if f.is_file()})
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    for path in [*files, manifest] if manifest.is_file() else files:
        digest.update(str(path.relative_to(path.anchor)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def area_namespaces(area_ids: Iterable[int | None]) -> list[str]:
    """The namespaces of the figures shown of administrative areas: "area:<id>" of each unit,
    "area:country" for None (the whole country). Whoever keeps a figure of an area bumps
    these (the indicators: on every write to what the figures read, and on every refresh of
    the tally); a page part showing an area's figures is cached at its area's version."""
    return sorted({f"area:{'country' if pk is None else pk}" for pk in area_ids})


def key_of(*parts: Any) -> str:
    """A short cache key for any parts (paths, query strings, languages), of this release."""
    joined = "\x1f".join(map(str, (release(), *parts)))
    return "hoptac:fragment:" + hashlib.blake2b(joined.encode(), digest_size=16).hexdigest()


def key_for(name: str, parts: Sequence[Any], at: Mapping[str, int]) -> str:
    """The cache key of fragment `name` for `parts` (language, path, date, area…) at the
    versions `at` of the namespaces it shows."""
    return key_of(name, *parts, *sorted(at.items()))


def cached(
    name: str, parts: Sequence[Any], namespaces: Sequence[str], render: Callable[[], Any]
) -> Any:
    """The value `render()` gives, from the cache when it was computed at the current versions
    of `namespaces` and for the same `parts`."""
    if not enabled():
        return render()
    key = key_for(name, parts, versions(namespaces))
    value = cache.get(key)
    if value is None:
        value = render()
        cache.set(key, value, FRAGMENT_SECONDS)
    return value
