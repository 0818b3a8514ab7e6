"""Every read of accounts used by the pages: lists, one account, its history, its lockout."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from axes.helpers import get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch, Q, QuerySet, TextField
from django.db.models.functions import Cast
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from hoptac.accounts import access, rules
from hoptac.accounts.choices import Role
from hoptac.accounts.models import AuditEntry, User
from hoptac.areas import selectors as area_selectors
from hoptac.areas.models import AdminUnit, Succession
from hoptac.core.text import fold

# The fields of an account whose changes its page shows, in this order.
HISTORY_FIELDS = [
    "username",
    "full_name",
    "title",
    "phone",
    "email",
    "role",
    "area",
    "is_active",
    "is_staff",
    "is_superuser",
]


def user_list(*, user: User, filters: Mapping[str, Any]) -> QuerySet[User]:
    """The accounts `user` may see, narrowed by `filters`: q (words of the user name or full
    name, with or without diacritics), role, active (True/False/None) and locked (True: only
    those locked out of signing in now, as user_is_locked)."""
    users = access.users_visible_to(user, User.objects.select_related("area"))
    for word in fold(filters.get("q") or "").split():
        users = users.filter(search_name__contains=word)
    if filters.get("role"):
        users = users.filter(role=filters["role"])
    if filters.get("active") is not None:
        users = users.filter(is_active=filters["active"])
    if filters.get("locked"):
        users = users.filter(username__in=_lockouts().values("username"))
    return users.order_by("username")


def user_get_for_user(*, user: User, pk: int) -> User:
    """One account, 404 whether it does not exist or lies outside what `user` may see."""
    return get_object_or_404(
        access.users_visible_to(user, User.objects.select_related("area")), pk=pk
    )


def _lockouts() -> QuerySet[AccessAttempt]:
    """django-axes' records of user names locked out now (the failure limit reached within
    the cool-off period), from any address."""
    attempts = AccessAttempt.objects.filter(failures_since_start__gte=get_failure_limit(None, None))
    cool_off = get_cool_off(None)
    if cool_off is not None:
        attempts = attempts.filter(attempt_time__gte=timezone.now() - cool_off)
    return attempts


def user_is_locked(*, user: User) -> bool:
    """Is `user` locked out of signing in (django-axes), from any address?"""
    return _lockouts().filter(username=user.username).exists()


@dataclass(frozen=True, slots=True)
class ShownChange:
    label: str
    old: str
    new: str


@dataclass(frozen=True, slots=True)
class ShownEntry:
    """One version of an account as its page shows it."""

    date: datetime
    actor: User | None
    what: str
    changes: list[ShownChange]


def user_history(*, user: User) -> list[ShownEntry]:
    """The versions of `user`'s account, newest first: who changed what, when, old → new."""
    rows = list(
        user.history.order_by("history_date", "history_id").values(
            "history_date",
            "history_type",
            "history_user_id",
            "history_change_reason",
            *HISTORY_FIELDS,
        )
    )
    entries = rules.history_entries(rows, HISTORY_FIELDS)
    actor_ids = {e.actor_id for e in entries if e.actor_id}
    actors = User.objects.in_bulk(actor_ids)
    area_ids = {v for e in entries for c in e.changes if c.field == "area" for v in (c.old, c.new)}
    areas = AdminUnit.objects.in_bulk({pk for pk in area_ids if pk})
    labels = {name: str(User._meta.get_field(name).verbose_name) for name in HISTORY_FIELDS}
    kinds = {
        rules.KIND_CREATED: pgettext("history", "Created"),
        rules.KIND_CHANGED: pgettext("history", "Changed"),
        rules.KIND_DELETED: pgettext("history", "Deleted"),
    }

    def show(name: str, value: Any) -> str:
        if value is None or value == "":
            return "—"
        if name == "area":
            return str(areas.get(value, value))
        if name == "role":
            return str(Role(value).label) if value in Role.values else str(value)
        if isinstance(value, bool):
            return _("yes") if value else _("no")
        return str(value)

    shown = [
        ShownEntry(
            date=entry.date,
            actor=actors.get(entry.actor_id) if entry.actor_id else None,
            what=(
                pgettext("history", "Password set")
                if entry.reason == rules.REASON_PASSWORD_SET
                else kinds.get(entry.kind, entry.kind)
            ),
            changes=[
                ShownChange(labels[c.field], show(c.field, c.old), show(c.field, c.new))
                for c in entry.changes
            ],
        )
        for entry in entries
    ]
    return shown[::-1]


def audit_entry_list(*, user: User, filters: Mapping[str, Any]) -> QuerySet[AuditEntry]:
    """The audit log, newest first, for those who may read it (else nothing), narrowed by
    `filters`: actor (part of the user name), action, date_from and date_to (days, local
    time, both included), q (part of the object, the address, the browser or the detail)."""
    if not access.may_read_audit_log(user):
        return AuditEntry.objects.none()
    entries = AuditEntry.objects.select_related("actor")
    if filters.get("actor"):
        entries = entries.filter(username__icontains=filters["actor"])
    if filters.get("action"):
        entries = entries.filter(action=filters["action"])
    if filters.get("date_from"):
        entries = entries.filter(at__gte=_day_start(filters["date_from"]))
    if filters.get("date_to"):
        entries = entries.filter(at__lt=_day_start(filters["date_to"] + timedelta(days=1)))
    if filters.get("q"):
        text = filters["q"]
        entries = entries.annotate(detail_text=Cast("detail", TextField())).filter(
            Q(object_repr__icontains=text)
            | Q(ip_address__icontains=text)
            | Q(user_agent__icontains=text)
            | Q(detail_text__icontains=text)
        )
    return entries.order_by("-at", "-id")


def _day_start(day: date) -> datetime:
    """The first instant of `day` in the site's time zone (Asia/Ho_Chi_Minh)."""
    return timezone.make_aware(datetime.combine(day, time.min))


# --- administrative units as a user sees them -------------------------------------------------
# The areas app sits below accounts (a User is placed in an AdminUnit), so the unit pages,
# which show each user his scope's units, live here with the access rule they need.


def units_visible_to(user: User | AnonymousUser) -> QuerySet[AdminUnit]:
    """The units `user` may see and pick: all for an administrator, his area's subtree else."""
    return access.scope_of(user).units(AdminUnit.objects.all())


def unit_list(
    *,
    user: User | AnonymousUser,
    era: str,
    query: str = "",
    within: AdminUnit | None = None,
    level: int | None = None,
) -> QuerySet[AdminUnit]:
    """The units of one tree that `user` may see, filtered, with what the page shows of each.

    Prefetches parents, 2025 successors (of old communes) and old predecessors (of 2025
    communes), so that a page costs the same number of queries whatever its length.
    """
    units = units_visible_to(user).filter(era=era)
    if within is not None:
        units = units.filter(path__startswith=within.path)
    if level:
        units = units.filter(level=level)
    units = area_selectors.unit_search(units, query) if query.strip() else units.order_by("path")
    return units.select_related("parent").prefetch_related(
        Prefetch(
            "successions",
            queryset=Succession.objects.select_related("new__parent").order_by(
                "-is_default", "new__code"
            ),
        ),
        Prefetch(
            "predecessions",
            queryset=Succession.objects.select_related("old").order_by("old__path"),
        ),
    )
