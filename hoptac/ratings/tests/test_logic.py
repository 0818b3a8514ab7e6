"""Pure helpers of the ratings app: months stopped, kinds, overrides, the no-rule reason."""

import re
from datetime import date
from decimal import Decimal

import pytest

from hoptac.ratings import logic

ACTIVE, SUSPENDED, DISSOLVING = (
    "dang_hoat_dong",
    "tam_ngung_kinh_doanh",
    "dang_lam_thu_tuc_giai_the",
)


@pytest.mark.parametrize(
    ("history", "year", "months"),
    [
        pytest.param([(date(2010, 1, 1), ACTIVE)], 2021, "0", id="always-active"),
        pytest.param([], 2021, "0", id="no-history"),
        pytest.param(
            [(date(2010, 1, 1), ACTIVE), (date(2020, 4, 1), SUSPENDED), (date(2021, 4, 1), ACTIVE)],
            2020,
            "9.02",  # 275 of 366 days (1 April to 31 December of a leap year), rounded up
            id="suspended-from-april",
        ),
        pytest.param(
            [(date(2010, 1, 1), ACTIVE), (date(2020, 4, 1), SUSPENDED), (date(2021, 4, 1), ACTIVE)],
            2021,
            "2.96",  # 1 January to 31 March 2021: 90 days, not more than 3 months
            id="suspended-until-april",
        ),
        pytest.param(
            [(date(2010, 1, 1), ACTIVE), (date(2021, 1, 1), SUSPENDED), (date(2021, 4, 3), ACTIVE)],
            2021,
            "3.03",  # 92 days: more than 3 months (91.25 days)
            id="just-over-three-months",
        ),
        pytest.param(
            [(date(2015, 1, 1), ACTIVE), (date(2019, 10, 1), DISSOLVING)],
            2019,
            "3.03",  # being dissolved counts as stopped: 92 days
            id="dissolving",
        ),
        pytest.param([(date(2019, 7, 1), ACTIVE)], 2019, "0", id="founded-in-the-year"),
        pytest.param([(date(2016, 1, 1), SUSPENDED)], 2019, "12", id="whole-year"),
    ],
)
def test_months_stopped(history, year, months):
    assert logic.months_stopped(history, year) == Decimal(months)


def test_same_day_changes_the_later_recorded_wins():
    history = [(date(2019, 1, 1), SUSPENDED), (date(2019, 1, 1), ACTIVE)]
    assert logic.months_stopped(history, 2019) == 0


@pytest.mark.parametrize(
    ("kind", "sub_sector", "engine_kind"),
    [
        ("hop_tac_xa", "trong_trot", "htx"),
        ("hop_tac_xa", "tin_dung_qtdnd", "qtdnd"),
        ("lien_hiep_hop_tac_xa", "", "lien_hiep"),
        ("to_hop_tac", "trong_trot", None),
    ],
)
def test_engine_kind(kind, sub_sector, engine_kind):
    assert logic.engine_kind(kind, sub_sector) == engine_kind


def test_rules_applying_by_year_and_sector():
    assert logic.rules_applying(2019, "nong_nghiep").id == "tt09-2017"
    assert logic.rules_applying(2019, "phi_nong_nghiep") is None
    assert logic.rules_applying(2020, "phi_nong_nghiep").id == "tt01-2020"


def test_no_rules_reason_names_the_next_circular():
    assert logic.no_rules_reason(2019, "phi_nong_nghiep") == (
        "Chưa có quy định đánh giá, phân loại hợp tác xã lĩnh vực phi nông nghiệp áp dụng cho năm"
        " 2019 (Thông tư 01/2020/TT-BKHĐT áp dụng từ năm đánh giá 2020)"
    )
    assert "(" not in logic.no_rules_reason(2030, "nong_nghiep")


def test_overrides_compare_with_data_then_self():
    d = Decimal
    found = logic.overrides(
        verified={"1.1": d(8), "1.2": d(6), "3": d(5), "4": d(7), "5": d(2)},
        self_scores={"3": d(5), "4": d(9), "1.1": d(8)},
        proposals={"1.1": d(4), "1.2": d(6)},
    )
    assert [(o.key, o.instead_of, o.origin) for o in found] == [
        ("1.1", d(4), "data"),  # the data decide 1.1, whatever the self-score
        ("4", d(9), "self"),
    ]  # 1.2 equals the data, 3 equals the self-score, 5 had nothing else


@pytest.mark.parametrize(
    ("text", "value"), [("5", "5"), ("2,5", "2.5"), (" 7 ", "7"), ("", None), (None, None)]
)
def test_to_decimal(text, value):
    assert logic.to_decimal(text) == (None if value is None else Decimal(value))


@pytest.mark.parametrize("bad", ["abc", "NaN", "inf", True])
def test_to_decimal_refuses(bad):
    with pytest.raises(ValueError, match=re.escape(str(bad))):
        logic.to_decimal(bad)


@pytest.mark.parametrize(("value", "text"), [("5.00", "5"), ("2.50", "2.5"), ("1E+1", "10")])
def test_as_text(value, text):
    assert logic.as_text(Decimal(value)) == text
