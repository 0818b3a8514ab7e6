"""The spreadsheet layer without the database: header names, cell values, each format's
reader, files that must be refused, and the writers."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.utils import translation

from hoptac.core.text import fold
from hoptac.registry import excel
from hoptac.registry.excel import COLUMNS_BY_KEY as C
from hoptac.registry.excel import ImportFileError, match_header, parse_cell
from hoptac.registry.tests.files import builders as b

# --- headers --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "key"),
    [
        ("Tên HTX", "name"),
        ("Ten hop tac xa", "name"),
        ("TÊN HỢP TÁC XÃ (*)", "name"),
        ("Name", "name"),
        ("Cooperative name", "name"),
        ("Mã số thuế", "tax_code"),
        ("Ma so HTX", "tax_code"),
        ("MST", "tax_code"),
        ("Registration code", "tax_code"),
        ("Địa chỉ", "address"),
        ("Dia chi tru so", "address"),
        ("Address (commune, district, province)", "address"),
        ("Xã/phường hiện nay", "commune_2025"),
        ("Xã", "commune_name"),
        ("Huyện", "district_name"),
        ("Tỉnh/thành phố", "province_name"),
        ("Số thành viên (người)", "members_count"),
        ("Năm thành lập", "founded_on"),
        ("Ngày cấp GCN", "registered_on"),
        ("Lĩnh vực", "sector"),
        ("Tình trạng hoạt động", "status"),
        ("Ứng dụng CNC", "high_tech"),
    ],
)
def test_headers_are_matched_with_or_without_diacritics_in_either_language(header, key):
    found = match_header(header)
    assert found is not None
    assert found.key == key


@pytest.mark.parametrize("header", ["STT", "Ghi chú", "Lỗi", "Error"])
def test_row_numbers_notes_and_the_error_column_are_known_but_not_imported(header):
    found = match_header(header)
    assert found is not None
    assert found.key is None


def test_an_unknown_header_matches_nothing():
    assert match_header("Số hộ nghèo được hỗ trợ") is None
    assert match_header("") is None


@pytest.mark.parametrize(
    ("header", "scale"),
    [
        ("Vốn điều lệ (đồng)", 1),
        ("Vốn điều lệ", 1),
        ("Vốn điều lệ (triệu đồng)", 1_000_000),
        ("Von dieu le (trieu dong)", 1_000_000),
        ("Vốn điều lệ (tỷ đồng)", 1_000_000_000),
    ],
)
def test_the_capital_header_says_its_unit(header, scale):
    found = match_header(header)
    assert (found.key, found.scale) == ("charter_capital", scale)


def test_no_two_columns_accept_the_same_header():
    owners: dict[str, str] = {}
    for column in excel.COLUMNS:
        names = [column.key.replace("_", " ")]
        for language in ("en", "vi"):
            with translation.override(language):
                names.append(str(column.header))
        names += [a[0] if isinstance(a, tuple) else a for a in column.aliases]
        for name in names:
            normalized = excel.normalize_header(name)
            assert owners.setdefault(normalized, column.key) == column.key, name


def test_every_exported_header_reads_back_as_its_column_in_both_languages():
    for language in ("vi", "en"):
        with translation.override(language):
            for column, header in zip(excel.EXPORT_COLUMNS, excel.headers(), strict=True):
                assert match_header(header).key == column.key, (language, header)


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
    with pytest.raises(excel.CellError):
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
    assert isinstance(value, excel.YearOnly)
    assert value == date(2015, 1, 1)
    assert isinstance(parse_cell(C["founded_on"], "2015"), excel.YearOnly)


def test_a_wrong_date_names_the_value_and_the_format():
    with translation.override("vi"), pytest.raises(excel.CellError) as caught:
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
    with pytest.raises(excel.CellError):
        parse_cell(C["high_tech"], "có lẽ")


def test_codes_keep_their_leading_zero_and_lose_spaces():
    assert parse_cell(C["tax_code"], 101234567) == "0101234567"  # a number lost the zero
    assert parse_cell(C["tax_code"], 4700123456.0) == "4700123456"
    assert parse_cell(C["tax_code"], " 4700 123 456 ") == "4700123456"
    assert parse_cell(C["phone"], 912345678) == "0912345678"


@pytest.mark.parametrize(
    ("column", "raw", "expected"),
    [
        ("kind", "HTX", "hop_tac_xa"),
        ("kind", "Tổ hợp tác", "to_hop_tac"),
        ("kind", "lien hiep hop tac xa", "lien_hiep_hop_tac_xa"),
        ("sector", "Nông nghiệp", "nong_nghiep"),
        ("sector", "phi nong nghiep", "phi_nong_nghiep"),
        ("sector", "Non-agricultural", "phi_nong_nghiep"),
        ("sub_sector", "Trồng trọt", "trong_trot"),
        ("sub_sector", "Thương mại – dịch vụ", "thuong_mai_dich_vu"),
        ("sub_sector", "Crop farming", "trong_trot"),
        ("status", "Đang hoạt động", "dang_hoat_dong"),
        ("status", "Đã giải thể", "da_giai_the"),
        ("status", "Operating", "dang_hoat_dong"),
    ],
)
def test_choices_by_label_code_or_alias(column, raw, expected):
    assert parse_cell(C[column], raw) == expected


def test_an_unknown_choice_lists_the_accepted_values():
    with pytest.raises(excel.CellError) as caught:
        parse_cell(C["sector"], "Dịch vụ")
    assert "Dịch vụ" in str(caught.value)


def test_text_cells_are_trimmed_and_composed():
    decomposed = "HTX Che\u0300 My\u0303"
    assert parse_cell(C["name"], f"  {decomposed}  ") == "HTX Chè Mỹ"


# --- reading --------------------------------------------------------------------------------


def _rows(path: Path, sheet: int = 0) -> list[tuple[int, list]]:
    with excel.open_spreadsheet(path) as book:
        return list(book.sheets[sheet].rows())


def test_xlsx_rows_and_merged_cells_are_read(tmp_path):
    path = tmp_path / "list.xlsx"
    path.write_bytes(b.xlsx([["DANH SÁCH"], [], b.HEADER, *b.sample_rows()], merges=["A1:J1"]))
    with excel.open_spreadsheet(path) as book:
        sheet = book.sheets[0]
        assert book.format == "xlsx"
        assert sheet.merges == [excel.Merge(1, 1, 1, 10)]
        rows = list(sheet.rows())
    assert rows[2] == (3, b.HEADER)
    assert rows[3][1][1] == "HTX Chè Mỹ Phương"
    assert rows[3][1][6] == datetime(2015, 3, 15)  # noqa: DTZ001  (a date cell is a date)


def test_ods_rows_and_merged_cells_are_read(tmp_path):
    path = tmp_path / "list.ods"
    rows = [["DANH SÁCH", None, None], [None, None, None], ["STT", "Tên HTX", "Địa chỉ"],
            [1, "HTX A", b.LUONG_BANG]]  # fmt: skip
    path.write_bytes(b.ods(rows, spans={(0, 0): (1, 3), (2, 0): (2, 1)}))
    with excel.open_spreadsheet(path) as book:
        assert book.format == "ods"
        assert book.sheets[0].merges == [excel.Merge(1, 1, 1, 3), excel.Merge(3, 1, 4, 1)]
        read = list(book.sheets[0].rows())
    assert read[0] == (1, ["DANH SÁCH", None, None])
    assert read[3] == (4, [None, "HTX A", b.LUONG_BANG])  # A4 is covered by the merge


def test_the_xls_fixture_is_read_with_its_merges_numbers_and_dates():
    with excel.open_spreadsheet(b.XLS_FIXTURE) as book:
        sheet = book.sheets[0]
        assert book.format == "xls"
        assert excel.Merge(4, 4, 4, 6) in sheet.merges  # "Địa chỉ" over three columns
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
    with excel.open_spreadsheet(path) as book:
        assert book.format == "csv"
        assert book.csv_dialect[1] == delimiter
        rows = list(book.sheets[0].rows())
    assert rows[0][1] == b.HEADER
    assert rows[1][1][1] == "HTX Chè Mỹ Phương"
    assert rows[1][1][3] == b.LUONG_BANG


def test_windows_1258_is_told_from_utf8():
    text = "Tên HTX,Địa chỉ\r\nHTX Chè Mỹ Phương,Xã Lương Bằng\r\n"
    assert excel.decode_text(text.encode("utf-8"))[1] == "utf-8"
    cp1258 = b.csv_bytes([["Tên HTX", "Địa chỉ"], ["HTX Chè Mỹ Phương", "Xã Lương Bằng"]],
                         encoding="cp1258")  # fmt: skip
    decoded, encoding = excel.decode_text(cp1258)
    assert encoding == "cp1258"
    assert decoded.splitlines() == text.splitlines()


def test_a_quoted_cell_over_two_lines_keeps_the_row_numbers_excel_shows(tmp_path):
    path = tmp_path / "list.csv"
    path.write_text('Tên HTX,Ngành nghề\r\n"HTX A","Trồng chè\nChế biến"\r\nHTX B,Chăn nuôi\r\n')
    assert [number for number, _ in _rows(path)] == [1, 2, 3]


# --- files to refuse --------------------------------------------------------------------------


def _read_all(path: Path) -> None:
    with excel.open_spreadsheet(path) as book:
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
    excel.write_xlsx(path, [row], header=["a", "b", "c", "d", "e", "f"], columns=columns)
    sheet = openpyxl.load_workbook(path).active
    cells = next(sheet.iter_rows(min_row=2, values_only=False))
    day = datetime(2015, 3, 15)  # noqa: DTZ001  (Excel has no time zones)
    assert [c.value for c in cells] == ["HTX A", day, 1500000000, 12, True, 22.1]
    assert cells[1].is_date
    assert cells[1].number_format == "dd/mm/yyyy"
    assert cells[2].data_type == "n"


def test_csv_starts_with_a_bom_and_writes_plain_values():
    lines = list(excel.csv_lines([["HTX A", date(2015, 3, 15), Decimal(15), True, None]],
                                 header=["Tên HTX", "b", "c", "d", "e"]))  # fmt: skip
    assert lines[0] == "\ufeff"
    assert lines[2] == "HTX A,2015-03-15,15,TRUE,\r\n"


def test_the_template_has_every_exported_header_and_a_guide():
    with translation.override("vi"):
        workbook = openpyxl.load_workbook(io.BytesIO(excel.template_workbook()))
        header = [c.value for c in workbook.worksheets[0][1]]
        assert header == excel.headers()
    assert len(workbook.worksheets) == 2
    assert workbook.worksheets[1].max_row == len(excel.EXPORT_COLUMNS) + 1
