"""The registry's sources (hoptac.registry): organisations existing on a date (`registry`),
founded (`founded`) and ended (`ended`) in the year up to it."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import models
from django.db.models import Count, Exists, OuterRef, Sum
from django.db.models.functions import ExtractYear

from hoptac.registry.choices import ENDED_STATUSES
from hoptac.registry.models import Cooperative, StatusChange

from .common import (
    EXISTING,
    PLACED,
    alive_in,
    cooperatives,
    grouped_values,
    keys_of,
    lifetime_years,
    rename,
)
from .frame import Frame, SourceData

# What each source reads, model by model (the tally is marked when any of it changes).
READS: dict[str, dict[type[models.Model], tuple[str, ...]]] = {
    "registry": {
        Cooperative: (
            *PLACED,
            *EXISTING[Cooperative],
            "high_tech",
            "value_chain",
            "model_cooperative",
            "members_count",
            "workers_count",
        ),
        StatusChange: EXISTING[StatusChange],
    },
    "founded": {Cooperative: (*PLACED, "founded_on")},
    "ended": {Cooperative: PLACED, StatusChange: ("cooperative", "effective_on", "status")},
}

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
    keys = keys_of("registry", keys)
    rows = list(registry_rows(frame, keys))
    return SourceData(rows=rename(rows, "status_then", "status") if "status" in keys else rows)


def registry_rows(frame: Frame, keys: tuple[str, ...]) -> models.QuerySet[Any]:
    """The grouped query of `registry` (the status key named "status_then")."""
    qs = cooperatives(frame).existing_on(frame.on, with_status="status" in keys)
    names = tuple("status_then" if k == "status" else k for k in keys)
    return grouped_values(qs, frame, names).annotate(**REGISTRY_MEASURES)


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
    return {year: SourceData(rows=alive_in(rows, year)) for year in years}


def founded(frame: Frame, keys: tuple[str, ...] | None = None) -> SourceData:
    """Organisations founded from 1 January of the date's year up to the date."""
    rows = list(founded_rows(frame, keys_of("founded", keys)))
    return SourceData(rows=rows, start=frame.start, end=frame.on)


def founded_rows(frame: Frame, keys: tuple[str, ...]) -> models.QuerySet[Any]:
    qs = cooperatives(frame).filter(founded_on__gte=frame.start, founded_on__lte=frame.on)
    return grouped_values(qs, frame, keys).annotate(n=Count("pk"))


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


def ended_in(frame: Frame) -> Exists:
    """Dissolved or bankrupt from 1 January of the date's year up to the date."""
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
    rows = list(ended_rows(frame, keys_of("ended", keys)))
    return SourceData(rows=rows, start=frame.start, end=frame.on)


def ended_rows(frame: Frame, keys: tuple[str, ...]) -> models.QuerySet[Any]:
    qs = cooperatives(frame).filter(ended_in(frame))
    return grouped_values(qs, frame, keys).annotate(n=Count("pk"))
