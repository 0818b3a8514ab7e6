"""Demo annual reports: approved reports for 2017, 2018 and 2019 of the Bắc Kạn demo HTX.

Built on the demo registry (hoptac/registry/demo.py). Every figure is invented, deterministic
(seeded by the HTX's code and the year) and consistent with the HTX's size: members and
joined/left come from its member roster at 31 December, charter capital from the members'
contributions, revenue from the members and a per-member turnover that grows a little each
year. An HTX founded in a year has no report for the years before it. Submission dates fall
between early January and late February of the following year, so that the reporting desk
shows reports on time and late (deadline 15 January). The ratings are not made here.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, TextIO

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from hoptac.accounts.models import User
from hoptac.registry.models import Cooperative, Member
from hoptac.reports.choices import ReportStatus
from hoptac.reports.models import AnnualReport

PROVINCE = "06"
YEARS = (2017, 2018, 2019)
REVIEWER = "tinh.backan"  # the demo provincial officer approves them
MILLION = Decimal(1_000_000)


def _money(value: float) -> Decimal:
    """Whole millions of đồng, as HTX accounts are usually kept."""
    return (Decimal(str(value)) / MILLION).quantize(Decimal(1)) * MILLION


def _members_at(roster: list[Member], year: int) -> tuple[int, int, int, Decimal]:
    """Official members at 31 December, joined and left in the year, their capital."""
    end = date(year, 12, 31)
    count = joined = left = 0
    capital = Decimal(0)
    for member in roster:
        if member.joined_on and member.joined_on.year == year:
            joined += 1
        if member.left_on and member.left_on.year == year:
            left += 1
        if member.is_official and member.is_member_on(end):
            count += 1
            capital += member.capital_contributed or Decimal(0)
    return count, joined, left, capital


def figures(cooperative: Cooperative, roster: list[Member], year: int) -> dict[str, Any]:
    """The year's figures of one demo HTX (pure: the same input gives the same numbers)."""
    base = random.Random(f"{cooperative.tax_code}")  # noqa: S311  (demo data, not a secret)
    rng = random.Random(f"{cooperative.tax_code}-{year}")  # noqa: S311
    members, joined, left, capital = _members_at(roster, year)
    members = max(members, 5)
    big = cooperative.model_cooperative
    per_member = base.uniform(25, 70) * (1.6 if big else 1.0) * 1_000_000
    growth = (1 + base.uniform(0.03, 0.12)) ** (year - 2017)
    revenue = _money(members * per_member * growth * rng.uniform(0.92, 1.08))
    loss = rng.random() < 0.1
    costs = _money(float(revenue) * (rng.uniform(1.01, 1.05) if loss else rng.uniform(0.86, 0.97)))
    before_tax = revenue - costs
    after_tax = before_tax if before_tax <= 0 else _money(float(before_tax) * 0.8)
    positive = max(after_tax, Decimal(0))
    charter = capital if capital > 0 else _money(members * 5_000_000)
    equity = _money(float(charter) * rng.uniform(1.0, 1.3))
    liabilities = _money(float(equity) * rng.uniform(0.1, 0.6))
    workers = max((cooperative.workers_count or 5) + rng.randint(-2, 2), 1)
    managers = rng.randint(3, 5)
    return {
        "members_count": members,
        "members_joined": joined,
        "members_left": left,
        "workers_count": workers,
        "workers_members": min(workers, round(workers * rng.uniform(0.5, 0.9))),
        "managers_count": managers,
        "managers_higher_education": rng.randint(0, 2),
        "managers_vocational": rng.randint(0, managers - 2),
        "average_worker_income": _money(rng.uniform(30, 60) * 1_000_000),
        "charter_capital": charter,
        "operating_capital": _money(float(equity + liabilities) * rng.uniform(0.6, 0.9)),
        "equity": equity,
        "liabilities": liabilities,
        "borrowed_capital": _money(float(liabilities) * rng.uniform(0.3, 0.8)),
        "total_capital": equity + liabilities,
        "total_assets": equity + liabilities,
        "indivisible_assets": _money(float(equity) * rng.uniform(0.05, 0.2)),
        "investment": _money(float(equity) * rng.uniform(0.0, 0.15)),
        "revenue": revenue,
        "revenue_planned": _money(float(revenue) / rng.uniform(0.85, 1.15)),
        "revenue_from_members": _money(float(revenue) * rng.uniform(0.4, 0.8)),
        "costs": costs,
        "profit_before_tax": before_tax,
        "profit_after_tax": after_tax,
        "development_fund": _money(float(positive) * rng.uniform(0.1, 0.3)),
        "reserve_fund": _money(float(positive) * rng.uniform(0.02, 0.08)),
        "other_funds": _money(float(positive) * rng.uniform(0.0, 0.05)),
        "returned_to_members": _money(float(positive) * rng.uniform(0.2, 0.35)),
        "dividends": _money(float(positive) * rng.uniform(0.05, 0.15)),
        "ocop_products": rng.randint(1, 3) if big and year >= 2018 else 0,
    }


def _submitted_at(rng: random.Random, year: int) -> datetime:
    """Between 3 and 15 January of the following year for about seven in ten HTX (on time),
    else up to 25 February (late)."""
    days = rng.randint(0, 12) if rng.random() < 0.7 else rng.randint(13, 53)
    day = date(year + 1, 1, 3) + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(9, rng.randrange(60))))


def load(out: TextIO) -> None:
    """Create the demo reports once; a second run changes nothing."""
    cooperatives = list(
        Cooperative.objects.filter(province_legacy__code=PROVINCE).order_by("tax_code")
    )
    rosters: dict[int, list[Member]] = defaultdict(list)
    for member in Member.objects.filter(cooperative__in=cooperatives).order_by("pk"):
        rosters[member.cooperative_id].append(member)
    existing = set(
        AnnualReport.objects.filter(cooperative__in=cooperatives, year__in=YEARS).values_list(
            "cooperative_id", "year"
        )
    )
    reviewer = User.objects.filter(username=REVIEWER).first()
    reports: list[AnnualReport] = []
    for cooperative in cooperatives:
        start = cooperative.start_date
        for year in YEARS:
            if (cooperative.pk, year) in existing or start is None or start.year > year:
                continue
            reports.append(_report(cooperative, rosters[cooperative.pk], year, reviewer))
    if reports:
        bulk_create_with_history(reports, AnnualReport, batch_size=500, default_user=reviewer)
    out.write(f"demo reports: {len(reports)} approved reports created for {YEARS}\n")


def _report(
    cooperative: Cooperative, roster: list[Member], year: int, reviewer: User | None
) -> AnnualReport:
    rng = random.Random(f"{cooperative.tax_code}-{year}-dates")  # noqa: S311
    submitted = _submitted_at(rng, year)
    approved = submitted + timedelta(days=rng.randint(2, 20), hours=rng.randint(0, 6))
    report = AnnualReport(
        cooperative=cooperative,
        year=year,
        status=ReportStatus.APPROVED,
        submitted_at=submitted,
        first_submitted_at=submitted,
        approved_at=approved,
        approved_by=reviewer,
        submitted_by=None,
        **figures(cooperative, roster, year),
    )
    report.full_clean(validate_constraints=False)
    return report
