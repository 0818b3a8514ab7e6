"""The pure rules: eligibility criteria (Điều 6 Nghị định 113/2024/NĐ-CP), shares and the
dissolution proposal. No database."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from hoptac.support import messages, rules
from hoptac.support.rules import MET, NOT_MET, UNKNOWN, EligibilityFacts, YearFigures

ON = date(2025, 3, 1)


@pytest.mark.parametrize(
    ("counts", "outcome"),
    [
        ({2022: 10, 2023: 12, 2024: 15}, MET),
        ({2022: 10, 2023: 12, 2024: 12}, NOT_MET),
        ({2022: 10, 2023: 9, 2024: 15}, NOT_MET),
        ({2023: 12, 2024: 15}, UNKNOWN),
    ],
    ids=["nd113-d6-increase-both-years", "flat-last-year", "fell-first-year", "no-roster-2022"],
)
def test_members_must_grow_in_each_of_the_two_years_before(counts, outcome):
    facts = EligibilityFacts(official_members=counts)
    assert rules.members_increased_two_years(facts, ON.year).outcome == outcome


def test_member_counts_fall_back_to_the_reports():
    facts = EligibilityFacts(
        reports={y: YearFigures(members=n) for y, n in ((2022, 7), (2023, 8), (2024, 9))}
    )
    assert rules.members_increased_two_years(facts, 2025).outcome == MET


def test_internal_share_uses_revenue_from_members_as_proxy():
    facts = EligibilityFacts(
        reports={
            2023: YearFigures(revenue=Decimal(1000), revenue_from_members=Decimal(300)),
            2024: YearFigures(revenue=Decimal(1000), revenue_from_members=Decimal(400)),
        }
    )
    result = rules.internal_share_increased(facts, 2025)
    assert (result.outcome, result.detail) == (MET, "30.0% → 40.0%")


def test_indivisible_fund_minimum_is_not_found_so_unknown():
    assert rules.indivisible_fund_above_minimum(EligibilityFacts(), 2025).outcome == UNKNOWN


@pytest.mark.parametrize(
    ("trained", "members", "workers", "outcome"),
    [(2, 40, None, MET), (1, 40, 30, NOT_MET), (2, 40, 30, MET), (None, 40, 30, UNKNOWN)],
    ids=["5pct-of-40", "below-5pct", "5pct-of-smaller-base", "unknown-training"],
)
def test_five_percent_trained(trained, members, workers, outcome):
    facts = EligibilityFacts(trained=trained, members=members, workers=workers)
    assert rules.trained_five_percent(facts, 2025).outcome == outcome


@pytest.mark.parametrize(
    ("founded", "difficult", "outcome"),
    [
        (date(2022, 3, 1), None, UNKNOWN),
        (date(2022, 3, 1), True, MET),
        (date(2022, 2, 28), True, NOT_MET),
        (date(2022, 3, 2), False, NOT_MET),
    ],
    ids=["36-months-area-unknown", "36-months-difficult", "37-months", "not-difficult"],
)
def test_newly_founded_in_difficult_area(founded, difficult, outcome):
    facts = EligibilityFacts(founded_on=founded, difficult_area=difficult)
    assert rules.newly_founded_in_difficult_area(facts, ON).outcome == outcome


def test_one_criterion_met_is_enough():
    facts = EligibilityFacts(official_members={2022: 5, 2023: 6, 2024: 7}, trained=0, members=40)
    result = rules.check_eligibility(["dao_tao_5_phan_tram", "tang_thanh_vien_2_nam"], facts, ON)
    assert result.status == "met"
    assert not result.needs_reason


def test_nothing_met_is_not_shown_and_needs_a_reason():
    result = rules.check_eligibility(
        ["dao_tao_5_phan_tram"], EligibilityFacts(trained=0, members=40), ON
    )
    assert result.status == "not_shown"
    assert result.needs_reason
    assert result.as_json()["criteria"] == [
        {"code": "dao_tao_5_phan_tram", "outcome": NOT_MET, "detail": "0 / 40"}
    ]


def test_no_criteria_or_before_they_came_into_force_is_not_checked():
    assert rules.check_eligibility([], EligibilityFacts(), ON).status == "not_checked"
    before = rules.check_eligibility(
        ["dao_tao_5_phan_tram"],
        EligibilityFacts(),
        date(2019, 1, 1),
        in_force_from=date(2024, 11, 1),
    )
    assert before.status == "not_checked"


def test_unknown_criterion_code_is_unknown_not_an_error():
    result = rules.check_eligibility(["made_up"], EligibilityFacts(), ON)
    assert result.criteria[0].outcome == UNKNOWN


@pytest.mark.parametrize(
    ("numerator", "denominator", "expected"),
    [(60, 167, Decimal("35.9")), (0, 5, Decimal("0.0")), (1, 0, None)],
)
def test_share_is_a_percentage_with_one_decimal(numerator, denominator, expected):
    assert rules.share(numerator, denominator) == expected


@pytest.mark.parametrize(
    ("reported", "active", "exists", "proposed"),
    [
        (set(), set(), True, True),
        ({2023}, set(), True, False),
        (set(), {2024}, True, False),
        ({2021}, {2020}, True, True),
        (set(), set(), False, False),
    ],
    ids=["silent-two-years", "reported-2023", "active-2024", "only-older-records", "dissolved"],
)
def test_dissolution_proposed_after_two_silent_years(reported, active, exists, proposed):
    assert (
        rules.dissolution_proposed(
            year=2025, reported_years=reported, active_years=active, exists=exists
        )
        is proposed
    )


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2022, 3, 1), 36, date(2025, 3, 1)),
        (date(2022, 1, 31), 1, date(2022, 2, 28)),
        (date(2023, 12, 15), 1, date(2024, 1, 15)),
    ],
)
def test_add_months_keeps_the_day_or_the_months_last(day, months, expected):
    assert rules.add_months(day, months) == expected


def test_every_criterion_has_its_label_in_vietnamese():
    assert list(messages.CRITERION_LABELS) == list(rules.CRITERIA)
    with translation.override("vi"):
        assert messages.criterion_label("dao_tao_5_phan_tram") == (
            "Ít nhất 5% thành viên hoặc người lao động được đào tạo, bồi dưỡng"
        )
        assert messages.criterion_label("no_such_code") == "no_such_code"
    for code in rules.CRITERIA:
        with translation.override("en"):
            english = messages.criterion_label(code)
        with translation.override("vi"):
            assert messages.criterion_label(code) != english
