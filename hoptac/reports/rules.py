"""Pure rules of the annual reports: no database, no clock; values in, values out.

The workflow (which action is allowed in which status), the one-row consistency checks of the
figures, the reporting deadline, and the reporting desk's classification of an HTX for a year.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from hoptac.reports.choices import ReportStatus
from hoptac.reports.indicators import REQUIRED_FIELDS

Number = Decimal | int | None

# --- workflow -----------------------------------------------------------------------------

SUBMIT = "submit"
APPROVE = "approve"
RETURN = "return"
CORRECT = "correct"
EDIT = "edit"

# Which statuses each action may start from (the current version only).
ALLOWED_FROM: dict[str, frozenset[str]] = {
    EDIT: frozenset({ReportStatus.DRAFT, ReportStatus.RETURNED}),
    SUBMIT: frozenset({ReportStatus.DRAFT, ReportStatus.RETURNED}),
    APPROVE: frozenset({ReportStatus.SUBMITTED}),
    RETURN: frozenset({ReportStatus.SUBMITTED}),
    CORRECT: frozenset({ReportStatus.APPROVED}),
}


def may_act(action: str, status: str, *, is_current: bool = True) -> bool:
    """May `action` be taken on a version in `status`? Older versions take none."""
    return is_current and status in ALLOWED_FROM[action]


# --- figures ------------------------------------------------------------------------------


def missing_required(values: Mapping[str, Number]) -> list[str]:
    """The required indicators (indicators.REQUIRED_FIELDS) that are empty."""
    return [name for name in REQUIRED_FIELDS if values.get(name) is None]


# The codes of report_errors; reports.messages.REPORT_ERRORS holds what the user reads.
TOTAL_NOT_EQUITY_PLUS_LIABILITIES = "total_not_equity_plus_liabilities"
BORROWED_ABOVE_LIABILITIES = "borrowed_above_liabilities"
MEMBER_WORKERS_ABOVE_WORKERS = "member_workers_above_workers"
EDUCATED_ABOVE_MANAGERS = "educated_above_managers"
MEMBER_REVENUE_ABOVE_REVENUE = "member_revenue_above_revenue"
PROFIT_AFTER_ABOVE_BEFORE_TAX = "profit_after_above_before_tax"


def report_errors(values: Mapping[str, Number]) -> dict[str, str]:
    """Consistency of one report's figures: the code of each problem, by field. Only filled
    figures are compared.

    - total capital (tổng nguồn vốn) = owners' equity + liabilities (the indicator
      tong_nguon_von; Thông tư 01/2020/TT-BKHĐT Điều 5 and Phụ lục 1, criterion 1a);
    - borrowed capital is part of the liabilities; workers who are members are part of the
      workers; the managers by education are part of the managers; revenue from members is
      part of the revenue;
    - profit after tax does not exceed profit before tax.
    """
    v = values.get
    errors: dict[str, str] = {}
    equity, liabilities, total = v("equity"), v("liabilities"), v("total_capital")
    if (
        equity is not None
        and liabilities is not None
        and total is not None
        and Decimal(equity) + Decimal(liabilities) != Decimal(total)
    ):
        errors["total_capital"] = TOTAL_NOT_EQUITY_PLUS_LIABILITIES
    if _greater(v("borrowed_capital"), v("liabilities")):
        errors["borrowed_capital"] = BORROWED_ABOVE_LIABILITIES
    if _greater(v("workers_members"), v("workers_count")):
        errors["workers_members"] = MEMBER_WORKERS_ABOVE_WORKERS
    educated = [v("managers_higher_education"), v("managers_vocational")]
    managers = v("managers_count")
    if managers is not None and sum(int(n or 0) for n in educated) > int(managers):
        errors["managers_count"] = EDUCATED_ABOVE_MANAGERS
    if _greater(v("revenue_from_members"), v("revenue")):
        errors["revenue_from_members"] = MEMBER_REVENUE_ABOVE_REVENUE
    if _greater(v("profit_after_tax"), v("profit_before_tax")):
        errors["profit_after_tax"] = PROFIT_AFTER_ABOVE_BEFORE_TAX
    return errors


def _greater(part: Number, whole: Number) -> bool:
    return part is not None and whole is not None and Decimal(part) > Decimal(whole)


# --- deadline and the reporting desk -------------------------------------------------------


def report_deadline(year: int, *, month: int, day: int) -> date:
    """The day by which the report for `year` is due: (`month`, `day`) of the following year.

    Nghị định 193/2013/NĐ-CP as amended by Nghị định 107/2017/NĐ-CP: "15 January each year,
    covering the previous year". Under Luật HTX 17/2023/QH15 the deadline was not retrieved
    (NOT_FOUND), so the day is a setting (REPORT_DEADLINE_MONTH_DAY).
    """
    return date(year + 1, month, day)


def parse_notice_days(text: str) -> list[int]:
    """The days before the deadline on which managers are told ("14,3" → [14, 3]); raises
    ValueError on anything but whole numbers from 0 to 366."""
    days = [int(part) for part in text.replace(" ", "").split(",") if part]
    if not days or any(not 0 <= n <= 366 for n in days):
        raise ValueError(text)
    return sorted(set(days), reverse=True)


def deadline_notices(
    today: date, days: list[int], *, month: int, day: int
) -> list[tuple[int, int, date]]:
    """(reporting year, n, deadline) for each n of `days` such that the deadline of that
    year's report (report_deadline) falls exactly n days after `today`."""
    notices = []
    for n in days:
        due = today + timedelta(days=n)
        year = due.year - 1  # the deadline lies in the year after the one reported
        if report_deadline(year, month=month, day=day) == due:
            notices.append((year, n, due))
    return notices


@dataclass(frozen=True, slots=True)
class DeskEntry:
    """What the desk knows of one HTX's report for the year (None: no report at all)."""

    status: str | None
    first_submitted_at: datetime | None
    missing_count: int = 0
    version: int = 1


def is_reported(entry: DeskEntry) -> bool:
    """Reported = sent and not sent back for correction (DHIS2 "reported"); a correction of
    an approved report (version 2 on) counts as reported, since an approved one exists."""
    return entry.status in (ReportStatus.SUBMITTED, ReportStatus.APPROVED) or (
        entry.status is not None and entry.version > 1
    )


def is_on_time(entry: DeskEntry, deadline_end: datetime) -> bool:
    """Sent for the first time no later than the end of the deadline day."""
    return (
        is_reported(entry)
        and entry.first_submitted_at is not None
        and entry.first_submitted_at <= deadline_end
    )


def is_late(entry: DeskEntry, deadline_end: datetime, now: datetime) -> bool:
    """Late: reported after the deadline, or not reported while the deadline has passed."""
    if is_reported(entry):
        return not is_on_time(entry, deadline_end)
    return now > deadline_end


def is_incomplete(entry: DeskEntry) -> bool:
    """A report was started (draft or returned) but required figures are still missing, or it
    was returned for correction."""
    return (
        not is_reported(entry)
        and entry.status in (ReportStatus.DRAFT, ReportStatus.RETURNED)
        and (entry.missing_count > 0 or entry.status == ReportStatus.RETURNED)
    )


def rate(numerator: int, denominator: int) -> Decimal | None:
    """A percentage with one decimal, None when nothing was expected (DHIS2 shows no rate)."""
    if denominator == 0:
        return None
    return (Decimal(100) * numerator / denominator).quantize(Decimal("0.1"))


def needs_review(years_reported: set[int], year: int, founded_year: int | None) -> bool:
    """Flag an HTX that sent no report for `year` and `year - 1` although it existed in both
    (founded no later than year - 1): two years without a report call for a review."""
    if founded_year is not None and founded_year > year - 1:
        return False
    return year not in years_reported and (year - 1) not in years_reported
