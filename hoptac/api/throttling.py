"""Rate limits of the API, counted in the `ratelimit` cache every app server shares (Redis, or
the database table of hoptac.core.cache): per token or signed-in user
(HOPTAC_API_RATE, e.g. "1200/m"), and per address for anonymous calls of the public
endpoints (HOPTAC_API_PUBLIC_RATE, e.g. "60/m"). Above it: 429 with Retry-After."""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest
from ninja.throttling import BaseThrottle

from hoptac.core.addresses import client_address

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """("120/m") → (120 calls, 60 seconds)."""
    count, _slash, period = rate.partition("/")
    return int(count), PERIODS[period.strip()[:1]]


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
        count, period = parse_rate(rate)
        now = time.time()
        window = int(now // period)
        key = f"api-throttle:{who}:{period}:{window}"
        cache = caches[settings.RATELIMIT_USE_CACHE]
        cache.add(key, 0, period + 1)
        try:
            used = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, period + 1)
            used = 1
        self._wait = (window + 1) * period - now
        return used <= count

    def wait(self) -> float | None:
        return self._wait
