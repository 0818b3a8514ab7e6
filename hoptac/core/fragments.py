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

import hashlib
import secrets
from collections.abc import Callable, Iterable, Sequence
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


def versions(namespaces: Sequence[str]) -> str:
    """The current versions of `namespaces`, joined into one key part."""
    if _shared_cache():
        keys = [_REDIS_PREFIX + name for name in namespaces]
        found = cache.get_many(keys)
        for key in keys:
            if key not in found:
                cache.add(key, _fresh(), timeout=None)
                found[key] = cache.get(key)
        return ".".join(str(found[key]) for key in keys)
    found = dict(CacheVersion.objects.filter(name__in=namespaces).values_list("name", "value"))
    for name in namespaces:
        if name not in found:
            found[name] = _create(name)
    return ".".join(str(found[name]) for name in namespaces)


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


def bump(*namespaces: str) -> None:
    """Say that what `namespaces` show has changed: their versions move when the current
    transaction commits (at once outside a transaction), once per transaction."""
    if not connection.in_atomic_block:
        _bump_now(namespaces)
        return
    pending = getattr(connection, "_hoptac_pending_bumps", None)
    # Django replaces its list of commit hooks at every commit and rollback (of a savepoint
    # too): the same list means our hook of this transaction is still in it.
    if pending is None or pending[0] is not connection.run_on_commit:
        names: set[str] = set()
        transaction.on_commit(lambda: _bump_now(names))
        pending = connection._hoptac_pending_bumps = (connection.run_on_commit, names)
    pending[1].update(namespaces)


def key_of(*parts: Any) -> str:
    """A short cache key for any parts (paths, query strings, languages)."""
    digest = hashlib.blake2b("\x1f".join(map(str, parts)).encode(), digest_size=16)
    return "hoptac:fragment:" + digest.hexdigest()


def key_for(name: str, parts: Sequence[Any], namespaces: Sequence[str]) -> str:
    """The cache key of fragment `name` for `parts` (language, path, date, area…) at the
    current versions of `namespaces`."""
    return key_of(name, *parts, versions(namespaces))


def cached(
    name: str, parts: Sequence[Any], namespaces: Sequence[str], render: Callable[[], Any]
) -> Any:
    """The value `render()` gives, from the cache when it was computed at the current versions
    of `namespaces` and for the same `parts`."""
    if not enabled():
        return render()
    key = key_for(name, parts, namespaces)
    value = cache.get(key)
    if value is None:
        value = render()
        cache.set(key, value, FRAGMENT_SECONDS)
    return value
