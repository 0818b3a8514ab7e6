"""Rate limits of the citizens' forms (django-ratelimit, counting in the `ratelimit` cache).

The limit counts the sender's address under a salted hash (rules.address_key); the address
itself is neither stored nor used as a cache key. The `ratelimit` cache is shared by every app
process: Redis when REDIS_URL is set, else a table of the database whose counters are exact
under concurrent requests (hoptac.core.cache.AtomicDatabaseCache).
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django_ratelimit import ALL
from django_ratelimit.core import is_ratelimited

from hoptac.portal import rules

GROUP = "portal:messages"


def client_address(request: HttpRequest) -> str:
    """The sender's address: REMOTE_ADDR, or, behind HOPTAC_PROXY_COUNT trusted proxies, the
    address the outermost of them saw (X-Forwarded-For)."""
    proxies = int(getattr(settings, "HOPTAC_PROXY_COUNT", 0) or 0)
    if proxies:
        forwarded = [a.strip() for a in request.headers.get("X-Forwarded-For", "").split(",")]
        forwarded = [a for a in forwarded if a]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _key(group: str, request: HttpRequest) -> str:
    return rules.address_key(settings.SECRET_KEY, client_address(request))


def message_limited(request: HttpRequest) -> bool:
    """Count one message from the request's address; True when it is over the limit
    (HOPTAC_MESSAGE_RATE, e.g. "5/h")."""
    rate = getattr(settings, "HOPTAC_MESSAGE_RATE", "5/h")
    return is_ratelimited(request, group=GROUP, key=_key, rate=rate, method=ALL, increment=True)
