"""Errors of the API as problem details (RFC 9457, `application/problem+json`): `type`,
`title`, `status`, `detail` in the caller's language (Accept-Language; Vietnamese by
default), and for bad input `errors`, a list of {field, message} (with `row` in bulk calls).

`ApiError` is raised by the endpoints; the handlers below turn every other error ninja or
Django raises into the same shape, and `problem_responses` wraps each URL of the API so that
even what never reaches an endpoint (an unknown path, a method not allowed) answers so.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError

from hoptac.api import rules

if TYPE_CHECKING:
    from ninja import NinjaAPI

log = logging.getLogger(__name__)

MEDIA_TYPE = "application/problem+json"
TYPE_BASE = "https://hoptac.vn/api/problems/"  # not dereferenced: an identifier (RFC 9457, 3.1.1)


def _titles() -> dict[int, str]:
    return {
        400: _("Bad request"),
        401: _("Not signed in"),
        403: _("Not allowed"),
        404: _("Not found"),
        405: _("Method not allowed"),
        406: _("Not acceptable"),
        409: _("Conflict"),
        412: _("Changed meanwhile"),
        413: _("Too large"),
        415: _("Unsupported media type"),
        422: _("Invalid input"),
        428: _("If-Match required"),
        429: _("Too many requests"),
        500: _("Server error"),
    }


SLUGS = {
    400: "bad-request",
    401: "unauthorized",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    406: "not-acceptable",
    409: "conflict",
    412: "precondition-failed",
    413: "too-large",
    415: "unsupported-media-type",
    422: "invalid-input",
    428: "precondition-required",
    429: "too-many-requests",
    500: "server-error",
}


class ApiError(Exception):
    """An error answered as a problem: its status, detail, field errors and extra members."""

    def __init__(
        self,
        status: int,
        detail: str = "",
        *,
        errors: Iterable[dict[str, Any]] = (),
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(status, detail)
        self.status = status
        self.detail = detail
        self.errors = list(errors)
        self.headers = headers or {}
        self.extra = extra


def problem(
    status: int,
    detail: str = "",
    *,
    errors: Iterable[dict[str, Any]] = (),
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> HttpResponse:
    """The problem-details response."""
    body: dict[str, Any] = {
        "type": TYPE_BASE + SLUGS.get(status, str(status)),
        "title": _titles().get(status, str(status)),
        "status": status,
        "detail": detail or _titles().get(status, ""),
    }
    errors = list(errors)
    if errors:
        body["errors"] = errors
    body.update(extra)
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False, default=str),
        status=status,
        content_type=f"{MEDIA_TYPE}; charset=utf-8",
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def field_errors(error: DjangoValidationError, labels: dict[str, str] | None = None) -> list[dict]:
    """A Django ValidationError as [{field, message}] ("" for the whole object); `labels`
    renames the fields (e.g. the form's `place` back to the API's field)."""
    labels = labels or {}
    if hasattr(error, "error_dict"):
        return [
            {"field": labels.get(name, name if name != "__all__" else ""), "message": message}
            for name, messages in error.message_dict.items()
            for message in messages
        ]
    return [{"field": "", "message": message} for message in error.messages]


def form_errors(form: Any, labels: dict[str, str] | None = None) -> list[dict[str, str]]:
    """A Django form's errors as [{field, message}] (the messages already name the field)."""
    labels = labels or {}
    return [
        {"field": labels.get(name, name if name != "__all__" else ""), "message": str(message)}
        for name, messages in form.errors.items()
        for message in messages
    ]


def _location(loc: Iterable[Any]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in ("body", "query", "path", "header", "cookie", "form"):
        parts = parts[1:]
    if parts and parts[0] == "payload":
        parts = parts[1:]
    return ".".join(parts)


# --- handlers -------------------------------------------------------------------------------


def _on_problem(request: HttpRequest, exc: ApiError) -> HttpResponse:
    return problem(exc.status, exc.detail, errors=exc.errors, headers=exc.headers, **exc.extra)


def _on_ninja_validation(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors = [
        {"field": _location(e.get("loc", ())), "message": str(e.get("msg", ""))} for e in exc.errors
    ]
    return problem(422, _("The request does not have the expected shape."), errors=errors)


def _on_django_validation(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    return problem(422, _("The data was not accepted."), errors=field_errors(exc))


def _on_authentication(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    detail = exc.message if exc.message != "Unauthorized" else ""
    return problem(
        401,
        detail or _("Give a valid API token (Authorization: Bearer …) or sign in."),
        headers={"WWW-Authenticate": 'Bearer realm="hoptac"'},
    )


def _on_throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
    return problem(429, _("Too many requests: wait a little and try again."))


def _on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return problem(exc.status_code, _titles().get(exc.status_code, str(exc.message)))


def _on_not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return problem(404, _("There is no such object, or it is outside your area."))


def _on_denied(request: HttpRequest, exc: Exception) -> HttpResponse:
    return problem(403, _("You may not do this."))


def _on_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    log.exception("API error on %s %s", request.method, request.path)
    return problem(500, _("The server failed to answer; the error was logged."))


def install(api: NinjaAPI) -> None:
    """Answer every error of `api` as a problem."""
    api.add_exception_handler(ApiError, _on_problem)
    api.add_exception_handler(NinjaValidationError, _on_ninja_validation)
    api.add_exception_handler(DjangoValidationError, _on_django_validation)
    api.add_exception_handler(AuthenticationError, _on_authentication)
    api.add_exception_handler(Throttled, _on_throttled)
    api.add_exception_handler(HttpError, _on_http_error)
    api.add_exception_handler(Http404, _on_not_found)
    api.add_exception_handler(PermissionDenied, _on_denied)
    api.add_exception_handler(Exception, _on_error)


# --- every URL of the API -------------------------------------------------------------------


def _is_problem(response: HttpResponseBase) -> bool:
    return response.get("Content-Type", "").startswith(MEDIA_TYPE)


def problem_responses(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Wrap a view of the API: its texts in the caller's language (Accept-Language, Vietnamese
    by default), and any error it answers in another shape (ninja's 405, a bare 404) turned
    into a problem."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        language = rules.language_of(request.headers.get("Accept-Language", ""))
        with translation.override(language):
            response = view(request, *args, **kwargs)
            if response.status_code >= 400 and not _is_problem(response):
                headers = {"Allow": response["Allow"]} if response.has_header("Allow") else {}
                response = problem(response.status_code, headers=headers)
            response["Content-Language"] = language
            patch_vary_headers(response, ["Accept-Language"])
        return response

    return wrapped


def not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    """Any path under /api/ that names no endpoint."""
    return problem(404, _("There is no such endpoint."))
