"""Progress toward a plan's target: pure functions (no Django, no clock), tested without a DB.

A target says "indicator <comparison> value by due date" (≥ 200 HTX by 31/12/2020). Its status
on a date is:
- đạt (ACHIEVED): the indicator already meets the target;
- không đạt (MISSED): the due date has passed and it does not;
- có nguy cơ không đạt (AT_RISK): a yearly milestone already passed was missed, or the straight
  line fitted to the year-end values and today's value (least squares) does not reach the
  target by the due date, or there is too little history to draw one;
- đúng tiến độ (ON_TRACK): that line reaches the target by the due date;
- chưa có dữ liệu (NO_DATA): the indicator has no data.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

AT_LEAST, MORE_THAN, AT_MOST, EQUAL = ">=", ">", "<=", "="
SIGNS = {AT_LEAST: "≥", MORE_THAN: ">", AT_MOST: "≤", EQUAL: "="}

ACHIEVED = "dat"
ON_TRACK = "dung_tien_do"
AT_RISK = "co_nguy_co_khong_dat"
MISSED = "khong_dat"
NO_DATA = "chua_co_du_lieu"

TENTH = Decimal("0.1")
HUNDRED = Decimal(100)


@dataclass(frozen=True, slots=True)
class Assessment:
    """Where a target stands: the outcome, the share of the target reached (in %), and the
    value the trend projects for the due date (None without a trend)."""

    outcome: str
    progress: Decimal | None
    projected: Decimal | None
    reason: str = ""  # "milestone", "trend", "no_trend", "due", "met", "no_data"


def meets(value: Decimal, comparison: str, target: Decimal) -> bool:
    """Does `value` satisfy "value <comparison> target"?"""
    if comparison == AT_LEAST:
        return value >= target
    if comparison == MORE_THAN:
        return value > target
    if comparison == AT_MOST:
        return value <= target
    if comparison == EQUAL:
        return value == target
    raise ValueError(f"unknown comparison {comparison!r}")


def progress_percent(current: Decimal, comparison: str, target: Decimal) -> Decimal | None:
    """How far toward the target, in % (167 of ≥ 200 -> 83.5); for "≤" targets 100 once met,
    else target / current. None when it cannot be said (a zero target or value)."""
    if comparison == AT_MOST:
        if current <= target:
            return HUNDRED
        if current == 0:
            return None
        return (target * HUNDRED / current).quantize(TENTH, rounding=ROUND_HALF_UP)
    if target == 0:
        return HUNDRED if meets(current, comparison, target) else None
    return (current * HUNDRED / target).quantize(TENTH, rounding=ROUND_HALF_UP)


def year_fraction(day: date) -> float:
    """A date as a fractional year (30/06/2019 ≈ 2019.49), the x of the trend line."""
    days = 366 if calendar.isleap(day.year) else 365
    return day.year + (day.timetuple().tm_yday - 1) / days


def fit_line(points: Sequence[tuple[float, float]]) -> tuple[float, float] | None:
    """The least-squares line (slope, intercept) through the points; None with fewer than two
    distinct x."""
    if len({x for x, _y in points}) < 2:
        return None
    n = len(points)
    mean_x = sum(x for x, _y in points) / n
    mean_y = sum(y for _x, y in points) / n
    sxx = sum((x - mean_x) ** 2 for x, _y in points)
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in points)
    slope = sxy / sxx
    return slope, mean_y - slope * mean_x


def project(history: Sequence[tuple[date, Decimal]], to: date) -> Decimal | None:
    """The value the straight-line trend of `history` reaches on `to` (rounded to 0.01)."""
    line = fit_line([(year_fraction(d), float(v)) for d, v in history])
    if line is None:
        return None
    slope, intercept = line
    return Decimal(str(slope * year_fraction(to) + intercept)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )


def _reaches(projected: Decimal, current: Decimal, comparison: str, target: Decimal) -> bool:
    if comparison != EQUAL:
        return meets(projected, comparison, target)
    return projected >= target if current < target else projected <= target


def assess(
    *,
    current: Decimal | None,
    comparison: str,
    target: Decimal,
    due_on: date,
    on: date,
    history: Sequence[tuple[date, Decimal]] = (),
    milestones: Mapping[int, Decimal] | None = None,
) -> Assessment:
    """The status of a target on `on`.

    history: earlier values of the indicator (typically at the end of past years), oldest
    first; the value `current` on `on` is added to it for the trend.
    milestones: the value the plan expects at the end of given years (optional).
    """
    if current is None:
        return Assessment(NO_DATA, None, None, "no_data")
    progress = progress_percent(current, comparison, target)
    if meets(current, comparison, target):
        return Assessment(ACHIEVED, progress, None, "met")
    points = [(d, v) for d, v in history if d < on] + [(on, current)]
    projected = project(points, due_on)
    if on >= due_on:
        return Assessment(MISSED, progress, projected, "due")
    values_at = {d.year: v for d, v in history if (d.month, d.day) == (12, 31)}
    for year, expected in sorted((milestones or {}).items(), reverse=True):
        if year < on.year and year in values_at:
            if not _reaches(values_at[year], values_at[year], comparison, expected):
                return Assessment(AT_RISK, progress, projected, "milestone")
            break
    if projected is None:
        return Assessment(AT_RISK, progress, None, "no_trend")
    if _reaches(projected, current, comparison, target):
        return Assessment(ON_TRACK, progress, projected, "trend")
    return Assessment(AT_RISK, progress, projected, "trend")
