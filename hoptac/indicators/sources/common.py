"""What the queries of every source share: the organisations of a frame, their lifetimes, the
grouping of rows, and the data year of the yearly sources."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import models
from django.db.models import Case, Count, Exists, F, Max, OuterRef, Subquery, When
from django.db.models.functions import ExtractYear

from hoptac.registry.choices import ENDED_STATUSES
from hoptac.registry.models import Cooperative, CooperativeQuerySet, StatusChange

from .cache import remembered
from .frame import KEYS, Frame

# What every source reads of an organisation: where it is (the areas of both trees, by which
# frames place and group it), its kind and sector (keys of every source) and its sub-sector
# (the tally's sub-sector grains).
PLACED = (
    "commune",
    "commune_legacy",
    "district_legacy",
    "province",
    "province_legacy",
    "kind",
    "sector",
    "sub_sector",
)
# What "existing on a day" reads (CooperativeQuerySet.existing_on): the stored status, and the
# dated history.
EXISTING = {Cooperative: ("status",), StatusChange: ("cooperative", "effective_on", "status")}


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


def grouped_values(
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


def rename(rows: list[dict[str, Any]], old: str, new: str) -> list[dict[str, Any]]:
    for row in rows:
        row[new] = row.pop(old)
    return rows


def keys_of(name: str, keys: tuple[str, ...] | None) -> tuple[str, ...]:
    return KEYS[name] if keys is None else keys


def kind_sector(qs: models.QuerySet[Any], keys: tuple[str, ...]) -> models.QuerySet[Any]:
    """A yearly source's rows with the organisation's kind and sector, when asked."""
    names = {k: F(f"cooperative__{k}") for k in ("kind", "sector") if k in keys}
    return qs.annotate(**names) if names else qs


def data_year(qs: models.QuerySet[Any], frame: Frame) -> int | None:
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
    return remembered(key, latest_fast)


def data_year_of(frame: Frame) -> int:
    if frame.year is None:
        raise ValueError("a yearly source's query needs the frame's data year")
    return frame.year


def alive_in(rows: list[dict[str, Any]], year: int) -> list[dict[str, Any]]:
    """Rows of lifetime_years groups existing on 31 December of `year`."""
    return [
        r
        for r in rows
        if r["first_year"] is not None
        and r["first_year"] <= year
        and (r["end_year"] is None or r["end_year"] > year)
    ]


def yearly_marks(
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
        for r in alive_in(rows, year):
            key = (*(r[k] for k in plain), r[f"{mark}_{year}"])
            merged[key] = merged.get(key, 0) + r["n"]
        result[year] = [
            {**dict(zip(plain, key[:-1], strict=True)), mark: key[-1], "n": n}
            for key, n in merged.items()
        ]
    return result
