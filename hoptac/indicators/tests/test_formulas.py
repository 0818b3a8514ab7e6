"""The pure indicator functions: definitions, aggregation, Vietnamese wording (no database)."""

from datetime import date
from decimal import Decimal

import pytest

from hoptac.indicators.formulas import aggregate, wording
from hoptac.indicators.formulas.definitions import Part, load_definitions, parse_definitions

ROWS = [
    {
        "kind": "hop_tac_xa",
        "sector": "nong_nghiep",
        "status": "dang_hoat_dong",
        "n": 120,
        "members": 3000,
    },
    {
        "kind": "hop_tac_xa",
        "sector": "nong_nghiep",
        "status": "tam_ngung_kinh_doanh",
        "n": 3,
        "members": 40,
    },
    {
        "kind": "hop_tac_xa",
        "sector": "phi_nong_nghiep",
        "status": "dang_hoat_dong",
        "n": 44,
        "members": None,
    },
    {
        "kind": "lien_hiep_hop_tac_xa",
        "sector": "nong_nghiep",
        "status": "dang_hoat_dong",
        "n": 1,
        "members": 5,
    },
]


def test_the_definition_file_loads_with_every_indicator_the_issue_asks_for():
    definitions = load_definitions()
    asked = {
        "so_tht", "so_htx", "so_lhhtx", "so_htx_thanh_lap_moi", "so_htx_giai_the",
        "so_thanh_vien", "so_lao_dong_thuong_xuyen", "thu_nhap_binh_quan_ld",
        "doanh_thu_tong", "doanh_thu_binh_quan", "loi_nhuan_tong", "lai_binh_quan",
        "ty_le_htx_hieu_qua_kha_tot", "ty_le_htx_hieu_qua_tot", "ty_le_htx_yeu",
        "ty_le_htx_dung_luat", "ty_le_htx_tiep_can_ho_tro", "ty_le_htx_chuoi_gia_tri",
        "ty_le_htx_ung_dung_cnc",
    }  # fmt: skip
    assert asked <= set(definitions)
    for indicator in definitions.values():
        assert indicator.name_vi
        assert indicator.name_en
        assert indicator.reference


def test_effective_share_is_defined_both_ways_and_labelled():
    definitions = load_definitions()
    both = definitions["ty_le_htx_hieu_qua_kha_tot"]
    good = definitions["ty_le_htx_hieu_qua_tot"]
    assert both.numerator.where["rank"] == ("tot", "kha")
    assert good.numerator.where["rank"] == ("tot",)
    assert both.denominator == good.denominator
    assert (
        "chua_danh_gia" not in both.denominator.where["rank"]
    )  # not rated: out of the denominator
    assert "khá" in both.name_vi
    assert "tốt" in good.name_vi
    assert not both.official
    assert not good.official


def test_parse_refuses_unknown_sources_units_and_duplicates():
    item = {"code": "x", "name_vi": "x", "name_en": "x", "unit": "org", "source": "registry",
            "numerator": {}}  # fmt: skip
    with pytest.raises(ValueError, match="unknown source"):
        parse_definitions([{**item, "source": "nowhere"}])
    with pytest.raises(ValueError, match="unknown unit"):
        parse_definitions([{**item, "unit": "kg"}])
    with pytest.raises(ValueError, match="defined twice"):
        parse_definitions([item, item])


def test_total_sums_the_rows_a_part_selects():
    assert aggregate.total(ROWS, Part({"kind": ("hop_tac_xa",)})) == 167
    assert aggregate.total(ROWS, Part({"kind": ("hop_tac_xa",), "sector": ("nong_nghiep",)})) == 123
    assert aggregate.total(ROWS, Part({}, "members")) == 3045  # a missing sum counts 0
    assert aggregate.total(ROWS, Part({"status": ("da_giai_the",)})) == 0


def test_evaluate_a_share_rounds_half_up_to_hundredths():
    indicator = load_definitions()["ty_le_htx_chuoi_gia_tri"]
    rows = [
        {"kind": "hop_tac_xa", "value_chain": True, "n": 25},
        {"kind": "hop_tac_xa", "value_chain": False, "n": 142},
    ]
    figures = aggregate.evaluate(indicator, rows)
    assert (figures.numerator, figures.denominator, figures.value) == (25, 167, Decimal("14.97"))


def test_a_share_over_nothing_has_no_value():
    indicator = load_definitions()["ty_le_htx_hieu_qua_kha_tot"]
    assert aggregate.evaluate(indicator, []).value is None
    assert aggregate.ratio(Decimal(1), Decimal(0)) is None


def test_an_average_uses_scale_one():
    indicator = load_definitions()["doanh_thu_binh_quan"]
    rows = [{"revenue_total": Decimal(3_000_000), "n_revenue": 2}]
    assert aggregate.evaluate(indicator, rows).value == Decimal("1500000.00")


def test_group_rows_splits_by_key():
    groups = aggregate.group_rows(
        [{"group": 1, "n": 2}, {"group": 2, "n": 3}, {"group": 1, "n": 4}]
    )
    assert {k: len(v) for k, v in groups.items()} == {1: 2, 2: 1}


@pytest.mark.parametrize(
    ("value", "decimals", "text"),
    [
        (1234567, 0, "1.234.567"),
        (Decimal("1234567.5"), 1, "1.234.567,5"),
        (Decimal("83.50"), 1, "83,5"),
        (Decimal("40.00"), 1, "40"),
        (-1500, 0, "-1.500"),
        (0, 0, "0"),
    ],
)
def test_number_vi_writes_dots_for_thousands_and_a_comma_for_decimals(value, decimals, text):
    assert wording.number_vi(value, decimals) == text


@pytest.mark.parametrize(
    ("n", "text"), [(0, "0"), (2, "02"), (9, "09"), (10, "10"), (1234, "1.234")]
)
def test_counts_under_ten_have_a_leading_zero(n, text):
    assert wording.count_vi(n) == text


@pytest.mark.parametrize(
    ("on", "text"),
    [
        (date(2019, 4, 30), "Đến hết tháng 4/2019"),
        (date(2019, 12, 31), "Đến hết năm 2019"),
        (date(2020, 2, 29), "Đến hết tháng 2/2020"),
        (date(2019, 4, 15), "Đến ngày 15/04/2019"),
    ],
)
def test_as_of_phrase(on, text):
    assert wording.as_of_vi(on) == text


def test_situation_sentence_is_the_seed_sentence():
    sentence = wording.situation_vi(
        on=date(2019, 4, 30),
        place=wording.place_vi("tinh", "Bắc Kạn"),
        total=167,
        agricultural=123,
        non_agricultural=44,
    )
    assert sentence == (
        "Đến hết tháng 4/2019, tỉnh Bắc Kạn có 167 hợp tác xã, trong đó có 123 hợp tác xã "
        "nông nghiệp và 44 hợp tác xã phi nông nghiệp."
    )


def test_situation_sentence_with_small_counts_and_none():
    small = wording.situation_vi(
        on=date(2019, 12, 31), place="xã Lương Bằng", total=3, agricultural=3, non_agricultural=0
    )
    assert (
        small == "Đến hết năm 2019, xã Lương Bằng có 03 hợp tác xã, trong đó có 03 hợp tác xã "
        "nông nghiệp."
    )
    none = wording.situation_vi(
        on=date(2019, 12, 31), place="xã Nghĩa Tá", total=0, agricultural=0, non_agricultural=0
    )
    assert none == "Đến hết năm 2019, xã Nghĩa Tá chưa có hợp tác xã nào."


def test_places_money_percent_and_names():
    assert wording.place_vi("thanh_pho", "Bắc Kạn") == "thành phố Bắc Kạn"
    assert wording.place_vi(None, None) == "cả nước"
    assert wording.money_vi(Decimal("1165300000")) == "1.165,3 triệu đồng"
    assert wording.money_vi(Decimal(500_000)) == "500.000 đồng"
    assert wording.money_vi(None) == "—"
    assert wording.percent_vi(Decimal("83.5"), space=True) == "83,5 %"
    assert wording.percent_vi(None) == "—"
    assert wording.cooperative_long_name("HTX Cao Phong") == "Hợp tác xã Cao Phong"
    assert wording.cooperative_long_name("Liên hiệp A") == "Liên hiệp A"
    assert wording.enumerate_vi(["A", "B", "C"]) == "A, B và C"
    assert wording.enumerate_vi(["A"]) == "A"
