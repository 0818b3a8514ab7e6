"""Reads of the annual reports, for views, exports, commands and other apps (ratings).

Each starts from `AnnualReport.objects.visible_to(user)` or the registry's
`Cooperative.objects.visible_to(user)`, so nothing out of a user's scope is returned.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Count, Max, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from hoptac.accounts import access
from hoptac.areas.models import AdminUnit
from hoptac.registry import selectors as registry_selectors
from hoptac.registry.choices import Kind
from hoptac.registry.models import Cooperative, CooperativeQuerySet
from hoptac.reports import rules, services
from hoptac.reports.choices import ReportStatus
from hoptac.reports.indicators import INDICATORS, REQUIRED_FIELDS
from hoptac.reports.models import AnnualReport, ReportReminder

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from hoptac.accounts.models import User

# Organisations that make the annual report (domain indicators.yaml `htx_annual_report`:
# "each HTX/LHHTX"); a tổ hợp tác does not.
REPORTING_KINDS = (Kind.COOPERATIVE, Kind.UNION)
DEFAULT_DEADLINE = "01-15"  # MM-DD of the following year; see rules.report_deadline


def report_get_for_user(*, user: User | AnonymousUser, pk: int) -> AnnualReport:
    """The report version `pk` if `user` may see it; 404 whether missing or out of scope."""
    qs = AnnualReport.objects.visible_to(user).select_related(
        "cooperative__commune_legacy",
        "cooperative__commune",
        "submitted_by",
        "approved_by",
        "returned_by",
    )
    return get_object_or_404(qs, pk=pk)


def report_current(*, cooperative: Cooperative, year: int) -> AnnualReport | None:
    """The current version of `cooperative`'s report for `year`, if any."""
    return (
        AnnualReport.objects.filter(cooperative=cooperative, year=year, is_current=True)
        .select_related("submitted_by", "approved_by", "returned_by")
        .first()
    )


def report_versions(*, cooperative: Cooperative) -> QuerySet[AnnualReport]:
    """Every version of every year of `cooperative`, newest year and version first."""
    return (
        AnnualReport.objects.filter(cooperative=cooperative)
        .select_related("submitted_by", "approved_by", "returned_by")
        .order_by("-year", "-version")
    )


def report_year_versions(*, report: AnnualReport) -> QuerySet[AnnualReport]:
    """The versions of the same (cooperative, year) as `report`, newest first."""
    return AnnualReport.objects.filter(
        cooperative_id=report.cooperative_id, year=report.year
    ).order_by("-version")


@dataclass(frozen=True, slots=True)
class Permissions:
    """What a user may do with one report version."""

    edit: bool
    submit: bool
    review: bool  # approve or return
    correct: bool


def report_permissions(*, user: User, report: AnnualReport) -> Permissions:
    editor = access.may_change_cooperative(user, report.cooperative)
    reviewer = access.may_review_cooperative(user, report.cooperative)
    status, current = report.status, report.is_current
    return Permissions(
        edit=editor and rules.may_act(rules.EDIT, status, is_current=current),
        submit=editor and rules.may_act(rules.SUBMIT, status, is_current=current),
        review=reviewer and rules.may_act(rules.APPROVE, status, is_current=current),
        correct=editor and rules.may_act(rules.CORRECT, status, is_current=current),
    )


# --- history ------------------------------------------------------------------------------


@dataclass(slots=True)
class HistoryEntry:
    when: datetime
    who: str
    version: int
    status: str
    changes: list[tuple[str, str, str]] = field(default_factory=list)


def _shown(value: Any) -> str:
    if value in (None, ""):
        return "—"
    if isinstance(value, Decimal | int):
        return str(formats.number_format(value, use_l10n=True, force_grouping=True))
    return str(value)


def report_history(*, report: AnnualReport, limit: int = 100) -> list[HistoryEntry]:
    """The saves of every version of the report's year, newest first: who, when, the status
    then, and which figures changed (django-simple-history's records)."""
    records = list(
        AnnualReport.history.filter(cooperative_id=report.cooperative_id, year=report.year)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")[: limit + 1]
    )[::-1]
    labels = {
        spec.field: str(AnnualReport._meta.get_field(spec.field).verbose_name)
        for spec in INDICATORS
    }
    previous: dict[int, Any] = {}
    entries: list[HistoryEntry] = []
    for record in records:
        user = record.history_user
        entry = HistoryEntry(
            when=record.history_date,
            who=user.display_name if user else _("system"),
            version=record.version,
            status=str(ReportStatus(record.status).label),
        )
        before = previous.get(record.version)
        if before is not None:
            for name, label in labels.items():
                old, new = getattr(before, name), getattr(record, name)
                if old != new:
                    entry.changes.append((label, _shown(old), _shown(new)))
        previous[record.version] = record
        entries.append(entry)
    return entries[::-1][:limit]


# --- the reporting desk -------------------------------------------------------------------


def deadline_for(year: int) -> date:
    """The reporting deadline of `year` (setting HOPTAC_REPORT_DEADLINE, "MM-DD" of the
    following year; default 15 January, rules.report_deadline)."""
    text = getattr(settings, "HOPTAC_REPORT_DEADLINE", DEFAULT_DEADLINE) or DEFAULT_DEADLINE
    try:
        month, day = (int(part) for part in text.split("-"))
        date(2001, month, day)  # a day that every year has (not 02-29)
    except ValueError as error:
        message = f"HOPTAC_REPORT_DEADLINE must be MM-DD (e.g. 01-15), not {text!r}"
        raise ImproperlyConfigured(message) from error
    return rules.report_deadline(year, month=month, day=day)  # the year comes in range (params)


def deadline_end(deadline: date) -> datetime:
    """The last moment of the deadline day, in the site's time zone."""
    return timezone.make_aware(datetime.combine(deadline, time.max))


DESK_STATES = ("approved", "submitted", "returned", "draft", "missing")


@dataclass(slots=True)
class DeskRow:
    """One HTX on the desk: its report's state for the year and the flags."""

    cooperative_id: int
    name: str
    tax_code: str
    email: str
    report_id: int | None
    state: str  # one of DESK_STATES
    version: int
    first_submitted_at: datetime | None
    missing: list[str]
    reported: bool
    on_time: bool
    late: bool
    incomplete: bool
    needs_review: bool
    reminders: int = 0
    last_reminder: datetime | None = None


@dataclass(slots=True)
class Desk:
    area: AdminUnit | None
    year: int
    deadline: date
    deadline_source: str
    rows: list[DeskRow]
    expected: int = 0
    reported: int = 0
    on_time: int = 0
    late: int = 0
    incomplete: int = 0
    missing: int = 0
    needs_review: int = 0
    by_state: dict[str, int] = field(default_factory=dict)

    @property
    def reporting_rate(self) -> Decimal | None:
        """DHIS2 "reporting rate": reports received / reports expected, in %."""
        return rules.rate(self.reported, self.expected)

    @property
    def on_time_rate(self) -> Decimal | None:
        """DHIS2 "reporting rate on time": reports received by the deadline / expected, in %."""
        return rules.rate(self.on_time, self.expected)

    def filtered(self, show: str) -> list[DeskRow]:
        if show in DESK_STATES:
            return [r for r in self.rows if r.state == show]
        if show in ("reported", "late", "incomplete", "needs_review", "on_time"):
            return [r for r in self.rows if getattr(r, show)]
        return self.rows


def expected_cooperatives(
    *, user: User | AnonymousUser, area: AdminUnit | None, year: int
) -> QuerySet[Cooperative]:
    """The organisations that owe a report for `year`, of those `user` may see in `area`:
    HTX and unions that existed in the year (begun by 31 December; not dissolved or bankrupt
    before 1 January, by the dated status history)."""
    filters = {"area": area} if area is not None else {}
    # cooperative_list answers the registry's own queryset (its manager's), typed as the plain one
    qs = cast(
        "CooperativeQuerySet", registry_selectors.cooperative_list(user=user, filters=filters)
    )
    return qs.filter(kind__in=REPORTING_KINDS).existed_in(year)


def desk(
    *,
    user: User | AnonymousUser,
    area: AdminUnit | None,
    year: int,
    now: datetime | None = None,
) -> Desk:
    """The reporting desk of `area` for `year`: every HTX that owes a report, what it sent,
    and the counts (reported, on time, late, incomplete, none) with DHIS2's rates.

    Three queries whatever the number of HTX: the organisations, the reports of this and the
    previous year, and the reminders.
    """
    now = now or timezone.now()
    deadline = deadline_for(year)
    end = deadline_end(deadline)
    coops = list(
        expected_cooperatives(user=user, area=area, year=year)
        .order_by("name", "pk")
        .values("pk", "name", "tax_code", "email", "founded_on", "registered_on")
    )
    ids = [c["pk"] for c in coops]
    reports: dict[tuple[int, int], dict[str, Any]] = {}
    report_rows = AnnualReport.objects.filter(
        cooperative_id__in=ids, year__in=(year, year - 1), is_current=True
    ).values(
        "pk", "cooperative_id", "year", "status", "version", "first_submitted_at", *REQUIRED_FIELDS
    )
    for row in report_rows:
        reports[(row["cooperative_id"], row["year"])] = row
    reminders = {
        row["cooperative_id"]: row
        for row in ReportReminder.objects.filter(cooperative_id__in=ids, year=year)
        .values("cooperative_id")
        .annotate(count=Count("pk"), last=Max("sent_at"))
    }
    result = Desk(
        area=area, year=year, deadline=deadline, deadline_source=services.deadline_source(), rows=[]
    )
    for coop in coops:
        row = _desk_row(coop, reports, reminders, year, end, now)
        result.rows.append(row)
    _count(result)
    return result


def _desk_row(
    coop: dict[str, Any],
    reports: dict[tuple[int, int], dict[str, Any]],
    reminders: dict[int, dict[str, Any]],
    year: int,
    end: datetime,
    now: datetime,
) -> DeskRow:
    report = reports.get((coop["pk"], year))
    previous = reports.get((coop["pk"], year - 1))
    missing = rules.missing_required(report) if report else list(REQUIRED_FIELDS)
    entry = rules.DeskEntry(
        status=report["status"] if report else None,
        first_submitted_at=report["first_submitted_at"] if report else None,
        missing_count=len(missing),
        version=report["version"] if report else 1,
    )
    previous_entry = rules.DeskEntry(
        status=previous["status"] if previous else None,
        first_submitted_at=previous["first_submitted_at"] if previous else None,
        version=previous["version"] if previous else 1,
    )
    reported_years = {
        y for y, e in ((year, entry), (year - 1, previous_entry)) if rules.is_reported(e)
    }
    start = coop["registered_on"] or coop["founded_on"]
    reminder = reminders.get(coop["pk"], {})
    return DeskRow(
        cooperative_id=coop["pk"],
        name=coop["name"],
        tax_code=coop["tax_code"],
        email=coop["email"],
        report_id=report["pk"] if report else None,
        state=report["status"] if report else "missing",
        version=entry.version,
        first_submitted_at=entry.first_submitted_at,
        missing=missing if report else [],
        reported=rules.is_reported(entry),
        on_time=rules.is_on_time(entry, end),
        late=rules.is_late(entry, end, now),
        incomplete=rules.is_incomplete(entry),
        needs_review=rules.needs_review(reported_years, year, start.year if start else None),
        reminders=reminder.get("count", 0),
        last_reminder=reminder.get("last"),
    )


def _count(desk: Desk) -> None:
    desk.expected = len(desk.rows)
    desk.by_state = dict.fromkeys(DESK_STATES, 0)
    for row in desk.rows:
        desk.by_state[row.state] += 1
        desk.reported += row.reported
        desk.on_time += row.on_time
        desk.late += row.late
        desk.incomplete += row.incomplete
        desk.missing += row.state == "missing"
        desk.needs_review += row.needs_review


# --- export -------------------------------------------------------------------------------


def reports_for_export(
    *, user: User | AnonymousUser, area: AdminUnit | None, year: int, statuses: Iterable[str] = ()
) -> QuerySet[AnnualReport]:
    """The current reports of `year` of the HTX `user` may see in `area`, for the export."""
    coops = registry_selectors.cooperative_list(
        user=user, filters={"area": area} if area is not None else {}
    )
    qs = (
        AnnualReport.objects.visible_to(user)
        .current()
        .filter(year=year, cooperative__in=coops.values("pk"))
        .select_related("cooperative__commune_legacy", "cooperative__commune")
        .order_by("cooperative__name", "cooperative_id")
    )
    statuses = list(statuses)
    if statuses:
        qs = qs.filter(status__in=statuses)
    return qs


def report_list(
    *,
    user: User | AnonymousUser,
    cooperative: int | None = None,
    area: AdminUnit | int | None = None,
    year: int | None = None,
    statuses: Iterable[str] = (),
    current: bool = True,
) -> QuerySet[AnnualReport]:
    """The reports `user` may see (for the API's list): of one HTX, or of the HTX in `area`
    (either tree), of one year, in some statuses; the current versions only unless
    `current` is False."""
    qs = AnnualReport.objects.visible_to(user).select_related("cooperative")
    if current:
        qs = qs.current()
    if cooperative is not None:
        qs = qs.filter(cooperative_id=cooperative)
    if area is not None:
        coops = registry_selectors.cooperative_list(user=user, filters={"area": area})
        qs = qs.filter(cooperative__in=coops.values("pk"))
    if year is not None:
        qs = qs.filter(year=year)
    statuses = list(statuses)
    if statuses:
        qs = qs.filter(status__in=statuses)
    return qs
