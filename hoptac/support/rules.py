"""Pure rules of the support programmes: no database, no clock; values in, values out.

Eligibility: Điều 6 Nghị định 113/2024/NĐ-CP asks an HTX to meet the criteria of điểm a
khoản 1 Điều 18 Luật HTX 17/2023/QH15 and at least ONE of a list of tests "at the time of
applying". Each test below reads plain facts (EligibilityFacts); a fact hoptac
does not hold makes the test unknown, never failed. The list as read is truncated, so when no
test is met the outcome is "not shown" (a warning the officer may override with a reason), not
"ineligible".
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

MET = "met"
NOT_MET = "not_met"
UNKNOWN = "unknown"

# ND 113 Điều 6: "established no more than 36 months earlier in an area with difficult
# socio-economic conditions".
NEW_COOPERATIVE_MONTHS = 36
# ND 113 Điều 6: ">= 5% of members or workers attended education/training courses".
TRAINED_SHARE = Decimal("0.05")


@dataclass(frozen=True, slots=True)
class YearFigures:
    """What an HTX's annual report (submitted or approved) says for one year."""

    members: int | None = None
    revenue: Decimal | None = None
    revenue_from_members: Decimal | None = None
    indivisible_assets: Decimal | None = None


@dataclass(frozen=True, slots=True)
class EligibilityFacts:
    """What hoptac knows about an HTX when a support is given.

    official_members: official members at the end of each year, from the member roster (an empty
    mapping when the HTX keeps no dated roster); reports: each year's report figures; trained:
    distinct people of the HTX who attended a course ending before the application year (None:
    unknown); members, workers: today's counts of the profile; difficult_area: whether the HTX
    lies in an area with difficult socio-economic conditions (None: hoptac does not know).
    """

    founded_on: date | None = None
    official_members: Mapping[int, int] = field(default_factory=dict)
    reports: Mapping[int, YearFigures] = field(default_factory=dict)
    trained: int | None = None
    members: int | None = None
    workers: int | None = None
    difficult_area: bool | None = None


@dataclass(frozen=True, slots=True)
class CriterionResult:
    code: str
    outcome: str  # MET | NOT_MET | UNKNOWN
    detail: str = ""


@dataclass(frozen=True, slots=True)
class EligibilityResult:
    """The outcome (choices.Eligibility code) and each criterion's result."""

    status: str
    criteria: tuple[CriterionResult, ...] = ()
    note: str = ""

    @property
    def needs_reason(self) -> bool:
        """A warning: the officer must give a reason to record the support anyway."""
        return self.status == "not_shown"

    def as_json(self) -> dict[str, object]:
        return {
            "status": self.status,
            "note": self.note,
            "criteria": [
                {"code": c.code, "outcome": c.outcome, "detail": c.detail} for c in self.criteria
            ],
        }


def _members_in(facts: EligibilityFacts, year: int) -> int | None:
    if year in facts.official_members:
        return facts.official_members[year]
    report = facts.reports.get(year)
    return report.members if report else None


def members_increased_two_years(facts: EligibilityFacts, year: int) -> CriterionResult:
    """Official members increased in each of the 2 years just before `year`: end of year-1 >
    end of year-2 > end of year-3 (the roster; else the members reported)."""
    code = "tang_thanh_vien_2_nam"
    counts = [_members_in(facts, y) for y in (year - 3, year - 2, year - 1)]
    if any(c is None for c in counts):
        shown = " / ".join("?" if c is None else str(c) for c in counts)
        return CriterionResult(code, UNKNOWN, shown)
    a, b, c = counts
    outcome = MET if a < b < c else NOT_MET  # type: ignore[operator]
    return CriterionResult(code, outcome, f"{a} → {b} → {c}")


def _share(report: YearFigures | None) -> Decimal | None:
    if report is None or not report.revenue or report.revenue_from_members is None:
        return None
    return report.revenue_from_members / report.revenue


def internal_share_increased(facts: EligibilityFacts, year: int) -> CriterionResult:
    """The share of internal transactions grew in the year before `year`. Proxy: revenue from
    members / revenue (indicators.yaml `doanh_thu_voi_thanh_vien`: "proxy for internal
    transactions"), year-1 against year-2."""
    code = "tang_ty_le_giao_dich_noi_bo"
    before, last = _share(facts.reports.get(year - 2)), _share(facts.reports.get(year - 1))
    if before is None or last is None:
        return CriterionResult(code, UNKNOWN)
    detail = f"{before:.1%} → {last:.1%}"
    return CriterionResult(code, MET if last > before else NOT_MET, detail)


def indivisible_fund_above_minimum(facts: EligibilityFacts, year: int) -> CriterionResult:
    """The indivisible common fund's share is above the minimum of Điều 84 Luật HTX 2023. That
    minimum was not retrieved (NOT_FOUND), so the test is always unknown."""
    return CriterionResult("quy_chung_khong_chia_cao", UNKNOWN)


def indivisible_assets_increased(facts: EligibilityFacts, year: int) -> CriterionResult:
    """The value of indivisible common assets grew in the year before `year`."""
    code = "tang_tai_san_chung_khong_chia"
    before, last = facts.reports.get(year - 2), facts.reports.get(year - 1)
    if (
        not before
        or not last
        or before.indivisible_assets is None
        or last.indivisible_assets is None
    ):
        return CriterionResult(code, UNKNOWN)
    outcome = MET if last.indivisible_assets > before.indivisible_assets else NOT_MET
    return CriterionResult(
        code, outcome, f"{before.indivisible_assets} → {last.indivisible_assets}"
    )


def trained_five_percent(facts: EligibilityFacts, year: int) -> CriterionResult:
    """At least 5% of the members or of the workers attended training, up to the year before."""
    code = "dao_tao_5_phan_tram"
    bases = [n for n in (facts.members, facts.workers) if n]
    if facts.trained is None or not bases:
        return CriterionResult(code, UNKNOWN)
    needed = min(bases) * TRAINED_SHARE
    outcome = MET if facts.trained >= needed else NOT_MET
    return CriterionResult(code, outcome, f"{facts.trained} / {min(bases)}")


def add_months(day: date, months: int) -> date:
    """`day` moved by whole months; the 31st becomes the month's last day when it has none."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def newly_founded_in_difficult_area(facts: EligibilityFacts, on: date) -> CriterionResult:
    """Founded no more than 36 months before `on` (founding day + 36 months is not before
    `on`), in a difficult area. Older HTX fail it; younger ones are unknown unless hoptac knows
    the area (it holds no list of such areas)."""
    code = "moi_thanh_lap_vung_kho_khan"
    if facts.founded_on is None:
        return CriterionResult(code, UNKNOWN)
    shown = facts.founded_on.isoformat()
    if add_months(facts.founded_on, NEW_COOPERATIVE_MONTHS) < on:
        return CriterionResult(code, NOT_MET, shown)
    if facts.difficult_area is None:
        return CriterionResult(code, UNKNOWN, shown)
    return CriterionResult(code, MET if facts.difficult_area else NOT_MET, shown)


Test = Callable[[EligibilityFacts, date], CriterionResult]

# Each criterion's code and its test, in the order the law lists them; their labels are
# support.messages.CRITERION_LABELS.
CRITERIA: dict[str, Test] = {
    "tang_thanh_vien_2_nam": lambda f, on: members_increased_two_years(f, on.year),
    "tang_ty_le_giao_dich_noi_bo": lambda f, on: internal_share_increased(f, on.year),
    "quy_chung_khong_chia_cao": lambda f, on: indivisible_fund_above_minimum(f, on.year),
    "tang_tai_san_chung_khong_chia": lambda f, on: indivisible_assets_increased(f, on.year),
    "dao_tao_5_phan_tram": lambda f, on: trained_five_percent(f, on.year),
    "moi_thanh_lap_vung_kho_khan": newly_founded_in_difficult_area,
}


def check_eligibility(
    criteria: Sequence[str],
    facts: EligibilityFacts,
    on: date,
    *,
    in_force_from: date | None = None,
) -> EligibilityResult:
    """Check `facts` against a policy's criteria (any one suffices) on the day `on`.

    No criteria, or a support given before the criteria came into force: "not_checked".
    One criterion met: "met". Otherwise "not_shown": nothing proves eligibility, the officer
    may record the support with a reason.
    """
    if not criteria:
        return EligibilityResult("not_checked")
    if in_force_from is not None and on < in_force_from:
        return EligibilityResult("not_checked", note=in_force_from.isoformat())
    results = tuple(
        CRITERIA[code](facts, on) if code in CRITERIA else CriterionResult(code, UNKNOWN)
        for code in criteria
    )
    status = "met" if any(r.outcome == MET for r in results) else "not_shown"
    return EligibilityResult(status, results)


def share(numerator: int, denominator: int) -> Decimal | None:
    """numerator / denominator as a percentage with one decimal; None when nothing to divide."""
    if denominator <= 0:
        return None
    return (Decimal(100) * numerator / denominator).quantize(Decimal("0.1"))


def dissolution_proposed(
    *, year: int, reported_years: set[int], active_years: set[int], exists: bool
) -> bool:
    """Propose an HTX for dissolution in `year`: it still exists, and in neither of the two
    years before `year` did it file an annual report, nor show any activity hoptac records
    (support received, a value-chain link, a trade event)."""
    window = {year - 1, year - 2}
    return exists and not (window & reported_years) and not (window & active_years)
