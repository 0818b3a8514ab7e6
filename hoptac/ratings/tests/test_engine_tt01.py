"""The engine on Thông tư 01/2020/TT-BKHĐT (rules/data/tt01-2020.yaml); no database.

Expected values are computed by hand from classification_tt01_2020.yaml; the arithmetic is in
the comments (full sheet: hoptac/ratings/tests/helpers.py).
"""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from hoptac.ratings.rules import NOT_RATED, Score, load_rules, rate

from .helpers import TT01_FULL, TT01_ZERO, case, decimals

TT01 = load_rules("tt01-2020")

# Group III at 20: 5 + 5 + 4 + 3 + 2 + 1.
III_20 = {"10": 5, "11": 5, "12": 4, "13": 3, "14": 2, "15": 1}
III_0 = dict.fromkeys(("10", "11", "12", "13", "14", "15"), 0)
# Group II at 20: criterion 5 (8) + 6 (6) + 7a/7b/7c (2 + 2 + 2), criteria 8 and 9 at 0.
II_20 = {"5": 8, "6": 6, "7a": 2, "7b": 2, "7c": 2, "8": 0, "9": 0}


@pytest.mark.parametrize(
    ("changes", "total", "rank"),
    [
        pytest.param({}, "100", "tot", id="Điều 8 khoản 2: 30+30+40 = 100 → tốt"),
        pytest.param(III_20, "80", "tot", id="Điều 8 khoản 2: 30+30+20 = 80 → tốt"),
        pytest.param(
            {**III_20, "15": "0.99"}, "79.99", "kha", id="Điều 8 khoản 2: 30+30+19.99 = 79.99 → khá"
        ),
        pytest.param(
            {**III_0, "10": 5}, "65", "kha", id="Điều 8 khoản 2: 30+30+5 = 65 → khá"
        ),
        pytest.param(
            {**III_0, "10": "4.99"}, "64.99", "trung_binh",
            id="Điều 8 khoản 2: 30+30+4.99 = 64.99 → trung bình",
        ),
        pytest.param(
            {**II_20, **III_0}, "50", "trung_binh", id="Điều 8 khoản 2: 30+20+0 = 50 → trung bình"
        ),
        pytest.param(
            {**II_20, **III_0, "7c": "1.99"}, "49.99", "yeu",
            id="Điều 8 khoản 2: 30+19.99+0 = 49.99 → yếu",
        ),
        pytest.param(TT01_ZERO, "0", "yeu", id="Điều 8 khoản 2: 0 → yếu"),
    ],
)  # fmt: skip
def test_rank_boundaries(changes, total, rank):
    result = rate(TT01, case({**TT01_FULL, **changes}))
    assert result.errors == ()
    assert result.total == Decimal(total)
    assert result.rank == rank


def test_group_sums_and_points_per_criterion():
    # HTX-001 of docs/examples: 1a verified 4, 1b 1 (capital grew), 2a 3, 2b 0 (did not grow),
    # 3: 3+2+2 = 7, 4: 1+1+1 = 3 → group I 5+3+7+3 = 18; II 8+6+(1+2+1)+4+2 = 24;
    # III 6+6+6+4+4+2 = 28; total 18+24+28 = 70 → khá.
    sheet = {
        "1a": Score(Decimal(5), Decimal(4)), "2a": 3, "3a": 3, "3b": 2, "3c": 2,
        "4a": 1, "4b": 1, "4c": 1, "5": 8, "6": 6, "7a": 1, "7b": 2, "7c": 1, "8": 4, "9": 2,
        "10": 6, "11": 6, "12": 6, "13": 4, "14": 4, "15": 2,
    }  # fmt: skip
    result = rate(
        TT01,
        case(
            sheet,
            report=decimals({"tong_nguon_von": 2_350_000_000, "tai_san_chung_khong_chia": 4e8}),
            previous_report=decimals(
                {"tong_nguon_von": 2_100_000_000, "tai_san_chung_khong_chia": 4e8}
            ),
        ),
    )
    assert result.errors == ()
    assert [(g.id, g.points) for g in result.groups] == [("I", 18), ("II", 24), ("III", 28)]
    assert result.points["1"] == 5
    assert result.points["2"] == 3
    assert result.points["7"] == 4
    assert (result.total, result.rank, result.reason_code) == (70, "kha", None)
    assert "Điều 8 khoản 2" in result.reason_vi


# ---- exclusions (Điều 8 khoản 3) --------------------------------------------------------


@pytest.mark.parametrize(
    ("founded", "rated"),
    [
        # Rating date: 15/12/2021 (Điều 9, the self-score sheet is due by 15 December).
        pytest.param(date(2021, 1, 15), False, id="Điều 8 khoản 3: 11 tháng trước 15/12 → chưa"),
        pytest.param(date(2020, 12, 15), True, id="Điều 8 khoản 3: 12 tháng trước 15/12 → xếp"),
        # 16/12/2020 .. 15/12/2021, both days included, is exactly 12 months.
        pytest.param(date(2020, 12, 16), True, id="Điều 8 khoản 3: 16/12/2020–15/12/2021 đủ 12"),
        pytest.param(date(2020, 12, 17), False, id="Điều 8 khoản 3: thiếu 1 ngày → chưa"),
        pytest.param(date(2022, 1, 1), False, id="Điều 8 khoản 3: thành lập sau ngày đánh giá"),
    ],
)
def test_newly_founded_is_not_rated(founded, rated):
    result = rate(TT01, case(TT01_FULL, founded=founded))
    if rated:
        assert result.rank == "tot"
    else:
        assert (result.rank, result.reason_code) == (NOT_RATED, "moi_thanh_lap")
        assert "chưa đủ 12 tháng" in result.reason_vi
        assert result.total is None


def test_case_may_give_its_own_rating_date():
    # Founded 10/01/2021; rated on 10/01/2022 instead of 15/12/2021: 12 months → rated.
    assert rate(TT01, case(TT01_FULL, founded=date(2021, 1, 10))).rank == NOT_RATED
    late = case(TT01_FULL, founded=date(2021, 1, 10), rated_on=date(2022, 1, 10))
    assert rate(TT01, late).rank == "tot"


@pytest.mark.parametrize(
    ("months", "rank"),
    [
        pytest.param(3, "tot", id="Điều 8 khoản 3: ngừng 3 tháng → vẫn xếp loại"),
        pytest.param("3.5", NOT_RATED, id="Điều 8 khoản 3: ngừng 3,5 tháng → chưa"),
        pytest.param(4, NOT_RATED, id="Điều 8 khoản 3: ngừng 4 tháng → chưa đánh giá"),
    ],
)
def test_stopped_more_than_three_months_is_not_rated(months, rank):
    result = rate(TT01, case(TT01_FULL, months_stopped=Decimal(str(months))))
    assert result.rank == rank
    if rank == NOT_RATED:
        assert result.reason_code == "ngung_hoat_dong"
        assert "trên 3 tháng" in result.reason_vi


def test_credit_fund_is_rated_by_the_state_bank():
    # Điều 8 khoản 3: QTDND are assessed under State Bank rules, even with a full sheet.
    result = rate(TT01, case(TT01_FULL, kind="qtdnd"))
    assert (result.rank, result.reason_code) == (NOT_RATED, "qtdnd_nhnn")
    assert "Ngân hàng Nhà nước" in result.reason_vi


def test_union_is_rated_and_an_excluded_case_needs_no_scores():
    assert rate(TT01, case(TT01_FULL, kind="lien_hiep")).rank == "tot"
    # Not rated: the missing scores are no error.
    assert rate(TT01, case({}, founded=date(2021, 6, 1))).errors == ()


def test_sanction_does_not_change_the_rank_under_tt01():
    # Domain README fact 1: TT01 has no override; law compliance only counts via criterion 5.
    result = rate(TT01, case(TT01_FULL, sanctioned=True))
    assert (result.rank, result.total) == ("tot", 100)


# ---- bounds and errors -------------------------------------------------------------------


def test_score_above_sub_item_max_is_an_error_naming_the_key():
    # 1a's maximum is 6 (Phụ lục 1; domain sub_items[1a].max_points).
    assert rate(TT01, case({**TT01_FULL, "1a": 6})).errors == ()
    result = rate(TT01, case({**TT01_FULL, "1a": "6.01"}))
    assert result.rank is None
    assert result.errors == (
        "Điểm '1a' (Tổng nguồn vốn bình quân (trung bình) của HTX; tự chấm) là 6,01,"
        " vượt mức tối đa 6 điểm",
    )


def test_verified_score_above_max_is_an_error_too():
    result = rate(TT01, case({**TT01_FULL, "5": Score(Decimal(8), Decimal(9))}))
    assert len(result.errors) == 1
    assert "'5'" in result.errors[0]
    assert "thẩm định" in result.errors[0]


def test_negative_score_is_an_error():
    result = rate(TT01, case({**TT01_FULL, "9": -1}))
    assert result.errors == (
        "Điểm '9' (Mức độ áp dụng tiến bộ khoa học kỹ thuật, xây dựng thương hiệu, chuỗi giá trị;"
        " tự chấm) là -1: điểm không được âm",
    )


def test_group_three_criterion_is_bounded_by_the_group_max():
    # Criteria 10–15: own maxima NOT_FOUND, so each is bounded by group III's 40.
    alone = {**TT01_FULL, **III_0, "10": 40}  # 30 + 30 + 40 = 100
    assert rate(TT01, case(alone)).total == 100
    result = rate(TT01, case({**alone, "10": "40.5"}))
    assert len(result.errors) == 1
    assert "'10'" in result.errors[0]
    assert "40 điểm của nhóm III" in result.errors[0]


def test_group_sum_above_its_max_is_an_error():
    # 20 + 20.5 = 40.5 > 40 (sum_over_max: error in tt01-2020.yaml).
    result = rate(TT01, case({**TT01_FULL, **III_0, "10": 20, "11": "20.5"}))
    assert result.errors == (
        "Tổng điểm nhóm III (tiêu chí 10, 11, 12, 13, 14, 15) là 40,5, vượt mức tối đa 40 điểm",
    )


def test_group_sum_is_capped_when_the_rule_file_says_cap():
    capped = replace(TT01, sum_over_max="cap")
    # 25 + 20 = 45 in group III, capped to 40: 30 + 30 + 40 = 100.
    result = rate(capped, case({**TT01_FULL, **III_0, "10": 25, "11": 20}))
    assert result.errors == ()
    assert [g.points for g in result.groups] == [30, 30, 40]
    assert result.total == 100


def test_missing_scores_are_errors_naming_the_keys():
    sheet = {key: value for key, value in TT01_FULL.items() if key not in ("1b", "15")}
    result = rate(TT01, case(sheet))
    assert result.rank is None
    assert result.errors == (
        "Thiếu điểm '1b' (Tổng nguồn vốn tăng so với năm trước); hoặc cung cấp số liệu báo cáo"
        " để tính: tong_nguon_von",
        "Thiếu điểm '15' (Hợp tác xã được khen thưởng trong năm)",
    )


def test_unknown_key_and_parent_key_are_errors():
    result = rate(TT01, case({**TT01_FULL, "16": 1, "1": 7}))
    assert result.errors == (
        "Điểm '16': không có tiêu chí mã '16' trong Thông tư 01/2020/TT-BKHĐT",
        "Điểm '1': tiêu chí 1 được chấm qua các tiêu chí thành phần 1a, 1b, hãy cho điểm từng"
        " tiêu chí thành phần",
    )


@pytest.mark.parametrize(
    ("year", "ok"),
    [
        pytest.param(2019, False, id="trước hiệu lực 01/04/2020"),
        pytest.param(2020, True, id="năm đánh giá đầu tiên"),
        pytest.param(2024, True, id="năm đánh giá cuối cùng"),
        pytest.param(2025, False, id="bãi bỏ từ 18/09/2025 (TT 78/2025/TT-BTC)"),
    ],
)
def test_year_outside_the_evaluation_years_is_an_error(year, ok):
    result = rate(TT01, case(TT01_FULL, year=year))
    assert (result.errors == ()) is ok
    if not ok:
        assert result.errors == (
            f"Năm đánh giá (year) {year} nằm ngoài các năm áp dụng Thông tư 01/2020/TT-BKHĐT"
            " (2020–2024)",
        )


def test_bad_kind_and_months_are_errors():
    result = rate(TT01, case(TT01_FULL, kind="tht", months_stopped=Decimal(13)))
    assert len(result.errors) == 2
    assert "kind" in result.errors[0]
    assert "months_stopped" in result.errors[1]


# ---- scores the data decides (1b, 2b) ---------------------------------------------------

WITHOUT_1B = {key: value for key, value in TT01_FULL.items() if key != "1b"}


@pytest.mark.parametrize(
    ("now", "before", "points"),
    [
        pytest.param(1_200_000_000, 1_000_000_000, 1, id="Phụ lục 1 tiêu chí 1b: vốn tăng → 1"),
        pytest.param(1_000_000_000, 1_000_000_000, 0, id="Phụ lục 1 tiêu chí 1b: không đổi → 0"),
        pytest.param(900_000_000, 1_000_000_000, 0, id="Phụ lục 1 tiêu chí 1b: giảm → 0"),
    ],
)
def test_capital_growth_decides_1b(now, before, points):
    result = rate(
        TT01,
        case(
            WITHOUT_1B,
            report=decimals({"tong_nguon_von": now}),
            previous_report=decimals({"tong_nguon_von": before}),
        ),
    )
    assert result.errors == ()
    item = result.criteria[0].items[1]
    assert (item.id, item.points, item.origin) == ("1b", points, "data")
    # 1a 6 + 1b; everything else full: total = 99 + 1b.
    assert result.total == 99 + points


def test_data_replaces_the_self_score_and_says_so():
    result = rate(
        TT01,
        case(
            {**TT01_FULL, "1b": 0},
            report=decimals({"tong_nguon_von": 1_200_000_000}),
            previous_report=decimals({"tong_nguon_von": 1_000_000_000}),
        ),
    )
    item = result.criteria[0].items[1]
    assert (item.points, item.origin) == (1, "data")
    assert item.reason_vi == (
        "1b: 1 điểm theo số liệu (Tổng nguồn vốn (vốn chủ sở hữu + nợ phải trả) 1.200.000.000"
        " năm nay so với 1.000.000.000 năm trước: tổng nguồn vốn tăng so với năm trước)"
        " (tự chấm 0)"
    )


def test_verified_score_wins_over_data_and_self():
    result = rate(
        TT01,
        case(
            {**TT01_FULL, "1b": Score(Decimal(1), Decimal(0))},
            report=decimals({"tong_nguon_von": 1_200_000_000}),
            previous_report=decimals({"tong_nguon_von": 1_000_000_000}),
        ),
    )
    item = result.criteria[0].items[1]
    assert (item.points, item.origin) == (0, "verified")
    assert item.reason_vi == "1b: 0 điểm thẩm định (tự chấm 1, số liệu đề xuất 1)"
    assert result.total == 99


def test_without_last_year_the_data_cannot_decide():
    # No previous report: the growth is not computable, so 1b needs a score.
    result = rate(TT01, case(WITHOUT_1B, report=decimals({"tong_nguon_von": 1_200_000_000})))
    assert result.errors[0].startswith("Thiếu điểm '1b'")
    with_self = rate(TT01, case(TT01_FULL, report=decimals({"tong_nguon_von": 1})))
    assert with_self.criteria[0].items[1].origin == "self"


def test_undivided_assets_growth_decides_2b():
    sheet = {key: value for key, value in TT01_FULL.items() if key != "2b"}
    result = rate(
        TT01,
        case(
            sheet,
            report=decimals({"tai_san_chung_khong_chia": 500_000_000}),
            previous_report=decimals({"tai_san_chung_khong_chia": 400_000_000}),
        ),
    )
    assert result.points["2"] == 6  # 2a 5 + 2b 1
    assert result.total == 100
