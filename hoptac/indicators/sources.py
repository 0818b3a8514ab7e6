"""The data sources of the indicators: one function each, returning aggregated rows.

Every function takes a `Frame` (an area of either tree at any level, or the whole country; a
date; optionally a data year and a breakdown field) and answers with a few aggregated rows
(`values().annotate()`: one query, a handful of rows whatever the number of HTX), which the
pure functions of `formulas/` turn into numbers. Each source also builds the queryset of HTX
behind a number (`drill_*`), from the same filters, so the list and the count agree.

The sources read the models of the apps below indicators (registry, reports, ratings,
support) through plain imports.

Access is checked before a frame is built (selectors.frame_for): an area inside the user's
scope only holds organisations inside it, so the sources filter by the area alone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from django.db import models
from django.db.models import (
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    Max,
    OuterRef,
    Q,
    Subquery,
    Sum,
    When,
)
from django.db.models.functions import ExtractYear

from hoptac.areas.choices import ERA_CHANGE_DATE, Era, Level
from hoptac.areas.models import AdminUnit
from hoptac.ratings.models import RatingResult
from hoptac.registry.choices import ENDED_STATUSES
from hoptac.registry.models import Cooperative, CooperativeQuerySet, StatusChange
from hoptac.registry.selectors import AREA_FIELDS
from hoptac.reports.choices import REPORTED_STATUSES
from hoptac.reports.models import AnnualReport
from hoptac.support.models import SupportGrant

from .formulas.definitions import Part
from .tally import reading as tally_reading

# The keys of each source's rows (what an indicator's `where` may name).
KEYS: dict[str, tuple[str, ...]] = {
    "registry": ("kind", "sector", "status", "high_tech", "value_chain", "model_cooperative"),
    "founded": ("kind", "sector"),
    "ended": ("kind", "sector"),
    "reports": ("kind", "sector"),
    "report_filing": ("kind", "sector", "filed"),
    "ratings": ("kind", "sector", "rank"),
    "support": ("kind", "sector", "supported"),
}
RANKS = ("tot", "kha", "trung_binh", "yeu", "chua_danh_gia")
ERA_CHANGE = date.fromisoformat(ERA_CHANGE_DATE)


def within(lookup: str, values: Iterable[int | None]) -> Q:
    """`lookup` among `values`, None among them meaning NULL."""
    values = set(values)
    found = Q(**{f"{lookup}__in": sorted(v for v in values if v is not None)})
    if None in values:
        found |= Q(**{f"{lookup}__isnull": True})
    return found


@dataclass(frozen=True, slots=True)
class Frame:
    """Where and when an indicator is computed.

    area: an AdminUnit of either tree at any level, or None for the whole country;
    on: the reference date (stocks at that date, flows from 1 January of its year to it);
    year: the data year of yearly sources (reports, ratings); None: the latest year with data
      up to the last complete year (`complete_year`);
    group_by: a Cooperative field to break the rows down by (a sub-area's FK, "sub_sector"),
      the rows' "group"; or several (a tuple), the rows' "group_0", "group_1"… (prefetch);
    communes: only the organisations of these 2025 communes (None among them: those without
      one), for the tally's refresh (tally/building.py).
    """

    area: AdminUnit | None
    on: date
    year: int | None = None
    group_by: str | tuple[str, ...] | None = None
    communes: tuple[int | None, ...] | None = None

    @property
    def era(self) -> str:
        """The tree the frame counts in: the area's, or for the country the one in force."""
        if self.area is not None:
            return self.area.era
        return Era.LEGACY if self.on < ERA_CHANGE else Era.CURRENT

    @property
    def area_field(self) -> str | None:
        if self.area is None:
            return None
        return AREA_FIELDS[(self.area.era, self.area.level)]

    def place(self, prefix: str = "") -> Q:
        """The filter placing an organisation in the area (on the denormalised columns), and
        in `communes` when given."""
        found = Q()
        if self.area is not None:
            found &= Q(**{f"{prefix}{self.area_field}": self.area.pk})
        if self.communes is not None:
            found &= within(f"{prefix}commune", self.communes)
        return found

    @property
    def start(self) -> date:
        return date(self.on.year, 1, 1)

    @property
    def complete_year(self) -> int:
        """The last year whose data can be complete on `on`: its own if 31 December."""
        return self.on.year if (self.on.month, self.on.day) == (12, 31) else self.on.year - 1

    def grouped(self, field_name: str | None) -> Frame:
        return replace(self, group_by=field_name)


@dataclass(slots=True)
class SourceData:
    """The rows of one source for one frame, and what they stand for."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    available: bool = True  # always True now that every source's model is imported
    has_data: bool = True  # False: a yearly source without any year of data
    year: int | None = None  # the data year used (yearly sources)
    start: date | None = None  # the period (flows)
    end: date | None = None


# --- reads shared within one page ----------------------------------------------------------

_SHARED: ContextVar[dict[Any, Any] | None] = ContextVar("indicator_reads", default=None)


@contextmanager
def shared_reads() -> Iterator[None]:
    """Within the block, a source asked twice for the same frame and keys (the headline, the
    plans' progress, the trend's last year, the map's counts…) is read from the database once.
    Nested blocks share the outer one's reads."""
    if _SHARED.get() is not None:
        yield
        return
    token = _SHARED.set({})
    try:
        yield
    finally:
        _SHARED.reset(token)


def _remembered(key: Any, compute: Callable[[], Any]) -> Any:
    memo = _SHARED.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def keys_for(name: str, frame: Frame, asked: Iterable[str] | None) -> tuple[str, ...]:
    """The keys source `name` groups its rows by when the indicators read only `asked` (None:
    all of them), in the source's order. Fewer keys, fewer rows: the status of a past day
    needs the dated history, and the kind and sector of a rating or report need a join to
    the registry (which the country would not need otherwise)."""
    every = KEYS[name]
    if asked is None:
        return every
    asked = set(asked)
    return tuple(k for k in every if k in asked)


def _stored(name: str, frame: Frame, keys: tuple[str, ...]) -> SourceData | None:
    """A read of the block (shared_reads) that holds at least `keys`, if any."""
    memo = _SHARED.get()
    if memo is None:
        return None
    for held, data in memo.get(("source", name, frame), []):
        if set(keys) <= set(held):
            return data
    return None


def _store(name: str, frame: Frame, keys: tuple[str, ...], data: SourceData) -> SourceData:
    memo = _SHARED.get()
    if memo is not None:
        memo.setdefault(("source", name, frame), []).append((keys, data))
    return data


def fetch(name: str, frame: Frame, asked: Iterable[str] | None = None) -> SourceData:
    """Source `name` for the frame, its rows holding at least the keys `asked` (rows with
    more keys serve as well: an indicator sums the rows its `where` selects)."""
    keys = keys_for(name, frame, asked)
    found = _stored(name, frame, keys)
    if found is not None:
        return found
    return _store(name, frame, keys, _read(name, frame, keys))


def _read(name: str, frame: Frame, keys: tuple[str, ...]) -> SourceData:
    """From the tally when it holds the exact rows (tally/reading.py), else live."""
    found = tally_reading.read(name, frame, keys)
    return found if found is not None else SOURCES[name](frame, keys)


def prefetch(frame: Frame, asked: dict[str, set[str]], fields: Iterable[str | None]) -> None:
    """Within shared_reads, read each source of `asked` once for the frame grouped by all of
    `fields` together (None: the frame as a whole), and keep the rows by each field alone and
    for the whole frame, as fetch would have read them one by one: the dashboard's headline,
    breakdowns by sub-area and by sector, and the map's communes then cost one read per
    source instead of four. Without shared_reads, nothing is kept (and nothing read)."""
    if _SHARED.get() is None:
        return
    wanted = tuple(dict.fromkeys(f for f in fields if f))
    if not wanted:
        return
    for name, keys_asked in asked.items():
        keys = keys_for(name, frame, keys_asked)
        if _stored(name, frame.grouped(wanted), keys) is not None:
            continue
        if _stored(name, frame, keys) is not None:  # read from the tally already
            continue
        tallied = tally_reading.read(name, frame, keys)
        if tallied is not None:  # each grouping is then read from the tally on its own
            _store(name, frame, keys, tallied)
            continue
        wide = _store(name, frame.grouped(wanted), keys, SOURCES[name](frame.grouped(wanted), keys))
        parts = [(None, None), *((f, f"group_{i}") for i, f in enumerate(wanted))]
        for field_name, column in parts:
            rows = _summed(wide.rows, (*keys, *(["group"] if column else [])), column)
            _store(name, frame.grouped(field_name), keys, replace(wide, rows=rows))


def _summed(
    rows: list[dict[str, Any]], keys: tuple[str, ...], column: str | None
) -> list[dict[str, Any]]:
    """The rows added up by `keys` ("group" taken from `column`): the same sums over fewer
    rows (a missing sum counts 0, as formulas.aggregate.total counts it)."""
    if not rows:
        return []
    plain = [k for k in keys if k != "group"]
    measures = [m for m in rows[0] if m not in keys and not m.startswith("group_")]
    merged: dict[tuple[Any, ...], list[Any]] = {}
    for row in rows:
        key = tuple([row[k] for k in plain] + ([row[column]] if column else []))
        sums = merged.get(key)
        if sums is None:
            merged[key] = [row[m] or 0 for m in measures]
        else:
            for index, measure in enumerate(measures):
                sums[index] += row[measure] or 0
    names = [*plain, *(["group"] if column else [])]
    return [
        {**dict(zip(names, key, strict=True)), **dict(zip(measures, sums, strict=True))}
        for key, sums in merged.items()
    ]


# --- the organisations counted --------------------------------------------------------------


def cooperatives(frame: Frame) -> CooperativeQuerySet:
    """The organisations placed in the frame's area (any status, any date); those existing on
    a day are `.existing_on(day)` of them (the registry's one definition)."""
    return Cooperative.objects.filter(frame.place()).order_by()


def lifetime_years(qs: models.QuerySet[Cooperative]) -> models.QuerySet[Cooperative]:
    """`qs` annotated with `first_year`, the year of its first status change (None: no
    history, never counted), and `end_year`, the year it was dissolved or went bankrupt
    (None: it still exists). By the history's order (see CooperativeQuerySet.existing_on), the
    organisation exists on 31 December of year Y exactly when first_year <= Y and not
    end_year <= Y."""
    # The earliest date only (not the earliest change): read from the index alone.
    changes = StatusChange.objects.filter(cooperative=OuterRef("pk")).order_by("effective_on")
    first = Subquery(changes.values("effective_on")[:1])
    ended = Subquery(changes.filter(status__in=ENDED_STATUSES).values("effective_on")[:1])
    return qs.annotate(
        first_year=ExtractYear(first),
        end_year=ExtractYear(Case(When(status__in=ENDED_STATUSES, then=ended))),
    )


def _grouped_values(
    qs: models.QuerySet[Any], frame: Frame, keys: tuple[str, ...], prefix: str = ""
) -> models.QuerySet[Any]:
    """qs.values(keys…, group=<frame.group_by>), ready for .annotate(aggregates); with
    several fields, group_0=…, group_1=…"""
    expressions: dict[str, Any] = {}
    if isinstance(frame.group_by, tuple):
        for index, name in enumerate(frame.group_by):
            expressions[f"group_{index}"] = F(f"{prefix}{name}")
    elif frame.group_by:
        expressions["group"] = F(f"{prefix}{frame.group_by}")
    return qs.values(*keys, **expressions)


def _rename(rows: list[dict[str, Any]], old: str, new: str) -> list[dict[str, Any]]:
    for row in rows:
        row[new] = row.pop(old)
    return rows


def _keys(name: str, keys: tuple[str, ...] | None) -> tuple[str, ...]:
    return KEYS[name] if keys is None else keys


def _kind_sector(qs: models.QuerySet[Any], keys: tuple[str, ...]) -> models.QuerySet[Any]:
    """A yearly source's rows with the organisation's kind and sector, when asked."""
    names = {k: F(f"cooperative__{k}") for k in ("kind", "sector") if k in keys}
    return qs.annotate(**names) if names else qs


# --- registry ---------------------------------------------------------------------------

REGISTRY_MEASURES = {
    "n": Count("pk"),
    "members": Sum("members_count"),
    "workers": Sum("workers_count"),
    # How many of the sums' values were given (the tally adds and subtracts rows with them).
    "n_members": Count("members_count"),
    "n_workers": Count("workers_count"),
}


def registry(frame: Frame, keys: tuple[str, ...] | None = None) -> SourceData:
    """Organisations existing on the date, by kind, sector, status and marks, with their
    number and their members and workers as the registry records them."""
    keys = _keys("registry", keys)
    rows = list(registry_rows(frame, keys))
    return SourceData(rows=_rename(rows, "status_then", "status") if "status" in keys else rows)


def registry_rows(frame: Frame, keys: tuple[str, ...]) -> models.QuerySet[Any]:
    """The grouped query of `registry` (the status key named "status_then")."""
    qs = cooperatives(frame).existing_on(frame.on, with_status="status" in keys)
    names = tuple("status_then" if k == "status" else k for k in keys)
    return _grouped_values(qs, frame, names).annotate(**REGISTRY_MEASURES)


def registry_yearly(
    frame: Frame, years: list[int], keys: tuple[str, ...]
) -> dict[int, SourceData] | None:
    """`registry` on 31 December of each of `years` (all before today), in one read: the
    organisations grouped by the years they began and ended (lifetime_years). None when the
    status is asked (it needs each day's history)."""
    if "status" in keys:
        return None
    qs = lifetime_years(cooperatives(frame))
    rows = list(qs.values(*keys, "first_year", "end_year").annotate(**REGISTRY_MEASURES))
    return {year: SourceData(rows=_alive_in(rows, year)) for year in years}


def founded(frame: Frame, keys: tuple[str, ...] | None = None) -> SourceData:
    """Organisations founded from 1 January of the date's year up to the date."""
    rows = list(founded_rows(frame, _keys("founded", keys)))
    return SourceData(rows=rows, start=frame.start, end=frame.on)


def founded_rows(frame: Frame, keys: tuple[str, ...]) -> models.QuerySet[Any]:
    qs = cooperatives(frame).filter(founded_on__gte=frame.start, founded_on__lte=frame.on)
    return _grouped_values(qs, frame, keys).annotate(n=Count("pk"))


def founded_yearly(frame: Frame, years: list[int], keys: tuple[str, ...]) -> dict[int, SourceData]:
    """`founded` for each whole year of `years`, in one read."""
    qs = cooperatives(frame).filter(
        founded_on__gte=date(min(years), 1, 1), founded_on__lte=date(max(years), 12, 31)
    )
    rows = list(qs.values(*keys, founded_year=ExtractYear("founded_on")).annotate(n=Count("pk")))
    return {
        year: SourceData(
            rows=[r for r in rows if r["founded_year"] == year],
            start=date(year, 1, 1),
            end=date(year, 12, 31),
        )
        for year in years
    }


def _ended_in(frame: Frame) -> Exists:
    return Exists(
        StatusChange.objects.filter(
            cooperative=OuterRef("pk"),
            status__in=ENDED_STATUSES,
            effective_on__gte=frame.start,
            effective_on__lte=frame.on,
        )
    )


def ended(frame: Frame, keys: tuple[str, ...] | None = None) -> SourceData:
    """Organisations dissolved or bankrupt from 1 January of the date's year up to the date."""
    rows = list(ended_rows(frame, _keys("ended", keys)))
    return SourceData(rows=rows, start=frame.start, end=frame.on)


def ended_rows(frame: Frame, keys: tuple[str, ...]) -> models.QuerySet[Any]:
    qs = cooperatives(frame).filter(_ended_in(frame))
    return _grouped_values(qs, frame, keys).annotate(n=Count("pk"))


def _data_year_of(frame: Frame) -> int:
    if frame.year is None:
        raise ValueError("a yearly source's query needs the frame's data year")
    return frame.year


# --- annual reports (hoptac.reports) ------------------------------------------------------


def _filed_reports() -> models.QuerySet[AnnualReport]:
    """The current versions of the reports submitted or approved."""
    return AnnualReport.objects.filter(is_current=True, status__in=REPORTED_STATUSES)


def _data_year(qs: models.QuerySet[Any], frame: Frame) -> int | None:
    """The explicit year, else the latest year with data up to the last complete one."""
    if frame.year is not None:
        return frame.year

    def latest() -> int | None:
        found = qs.filter(frame.place("cooperative__"), year__lte=frame.complete_year).aggregate(
            year=Max("year")
        )
        return found["year"]

    def latest_fast() -> int | None:
        # Usually the last complete year has data: an EXISTS that stops at the first row,
        # instead of a MAX over every year of the area.
        if qs.filter(frame.place("cooperative__"), year=frame.complete_year).exists():
            return frame.complete_year
        return latest()

    key = ("data_year", qs.model._meta.label, frame.area, frame.complete_year)
    return _remembered(key, latest_fast)


REPORT_MEASURES = {
    "n": Count("pk"),
    "revenue_total": Sum("revenue"),
    "n_revenue": Count("revenue"),
    "profit_total": Sum("profit_before_tax"),
    "n_profit": Count("profit_before_tax"),
    "income_mass": Sum(
        ExpressionWrapper(
            F("average_worker_income") * F("workers_count"),
            output_field=models.DecimalField(max_digits=30, decimal_places=0),
        ),
        filter=Q(average_worker_income__isnull=False, workers_count__isnull=False),
    ),
    "income_workers": Sum(
        "workers_count", filter=Q(average_worker_income__isnull=False, workers_count__isnull=False)
    ),
    "n_income": Count(
        "pk", filter=Q(average_worker_income__isnull=False, workers_count__isnull=False)
    ),
}


def reports(frame: Frame, keys: tuple[str, ...] | None = None) -> SourceData:
    """Sums over the annual reports filed for the data year, by kind and sector."""
    year = _data_year(_filed_reports(), frame)
    if year is None:
        return SourceData(has_data=False)
    keys = _keys("reports", keys)
    if not keys and not frame.group_by:
        qs = _filed_reports().filter(frame.place("cooperative__"), year=year).order_by()
        return SourceData(rows=[qs.aggregate(**REPORT_MEASURES)], year=year)
    return SourceData(rows=list(reports_rows(replace(frame, year=year), keys)), year=year)


def reports_rows(frame: Frame, keys: tuple[str, ...]) -> models.QuerySet[Any]:
    """The grouped query of `reports` for the data year `frame.year`."""
    year = _data_year_of(frame)
    qs = _filed_reports().filter(frame.place("cooperative__"), year=year).order_by()
    grouped = _grouped_values(_kind_sector(qs, keys), frame, keys, prefix="cooperative__")
    return grouped.annotate(**REPORT_MEASURES)


def reports_yearly(frame: Frame, years: list[int], keys: tuple[str, ...]) -> dict[int, SourceData]:
    """`reports` with each of `years` as the data year, in one read."""
    qs = _filed_reports().filter(frame.place("cooperative__"), year__in=years).order_by()
    rows = list(_kind_sector(qs, keys).values(*keys, "year").annotate(**REPORT_MEASURES))
    return {
        year: SourceData(rows=[r for r in rows if r["year"] == year], year=year) for year in years
    }


def _filed_for(year: int) -> Exists:
    return Exists(_filed_reports().filter(cooperative=OuterRef("pk"), year=year))


def report_filing(frame: Frame, keys: tuple[str, ...] | None = None) -> SourceData:
    """Organisations existing on 31 December of the data year, by whether they filed their
    annual report for it."""
    year = _data_year(_filed_reports(), frame)
    if year is None:
        return SourceData(has_data=False)
    rows = list(report_filing_rows(replace(frame, year=year), _keys("report_filing", keys)))
    return SourceData(rows=rows, year=year)


def report_filing_rows(frame: Frame, keys: tuple[str, ...]) -> models.QuerySet[Any]:
    """The grouped query of `report_filing` for the data year `frame.year`."""
    year = _data_year_of(frame)
    qs = cooperatives(frame).existing_on(date(year, 12, 31)).annotate(filed=_filed_for(year))
    return _grouped_values(qs, frame, keys).annotate(n=Count("pk"))


def _alive_in(rows: list[dict[str, Any]], year: int) -> list[dict[str, Any]]:
    """Rows of lifetime_years groups existing on 31 December of `year`."""
    return [
        r
        for r in rows
        if r["first_year"] is not None
        and r["first_year"] <= year
        and (r["end_year"] is None or r["end_year"] > year)
    ]


def _yearly_marks(
    frame: Frame,
    years: list[int],
    keys: tuple[str, ...],
    mark: str,
    exists: Callable[[int], Exists],
) -> dict[int, list[dict[str, Any]]]:
    """Organisations existing on 31 December of each of `years`, by `keys` (but `mark`) and
    by `mark`, an Exists of that year (`exists(year)`): one read, each year's mark a column."""
    columns = {f"{mark}_{year}": exists(year) for year in years}
    plain = tuple(k for k in keys if k != mark)
    qs = lifetime_years(cooperatives(frame)).annotate(**columns)
    rows = list(qs.values(*plain, "first_year", "end_year", *columns).annotate(n=Count("pk")))
    result = {}
    for year in years:
        merged: dict[tuple[Any, ...], int] = {}
        for r in _alive_in(rows, year):
            key = (*(r[k] for k in plain), r[f"{mark}_{year}"])
            merged[key] = merged.get(key, 0) + r["n"]
        result[year] = [
            {**dict(zip(plain, key[:-1], strict=True)), mark: key[-1], "n": n}
            for key, n in merged.items()
        ]
    return result


def report_filing_yearly(
    frame: Frame, years: list[int], keys: tuple[str, ...]
) -> dict[int, SourceData]:
    """`report_filing` with each of `years` as the data year, in one read."""
    rows = _yearly_marks(frame, years, keys, "filed", lambda year: _filed_for(year))
    return {year: SourceData(rows=rows[year], year=year) for year in years}


# --- ratings (hoptac.ratings) ---------------------------------------------------------------


def _results() -> models.QuerySet[RatingResult]:
    """The approved ratings (RatingResult's manager)."""
    return RatingResult.objects.all()


def ratings(frame: Frame, keys: tuple[str, ...] | None = None) -> SourceData:
    """Rating results of the data year, by kind, sector and rank."""
    year = _data_year(_results(), frame)
    if year is None:
        return SourceData(has_data=False)
    rows = list(ratings_rows(replace(frame, year=year), _keys("ratings", keys)))
    return SourceData(rows=rows, year=year)


def ratings_rows(frame: Frame, keys: tuple[str, ...]) -> models.QuerySet[Any]:
    """The grouped query of `ratings` for the data year `frame.year`."""
    year = _data_year_of(frame)
    qs = _results().filter(frame.place("cooperative__"), year=year).order_by()
    grouped = _grouped_values(_kind_sector(qs, keys), frame, keys, prefix="cooperative__")
    return grouped.annotate(n=Count("pk"))


def ratings_yearly(frame: Frame, years: list[int], keys: tuple[str, ...]) -> dict[int, SourceData]:
    """`ratings` with each of `years` as the data year, in one read."""
    qs = _results().filter(frame.place("cooperative__"), year__in=years).order_by()
    rows = list(_kind_sector(qs, keys).values(*keys, "year").annotate(n=Count("pk")))
    return {
        year: SourceData(rows=[r for r in rows if r["year"] == year], year=year) for year in years
    }


def rank_year(frame: Frame) -> int | None:
    """The data year of the ratings the map colours points by: None without any rating in
    the frame's area that year."""
    data = fetch("ratings", frame, ("rank",))
    return data.year if data.rows else None


def rank_then(year: int | None) -> Subquery | None:
    """An organisation's rank in `year` (for annotating the map's points); None without
    ratings."""
    if year is None:
        return None
    found = _results().filter(cooperative=OuterRef("pk"), year=year).order_by()
    return Subquery(found.values("rank")[:1])


# --- support (hoptac.support) ---------------------------------------------------------------


def _supported_in(frame: Frame) -> Exists:
    """Received at least one support granted from 1 January of the date's year to the date
    (the period of hoptac.support.selectors.reached_by_policies)."""
    return Exists(
        SupportGrant.objects.filter(
            cooperative=OuterRef("pk"), granted_on__gte=frame.start, granted_on__lte=frame.on
        )
    )


def support(frame: Frame, keys: tuple[str, ...] | None = None) -> SourceData:
    """Organisations existing on the date, by whether they received support in the year up
    to it."""
    rows = list(support_rows(frame, _keys("support", keys)))
    return SourceData(rows=rows, start=frame.start, end=frame.on)


def support_rows(frame: Frame, keys: tuple[str, ...]) -> models.QuerySet[Any]:
    qs = cooperatives(frame).existing_on(frame.on).annotate(supported=_supported_in(frame))
    return _grouped_values(qs, frame, keys).annotate(n=Count("pk"))


def support_yearly(frame: Frame, years: list[int], keys: tuple[str, ...]) -> dict[int, SourceData]:
    """`support` on 31 December of each of `years`, in one read."""

    def supported(year: int) -> Exists:
        return _supported_in(Frame(area=frame.area, on=date(year, 12, 31)))

    rows = _yearly_marks(frame, years, keys, "supported", supported)
    return {
        year: SourceData(rows=rows[year], start=date(year, 1, 1), end=date(year, 12, 31))
        for year in years
    }


SOURCES: dict[str, Callable[[Frame, tuple[str, ...] | None], SourceData]] = {
    "registry": registry,
    "founded": founded,
    "ended": ended,
    "reports": reports,
    "report_filing": report_filing,
    "ratings": ratings,
    "support": support,
}
# The grouped query of each source, for a frame with its data year set (the tally's build).
ROWS: dict[str, Callable[[Frame, tuple[str, ...]], models.QuerySet[Any]]] = {
    "registry": registry_rows,
    "founded": founded_rows,
    "ended": ended_rows,
    "reports": reports_rows,
    "report_filing": report_filing_rows,
    "ratings": ratings_rows,
    "support": support_rows,
}
# Sources that read several whole years at once (each year's 31 December, and that year as
# the data year); may answer None (then each year is read on its own).
YEARLY: dict[str, Callable[[Frame, list[int], tuple[str, ...]], dict[int, SourceData] | None]] = {
    "registry": registry_yearly,
    "founded": founded_yearly,
    "reports": reports_yearly,
    "report_filing": report_filing_yearly,
    "ratings": ratings_yearly,
    "support": support_yearly,
}


def fetch_years(
    name: str, frame: Frame, years: list[int], asked: Iterable[str] | None
) -> dict[int, SourceData]:
    """Source `name` on 31 December of each of `years` (all before today), with that year as
    the data year: one read when the source can, else one per year."""
    at = [Frame(area=frame.area, on=date(y, 12, 31), year=y) for y in years]
    keys = keys_for(name, at[0], asked) if at else ()
    served = tally_reading.read_years(name, frame, list(years), keys)
    years = [y for y in years if y not in served]
    at = [f for f in at if f.on.year not in served]
    yearly = YEARLY.get(name)
    found = None
    if yearly is not None and years:
        key = ("years", name, frame.area, tuple(years), keys)
        found = _remembered(key, lambda: yearly(frame, list(years), keys))
    if found is None:
        found = {f.on.year: fetch(name, f, asked) for f in at}
    return {**served, **found}


# --- the HTX behind a number ------------------------------------------------------------


def _where(qs: models.QuerySet[Any], part: Part, names: dict[str, str]) -> models.QuerySet[Any]:
    """Apply a part's `where` to a Cooperative queryset (`names`: row key → lookup)."""
    for key, values in part.where.items():
        qs = qs.filter(**{f"{names.get(key, key)}__in": list(values)})
    return qs


REPORT_MEASURE_FILTERS = {
    "revenue_total": Q(revenue__isnull=False),
    "n_revenue": Q(revenue__isnull=False),
    "profit_total": Q(profit_before_tax__isnull=False),
    "n_profit": Q(profit_before_tax__isnull=False),
    "income_mass": Q(average_worker_income__isnull=False, workers_count__isnull=False),
    "income_workers": Q(average_worker_income__isnull=False, workers_count__isnull=False),
}


def drill(source: str, part: Part, frame: Frame, year: int | None) -> models.QuerySet[Any]:
    """The organisations counted by `part` of an indicator of `source` (year: the data year
    the figure used, for yearly sources)."""
    qs = cooperatives(frame)
    if source in ("registry", "support"):
        qs = qs.existing_on(frame.on, with_status=True)
        if source == "support":
            qs = qs.annotate(supported=_supported_in(frame))
        return _where(qs, part, {"status": "status_then"})
    if source == "founded":
        qs = qs.filter(founded_on__gte=frame.start, founded_on__lte=frame.on)
        return _where(qs, part, {})
    if source == "ended":
        return _where(qs.filter(_ended_in(frame)), part, {})
    if year is None:
        return qs.none()
    if source == "report_filing":
        qs = qs.existing_on(date(year, 12, 31), with_status=True).annotate(filed=_filed_for(year))
        return _where(qs, part, {})
    if source == "reports":
        extra = REPORT_MEASURE_FILTERS.get(part.measure, Q())
        reports_qs = _filed_reports().filter(extra, cooperative=OuterRef("pk"), year=year)
        return _where(qs.filter(Exists(reports_qs)), part, {})
    ranks = part.where.get("rank", RANKS)
    results = _results().filter(cooperative=OuterRef("pk"), year=year, rank__in=ranks)
    other = Part(where={k: v for k, v in part.where.items() if k != "rank"}, measure=part.measure)
    return _where(qs.filter(Exists(results)), other, {})


# --- sub-areas ------------------------------------------------------------------------------


def sub_area_field(frame: Frame) -> tuple[str | None, int | None]:
    """The Cooperative field that places an organisation in the sub-areas of the frame's area,
    and the level of those sub-areas: districts of an old province, communes of a district or
    of a 2025 province, provinces of the country; (None, None) under a commune."""
    if frame.area is None:
        return ("province_legacy" if frame.era == Era.LEGACY else "province"), Level.PROVINCE
    level, era = frame.area.level, frame.area.era
    if level == Level.PROVINCE and era == Era.LEGACY:
        return "district_legacy", Level.DISTRICT
    if level == Level.PROVINCE:
        return "commune", Level.COMMUNE
    if level == Level.DISTRICT:
        return "commune_legacy", Level.COMMUNE
    return None, None


def commune_field(frame: Frame) -> str:
    """The Cooperative field of the commune in the frame's tree."""
    return "commune_legacy" if frame.era == Era.LEGACY else "commune"
