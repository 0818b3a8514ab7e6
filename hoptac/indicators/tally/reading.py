"""Answering a source's question from the tally, when the tally holds the exact answer.

`read` gives the same rows as the source's live function (sources.catalogue.SOURCES) would,
or None when it cannot be sure of them; then sources.choosing reads the live tables (this
module reads only the sources' frame and cache: the choice imports it, never the reverse).
It answers only when:

- the tally was built and no commune is marked changed (marking.py);
- the year is one the tally holds (HOPTAC_TALLY_YEARS back), and the current year only
  while it is still the current year (its rows count the organisations' status today);
- for the sources of a date (registry, founded, ended, support): the date is 31 December,
  or nothing in the area is dated after it in its year (founding, status change, support):
  the figures of that day are then those of the year end;
- for the yearly sources (reports, filing, ratings): the data year is held;
- a grain holds the area's column, the group's columns and the keys asked (grains.choose).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from typing import Any

from django.db.models import Exists, F, Max, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from hoptac.registry.models import Cooperative, StatusChange
from hoptac.support.models import SupportGrant

from ..models import Tally, TallyMark, TallyState
from ..sources.cache import remembered
from ..sources.frame import Frame, SourceData
from . import grains

DATED = ("registry", "founded", "ended", "support")  # the others: by data year
DATA_YEAR_SOURCE = {"reports": "reports", "report_filing": "reports", "ratings": "ratings"}


_LIVE_ONLY: ContextVar[bool] = ContextVar("tally_live_only", default=False)


@contextmanager
def live_only() -> Iterator[None]:
    """Within the block, every source reads the live tables (the `tally --check` command and
    the benchmark compare the two)."""
    token = _LIVE_ONLY.set(True)
    try:
        yield
    finally:
        _LIVE_ONLY.reset(token)


def _span() -> tuple[int, int] | None:
    """The years the tally can answer for now, or None (not built, or marks waiting)."""

    def find() -> tuple[int, int] | None:
        state = TallyState.objects.annotate(marked=Exists(TallyMark.objects.all())).first()
        if state is None or state.marked:
            return None
        last = state.last_year
        if timezone.localdate().year > last:  # last year's rows were counted as of then
            last -= 1
        return (state.first_year, last) if last >= state.first_year else None

    return remembered(("tally_span",), find)


def _settled(frame: Frame) -> bool:
    """Nothing in the frame's area is dated after its date in its year (so the year end's
    figures are the day's)."""
    on = frame.on
    end = date(on.year, 12, 31)
    if on >= end:
        return True

    def find() -> bool:
        # One query: three EXISTS, each stopping at its first row.
        later = {
            "founded": Cooperative.objects.filter(
                frame.place(), founded_on__gt=on, founded_on__lte=end
            ),
            "changed": StatusChange.objects.filter(
                frame.place("cooperative__"), effective_on__gt=on, effective_on__lte=end
            ),
            "supported": SupportGrant.objects.filter(
                frame.place("cooperative__"), granted_on__gt=on, granted_on__lte=end
            ),
        }
        found = TallyState.objects.annotate(**{k: Exists(q) for k, q in later.items()})
        return not any(found.values_list(*later).first() or (True,))

    return remembered(("tally_settled", frame.area, on), find)


def _area_filter(frame: Frame) -> dict[str, int]:
    return {} if frame.area is None else {frame.area_field: frame.area.pk}


def _data_year(name: str, frame: Frame, years: tuple[int, int]) -> int | None:
    """The data year the live source would use, when the tally can tell: the frame's, or the
    latest with rows up to the last complete year (None: not in the tally's years)."""
    first, last = years
    if frame.year is not None:
        return frame.year if first <= frame.year <= last else None
    if frame.complete_year > last:
        return None
    source = DATA_YEAR_SOURCE[name]
    grain = grains.choose(source, {frame.area_field} if frame.area else set(), set())
    if grain is None:
        return None

    def find() -> dict[str, int]:
        """The latest year of each yearly source, in one query."""
        found = (
            Tally.objects.filter(
                grain=grain.name,
                source__in=set(DATA_YEAR_SOURCE.values()),
                year__gte=first,
                year__lte=frame.complete_year,
                **_area_filter(frame),
            )
            .values("source")
            .annotate(year=Max("year"))
            .order_by()
        )
        return {row["source"]: row["year"] for row in found}

    key = ("tally_data_years", grain.name, frame.area, frame.complete_year)
    return remembered(key, find).get(source)


def _usable_span(name: str, frame: Frame) -> tuple[int, int] | None:
    """The tally's years when it may answer for source `name` and the frame at all."""
    live = _LIVE_ONLY.get() or frame.communes is not None
    if live:
        return None
    return _span()


def read(name: str, frame: Frame, keys: tuple[str, ...]) -> SourceData | None:
    """Source `name`'s rows for the frame with `keys`, from the tally; None when it cannot."""
    years = _usable_span(name, frame)
    if years is None:
        return None
    group_by = frame.group_by
    groups = group_by if isinstance(group_by, tuple) else ((group_by,) if group_by else ())
    columns = set(groups) | ({frame.area_field} if frame.area is not None else set())
    grain = grains.choose(name, columns, set(keys))
    if grain is None:
        return None
    if name in DATED:
        year = frame.on.year
        if not (years[0] <= year <= years[1]) or not _settled(frame):
            return None
    else:
        year = _data_year(name, frame, years)
        if year is None:
            return None
    rows = _rows(grain, name, year, frame, keys, groups, isinstance(group_by, tuple))
    if name in DATED:
        flows = name != "registry"
        return SourceData(
            rows=rows, start=frame.start if flows else None, end=frame.on if flows else None
        )
    return SourceData(rows=rows, year=year)


def read_years(
    name: str, frame: Frame, years: list[int], keys: tuple[str, ...]
) -> dict[int, SourceData]:
    """Source `name` on 31 December of each of `years`, that year being the data year, for
    the years the tally holds: one query for them all (the trend)."""
    span = _usable_span(name, frame)
    if span is None:
        return {}
    held = [y for y in years if span[0] <= y <= span[1]]
    grain = grains.choose(name, {frame.area_field} if frame.area else set(), set(keys))
    if not held or grain is None:
        return {}
    qs = Tally.objects.filter(grain=grain.name, source=name, year__in=held, **_area_filter(frame))
    rows = list(qs.values(*keys, "year").annotate(**_measures(name)).order_by())
    by_year: dict[int, list[dict[str, Any]]] = {year: [] for year in held}
    for row in rows:
        by_year[row.pop("year")].append(row)
    flows = name in DATED and name != "registry"
    return {
        year: SourceData(
            rows=found,
            year=None if name in DATED else year,
            start=date(year, 1, 1) if flows else None,
            end=date(year, 12, 31) if flows else None,
        )
        for year, found in by_year.items()
    }


def _measures(name: str) -> dict[str, Any]:
    return {
        m: Coalesce(Sum(m), 0) if m in grains.COUNTS else Sum(m) for m in grains.measures_of(name)
    }


def _rows(
    grain: grains.Grain,
    name: str,
    year: int,
    frame: Frame,
    keys: tuple[str, ...],
    groups: tuple[str, ...],
    several: bool,
) -> list[dict[str, Any]]:
    qs = Tally.objects.filter(grain=grain.name, source=name, year=year, **_area_filter(frame))
    measures = _measures(name)
    if several:
        expressions = {f"group_{i}": F(g) for i, g in enumerate(groups)}
    else:
        expressions = {"group": F(groups[0])} if groups else {}
    if not keys and not expressions:
        return [qs.aggregate(**measures)]
    return list(qs.values(*keys, **expressions).annotate(**measures).order_by())
