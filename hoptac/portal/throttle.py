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

from hoptac.core.addresses import client_address
from hoptac.portal import rules

GROUP = "portal:messages"


def _key(group: str, request: HttpRequest) -> str:
    return rules.address_key(settings.SECRET_KEY, client_address(request) or "unknown")


def message_limited(request: HttpRequest) -> bool:
    """Count one message from the request's address; True when it is over the limit
    (HOPTAC_MESSAGE_RATE, e.g. "5/h")."""
    rate = getattr(settings, "HOPTAC_MESSAGE_RATE", "5/h")
    return is_ratelimited(request, group=GROUP, key=_key, rate=rate, method=ALL, increment=True)
