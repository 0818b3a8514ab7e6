"""The registry's cells read forgivingly (excel.cells): sector and sub-sector read together,
statuses in words, units in the headers of money columns. Pure: no database."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.utils import translation

from hoptac.registry import excel, vocabulary
from hoptac.registry.choices import Sector, Status, SubSector
from hoptac.registry.excel import COLUMNS_BY_KEY as C
from hoptac.registry.excel.cells import RowParser, parse_row


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


def row(**cells):
    """parse_row over the columns named by keyword, in that order, with these cells."""
    columns = [(index, C[key], 1) for index, key in enumerate(cells)]
    return parse_row(columns, list(cells.values()))


def test_a_sub_sector_in_the_sector_column_sets_both():
    parsed = row(name="HTX A", sector="Trồng trọt")
    assert parsed.values == {
        "name": "HTX A",
        "sector": Sector.AGRICULTURAL,
        "sub_sector": SubSector.CROPS,
    }
    assert parsed.errors == []


def test_the_sub_sector_column_agrees_with_the_sector_column():
    parsed = row(sector="NN - Trồng trọt", sub_sector="trồng trọt")
    assert (parsed.values["sector"], parsed.values["sub_sector"]) == ("nong_nghiep", "trong_trot")
    assert parsed.errors == []


def test_a_sector_alone_leaves_the_sub_sector_column_to_say_it():
    parsed = row(sector="Nông nghiệp", sub_sector="Chăn nuôi")
    assert (parsed.values["sector"], parsed.values["sub_sector"]) == ("nong_nghiep", "chan_nuoi")


def test_a_sector_in_the_sub_sector_column_gives_the_sector():
    parsed = row(sector=None, sub_sector="Phi nông nghiệp")
    assert (parsed.values["sector"], parsed.values["sub_sector"]) == ("phi_nong_nghiep", None)


def test_a_sector_cell_alone_without_a_sub_sector_column_gives_no_sub_sector_key():
    assert row(sector="Phi nông nghiệp").values == {"sector": "phi_nong_nghiep"}


def test_two_different_sub_sectors_give_one_message_on_the_sub_sector_cell():
    parsed = row(sector="Trồng trọt", sub_sector="Vận tải")
    assert parsed.errors == [(1, "“Vận tải” khác với ngành ghi ở cột lĩnh vực (Trồng trọt).")]
    assert parsed.failed == {"sub_sector"}
    assert parsed.values["sub_sector"] is None


def test_a_bad_cell_is_one_message_and_its_key_is_failed():
    parsed = row(name="HTX A", sector="Dịch vụ", founded_on="31/02/2015")
    assert [index for index, _message in parsed.errors] == [1, 2]
    assert parsed.failed == {"sector", "founded_on"}
    assert parsed.values["sector"] is None


@pytest.mark.parametrize(("words", "status"), sorted(vocabulary.STATUS_WORDS.items()))
def test_every_status_word_is_read(words, status):
    assert excel.parse_cell(C["status"], words) == status


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("Đang hoạt động", Status.ACTIVE),
        ("Đang HĐ", Status.ACTIVE),
        ("Ngừng hoạt động", Status.SUSPENDED),
        ("Tạm ngừng", Status.SUSPENDED),
        ("Giải thể", Status.DISSOLVED),
        ("Đã giải thể", Status.DISSOLVED),
        ("Chờ giải thể", Status.DISSOLVING),
        ("Ngừng hoạt động - chờ giải thể", Status.DISSOLVING),
        ("Bị thu hồi GCN", Status.REVOKED),
    ],
)
def test_statuses_in_words(text, status):
    assert excel.parse_cell(C["status"], text) == status


@pytest.mark.parametrize(
    ("header", "scale"),
    [
        ("Vốn điều lệ", 1),
        ("Vốn điều lệ (đồng)", 1),
        ("Vốn điều lệ (nghìn đồng)", 1_000),
        ("Vốn điều lệ (ngàn đồng)", 1_000),
        ("Vốn điều lệ (1.000đ)", 1_000),
        ("Vốn điều lệ (triệu đồng)", 1_000_000),
        ("Vốn điều lệ (Tr.đ)", 1_000_000),
        ("Vốn điều lệ (tỷ đồng)", 1_000_000_000),
        ("Vốn điều lệ (Đơn vị: triệu đồng)", 1_000_000),
        ("Vốn điều lệ, đơn vị tính: triệu đồng", 1_000_000),
        ("Vốn đăng ký (triệu đồng)", 1_000_000),
        ("Charter capital (VND)", 1),
    ],
)
def test_a_money_header_gives_its_unit(header, scale):
    found = excel.match_header(header)
    assert (found.key, found.scale) == ("charter_capital", scale)


def test_a_unit_applies_only_to_money_columns():
    assert excel.match_header("Số thành viên (người)").scale == 1


def test_amounts_with_the_header_scale():
    assert excel.parse_cell(C["charter_capital"], "1.500", 1_000_000) == Decimal(1_500_000_000)
    assert excel.parse_cell(C["charter_capital"], "2 tỷ", 1_000) == Decimal(2_000_000_000)
    assert excel.parse_cell(C["members_count"], "25 thành viên") == 25


def test_a_year_alone_is_a_founding_year_but_no_registration_date():
    assert isinstance(excel.parse_cell(C["founded_on"], "2015"), excel.YearOnly)
    with pytest.raises(excel.CellError):
        excel.parse_cell(C["registered_on"], "2015")


# RowParser (what an import uses) reads every cell as parse_row does: the remembered
# outcomes, the text cleaned directly, and the plain numbers and ISO dates read without the
# general rules give the same values, of the same types, and the same messages.
PARSER_KEYS = ("name", "tax_code", "registered_on", "founded_on", "latitude", "charter_capital",
               "members_count", "high_tech", "kind", "sector", "sub_sector", "status")  # fmt: skip
PARSER_ROWS: list[list[Any]] = [
    ["HTX A", "0101234567", "2015-03-20", "2015", "21.214175", "704000000", "17", "x",
     "Hợp tác xã", "Nông nghiệp", "Trồng trọt", "Đang hoạt động"],
    [" HTX  B ", 101234567, "20/3/2015", 2015.0, 21.5, 1500000.0, 12.0, True,
     "HTX", "NN - Chăn nuôi", None, "tạm ngừng"],
    ["Hợp tác xã C\u0301", "'0101234567", "2015-02-30", "2015-03-01", "21,5", "1.500.000",
     "12 người", "có", "Liên hiệp", "Trồng trọt", "Chăn nuôi", "giải thể"],
    ["", " 0101234567 ", "2015-3-1", "năm 2015", "+21.5", "1,5 tỷ", "-3", "khong",
     "khong_co", "Nông nghiệp", "Thương mại - dịch vụ", "không biết"],
    [None, None, "٢٠١٥-٠٣-٠١", "20/03/15", "٢١.٥", "abc", "1,5", "maybe",
     None, "Chăn", None, None],
    ["HTX D", "0101234567", " 2015-03-20", "2016-13-01", "-0.0", "704000000", "17", "x",
     "Hợp tác xã", "Nông nghiệp", "Trồng trọt", "Đang hoạt động"],
]  # fmt: skip


def test_the_row_parser_reads_as_parse_row():
    columns = [(index, C[key], 1) for index, key in enumerate(PARSER_KEYS)]
    parser = RowParser(columns)
    for raw in PARSER_ROWS * 2:  # the second time from what it remembers
        expected, got = parse_row(columns, raw), parser.parse(raw)
        assert got.values == expected.values
        assert [type(v) for v in got.values.values()] == [type(v) for v in expected.values.values()]
        assert got.errors == expected.errors
        assert got.failed == expected.failed
    assert any(parse.errors for parse in map(parser.parse, PARSER_ROWS))  # bad cells included
