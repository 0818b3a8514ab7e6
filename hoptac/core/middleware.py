"""Response headers every page gets: Permissions-Policy, and `Cache-Control: no-store` on what
must never be kept by a browser or a proxy (issue 12, defect 7).

- A response to a signed-in user is private: it may show personal data or an area's figures,
  so no cache (the browser's back/forward cache and disk cache, a shared proxy) keeps a copy.
- A download (a response with Content-Disposition: exports, attachments, fix-lists, reports) is
  not kept either, whoever asked for it.
- Public pages of an anonymous visitor are left alone: they stay cacheable.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import add_never_cache_headers
from django.utils.functional import empty

from config.security import PERMISSIONS_POLICY


def is_signed_in(request: HttpRequest) -> bool:
    """Whether the request comes from (or has just made) a signed-in user. A visitor without a
    session cookie is anonymous without loading a session, so a public response does not
    become `Vary: Cookie` because of this check."""
    user = getattr(request, "user", None)
    if user is None:
        return False
    evaluated = getattr(user, "_wrapped", None) is not empty  # a lazy user not read yet
    if not evaluated and settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    return bool(user.is_authenticated)


def must_not_be_stored(request: HttpRequest, response: HttpResponseBase) -> bool:
    """A download, or anything answered to a signed-in user."""
    return response.has_header("Content-Disposition") or is_signed_in(request)


class ResponseHeadersMiddleware:
    """Adds Permissions-Policy to every response and no-store where `must_not_be_stored`.
    Placed after AuthenticationMiddleware, which gives it `request.user`."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if must_not_be_stored(request, response):
            add_never_cache_headers(response)
        return response
