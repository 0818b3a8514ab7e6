from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from hoptac.jobs import selectors


def jobs(request: HttpRequest) -> dict[str, Any]:
    """`jobs_unseen`: the user's jobs that ended since he last opened "my jobs" (the menu's
    badge), counted only when a page shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    since = selectors.seen_at(request)
    return {"jobs_unseen": SimpleLazyObject(lambda: selectors.finished_since(user, since))}
