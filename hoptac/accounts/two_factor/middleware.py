"""Every page waits for the second step of sign-in: a signed-in user who owes a code, or must
enrol an authenticator app first, is sent to that page from any other URL."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect

from hoptac.accounts.two_factor.session import pending_step

# Reachable before the second step: signing out and switching language (besides the views
# marked with `two_factor_exempt`, the second step's own pages, and the static files).
EXEMPT_VIEWS = frozenset({"accounts:logout", "set_language"})


def two_factor_exempt(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Mark a view reachable before the second step of sign-in is done."""
    view.two_factor_exempt = True  # type: ignore[attr-defined]
    return view


class TwoFactorMiddleware:
    """After LoginRequiredMiddleware and django-otp's OTPMiddleware (`user.is_verified()`)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], *args: Any
    ) -> HttpResponse | None:
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return None  # not signed in; and the session stays untouched (no "Vary: Cookie")
        if getattr(view_func, "two_factor_exempt", False):
            return None
        match = request.resolver_match
        if (match and match.view_name in EXEMPT_VIEWS) or request.path_info.startswith(
            settings.STATIC_URL
        ):
            return None
        step = pending_step(request)
        if step is None:
            return None
        url = reverse(f"accounts:two_factor_{step}")
        if request.method == "GET":
            url += "?" + urlencode({"next": request.get_full_path()})
        if getattr(request, "htmx", False):
            return HttpResponseClientRedirect(url)  # a fragment's target must not get the page
        return redirect(url)
