from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from hoptac.jobs import selectors


def jobs(request: HttpRequest) -> dict[str, Any]:
    """`jobs_unseen`: finished jobs the user has not opened (the menu's badge), counted only
    when a page shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"jobs_unseen": SimpleLazyObject(lambda: selectors.unseen_finished_count(user))}
