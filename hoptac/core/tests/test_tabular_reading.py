"""The pipeline's reading and writing without the database (hoptac.core.tabular): a cell read
as its column's type, each format's reader, files that must be refused, and the typed .xlsx
and CSV writers. The files are built by the registry tests' builders (an officer's list)."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.utils import translation

from hoptac.core.spreadsheet_safety import csv_lines
from hoptac.core.tabular import Column, ColumnType, ImportFileError, Merge, open_spreadsheet
from hoptac.core.tabular.cells import CellError, YearOnly
from hoptac.core.tabular.reading import decode_text
from hoptac.core.tabular.values import parse_value
from hoptac.core.tabular.writing import write_columns
from hoptac.core.text import fold
from hoptac.registry.tests.files import builders as b

C = {
    column.key: column
    for column in (
        Column("name", "Name", ColumnType.TEXT),
        Column("charter_capital", "Charter capital", ColumnType.MONEY),
        Column("founded_on", "Founding date", ColumnType.DATE),
        Column("members_count", "Members", ColumnType.INTEGER),
        Column("high_tech", "High technology", ColumnType.BOOL),
        Column("latitude", "Latitude", ColumnType.FLOAT),
        Column("tax_code", "Registration code", ColumnType.CODE),
        Column("phone", "Phone", ColumnType.PHONE),
    )
}


def parse_cell(column: Column, raw, scale: int = 1):
    """A cell as its column's type; a date column takes a year alone (a founding year)."""
    return parse_value(column, raw, scale, year_alone=column.type == ColumnType.DATE)


# --- cells ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (1500000000, Decimal(1500000000)),
        (1500000000.0, Decimal(1500000000)),
        ("1.500.000.000", Decimal(1500000000)),
        ("1,500,000,000", Decimal(1500000000)),
        ("1 500 000 000 đ", Decimal(1500000000)),
        ("1500000000", Decimal(1500000000)),
        (None, None),
        ("", None),
    ],
)
def test_money_is_read_in_every_way_offices_write_it(raw, expected):
    assert parse_cell(C["charter_capital"], raw) == expected


def test_money_in_millions_is_scaled_and_decimal_commas_are_understood():
    assert parse_cell(C["charter_capital"], "1,5", 1_000_000) == Decimal(1_500_000)
    assert parse_cell(C["charter_capital"], 2000.5, 1_000_000) == Decimal(2_000_500_000)


def test_a_fraction_of_a_dong_is_refused():
    with pytest.raises(CellError):
        parse_cell(C["charter_capital"], "12,5")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("15/03/2015", date(2015, 3, 15)),
        ("2015-03-15", date(2015, 3, 15)),
        ("15-03-2015", date(2015, 3, 15)),
        ("2015-03-15 00:00:00", date(2015, 3, 15)),
        (datetime(2015, 3, 15), date(2015, 3, 15)),  # noqa: DTZ001  (as Excel gives it)
        (date(2015, 3, 15), date(2015, 3, 15)),
        (42078, date(2015, 3, 15)),  # an Excel day number
    ],
)
def test_dates(raw, expected):
    assert parse_cell(C["founded_on"], raw) == expected


def test_a_year_alone_is_a_year_only_date():
    value = parse_cell(C["founded_on"], 2015)
    assert isinstance(value, YearOnly)
    assert value == date(2015, 1, 1)
    assert isinstance(parse_cell(C["founded_on"], "2015"), YearOnly)


def test_a_wrong_date_names_the_value_and_the_format():
    with translation.override("vi"), pytest.raises(CellError) as caught:
        parse_cell(C["founded_on"], "31/02/2015")
    assert "31/02/2015" in str(caught.value)
    assert "dd/mm/yyyy" in str(caught.value)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("x", True), ("X", True), ("có", True), ("Co", True), (True, True), (1, True),
     (None, False), ("", False), ("không", False), (0, False), (False, False)],
)  # fmt: skip
def test_yes_and_no(raw, expected):
    assert parse_cell(C["high_tech"], raw) is expected


def test_a_word_that_is_neither_yes_nor_no_is_refused():
    with pytest.raises(CellError):
        parse_cell(C["high_tech"], "có lẽ")


def test_codes_keep_their_leading_zero_and_lose_spaces():
    assert parse_cell(C["tax_code"], 101234567) == "0101234567"  # a number lost the zero
    assert parse_cell(C["tax_code"], 4700123456.0) == "4700123456"
    assert parse_cell(C["tax_code"], " 4700 123 456 ") == "4700123456"
    assert parse_cell(C["phone"], 912345678) == "0912345678"


def test_text_cells_are_trimmed_and_composed():
    decomposed = "HTX Che\u0300 My\u0303"
    assert parse_cell(C["name"], f"  {decomposed}  ") == "HTX Chè Mỹ"


# --- reading --------------------------------------------------------------------------------


def _rows(path: Path, sheet: int = 0) -> list[tuple[int, list]]:
    with open_spreadsheet(path) as book:
        return list(book.sheets[sheet].rows())


def test_xlsx_rows_and_merged_cells_are_read(tmp_path):
    path = tmp_path / "list.xlsx"
    path.write_bytes(b.xlsx([["DANH SÁCH"], [], b.HEADER, *b.sample_rows()], merges=["A1:J1"]))
    with open_spreadsheet(path) as book:
        sheet = book.sheets[0]
        assert book.format == "xlsx"
        assert sheet.merges == [Merge(1, 1, 1, 10)]
        rows = list(sheet.rows())
    assert rows[2] == (3, b.HEADER)
    assert rows[3][1][1] == "HTX Chè Mỹ Phương"
    assert rows[3][1][6] == datetime(2015, 3, 15)  # noqa: DTZ001  (a date cell is a date)


def test_ods_rows_and_merged_cells_are_read(tmp_path):
    path = tmp_path / "list.ods"
    rows = [["DANH SÁCH", None, None], [None, None, None], ["STT", "Tên HTX", "Địa chỉ"],
            [1, "HTX A", b.LUONG_BANG]]  # fmt: skip
    path.write_bytes(b.ods(rows, spans={(0, 0): (1, 3), (2, 0): (2, 1)}))
    with open_spreadsheet(path) as book:
        assert book.format == "ods"
        assert book.sheets[0].merges == [Merge(1, 1, 1, 3), Merge(3, 1, 4, 1)]
        read = list(book.sheets[0].rows())
    assert read[0] == (1, ["DANH SÁCH", None, None])
    assert read[3] == (4, [None, "HTX A", b.LUONG_BANG])  # A4 is covered by the merge


def test_the_xls_fixture_is_read_with_its_merges_numbers_and_dates():
    with open_spreadsheet(b.XLS_FIXTURE) as book:
        sheet = book.sheets[0]
        assert book.format == "xls"
        assert Merge(4, 4, 4, 6) in sheet.merges  # "Địa chỉ" over three columns
        rows = dict(sheet.rows())
    assert rows[6][:4] == [1, "HTX Chè Mỹ Phương", "4700123456", "Lương Bằng"]
    assert rows[6][10] == datetime(2015, 3, 20)  # noqa: DTZ001  (Excel has no zones)
    assert rows[8][8] == 2000.5


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("utf-8", ","), ("utf-8-sig", ","), ("utf-8-sig", ";"), ("utf-16", "\t"), ("cp1258", ",")],
)
def test_csv_in_each_encoding_excel_writes(tmp_path, encoding, delimiter):
    path = tmp_path / "list.csv"
    path.write_bytes(
        b.csv_bytes([b.HEADER, *b.sample_rows()], encoding=encoding, delimiter=delimiter)
    )
    with open_spreadsheet(path) as book:
        assert book.format == "csv"
        assert book.csv_dialect[1] == delimiter
        rows = list(book.sheets[0].rows())
    assert rows[0][1] == b.HEADER
    assert rows[1][1][1] == "HTX Chè Mỹ Phương"
    assert rows[1][1][3] == b.LUONG_BANG


def test_windows_1258_is_told_from_utf8():
    text = "Tên HTX,Địa chỉ\r\nHTX Chè Mỹ Phương,Xã Lương Bằng\r\n"
    assert decode_text(text.encode("utf-8"))[1] == "utf-8"
    cp1258 = b.csv_bytes([["Tên HTX", "Địa chỉ"], ["HTX Chè Mỹ Phương", "Xã Lương Bằng"]],
                         encoding="cp1258")  # fmt: skip
    decoded, encoding = decode_text(cp1258)
    assert encoding == "cp1258"
    assert decoded.splitlines() == text.splitlines()


def test_a_quoted_cell_over_two_lines_keeps_the_row_numbers_excel_shows(tmp_path):
    path = tmp_path / "list.csv"
    path.write_text('Tên HTX,Ngành nghề\r\n"HTX A","Trồng chè\nChế biến"\r\nHTX B,Chăn nuôi\r\n')
    assert [number for number, _ in _rows(path)] == [1, 2, 3]


# --- files to refuse --------------------------------------------------------------------------


def _read_all(path: Path) -> None:
    with open_spreadsheet(path) as book:
        for sheet in book.sheets:
            list(sheet.rows())


def _problem(tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(ImportFileError) as caught:
        _read_all(path)
    return fold(caught.value.message)


def test_a_password_protected_workbook_is_named_as_such(tmp_path):
    with translation.override("en"):
        assert "password" in _problem(tmp_path, "secret.xlsx", b.encrypted_xlsx())


def test_other_ole_files_and_binaries_are_not_spreadsheets(tmp_path):
    with translation.override("en"):
        assert "not a spreadsheet" in _problem(tmp_path, "a.xls", b.ole({"WordDocument": b"x"}))
        assert "not a spreadsheet" in _problem(tmp_path, "a.xlsx", b"%PDF-1.7\x00\x01\x02" * 50)
        docx = io.BytesIO()
        with zipfile.ZipFile(docx, "w") as archive:
            archive.writestr("word/document.xml", "<w:document/>")
        assert "not a spreadsheet" in _problem(tmp_path, "a.xlsx", docx.getvalue())


def test_a_corrupt_workbook_is_named_as_such(tmp_path):
    data = b.xlsx([b.HEADER, *b.sample_rows()])
    with translation.override("en"):
        assert "damaged" in _problem(tmp_path, "cut.xlsx", data[: len(data) // 2])
        assert "damaged" in _problem(tmp_path, "cut.ods", b.ods([["a"]])[:-40])


@pytest.mark.parametrize("part", ["xl/worksheets/sheet1.xml", "xl/workbook.xml"])
def test_an_xlsx_xml_bomb_is_refused(tmp_path, part):
    with translation.override("en"):
        assert "xml bomb" in _problem(tmp_path, "bomb.xlsx", b.xlsx_bomb(part))


def test_an_ods_xml_bomb_is_refused(tmp_path):
    with translation.override("en"):
        assert "xml bomb" in _problem(tmp_path, "bomb.ods", b.ods_bomb())


def test_a_zip_bomb_is_refused(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (60 * 1024 * 1024))
    with translation.override("en"):
        assert "zip bomb" in _problem(tmp_path, "zip.xlsx", buffer.getvalue())


def test_openpyxl_parses_through_defusedxml():
    from defusedxml.ElementTree import iterparse as defused_iterparse
    from openpyxl.xml import functions

    assert openpyxl.DEFUSEDXML
    assert functions.iterparse is defused_iterparse


# --- writing --------------------------------------------------------------------------------


def test_xlsx_cells_are_typed(tmp_path):
    path = tmp_path / "out.xlsx"
    row = ["HTX A", date(2015, 3, 15), Decimal(1500000000), 12, True, 22.1]
    columns = [C["name"], C["founded_on"], C["charter_capital"], C["members_count"],
               C["high_tech"], C["latitude"]]  # fmt: skip
    write_columns(path, [row], header=["a", "b", "c", "d", "e", "f"], columns=columns)
    sheet = openpyxl.load_workbook(path).active
    cells = next(sheet.iter_rows(min_row=2, values_only=False))
    day = datetime(2015, 3, 15)  # noqa: DTZ001  (Excel has no time zones)
    assert [c.value for c in cells] == ["HTX A", day, 1500000000, 12, True, 22.1]
    assert cells[1].is_date
    assert cells[1].number_format == "dd/mm/yyyy"
    assert cells[2].data_type == "n"


def test_csv_starts_with_a_bom_and_writes_plain_values():
    lines = list(csv_lines([["HTX A", date(2015, 3, 15), Decimal(15), True, None]],
                                 header=["Tên HTX", "b", "c", "d", "e"]))  # fmt: skip
    assert lines[0] == "\ufeff"
    assert lines[2] == "HTX A,2015-03-15,15,TRUE,\r\n"
