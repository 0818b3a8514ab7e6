"""The engine on Thông tư 09/2017/TT-BNNPTNT (rules/data/tt09-2017.yaml); no database.

Expected values are computed by hand from classification_tt09_2017_agri.yaml; the arithmetic is
in the comments. TT09's article numbers were not retrieved, so ids cite the domain keys.
"""

from datetime import date
from decimal import Decimal

import pytest

from hoptac.ratings.rules import NOT_IN_SCOPE, NOT_RATED, Score, load_rules, rate

from .helpers import TT09_FULL, case, decimals

TT09 = load_rules("tt09-2017")


def tt09_case(sheet=None, **fields):
    return case(sheet, year=fields.pop("year", 2019), **fields)


# Criteria 2–6 at 42: 2.1 8 + 2.x 12 + 3: 4 + 4: 10 + 5: 8 + 6: 0.
AT_80 = {"3": 4, "6": 0}


@pytest.mark.parametrize(
    ("changes", "total", "rank"),
    [
        pytest.param({}, "100", "tot", id="ranking.ranks tot: 38+62 = 100"),
        pytest.param(AT_80, "80", "tot", id="ranking.ranks tot: 38+42 = 80"),
        pytest.param(
            {**AT_80, "3": "3.99"}, "79.99", "kha", id="ranking.ranks kha: 38+41.99 = 79.99"
        ),
        # Criteria 2–6: 2.1 8 + 2.x 12 + 3: 0 + 4: 7 + 5: 0 + 6: 0 = 27; 38 + 27 = 65.
        pytest.param(
            {"3": 0, "4": 7, "5": 0, "6": 0}, "65", "kha", id="ranking.ranks kha: 38+27 = 65"
        ),
        pytest.param(
            {"3": 0, "4": "6.99", "5": 0, "6": 0}, "64.99", "trung_binh",
            id="ranking.ranks trung_binh: 38+26.99 = 64.99",
        ),
        # 2.1 0 + 2.x 12 + 0 + 0 + 0 + 0 = 12; 38 + 12 = 50.
        pytest.param(
            {"2.1": 0, "3": 0, "4": 0, "5": 0, "6": 0}, "50", "trung_binh",
            id="ranking.ranks trung_binh: 38+12 = 50",
        ),
        pytest.param(
            {"2.1": 0, "2.x": "11.99", "3": 0, "4": 0, "5": 0, "6": 0}, "49.99", "yeu",
            id="ranking.ranks yeu: 38+11.99 = 49.99",
        ),
    ],
)  # fmt: skip
def test_rank_boundaries(changes, total, rank):
    result = rate(TT09, tt09_case({**TT09_FULL, **changes}))
    assert result.errors == ()
    assert result.total == Decimal(total)
    assert result.rank == rank


def test_sanction_forces_yeu_whatever_the_score():
    # ranking.override_rule: an administrative sanction in the year → yếu; total stays 100.
    result = rate(TT09, tt09_case(TT09_FULL, sanctioned=True))
    assert (result.rank, result.total, result.reason_code) == ("yeu", 100, "xu_phat_hanh_chinh")
    assert result.reason_vi.startswith("Bị cơ quan có thẩm quyền xử phạt vi phạm hành chính")
    assert "tổng 100 điểm" in result.reason_vi


@pytest.mark.parametrize(
    ("founded", "rated"),
    [
        # Rating date 31/12/2019 (the year's end: "fewer than 12 months … in the year").
        pytest.param(date(2019, 1, 31), False, id="ranking.not_evaluated: 11 tháng → chưa"),
        pytest.param(date(2018, 12, 31), True, id="ranking.not_evaluated: 12 tháng → xếp"),
        pytest.param(date(2019, 1, 1), True, id="ranking.not_evaluated: cả năm 2019 → xếp"),
        pytest.param(date(2019, 1, 2), False, id="ranking.not_evaluated: từ 2/1/2019 → chưa"),
    ],
)
def test_newly_founded_is_not_rated(founded, rated):
    result = rate(TT09, tt09_case(TT09_FULL, founded=founded))
    assert (result.rank == "tot") is rated
    if not rated:
        assert (result.rank, result.reason_code) == (NOT_RATED, "moi_thanh_lap")


def test_newly_founded_and_sanctioned_is_not_rated():
    result = rate(TT09, tt09_case(TT09_FULL, founded=date(2019, 6, 1), sanctioned=True))
    assert result.rank == NOT_RATED


def test_tt09_has_no_stopped_months_exclusion():
    # The domain file lists only the newly-founded exclusion for TT09 (ranking.not_evaluated).
    assert rate(TT09, tt09_case(TT09_FULL, months_stopped=Decimal(4))).rank == "tot"


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        pytest.param({"kind": "lien_hiep"}, "liên hiệp hợp tác xã", id="scope.applies_to: HTX"),
        pytest.param({"kind": "qtdnd"}, "quỹ tín dụng nhân dân", id="scope.applies_to: QTDND"),
        pytest.param({"sector": "phi_nong_nghiep"}, "phi nông nghiệp", id="scope: nông nghiệp"),
    ],
)
def test_outside_the_scope_is_not_rated(fields, reason):
    result = rate(TT09, tt09_case(TT09_FULL, **fields))
    assert (result.rank, result.reason_code) == (NOT_RATED, NOT_IN_SCOPE)
    assert reason in result.reason_vi


def test_criterion_two_to_six_bounded_by_the_remaining_62():
    # 2.x, 3, 4, 5, 6: own maxima NOT_FOUND, bounded by 100 - 38 = 62.
    result = rate(TT09, tt09_case({**TT09_FULL, "2.x": "62.5"}))
    assert result.errors == (
        "Điểm '2.x' (Các tiêu chí thành phần còn lại của tiêu chí 2; tự chấm) là 62,5, vượt mức"
        " tối đa 62 điểm của các tiêu chí 2 đến 6 (chưa tìm thấy mức tối đa riêng của tiêu chí"
        " 2.x)",
    )
    # 8 + 12 + 13 + 10 + 8 + 12 = 63 > 62.
    over = rate(TT09, tt09_case({**TT09_FULL, "3": 13}))
    assert over.errors == (
        "Tổng điểm các tiêu chí 2 đến 6 (tiêu chí 2, 3, 4, 5, 6) là 63, vượt mức tối đa 62 điểm",
    )


def test_sub_item_2_1_max_is_8():
    result = rate(TT09, tt09_case({**TT09_FULL, "2.1": 9}))
    assert len(result.errors) == 1
    assert "'2.1'" in result.errors[0]
    assert "mức tối đa 8 điểm" in result.errors[0]


# ---- criterion 1 decided by the report (evaluation.criteria[1].sub_items[*].bands) --------

REST = {key: value for key, value in TT09_FULL.items() if not key.startswith("1.")}


def _item(report, key):
    result = rate(TT09, tt09_case(REST, report=decimals(report)))
    items = {item.id: item for item in result.criteria[0].items}
    return result, items.get(key)


BASE = {
    "doanh_thu": 1_000_000_000, "doanh_thu_ke_hoach": 1_000_000_000,
    "loi_nhuan_sau_thue": 100_000_000, "so_thanh_vien": 50,
    "trich_quy_dau_tu_phat_trien": 20_000_000, "trich_quy_du_phong_tai_chinh": 5_000_000,
}  # fmt: skip


@pytest.mark.parametrize(
    ("revenue", "plan", "points"),
    [
        pytest.param(999, 1000, 0, id="1.1 bands: 99,9% kế hoạch → 0"),
        pytest.param(1000, 1000, 4, id="1.1 bands: đúng 100% → 4"),
        pytest.param(11999, 10000, 4, id="1.1 bands: 119,99% → 4"),
        pytest.param(1200, 1000, 8, id="1.1 bands: 120% → 8"),
    ],
)
def test_revenue_against_plan_1_1(revenue, plan, points):
    _, item = _item({**BASE, "doanh_thu": revenue, "doanh_thu_ke_hoach": plan}, "1.1")
    assert (item.points, item.origin) == (points, "data")


@pytest.mark.parametrize(
    ("revenue", "points"),
    [
        pytest.param(999_999_999, 4, id="1.2 bands: dưới 1 tỷ → 4"),
        pytest.param(1_000_000_000, 6, id="1.2 bands: 1 tỷ → 6"),
        pytest.param(4_999_999_999, 6, id="1.2 bands: dưới 5 tỷ → 6"),
        pytest.param(5_000_000_000, 8, id="1.2 bands: 5 tỷ → 8"),
        pytest.param(9_999_999_999, 8, id="1.2 bands: dưới 10 tỷ → 8"),
        pytest.param(10_000_000_000, 10, id="1.2 bands: 10 tỷ → 10"),
    ],
)
def test_total_revenue_1_2(revenue, points):
    _, item = _item({**BASE, "doanh_thu": revenue}, "1.2")
    assert item.points == points


@pytest.mark.parametrize(
    ("profit", "members", "points"),
    [
        pytest.param(0, 50, 0, id="1.3 bands: không có lợi nhuận sau thuế → 0"),
        pytest.param(-5_000_000, 50, 0, id="1.3 bands: lỗ → 0"),
        pytest.param(49_999_950, 50, 2, id="1.3 bands: 999.999/thành viên → 2"),
        pytest.param(50_000_000, 50, 4, id="1.3 bands: 1 triệu/thành viên → 4"),
        pytest.param(250_000_000, 50, 7, id="1.3 bands: 5 triệu/thành viên → 7"),
        pytest.param(500_000_000, 50, 10, id="1.3 bands: 10 triệu/thành viên → 10"),
    ],
)
def test_income_per_member_1_3(profit, members, points):
    _, item = _item({**BASE, "loi_nhuan_sau_thue": profit, "so_thanh_vien": members}, "1.3")
    assert item.points == points


@pytest.mark.parametrize(
    ("key", "fund", "points"),
    [
        # Profit 100.000.000: 20% is 20.000.000, 5% is 5.000.000.
        pytest.param("1.4", 19_990_000, 0, id="1.4 bands: 19,99% → 0"),
        pytest.param("1.4", 20_000_000, 5, id="1.4 bands: 20% → 5"),
        pytest.param("1.4", 0, 0, id="1.4 bands: không trích → 0"),
        pytest.param("1.5", 4_990_000, 0, id="1.5 bands: 4,99% → 0"),
        pytest.param("1.5", 5_000_000, 5, id="1.5 bands: 5% → 5"),
    ],
)
def test_fund_allocations_1_4_and_1_5(key, fund, points):
    indicator = {"1.4": "trich_quy_dau_tu_phat_trien", "1.5": "trich_quy_du_phong_tai_chinh"}
    _, item = _item({**BASE, indicator[key]: fund}, key)
    assert item.points == points


def test_whole_criterion_one_from_the_report():
    # NN-01 of docs/examples: 1.1 1.350/1.200 = 1,125 → 4; 1.2 1,35 tỷ → 6;
    # 1.3 180.000.000 / 45 = 4.000.000 → 4; 1.4 40/180 = 22% → 5; 1.5 9/180 = 5% → 5.
    # Criterion 1 = 4+6+4+5+5 = 24; criteria 2–6: (4+10) + 8 + 6 + 2 + 6 = 36; total 60.
    report = {
        "doanh_thu": 1_350_000_000, "doanh_thu_ke_hoach": 1_200_000_000,
        "loi_nhuan_sau_thue": 180_000_000, "so_thanh_vien": 45,
        "trich_quy_dau_tu_phat_trien": 40_000_000, "trich_quy_du_phong_tai_chinh": 9_000_000,
    }  # fmt: skip
    sheet = {"2.1": 4, "2.x": 10, "3": 8, "4": 6, "5": 2, "6": 6}
    result = rate(TT09, tt09_case(sheet, report=decimals(report)))
    assert result.errors == ()
    assert [item.points for item in result.criteria[0].items] == [4, 6, 4, 5, 5]
    assert result.points == {"1": 24, "2": 14, "3": 8, "4": 6, "5": 2, "6": 6}
    assert (result.total, result.rank) == (60, "trung_binh")


def test_uncomputable_ratio_needs_a_score():
    # Profit 0 with a fund allocation > 0: the ratio has no denominator, no band holds.
    result, item = _item({**BASE, "loi_nhuan_sau_thue": 0}, "1.4")
    assert item is None
    assert any(error.startswith("Thiếu điểm '1.4'") for error in result.errors)
    with_score = rate(
        TT09,
        tt09_case(
            # 1.5 has the same denominator, so it needs a score too.
            {**REST, "1.4": Score(verified=Decimal(5)), "1.5": Score(verified=Decimal(0))},
            report=decimals({**BASE, "loi_nhuan_sau_thue": 0}),
        ),
    )
    assert with_score.errors == ()
    assert with_score.criteria[0].items[3].origin == "verified"
