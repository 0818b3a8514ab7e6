"""The organisations behind a number: the queryset of HTX an indicator's part counted, from
the same filters as the source's rows, so that the list and the count agree."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import models
from django.db.models import Exists, OuterRef, Q

from ..formulas.definitions import Part
from .annual_reports import filed_for, filed_reports
from .common import cooperatives
from .frame import RANKS, Frame
from .organisations import ended_in
from .rating_results import results
from .support_grants import supported_in


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
            qs = qs.annotate(supported=supported_in(frame))
        return _where(qs, part, {"status": "status_then"})
    if source == "founded":
        qs = qs.filter(founded_on__gte=frame.start, founded_on__lte=frame.on)
        return _where(qs, part, {})
    if source == "ended":
        return _where(qs.filter(ended_in(frame)), part, {})
    if year is None:
        return qs.none()
    if source == "report_filing":
        qs = qs.existing_on(date(year, 12, 31), with_status=True).annotate(filed=filed_for(year))
        return _where(qs, part, {})
    if source == "reports":
        extra = REPORT_MEASURE_FILTERS.get(part.measure, Q())
        reports_qs = filed_reports().filter(extra, cooperative=OuterRef("pk"), year=year)
        return _where(qs.filter(Exists(reports_qs)), part, {})
    ranks = part.where.get("rank", RANKS)
    found = results().filter(cooperative=OuterRef("pk"), year=year, rank__in=ranks)
    other = Part(where={k: v for k, v in part.where.items() if k != "rank"}, measure=part.measure)
    return _where(qs.filter(Exists(found)), other, {})
