from __future__ import annotations

from functools import cache
from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from hoptac.jobs import selectors


def jobs(request: HttpRequest) -> dict[str, Any]:
    """The header's badges, counted only when a page shows them, both in one query:
    `jobs_unseen`, the user's jobs that ended since he last opened "my jobs", and
    `notifications_unread`, his unread notifications (the bell, hoptac.notifications)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    since = selectors.seen_at(request)

    @cache
    def counts() -> tuple[int, int]:
        return selectors.header_counts(user, since)

    return {
        "jobs_unseen": SimpleLazyObject(lambda: counts()[0]),
        "notifications_unread": SimpleLazyObject(lambda: counts()[1]),
    }
