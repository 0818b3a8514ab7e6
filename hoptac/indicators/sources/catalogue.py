"""Every source by name: its live function, its grouped query (the tally's build), its read of
several years at once, and what it reads of which model (the tally's marking)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import models

from hoptac.ratings.models import Rating
from hoptac.registry.models import StatusChange
from hoptac.reports.models import AnnualReport
from hoptac.support.models import SupportGrant

from . import annual_reports, organisations, rating_results, support_grants
from .frame import Frame, SourceData

SOURCES: dict[str, Callable[[Frame, tuple[str, ...] | None], SourceData]] = {
    "registry": organisations.registry,
    "founded": organisations.founded,
    "ended": organisations.ended,
    "reports": annual_reports.reports,
    "report_filing": annual_reports.report_filing,
    "ratings": rating_results.ratings,
    "support": support_grants.support,
}
# The grouped query of each source, for a frame with its data year set (the tally's build).
ROWS: dict[str, Callable[[Frame, tuple[str, ...]], models.QuerySet[Any]]] = {
    "registry": organisations.registry_rows,
    "founded": organisations.founded_rows,
    "ended": organisations.ended_rows,
    "reports": annual_reports.reports_rows,
    "report_filing": annual_reports.report_filing_rows,
    "ratings": rating_results.ratings_rows,
    "support": support_grants.support_rows,
}
# Sources that read several whole years at once (each year's 31 December, and that year as
# the data year); may answer None (then each year is read on its own).
YEARLY: dict[str, Callable[[Frame, list[int], tuple[str, ...]], dict[int, SourceData] | None]] = {
    "registry": organisations.registry_yearly,
    "founded": organisations.founded_yearly,
    "reports": annual_reports.reports_yearly,
    "report_filing": annual_reports.report_filing_yearly,
    "ratings": rating_results.ratings_yearly,
    "support": support_grants.support_yearly,
}
# What each source reads, model by model: declared beside each query, checked against the
# queries' SQL by a test (tests/test_tally_marking.py).
READS: dict[str, dict[type[models.Model], tuple[str, ...]]] = {
    **organisations.READS,
    **annual_reports.READS,
    **rating_results.READS,
    **support_grants.READS,
}
# The field that dates a row of an organisation's dated models (a year, or a date whose year
# counts): a change to such a row changes the figures from that year on.
DATED_BY: dict[type[models.Model], str] = {
    StatusChange: "effective_on",
    AnnualReport: "year",
    Rating: "year",
    SupportGrant: "granted_on",
}


def fields_read(model: type[models.Model]) -> tuple[str, ...]:
    """Every field of `model` some source reads, in the sources' order."""
    found: dict[str, None] = {}
    for reads in READS.values():
        found.update(dict.fromkeys(reads.get(model, ())))
    return tuple(found)


def sources_reading(model: type[models.Model], field: str | None = None) -> tuple[str, ...]:
    """The sources that read `model` (its `field`, when given)."""
    return tuple(
        name
        for name, reads in READS.items()
        if model in reads and (field is None or field in reads[model])
    )
