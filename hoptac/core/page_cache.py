"""Whole public pages from the fragment cache (hoptac.core.fragments), for anonymous readers.

A public page is the same for every anonymous reader of one language, path and day, but for a
few parts made per request: the CSRF token (forms, HTMX headers) and, on the portal, the
visitor statistics. When a page is rendered for the cache these parts are rendered as *holes*,
and every response fills them, whether the page came from the cache or not:

    @cached_page(namespaces=("portal",), holes={"visit-stats": render_visit_stats})
    def home(request): ...

A template emits a hole with `hole_marker(name)` while `is_cached_render(request)`; the CSRF
token becomes a hole through the context processor `core.context_processors.page_holes`.

Only a plain anonymous GET uses the cache (no session, no message waiting, no cookie but the
CSRF, language and visitor ones, not an HTMX request), and only a 200 HTML page that sets no
cookie is stored.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import wraps
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone, translation

from hoptac.core import fragments

CSRF_HOLE = "@@hoptac-hole:csrf@@"
SAFE_COOKIES = frozenset({"csrftoken", "django_language", "hoptac_visitor"})
_CACHED_RENDER = "_hoptac_cached_render"
Hole = Callable[[HttpRequest], str]
View = Callable[..., HttpResponse]


def hole_marker(name: str) -> str:
    return f"<!--@@hoptac-hole:{name}@@-->"


def is_cached_render(request: HttpRequest | None) -> bool:
    """True while a page is rendered for the cache: per-request parts must become holes."""
    return bool(getattr(request, _CACHED_RENDER, False))


def _cacheable(request: HttpRequest) -> bool:
    if request.method != "GET" or not fragments.enabled():
        return False
    cookies = set(request.COOKIES)
    if cookies - SAFE_COOKIES:
        return False
    return not getattr(request, "htmx", False)


def _storable(response: HttpResponse) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and response.get("Content-Type", "").startswith("text/html")
        and not response.cookies
    )


def _fill(body: str, request: HttpRequest, holes: Mapping[str, Hole]) -> str:
    if CSRF_HOLE in body:
        body = body.replace(CSRF_HOLE, get_token(request))
    for name, fill in holes.items():
        marker = hole_marker(name)
        if marker in body:
            body = body.replace(marker, fill(request))
    return body


def cached_page(*, namespaces: Sequence[str], holes: Mapping[str, Hole] | None = None):
    """Serve the view's page to anonymous readers from the cache, exact at the versions of
    `namespaces` (which every write that changes what the page shows bumps)."""
    holes = dict(holes or {})

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not _cacheable(request):
                return view(request, *args, **kwargs)
            parts = (
                view.__module__,
                view.__qualname__,
                translation.get_language(),
                request.get_full_path(),
                timezone.localdate().isoformat(),
            )
            key = fragments.key_for("page", parts, namespaces)
            stored = cache.get(key)
            if stored is None:
                setattr(request, _CACHED_RENDER, True)
                try:
                    response = view(request, *args, **kwargs)
                finally:
                    setattr(request, _CACHED_RENDER, False)
                if not _storable(response):
                    # Not a plain page (a 404, a redirect, a file): holes are filled anyway.
                    if not response.streaming and b"@@hoptac-hole:" in response.content:
                        response.content = _fill(response.content.decode(), request, holes)
                    return response
                stored = (response.content.decode(response.charset), response["Content-Type"])
                cache.set(key, stored, fragments.FRAGMENT_SECONDS)
            body, content_type = stored
            return HttpResponse(_fill(body, request, holes), content_type=content_type)

        return wrapper

    return decorate
