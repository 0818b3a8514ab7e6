"""The registry's spreadsheets without the database: its header names, its choice cells and
its blank template. Reading files, the generic cell readers and the writer are
hoptac.core.tabular's, tested in hoptac/core/tests (test_tabular_reading.py)."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.utils import translation

from hoptac.registry import excel
from hoptac.registry.excel import COLUMNS_BY_KEY as C
from hoptac.registry.excel import match_header, parse_cell

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


# --- writing ---------------------------------------------------------------------------------


def test_the_template_has_every_exported_header_and_a_guide():
    with translation.override("vi"):
        workbook = openpyxl.load_workbook(io.BytesIO(excel.template_workbook()))
        header = [c.value for c in workbook.worksheets[0][1]]
        assert header == excel.headers()
    assert len(workbook.worksheets) == 2
    assert workbook.worksheets[1].max_row == len(excel.EXPORT_COLUMNS) + 1
