"""The generic readers of spreadsheet cells (core.tabular.cells): pure, no database."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.utils import translation

from hoptac.core.tabular import cells
from hoptac.core.tabular.cells import CellError, YearOnly

TODAY = date(2025, 6, 30)


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


# --- numbers --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "whole", "expected"),
    [
        ("1.500.000", True, "1500000"),
        ("1,500,000", True, "1500000"),
        ("1 500 000", True, "1500000"),
        ("1.500.000,5", True, "1500000.5"),  # Vietnamese: the comma is the decimal mark
        ("1,500,000.5", True, "1500000.5"),  # English
        ("1.500", True, "1500"),  # a money or count column: thousands
        ("1,500", True, "1500"),
        ("1,5", True, "1.5"),
        ("2.5", True, "2.5"),
        ("1.5000", True, "1.5000"),  # four digits after: no grouping
        ("21.500", False, "21.500"),  # a coordinate: always the decimal mark
        ("21,03", False, "21.03"),
        ("-3", True, "-3"),
        ("+7", True, "7"),
    ],
)
def test_read_number(text, whole, expected):
    assert cells.read_number(text, whole=whole) == Decimal(expected)


@pytest.mark.parametrize("text", ["1.50.000", "1,5,00", "12a", "1.500,000.5", "", "."])
def test_read_number_refuses_what_groups_badly(text):
    with pytest.raises(ArithmeticError):
        cells.read_number(text, whole=True)


@pytest.mark.parametrize(
    ("value", "scale", "expected"),
    [
        ("1.500.000", 1, 1_500_000),
        ("1.500.000 đ", 1, 1_500_000),
        ("1.500.000đ", 1, 1_500_000),
        ("1.500.000 VNĐ", 1, 1_500_000),
        ("1.500.000 đồng", 1, 1_500_000),
        ("2 tỷ", 1, 2_000_000_000),
        ("1,5 tỷ đồng", 1, 1_500_000_000),
        ("500 triệu", 1, 500_000_000),
        ("500 tr", 1, 500_000_000),
        ("300 nghìn", 1, 300_000),
        ("1.500", 1_000_000, 1_500_000_000),  # "(triệu đồng)": 1.500 triệu
        ("1,5", 1_000_000, 1_500_000),
        (1.5, 1_000_000, 1_500_000),
        (2000.5, 1_000, 2_000_500),
        ("2 tỷ", 1_000_000, 2_000_000_000),  # the cell's unit wins over the header's
        ("1.500.000 đ", 1_000_000, 1_500_000),
        (1500000000, 1, 1_500_000_000),
    ],
)
def test_read_amount(value, scale, expected):
    assert cells.read_amount(value, scale=scale) == Decimal(expected)


@pytest.mark.parametrize("value", ["abc", "12,5", "2 USD", True, "1,500,000.5"])
def test_read_amount_refuses(value):
    with pytest.raises(CellError) as caught:
        cells.read_amount(value)
    assert cells.as_text(value) in str(caught.value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("12", 12), (12.0, 12), ("1.200", 1200), ("12 người", 12), ("25 thành viên", 25)],
)
def test_read_count(value, expected):
    units = frozenset({"nguoi", "thanh vien"})
    assert cells.read_count(value, units=units) == expected


@pytest.mark.parametrize("value", ["12 con", "12,5", "mười hai", False])
def test_read_count_refuses(value):
    with pytest.raises(CellError):
        cells.read_count(value, units=frozenset({"nguoi"}))


# --- units in headers -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "scale"),
    [
        ("Vốn điều lệ (triệu đồng)", 1_000_000),
        ("Vốn điều lệ (Triệu đồng)", 1_000_000),
        ("Vốn điều lệ (tr.đ)", 1_000_000),
        ("Vốn điều lệ (trđ)", 1_000_000),
        ("Vốn điều lệ (nghìn đồng)", 1_000),
        ("Vốn điều lệ (ngàn đồng)", 1_000),
        ("Vốn điều lệ (1.000 đ)", 1_000),
        ("Vốn điều lệ (1000đ)", 1_000),
        ("Vốn điều lệ (tỷ đồng)", 1_000_000_000),
        ("Vốn điều lệ (đồng)", 1),
        ("Vốn điều lệ (VNĐ)", 1),
        ("Vốn điều lệ (Đơn vị: triệu đồng)", 1_000_000),
        ("Vốn điều lệ, đơn vị tính: triệu đồng", 1_000_000),
        ("Vốn điều lệ - ĐVT: tỷ đồng", 1_000_000_000),
        ("Charter capital (million VND)", 1_000_000),
        ("Vốn điều lệ", None),
        ("Vốn điều lệ (*)", None),
        ("Số thành viên (người)", None),
    ],
)
def test_unit_scale(header, scale):
    assert cells.unit_scale(header) == scale


# --- dates ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("15/03/2015", date(2015, 3, 15)),
        ("5/3/2015", date(2015, 3, 5)),
        ("15-03-2015", date(2015, 3, 15)),
        ("15.03.2015", date(2015, 3, 15)),
        ("2015-03-15", date(2015, 3, 15)),
        ("2015-03-15 00:00:00", date(2015, 3, 15)),
        ("15/03/2015 08:30", date(2015, 3, 15)),
        ("Ngày 15 tháng 3 năm 2015", date(2015, 3, 15)),
        ("15/03/15", date(2015, 3, 15)),  # only 2015 fits: 1915 is before 1950
        ("15/03/98", date(1998, 3, 15)),  # only 1998 fits: 2098 is to come
        (42078, date(2015, 3, 15)),  # an Excel day number
        (42078.75, date(2015, 3, 15)),  # with a time
        ("42078", date(2015, 3, 15)),  # as text
        ("42078.0", date(2015, 3, 15)),
        (datetime(2015, 3, 15, 8, 30), date(2015, 3, 15)),  # noqa: DTZ001  (as Excel gives it)
        (date(2015, 3, 15), date(2015, 3, 15)),
    ],
)
def test_read_date(value, expected):
    assert cells.read_date(value, today=TODAY) == expected


def test_a_year_alone_where_the_column_allows_it():
    for value in (2015, 2015.0, "2015"):
        found = cells.read_date(value, year_alone=True)
        assert isinstance(found, YearOnly)
        assert found == date(2015, 1, 1)


def test_a_year_alone_is_refused_elsewhere():
    with pytest.raises(CellError) as caught:
        cells.read_date("2015")
    assert str(caught.value) == "“2015” chỉ ghi năm: hãy ghi đủ ngày/tháng/năm (dd/mm/yyyy)."


@pytest.mark.parametrize("value", ["31/02/2015", "15/13/2015", "abc", "3/15/2015", 12345, True])
def test_read_date_refuses(value):
    with pytest.raises(CellError) as caught:
        cells.read_date(value, today=TODAY)
    assert "dd/mm/yyyy" in str(caught.value)


def test_a_two_digit_year_of_either_century_is_refused():
    with pytest.raises(CellError) as caught:
        cells.read_date("15/03/35", today=TODAY)
    assert "35" in str(caught.value)
    assert cells.two_digit_year(25, this_year=2025) == 2025
    assert cells.two_digit_year(26, this_year=2025) is None
    assert cells.two_digit_year(50, this_year=2025) == 1950


# --- codes ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0101234567", "0101234567"),  # text keeps its zeros
        ("'0101234567", "0101234567"),
        (" 4700 123 456 ", "4700123456"),
        ("0101234567-001", "0101234567-001"),
        (101234567, "0101234567"),  # a number lost its zero: 10 digits
        (101234567.0, "0101234567"),
        (101234567001, "0101234567001"),  # a branch: 13 digits
        (4700123456, "4700123456"),
        (4.700123456e9, "4700123456"),
        (123, "123"),  # no code length: the digits as they are
    ],
)
def test_read_code(value, expected):
    assert cells.read_code(value) == expected
