"""Rate limits of the API, counted in the `ratelimit` cache every app server shares (Redis, or
the database table of hoptac.core.cache): per token or signed-in user
(HOPTAC_API_RATE, e.g. "1200/m"), and per address for anonymous calls of the public
endpoints (HOPTAC_API_PUBLIC_RATE, e.g. "60/m"). Above it: 429 with Retry-After.

A process does not write the shared counter on every call: it claims a block of calls
(rules.lease_size: a twentieth of the limit, at most 100; one by one under 40 a period) and
counts them down in its memory, claiming the next block when they are spent. The shared
counter still never lets more than the limit through in a window, across all processes
(rules.lease_granted); what a process claimed and did not use is lost with the window, so a
caller spread over several processes may be refused up to (processes - 1) × block calls
early. With the database cache that is one transaction per block instead of two per call
(issue 15: the counter was a fifth of the list's time).
"""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest
from ninja.throttling import BaseThrottle

from hoptac.api import rules
from hoptac.core.addresses import client_address

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
MAX_LEASES = 10_000  # callers remembered by a process before the ended windows are dropped


def parse_rate(rate: str) -> tuple[int, int]:
    """("120/m") → (120 calls, 60 seconds)."""
    count, _slash, period = rate.partition("/")
    return int(count), PERIODS[period.strip()[:1]]


@dataclass(slots=True)
class _Lease:
    window: int
    left: int  # calls claimed and not yet used
    spent: bool = False  # the shared counter reached the limit: refuse until the window ends


_leases: dict[str, _Lease] = {}
_lock = threading.Lock()


def forget_leases() -> None:
    """Drop this process's claimed calls (the tests, after clearing the shared counters)."""
    with _lock:
        _leases.clear()


def _claim(key: str, claimed: int, limit: int, period: int) -> int:
    """Add `claimed` calls to the shared counter `key`; how many of them are granted."""
    cache = caches[settings.RATELIMIT_USE_CACHE]
    try:
        total = cache.incr(key, claimed)
    except ValueError:  # no counter yet in this window; unless another process just made it
        added = cache.add(key, claimed, period + 1)
        total = claimed if added else cache.incr(key, claimed)
    return rules.lease_granted(total=total, claimed=claimed, limit=limit)


class ApiThrottle(BaseThrottle):
    """A fixed window per caller: at most N calls in each period."""

    def __init__(self) -> None:
        self._wait: float | None = None

    def ident(self, request: HttpRequest) -> tuple[str, str]:
        """(who, rate): the token, the user, or the hashed address of an anonymous caller."""
        caller = getattr(request, "auth", None)
        token = getattr(caller, "token", None)
        user = getattr(caller, "user", None)
        if token is not None:
            return f"t{token.pk}", settings.HOPTAC_API_RATE
        if user is not None and user.is_authenticated:
            return f"u{user.pk}", settings.HOPTAC_API_RATE
        address = client_address(request) or "-"
        digest = hashlib.sha256(address.encode()).hexdigest()[:16]
        return f"a{digest}", settings.HOPTAC_API_PUBLIC_RATE

    def allow_request(self, request: HttpRequest) -> bool:
        who, rate = self.ident(request)
        limit, period = parse_rate(rate)
        now = time.time()
        window = int(now // period)
        self._wait = (window + 1) * period - now
        name = f"{who}:{limit}/{period}"
        with _lock:
            lease = _leases.get(name)
            if lease is None or lease.window != window:
                if len(_leases) >= MAX_LEASES:
                    ended = [n for n, held in _leases.items() if held.window != window]
                    for ended_name in ended:
                        del _leases[ended_name]
                lease = _leases[name] = _Lease(window, 0)
            if lease.spent:
                return False
            if lease.left == 0:
                key = f"api-throttle:{who}:{period}:{window}"
                lease.left = _claim(key, rules.lease_size(limit), limit, period)
                if lease.left == 0:
                    lease.spent = True
                    return False
            lease.left -= 1
            return True

    def wait(self) -> float | None:
        return self._wait
