"""The support source (hoptac.support): organisations existing on a date, by whether they
received support in the year up to it."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import models
from django.db.models import Count, Exists, OuterRef

from hoptac.registry.models import Cooperative, StatusChange
from hoptac.support.models import SupportGrant

from .common import EXISTING, PLACED, cooperatives, grouped_values, keys_of, yearly_marks
from .frame import Frame, SourceData

READS: dict[str, dict[type[models.Model], tuple[str, ...]]] = {
    "support": {
        Cooperative: (*PLACED, *EXISTING[Cooperative]),
        StatusChange: EXISTING[StatusChange],
        SupportGrant: ("cooperative", "granted_on"),
    },
}


def supported_in(frame: Frame) -> Exists:
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
    rows = list(support_rows(frame, keys_of("support", keys)))
    return SourceData(rows=rows, start=frame.start, end=frame.on)


def support_rows(frame: Frame, keys: tuple[str, ...]) -> models.QuerySet[Any]:
    qs = cooperatives(frame).existing_on(frame.on).annotate(supported=supported_in(frame))
    return grouped_values(qs, frame, keys).annotate(n=Count("pk"))


def support_yearly(frame: Frame, years: list[int], keys: tuple[str, ...]) -> dict[int, SourceData]:
    """`support` on 31 December of each of `years`, in one read."""

    def supported(year: int) -> Exists:
        return supported_in(Frame(area=frame.area, on=date(year, 12, 31)))

    rows = yearly_marks(frame, years, keys, "supported", supported)
    return {
        year: SourceData(rows=rows[year], start=date(year, 1, 1), end=date(year, 12, 31))
        for year in years
    }
