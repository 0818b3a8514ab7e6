"""The audit log (Nghị định 13/2023/NĐ-CP, personal data): what is recorded, and how.

- Sign-in, sign-out and failed sign-in: Django's `user_logged_in`, `user_logged_out` and
  `user_login_failed` signals; a lockout: django-axes' `user_locked_out` (connected in
  AccountsConfig.ready()).
- Changes of accounts and roles, and the lifting of a lockout: the services of
  hoptac.accounts.services call `record()`.
- Every download: `AuditMiddleware` records each response that is an attachment (a file the
  browser saves), whatever view made it, so a new export cannot be left out: who, when, the
  URL's name and arguments, the query string (the filter), the file's name and format, and,
  for an export of a list, how many rows it holds. An export counts its rows by passing them
  through `export_rows()` (or, when they are streamed after the response is made, by giving
  the total to `export_total()`); an entry with a row count is an EXPORT, one without is a
  DOWNLOAD (a stored file, a blank template, a form of one record).

The address and browser of an entry come from the request being answered (the middleware
keeps it in a context variable for the services, which never read the request themselves).
Entries are append-only (models.AuditEntry); `audit_purge()` alone deletes, those older than
HOPTAC_AUDIT_RETENTION_DAYS.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from email.message import Message
from pathlib import PurePosixPath
from typing import Any, TypeVar

from axes.helpers import get_failure_limit
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connections, models, transaction
from django.http import HttpRequest, HttpResponseBase
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hoptac.accounts.choices import AuditAction
from hoptac.accounts.models import AuditEntry, User
from hoptac.core.addresses import client_address
from hoptac.core.params import clean_text

T = TypeVar("T")

DEFAULT_RETENTION_DAYS = 730
USER_AGENT_LENGTH = 255
QUERY_KEYS = 50  # a query string's keys kept in an entry, at most
QUERY_VALUE_LENGTH = 200  # and the characters of each value
SYSTEM = "system"  # the user name of what a command does (no signed-in actor)

_request: ContextVar[HttpRequest | None] = ContextVar("hoptac_audit_request", default=None)


# --- writing an entry -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a request came from: the visitor's address and his browser."""

    ip_address: str | None = None
    user_agent: str = ""


def origin_of(request: HttpRequest | None) -> Origin:
    """The address (behind HOPTAC_PROXY_COUNT proxies, as django-axes sees it) and the
    browser (truncated) of `request`; empty for a command."""
    if request is None:
        return Origin()
    agent = str(request.META.get("HTTP_USER_AGENT", ""))[:USER_AGENT_LENGTH]
    return Origin(ip_address=client_address(request), user_agent=agent)


def record(
    action: str,
    *,
    actor: Any = None,
    username: str = "",
    obj: models.Model | None = None,
    detail: Mapping[str, Any] | None = None,
    request: HttpRequest | None = None,
) -> AuditEntry:
    """Add one entry to the audit log.

    actor: the user who acted (None or anonymous: nobody signed in, e.g. a failed sign-in);
    username: the name as typed (defaults to the actor's); obj: the object acted on;
    detail: what else to keep (JSON); request: the request being answered (defaults to the
    one the middleware is answering, if any).
    """
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    if actor is not None and getattr(actor, "pk", None) is None:  # access.SYSTEM: a command
        actor, username = None, username or "system"
    origin = origin_of(request if request is not None else _request.get())
    entry = AuditEntry(
        actor=actor,
        username=(username or (actor.get_username() if actor else ""))[:150],
        action=action,
        detail=dict(detail or {}),
        ip_address=origin.ip_address,
        user_agent=origin.user_agent,
    )
    if obj is not None:
        entry.object_type = obj._meta.label_lower
        entry.object_id = str(obj.pk)
        entry.object_repr = str(obj)[:200]
    entry.save()
    return entry


# --- sign-in, sign-out, failed sign-in, lockout (signal receivers) ----------------------------


def on_logged_in(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    record(AuditAction.SIGN_IN, actor=user, request=request)


def on_logged_out(
    sender: Any, request: HttpRequest | None, user: User | None, **kwargs: Any
) -> None:
    if user is not None:
        record(AuditAction.SIGN_OUT, actor=user, request=request)


def _refused_while_locked(request: HttpRequest | None) -> bool:
    """Was this sign-in attempt made while its name and address were already locked?

    django-axes (which receives `user_login_failed` before us: it comes first in
    INSTALLED_APPS) leaves the attempt's failure count on the request. With
    AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT (axes' default, ours) an attempt during a
    lock is counted too, and extends it: a count above the limit means the lock was already
    set; the attempt that sets it has the count of the limit. Without that setting an attempt
    during a lock is not counted at all (no count) and the request is marked locked out."""
    if request is None:
        return False
    failures = getattr(request, "axes_failures_since_start", None)
    if failures is None:
        return bool(getattr(request, "axes_locked_out", False))
    return bool(failures > get_failure_limit(request, None))


def on_login_failed(
    sender: Any, credentials: Mapping[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    username = str(credentials.get(get_user_model().USERNAME_FIELD) or "")
    detail = {"locked_out": True} if _refused_while_locked(request) else {}
    record(AuditAction.SIGN_IN_FAILED, username=username, detail=detail, request=request)


def on_locked_out(
    sender: Any, request: HttpRequest | None, username: str | None, **kwargs: Any
) -> None:
    """django-axes sets a lock (each refused attempt during it is a failed sign-in entry)."""
    if _refused_while_locked(request):
        return
    failures = getattr(request, "axes_failures_since_start", None)
    record(
        AuditAction.LOCKED_OUT,
        username=username or "",
        detail={"failures": failures},
        request=request,
    )


def connect_signals() -> None:
    """Connect the receivers above (AccountsConfig.ready())."""
    from axes.signals import user_locked_out
    from django.contrib.auth import signals

    signals.user_logged_in.connect(on_logged_in, dispatch_uid="hoptac_audit_logged_in")
    signals.user_logged_out.connect(on_logged_out, dispatch_uid="hoptac_audit_logged_out")
    signals.user_login_failed.connect(on_login_failed, dispatch_uid="hoptac_audit_login_failed")
    user_locked_out.connect(on_locked_out, dispatch_uid="hoptac_audit_locked_out")


# --- exports and downloads ----------------------------------------------------------------


class _RowCount:
    """The rows an export has written so far (kept on the request)."""

    __slots__ = ("rows",)

    def __init__(self) -> None:
        self.rows = 0


def _row_count(request: HttpRequest) -> _RowCount:
    count = getattr(request, "_audit_row_count", None)
    if count is None:
        count = _RowCount()
        request._audit_row_count = count  # type: ignore[attr-defined]
    return count


def export_rows(request: HttpRequest, rows: Iterable[T]) -> Iterator[T]:
    """`rows`, counted for the export's audit entry as they are written. For a file written
    before the response is returned (the .xlsx exports); a streamed one uses export_total()."""
    count = _row_count(request)
    for row in rows:
        count.rows += 1
        yield row


def export_total(request: HttpRequest, total: int) -> None:
    """The row count of an export whose rows are streamed after the response is made."""
    _row_count(request).rows = total


def is_attachment(response: HttpResponseBase) -> bool:
    """Is `response` a file the browser saves (Content-Disposition: attachment)?"""
    return response.get("Content-Disposition", "").lower().startswith("attachment")


def _filename(response: HttpResponseBase) -> str:
    header = Message()
    header["Content-Disposition"] = response.get("Content-Disposition", "")
    return header.get_filename() or ""


def _query(request: HttpRequest) -> dict[str, Any]:
    """The query string (the export's filter): one value or a list per key, bounded."""
    kept: dict[str, Any] = {}
    for key in list(request.GET)[:QUERY_KEYS]:
        values = [clean_text(value, QUERY_VALUE_LENGTH) for value in request.GET.getlist(key)]
        kept[clean_text(key, QUERY_VALUE_LENGTH)] = values[0] if len(values) == 1 else values
    return kept


def record_download(request: HttpRequest, response: HttpResponseBase) -> AuditEntry:
    """The entry of one download: an EXPORT when the view counted rows, else a DOWNLOAD."""
    match = request.resolver_match
    name = _filename(response)
    detail: dict[str, Any] = {
        "view": match.view_name if match else "",
        "path": request.path,
        "args": {key: str(value) for key, value in match.kwargs.items()} if match else {},
        "query": _query(request),
        "file": name,
        "format": PurePosixPath(name).suffix.lstrip(".").lower(),
    }
    count = getattr(request, "_audit_row_count", None)
    if count is not None:
        detail["rows"] = count.rows
    action = AuditAction.EXPORT if count is not None else AuditAction.DOWNLOAD
    return record(action, actor=request.user, detail=detail, request=request)


class AuditMiddleware:
    """Keeps the request being answered for `record()` (its address and browser), and
    records every response that is an attachment (an export or a download)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        token = _request.set(request)
        try:
            response = self.get_response(request)
            if is_attachment(response):
                record_download(request, response)
        finally:
            _request.reset(token)
        return response


# --- showing an entry ---------------------------------------------------------------------

DETAIL_LABELS = {
    "view": _("Page"),
    "path": _("Address"),
    "args": _("Arguments"),
    "query": _("Filter"),
    "file": _("File"),
    "format": _("Format"),
    "rows": _("Rows"),
    "role": _("Role"),
    "area": _("Area"),
    "fields": _("Fields"),
    "generated": _("Generated password"),
    "records": _("Lockout records removed"),
    "devices": _("Two-factor devices removed"),
    "failures": _("Failed attempts"),
    "locked_out": _("Refused while locked"),
    "before": _("Older than"),
    "deleted": _("Entries deleted"),
}


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, dict):
        return "; ".join(f"{key}={_text(item)}" for key, item in value.items())
    if isinstance(value, list):
        return " → ".join("—" if item is None else _text(item) for item in value)
    return "—" if value is None else str(value)


def detail_lines(entry: AuditEntry) -> list[tuple[str, str]]:
    """An entry's detail as (label, text) lines for the page; empty values are left out."""
    return [
        (str(DETAIL_LABELS.get(key, key)), _text(value))
        for key, value in entry.detail.items()
        if value not in ("", {}, [], None) and key != "path"
    ]


# --- retention ----------------------------------------------------------------------------


def retention_days() -> int:
    """HOPTAC_AUDIT_RETENTION_DAYS: how long entries are kept (default 730 days)."""
    return int(getattr(settings, "HOPTAC_AUDIT_RETENTION_DAYS", DEFAULT_RETENTION_DAYS))


def purge_cutoff(*, days: int | None = None) -> datetime.datetime:
    """Entries older than this are past their retention time (`days`, else the setting)."""
    kept = retention_days() if days is None else days
    return timezone.now() - datetime.timedelta(days=kept)


def audit_expired(*, before: datetime.datetime) -> int:
    """How many entries are older than `before`."""
    return AuditEntry.objects.filter(at__lt=before).count()


@transaction.atomic
def audit_purge(*, before: datetime.datetime) -> int:
    """Delete the entries older than `before` (the only deletion of the log) and record the
    purge itself, as the system; return how many were deleted.

    On PostgreSQL the append-only trigger lets a DELETE through only inside a transaction that
    set `hoptac.audit_purge` (SET LOCAL: it ends with the transaction)."""
    connection = connections[AuditEntry.objects.db]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL hoptac.audit_purge = 'on'")
    deleted = AuditEntry.objects.filter(at__lt=before).purge()
    detail = {"before": before.isoformat(), "deleted": deleted}
    record(AuditAction.PURGED, username=SYSTEM, detail=detail)
    return deleted
