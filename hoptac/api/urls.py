"""The API's URLs, outside the language prefixes (config/urls.py): /api/v1/… .

Every view is reachable without a session (the API has its own authentication,
hoptac.api.auth), answers its errors as problems in the caller's language
(errors.problem_responses), and any other path under /api/ is a problem 404."""

from __future__ import annotations

from typing import Any

from django.urls import URLPattern, URLResolver, path, re_path

from hoptac.api.errors import not_found, problem_responses
from hoptac.api.main import api


def api_view(view: Any) -> Any:
    """A view of the API: problems in the caller's language, no sign-in page, CSRF checked
    by ApiAuth (on writes made with a session) rather than by the middleware."""
    wrapped = problem_responses(view)
    wrapped.login_required = False  # LoginRequiredMiddleware
    wrapped.csrf_exempt = True
    return wrapped


def _wrap(patterns: list[Any]) -> list[Any]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            _wrap(pattern.url_patterns)
        elif isinstance(pattern, URLPattern):
            pattern.callback = api_view(pattern.callback)
    return patterns


_patterns, _app, _namespace = api.urls
urlpatterns = [
    path("api/v1/", (_wrap(_patterns), _app, _namespace)),
    re_path(r"^api/(?P<rest>.*)$", api_view(not_found), name="api_not_found"),
]
