"""Progress toward a target and its status, from a projection of the yearly trend (no DB)."""

from datetime import date
from decimal import Decimal

import pytest

from hoptac.plans import rules

DUE = date(2020, 12, 31)
ON = date(2019, 4, 30)


def ends(values):
    return [(date(year, 12, 31), Decimal(v)) for year, v in values]


@pytest.mark.parametrize(
    ("current", "comparison", "target", "progress"),
    [
        ("167", ">=", "200", "83.5"),  # the Bắc Kạn seed: 167 of 200 HTX
        ("0", ">=", "1", "0.0"),
        ("45", ">", "40", "112.5"),
        ("8", "<=", "10", "100"),
        ("20", "<=", "10", "50.0"),
        ("0", "<=", "0", "100"),
        ("100", "=", "100", "100.0"),
    ],
)
def test_progress_percent(current, comparison, target, progress):
    assert rules.progress_percent(Decimal(current), comparison, Decimal(target)) == Decimal(
        progress
    )


def test_progress_is_unknown_toward_a_zero_target_not_met():
    assert rules.progress_percent(Decimal(3), ">", Decimal(0)) == Decimal(100)
    assert rules.progress_percent(Decimal(0), ">", Decimal(0)) is None


@pytest.mark.parametrize(
    ("value", "comparison", "target", "met"),
    [
        ("200", ">=", "200", True),
        ("40", ">", "40", False),
        ("40.01", ">", "40", True),
        ("10", "<=", "10", True),
        ("99.9", "=", "100", False),
    ],
)
def test_meets(value, comparison, target, met):
    assert rules.meets(Decimal(value), comparison, Decimal(target)) is met


def test_unknown_comparison_is_refused():
    with pytest.raises(ValueError, match="comparison"):
        rules.meets(Decimal(1), "~", Decimal(1))


def test_fit_line_and_projection():
    assert rules.fit_line([(2018.0, 10.0)]) is None
    slope, intercept = rules.fit_line([(2018.0, 10.0), (2019.0, 20.0), (2020.0, 30.0)])
    assert slope == pytest.approx(10.0)
    assert slope * 2021 + intercept == pytest.approx(40.0)
    history = ends([(2016, 100), (2017, 120), (2018, 140)])
    assert rules.project(history, date(2020, 12, 31)) == pytest.approx(
        Decimal(180), abs=Decimal("0.5")
    )


def test_already_met_is_achieved():
    result = rules.assess(
        current=Decimal(201), comparison=">=", target=Decimal(200), due_on=DUE, on=ON
    )
    assert result.outcome == rules.ACHIEVED
    assert result.progress == Decimal("100.5")


def test_no_value_is_no_data():
    result = rules.assess(current=None, comparison=">=", target=Decimal(200), due_on=DUE, on=ON)
    assert result.outcome == rules.NO_DATA


def test_past_due_and_not_met_is_missed():
    result = rules.assess(
        current=Decimal(190), comparison=">=", target=Decimal(200), due_on=DUE, on=date(2021, 1, 15)
    )
    assert result.outcome == rules.MISSED


def test_a_steep_enough_trend_is_on_track():
    history = ends([(2016, 95), (2017, 120), (2018, 145)])
    result = rules.assess(
        current=Decimal(167),
        comparison=">=",
        target=Decimal(200),
        due_on=DUE,
        on=ON,
        history=history,
    )
    assert result.outcome == rules.ON_TRACK
    assert result.projected >= Decimal(200)


def test_a_flat_trend_is_at_risk():
    history = ends([(2016, 150), (2017, 155), (2018, 160)])
    result = rules.assess(
        current=Decimal(167),
        comparison=">=",
        target=Decimal(200),
        due_on=DUE,
        on=ON,
        history=history,
    )
    assert result.outcome == rules.AT_RISK
    assert result.reason == "trend"
    assert result.projected < Decimal(200)


def test_without_history_there_is_no_trend_so_at_risk():
    result = rules.assess(
        current=Decimal(167), comparison=">=", target=Decimal(200), due_on=DUE, on=ON
    )
    assert (result.outcome, result.reason, result.projected) == (rules.AT_RISK, "no_trend", None)


def test_a_missed_milestone_is_at_risk_even_on_a_good_trend():
    history = ends([(2016, 95), (2017, 120), (2018, 145)])
    result = rules.assess(
        current=Decimal(167),
        comparison=">=",
        target=Decimal(200),
        due_on=DUE,
        on=ON,
        history=history,
        milestones={2018: Decimal(150), 2019: Decimal(175)},
    )
    assert (result.outcome, result.reason) == (rules.AT_RISK, "milestone")


def test_a_met_milestone_leaves_the_trend_to_decide():
    history = ends([(2016, 95), (2017, 120), (2018, 145)])
    result = rules.assess(
        current=Decimal(167),
        comparison=">=",
        target=Decimal(200),
        due_on=DUE,
        on=ON,
        history=history,
        milestones={2018: Decimal(140)},
    )
    assert result.outcome == rules.ON_TRACK


def test_an_at_most_target_falling_toward_it_is_on_track():
    history = ends([(2016, 30), (2017, 25), (2018, 20)])
    result = rules.assess(
        current=Decimal(18), comparison="<=", target=Decimal(10), due_on=DUE, on=ON, history=history
    )
    assert result.outcome == rules.ON_TRACK


def test_an_equal_target_is_reached_from_below():
    history = ends([(2016, 70), (2017, 80), (2018, 90)])
    result = rules.assess(
        current=Decimal(93), comparison="=", target=Decimal(100), due_on=DUE, on=ON, history=history
    )
    assert result.outcome == rules.ON_TRACK


def test_history_after_the_date_is_ignored():
    history = ends([(2016, 150), (2017, 155), (2019, 400)])
    result = rules.assess(
        current=Decimal(160),
        comparison=">=",
        target=Decimal(200),
        due_on=DUE,
        on=ON,
        history=history,
    )
    assert result.outcome == rules.AT_RISK


def test_year_fraction():
    assert rules.year_fraction(date(2019, 1, 1)) == 2019.0
    assert 2019.49 < rules.year_fraction(date(2019, 7, 1)) < 2019.5
