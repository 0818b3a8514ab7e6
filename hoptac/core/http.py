"""Reading where to go next from a request: the one place that does it.

A "next" address comes from the user (a hidden form field, a query string), so it may name
another site (`https://evil.example/…`, `//evil.example/…`): an open redirect. Every view that
redirects to an address taken from the request goes through `safe_next`;
`hoptac/core/tests/test_safe_next.py` fails the suite when a view redirects to a value read
from the request in any other way.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme

NEXT_FIELD = "next"


def safe_next(request: HttpRequest, default: Any, *, field: str = NEXT_FIELD) -> str:
    """The address in the request's `field` (POST first, then the query string) when it stays
    on this site (same host, and HTTPS when the request is secure), else `default` (a URL, a
    URL name or a model, as for `redirect`)."""
    target = request.POST.get(field) or request.GET.get(field) or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(default)
