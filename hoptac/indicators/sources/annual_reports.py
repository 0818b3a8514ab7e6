"""The annual reports' sources (hoptac.reports): sums over the reports filed for a data year
(`reports`), and the organisations by whether they filed (`report_filing`)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from django.db import models
from django.db.models import Count, Exists, ExpressionWrapper, F, OuterRef, Q, Sum

from hoptac.registry.models import Cooperative, StatusChange
from hoptac.reports.choices import REPORTED_STATUSES
from hoptac.reports.models import AnnualReport

from .common import (
    EXISTING,
    PLACED,
    cooperatives,
    data_year,
    data_year_of,
    grouped_values,
    keys_of,
    kind_sector,
    yearly_marks,
)
from .frame import Frame, SourceData

FILED = ("cooperative", "is_current", "status", "year")  # what makes a report filed
READS: dict[str, dict[type[models.Model], tuple[str, ...]]] = {
    "reports": {
        Cooperative: PLACED,
        AnnualReport: (
            *FILED,
            "revenue",
            "profit_before_tax",
            "average_worker_income",
            "workers_count",
        ),
    },
    "report_filing": {
        Cooperative: (*PLACED, *EXISTING[Cooperative]),
        StatusChange: EXISTING[StatusChange],
        AnnualReport: FILED,
    },
}


def filed_reports() -> models.QuerySet[AnnualReport]:
    """The current versions of the reports submitted or approved."""
    return AnnualReport.objects.filter(is_current=True, status__in=REPORTED_STATUSES)


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
    year = data_year(filed_reports(), frame)
    if year is None:
        return SourceData(has_data=False)
    keys = keys_of("reports", keys)
    if not keys and not frame.group_by:
        qs = filed_reports().filter(frame.place("cooperative__"), year=year).order_by()
        return SourceData(rows=[qs.aggregate(**REPORT_MEASURES)], year=year)
    return SourceData(rows=list(reports_rows(replace(frame, year=year), keys)), year=year)


def reports_rows(frame: Frame, keys: tuple[str, ...]) -> models.QuerySet[Any]:
    """The grouped query of `reports` for the data year `frame.year`."""
    year = data_year_of(frame)
    qs = filed_reports().filter(frame.place("cooperative__"), year=year).order_by()
    grouped = grouped_values(kind_sector(qs, keys), frame, keys, prefix="cooperative__")
    return grouped.annotate(**REPORT_MEASURES)


def reports_yearly(frame: Frame, years: list[int], keys: tuple[str, ...]) -> dict[int, SourceData]:
    """`reports` with each of `years` as the data year, in one read."""
    qs = filed_reports().filter(frame.place("cooperative__"), year__in=years).order_by()
    rows = list(kind_sector(qs, keys).values(*keys, "year").annotate(**REPORT_MEASURES))
    return {
        year: SourceData(rows=[r for r in rows if r["year"] == year], year=year) for year in years
    }


def filed_for(year: int) -> Exists:
    """The organisation filed its annual report for `year`."""
    return Exists(filed_reports().filter(cooperative=OuterRef("pk"), year=year))


def report_filing(frame: Frame, keys: tuple[str, ...] | None = None) -> SourceData:
    """Organisations existing on 31 December of the data year, by whether they filed their
    annual report for it."""
    year = data_year(filed_reports(), frame)
    if year is None:
        return SourceData(has_data=False)
    rows = list(report_filing_rows(replace(frame, year=year), keys_of("report_filing", keys)))
    return SourceData(rows=rows, year=year)


def report_filing_rows(frame: Frame, keys: tuple[str, ...]) -> models.QuerySet[Any]:
    """The grouped query of `report_filing` for the data year `frame.year`."""
    year = data_year_of(frame)
    qs = cooperatives(frame).existing_on(date(year, 12, 31)).annotate(filed=filed_for(year))
    return grouped_values(qs, frame, keys).annotate(n=Count("pk"))


def report_filing_yearly(
    frame: Frame, years: list[int], keys: tuple[str, ...]
) -> dict[int, SourceData]:
    """`report_filing` with each of `years` as the data year, in one read."""
    rows = yearly_marks(frame, years, keys, "filed", filed_for)
    return {year: SourceData(rows=rows[year], year=year) for year in years}
