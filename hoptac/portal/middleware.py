"""Counts visits to the site's pages (hoptac.portal.visits) as responses leave."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from hoptac.portal import rules, visits

log = logging.getLogger(__name__)
COOKIE = "hoptac_visitor"
SEEN_COOKIE = "hoptac_seen"  # visits.seen_hint: when this session was last counted
SKIPPED_PREFIXES = ("/static/", "/media/", "/admin/", "/i18n/", "/en/admin/", "/api/")


def is_page_view(request: HttpRequest, response: HttpResponse) -> bool:
    """A full HTML page a person asked for: GET, 200, text/html, not an HTMX fragment, not a
    prefetch, not static files or the admin, not a bot."""
    if request.method != "GET" or response.status_code != 200:
        return False
    if not response.get("Content-Type", "").startswith("text/html"):
        return False
    if request.path.startswith(SKIPPED_PREFIXES):
        return False
    htmx = getattr(request, "htmx", None)
    if htmx and not htmx.boosted:
        return False
    purpose = request.headers.get("Sec-Purpose", "") or request.headers.get("Purpose", "")
    if "prefetch" in purpose:
        return False
    return not rules.is_bot(request.headers.get("User-Agent"))


class VisitCounterMiddleware:
    """Records each page view; gives a new browser session its random token cookie."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not is_page_view(request, response):
            return response
        token = request.COOKIES.get(COOKIE, "")
        if not (16 <= len(token) <= 64 and token.isascii()):
            token = secrets.token_urlsafe(24)
            _set_cookie(response, COOKIE, token)
        now = timezone.now()
        if visits.seen_recently(token=token, hint=request.COOKIES.get(SEEN_COOKIE, ""), now=now):
            return response  # counted today and seen a moment ago: nothing to write or read
        try:
            visits.visit_record(token=token, now=now)
        except Exception:  # the statistics must never break a page
            log.exception("visit not counted")
        else:
            _set_cookie(response, SEEN_COOKIE, visits.seen_hint(token=token, now=now))
        return response


def _set_cookie(response: HttpResponse, name: str, value: str) -> None:
    """A cookie of the browser session (no max_age), for this site's pages only."""
    response.set_cookie(
        name, value, httponly=True, samesite="Lax", secure=settings.SESSION_COOKIE_SECURE
    )
