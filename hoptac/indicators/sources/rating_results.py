"""The ratings' source (hoptac.ratings): the approved rating results of a data year, by rank."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.db import models
from django.db.models import Count, OuterRef, Subquery

from hoptac.ratings.models import Rating, RatingResult
from hoptac.registry.models import Cooperative

from .common import PLACED, data_year, data_year_of, grouped_values, keys_of, kind_sector
from .frame import Frame, SourceData

# RatingResult is Rating's approved rows: its status decides which count.
READS: dict[str, dict[type[models.Model], tuple[str, ...]]] = {
    "ratings": {Cooperative: PLACED, Rating: ("cooperative", "status", "year", "rank")},
}


def results() -> models.QuerySet[RatingResult]:
    """The approved ratings (RatingResult's manager)."""
    return RatingResult.objects.all()


def ratings(frame: Frame, keys: tuple[str, ...] | None = None) -> SourceData:
    """Rating results of the data year, by kind, sector and rank."""
    year = data_year(results(), frame)
    if year is None:
        return SourceData(has_data=False)
    rows = list(ratings_rows(replace(frame, year=year), keys_of("ratings", keys)))
    return SourceData(rows=rows, year=year)


def ratings_rows(frame: Frame, keys: tuple[str, ...]) -> models.QuerySet[Any]:
    """The grouped query of `ratings` for the data year `frame.year`."""
    year = data_year_of(frame)
    qs = results().filter(frame.place("cooperative__"), year=year).order_by()
    grouped = grouped_values(kind_sector(qs, keys), frame, keys, prefix="cooperative__")
    return grouped.annotate(n=Count("pk"))


def ratings_yearly(frame: Frame, years: list[int], keys: tuple[str, ...]) -> dict[int, SourceData]:
    """`ratings` with each of `years` as the data year, in one read."""
    qs = results().filter(frame.place("cooperative__"), year__in=years).order_by()
    rows = list(kind_sector(qs, keys).values(*keys, "year").annotate(n=Count("pk")))
    return {
        year: SourceData(rows=[r for r in rows if r["year"] == year], year=year) for year in years
    }


def rank_then(year: int | None) -> Subquery | None:
    """An organisation's rank in `year` (for annotating the map's points); None without
    ratings."""
    if year is None:
        return None
    found = results().filter(cooperative=OuterRef("pk"), year=year).order_by()
    return Subquery(found.values("rank")[:1])
