"""Whole public pages from the fragment cache (hoptac.core.fragments), for anonymous readers.

A public page is the same for every anonymous reader of one language, address and day, but for
a few parts made per request: the CSRF token (forms, HTMX headers) and, on the portal, the
visitor statistics. When a page is rendered for the cache these parts are rendered as *holes*,
and every response fills them, whether the page came from the cache or not:

    @cached_page(namespaces=("portal",), holes={"visit-stats": Hole(render, ("visits",))})
    def home(request): ...

A template emits a hole with `hole_marker(name)` while `is_cached_render(request)`; the CSRF
token becomes a hole through the context processor `core.context_processors.page_holes`. A
hole that names namespaces is itself cached at their versions (and per minute when asked);
all the versions a response needs are read at once.

Only a plain anonymous GET uses the cache (no session, no message waiting, no cookie but the
CSRF, language and visitor ones, not an HTMX request), and only a 200 HTML page that sets no
cookie is stored.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone, translation

from hoptac.core import fragments

CSRF_HOLE = "@@hoptac-hole:csrf@@"
SAFE_COOKIES = frozenset({"csrftoken", "django_language", "hoptac_visitor", "hoptac_seen"})
_CACHED_RENDER = "_hoptac_cached_render"
View = Callable[..., HttpResponse]


@dataclass(frozen=True)
class Hole:
    """A part of a cached page made per request by `fill`; cached itself at the versions of
    `namespaces` when it names any (and for the current minute when `per_minute`)."""

    fill: Callable[[HttpRequest], str]
    namespaces: tuple[str, ...] = ()
    per_minute: bool = False


def hole_marker(name: str) -> str:
    return f"<!--@@hoptac-hole:{name}@@-->"


def is_cached_render(request: HttpRequest | None) -> bool:
    """True while a page is rendered for the cache: per-request parts must become holes."""
    return bool(getattr(request, _CACHED_RENDER, False))


def _cacheable(request: HttpRequest) -> bool:
    if request.method != "GET" or not fragments.enabled():
        return False
    if set(request.COOKIES) - SAFE_COOKIES:
        return False
    return not getattr(request, "htmx", False)


def _storable(response: HttpResponse) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and response.get("Content-Type", "").startswith("text/html")
        and not response.cookies
    )


def _hole_html(name: str, hole: Hole, request: HttpRequest, at: Mapping[str, int]) -> str:
    if not hole.namespaces:
        return hole.fill(request)
    now = timezone.localtime()
    parts = [name, translation.get_language(), now.date().isoformat()]
    if hole.per_minute:
        parts.append(now.strftime("%H:%M"))
    key = fragments.key_for("hole", parts, {n: at[n] for n in hole.namespaces})
    html = cache.get(key)
    if html is None:
        html = hole.fill(request)
        cache.set(key, html, 120 if hole.per_minute else fragments.FRAGMENT_SECONDS)
    return html


def _fill(body: str, request: HttpRequest, holes: Mapping[str, Hole], at: Mapping) -> str:
    if CSRF_HOLE in body:
        body = body.replace(CSRF_HOLE, get_token(request))
    for name, hole in holes.items():
        marker = hole_marker(name)
        if marker in body:
            body = body.replace(marker, _hole_html(name, hole, request, at))
    return body


def cached_page(*, namespaces: Sequence[str], holes: Mapping[str, Hole] | None = None):
    """Serve the view's page to anonymous readers from the cache, exact at the versions of
    `namespaces` (which every write that changes what the page shows bumps)."""
    holes = dict(holes or {})
    every = {*namespaces, *(n for hole in holes.values() for n in hole.namespaces)}

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not _cacheable(request):
                return view(request, *args, **kwargs)
            at = fragments.versions(every)
            parts = (
                view.__module__,
                view.__qualname__,
                translation.get_language(),
                request.get_full_path(),
                timezone.localdate().isoformat(),
            )
            key = fragments.key_for("page", parts, {n: at[n] for n in namespaces})
            stored = cache.get(key)
            if stored is None:
                setattr(request, _CACHED_RENDER, True)
                try:
                    response = view(request, *args, **kwargs)
                finally:
                    setattr(request, _CACHED_RENDER, False)
                # A page that made a real CSRF token (get_token() marks the request) is this
                # reader's alone: the token was not a hole (a template or a processor missed it).
                if not _storable(response) or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
                    # Not a plain page (a 404, a redirect, a file): holes are filled anyway.
                    if not response.streaming and b"@@hoptac-hole:" in response.content:
                        response.content = _fill(response.content.decode(), request, holes, at)
                    return response
                stored = (response.content.decode(response.charset), response["Content-Type"])
                cache.set(key, stored, fragments.FRAGMENT_SECONDS)
            body, content_type = stored
            return HttpResponse(_fill(body, request, holes, at), content_type=content_type)

        return wrapper

    return decorate
