"""Test data for the annual reports, made through the services."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hoptac.accounts import access
from hoptac.reports import services
from hoptac.reports.models import AnnualReport


def complete_values(**overrides: Any) -> dict[str, Any]:
    """Figures of a small agricultural HTX that pass every check and fill every required one."""
    values: dict[str, Any] = {
        "members_count": 32,
        "members_joined": 3,
        "members_left": 1,
        "workers_count": 12,
        "workers_members": 9,
        "managers_count": 5,
        "managers_higher_education": 1,
        "managers_vocational": 2,
        "average_worker_income": Decimal(42_000_000),
        "charter_capital": Decimal(1_200_000_000),
        "operating_capital": Decimal(1_500_000_000),
        "equity": Decimal(1_300_000_000),
        "liabilities": Decimal(400_000_000),
        "borrowed_capital": Decimal(250_000_000),
        "total_capital": Decimal(1_700_000_000),
        "total_assets": Decimal(1_700_000_000),
        "indivisible_assets": Decimal(150_000_000),
        "investment": Decimal(80_000_000),
        "revenue": Decimal(2_400_000_000),
        "revenue_planned": Decimal(2_200_000_000),
        "revenue_from_members": Decimal(1_500_000_000),
        "costs": Decimal(2_250_000_000),
        "profit_before_tax": Decimal(150_000_000),
        "profit_after_tax": Decimal(120_000_000),
        "development_fund": Decimal(30_000_000),
        "reserve_fund": Decimal(8_000_000),
        "other_funds": Decimal(2_000_000),
        "returned_to_members": Decimal(50_000_000),
        "dividends": Decimal(20_000_000),
        "ocop_products": 1,
    }
    values.update(overrides)
    return values


def make_report(
    cooperative: Any, year: int = 2019, *, by: Any = access.SYSTEM, **overrides: Any
) -> AnnualReport:
    """A draft report with complete figures."""
    return services.report_create(
        cooperative=cooperative, year=year, by=by, **complete_values(**overrides)
    )


def approved_report(cooperative: Any, year: int = 2019, **overrides: Any) -> AnnualReport:
    report = make_report(cooperative, year, **overrides)
    report = services.report_submit(report=report, by=access.SYSTEM)
    return services.report_approve(report=report, by=access.SYSTEM)
