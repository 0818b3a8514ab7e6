"""A request id for every request, and one access log line per request in JSON mode.

`RequestIdMiddleware` is the first middleware: it takes the id from the `X-Request-ID` header
when that is a safe short token (as a proxy such as nginx's `$request_id` sends it), else makes
one; it holds the id in a context variable for the time of the request, so every log record
written meanwhile carries it (hoptac.core.logging.RequestContextFilter), and returns it in the
response's `X-Request-ID` header. With HOPTAC_LOG_FORMAT=json it logs one line per request at
INFO on the `hoptac.access` logger: method, path (without the query string, which may hold
personal data), status, duration_ms and user_id (when the request signed someone in).
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable
from contextvars import ContextVar

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.utils.functional import empty

HEADER = "X-Request-ID"
SAFE_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")

_request_id: ContextVar[str | None] = ContextVar("hoptac_request_id", default=None)
access_log = logging.getLogger("hoptac.access")


def current_request_id() -> str | None:
    """The id of the request being served in this context, or None."""
    return _request_id.get()


def request_id_from(header: str | None) -> str:
    """The client's id when it is a safe short token, else a new one (32 hex digits)."""
    if header and SAFE_ID.fullmatch(header):
        return header
    return uuid.uuid4().hex


def _user_id(request: HttpRequest) -> int | None:
    """The signed-in user's id, if the request already read it: never loads a session for
    the log's sake."""
    user = getattr(request, "user", None)
    if user is None or getattr(user, "_wrapped", None) is empty:
        return None
    return user.pk if user.is_authenticated else None


class RequestIdMiddleware:
    """Sets the request id for the request's log records and its response; in JSON log mode,
    writes the access log line."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        started = time.monotonic()
        request_id = request_id_from(request.headers.get(HEADER))
        request.request_id = request_id  # type: ignore[attr-defined]  # for django.request's log
        token = _request_id.set(request_id)
        try:
            response = self.get_response(request)
            response[HEADER] = request_id
            if settings.HOPTAC_LOG_FORMAT == "json":
                access_log.info(
                    "%s %s %s",
                    request.method,
                    request.path,
                    response.status_code,
                    extra={
                        "method": request.method,
                        "path": request.path,
                        "status": response.status_code,
                        "duration_ms": round((time.monotonic() - started) * 1000, 1),
                        "user_id": _user_id(request),
                    },
                )
            return response
        finally:
            _request_id.reset(token)
