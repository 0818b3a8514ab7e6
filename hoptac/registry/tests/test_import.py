"""Importing the registry from spreadsheets: every format, layouts as offices make them,
matching, validation, scope, the history, all-or-nothing and the fix-list."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.test import override_settings
from django.utils import translation

from hoptac.registry import importing, services
from hoptac.registry.choices import Sector, Status, SubSector
from hoptac.registry.excel import ImportFileError
from hoptac.registry.models import Cooperative, StatusChange
from hoptac.registry.tests.files import builders as b

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def run(path: Path, user, **kwargs) -> tuple[importing.Summary, list[importing.RowPlan]]:
    plans: list[importing.RowPlan] = []
    summary = importing.run_import(path, user=user, on_plan=plans.append, **kwargs)
    return summary, plans


def sample_xlsx(tmp_path: Path, rows=None) -> Path:
    title = [["DANH SÁCH HỢP TÁC XÃ XÃ LƯƠNG BẰNG"], ["(Kèm theo Báo cáo số 5/BC-UBND)"], []]
    data = b.xlsx([*title, b.HEADER, *(rows or b.sample_rows())], merges=["A1:J1", "A2:J2"])
    return write(tmp_path, "ds.xlsx", data)


def assert_sample_imported() -> None:
    che = Cooperative.objects.get(tax_code="4700123456")
    assert che.name == "HTX Chè Mỹ Phương"
    assert che.commune_legacy.code == "02062"  # Xã Lương Bằng
    assert che.commune.full_name == "Xã Nghĩa Tá, Tỉnh Thái Nguyên"  # its 2025 commune
    assert che.province_legacy.code == "06"
    assert (che.sector, che.sub_sector) == (Sector.AGRICULTURAL, SubSector.CROPS)
    assert che.founded_on == date(2015, 3, 15)
    assert che.charter_capital == Decimal(1_500_000_000)
    assert che.members_count == 12
    assert che.high_tech is True
    assert che.latitude is not None  # the commune's centroid
    service = Cooperative.objects.get(name="HTX Dịch vụ Lương Bằng")
    assert (service.tax_code, service.sector) == ("", Sector.NON_AGRICULTURAL)
    assert Cooperative.objects.get(tax_code="4700654321").charter_capital == Decimal(2_000_500_000)


# --- formats and layouts ----------------------------------------------------------------------


def test_xlsx_below_a_merged_title_block_is_imported(tmp_path, commune_officer):
    path = sample_xlsx(tmp_path)
    layout = importing.read_layout(path)
    assert layout.header_rows == [4]
    assert layout.first_data_row == 5
    summary, plans = run(path, commune_officer)
    assert summary.as_dict()["created"] == 3
    assert summary.written
    assert [p.row for p in plans] == [5, 6, 7]  # as the spreadsheet numbers them
    assert_sample_imported()


def test_every_new_row_has_its_history_and_first_status(tmp_path, commune_officer):
    run(sample_xlsx(tmp_path), commune_officer)
    che = Cooperative.objects.get(tax_code="4700123456")
    record = che.history.get()
    assert (record.history_type, record.history_user) == ("+", commune_officer)
    assert record.history_change_reason == "Nhập từ tệp ds.xlsx"
    status = StatusChange.objects.get(cooperative=che)
    assert (status.status, status.effective_on, status.by) == (
        Status.ACTIVE,
        date(2015, 3, 15),
        commune_officer,
    )
    assert status.history.count() == 1
    assert "che my phuong" in che.search_text


def test_xls_with_a_two_row_merged_header_and_split_address(district_officer):
    layout = importing.read_layout(b.XLS_FIXTURE)
    assert layout.format == "xls"
    assert layout.header_rows == [5]
    assert layout.proposed[3:6] == ["commune_name", "district_name", "province_name"]
    summary, _plans = run(b.XLS_FIXTURE, district_officer)
    assert (summary.created, summary.error_rows) == (3, 0)
    nghia_ta = Cooperative.objects.get(name="HTX Dịch vụ Nghĩa Tá")
    assert nghia_ta.commune_legacy.code == "02071"
    assert nghia_ta.founded_on == date(2018, 1, 1)  # "Năm thành lập": a year alone
    assert nghia_ta.registered_on == date(2018, 6, 1)
    assert Cooperative.objects.get(name="HTX Cao Phong").charter_capital == Decimal(2_000_500_000)


def test_ods_with_a_merged_two_row_header(tmp_path, commune_officer):
    rows = [
        ["DANH SÁCH HTX", None, None, None, None],
        [None] * 5,
        ["STT", "Tên HTX", "Địa chỉ", None, "Lĩnh vực"],
        [None, None, "Xã", "Tỉnh", None],
        [1, "HTX Rau sạch Lương Bằng", "Lương Bằng, Chợ Đồn", "Bắc Kạn", "Nông nghiệp"],
    ]
    spans = {(0, 0): (1, 5), (2, 0): (2, 1), (2, 1): (2, 1), (2, 2): (1, 2), (2, 4): (2, 1)}
    path = write(tmp_path, "ds.ods", b.ods(rows, spans=spans))
    layout = importing.read_layout(path)
    assert layout.header_rows == [4]  # row 4 holds every name once the merges are filled
    assert layout.proposed == [None, "name", "commune_name", "province_name", "sector"]
    summary, plans = run(path, commune_officer)
    assert (summary.created, summary.error_rows) == (1, 0), plans[0].errors
    assert Cooperative.objects.get(name="HTX Rau sạch Lương Bằng").commune_legacy.code == "02062"


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("utf-8", ","), ("utf-8-sig", ";"), ("utf-16", "\t"), ("cp1258", ",")],
)
def test_csv_in_each_encoding(tmp_path, commune_officer, encoding, delimiter):
    data = b.csv_bytes([b.HEADER, *b.sample_rows()], encoding=encoding, delimiter=delimiter)
    summary, _plans = run(write(tmp_path, "ds.csv", data), commune_officer)
    assert (summary.created, summary.error_rows) == (3, 0)
    assert_sample_imported()


def test_headers_without_diacritics_and_in_english(tmp_path, commune_officer):
    ascii_header = [
        "STT",
        "Ten hop tac xa",
        "Ma so thue",
        "Dia chi",
        "Linh vuc",
        "Nganh",
        "Ngay thanh lap",
        "Von dieu le (trieu dong)",
        "So thanh vien",
        "Ung dung CNC",
    ]
    english = ["No.", "Name", "Tax code", "Address", "Sector", "Sub-sector", "Founded",
               "Charter capital", "Members", "High technology"]  # fmt: skip
    for header in (ascii_header, english):
        layout = importing.read_layout(write(tmp_path, "h.xlsx", b.xlsx([header])))
        expected = [None, "name", "tax_code", "address", "sector", "sub_sector", "founded_on",
                    "charter_capital", "members_count", "high_tech"]  # fmt: skip
        assert layout.proposed == expected
    rows = [[*r[:7], r[7] * 1_000_000, *r[8:]] for r in b.sample_rows()]
    summary, _plans = run(write(tmp_path, "en.xlsx", b.xlsx([english, *rows])), commune_officer)
    assert summary.created == 3
    assert_sample_imported()


def test_a_file_without_a_header_row_is_refused(tmp_path, commune_officer):
    path = write(tmp_path, "x.xlsx", b.xlsx([["a", "b"], [1, 2]]))
    with pytest.raises(ImportFileError) as caught:
        run(path, commune_officer)
    assert "Tên HTX" in caught.value.message


@override_settings(HOPTAC_MAX_IMPORT_MB=1)
def test_a_file_too_large_is_refused(tmp_path, commune_officer):
    rows = [b.HEADER, *(b.sample_rows() * 3000)]
    path = write(tmp_path, "big.csv", b.csv_bytes(rows))
    assert path.stat().st_size > 1024 * 1024
    with pytest.raises(ImportFileError) as caught:
        run(path, commune_officer)
    assert "1 MB" in caught.value.message


# --- addresses --------------------------------------------------------------------------------


def test_an_old_address_is_shown_with_todays_commune(tmp_path, commune_officer):
    rows = [[1, "HTX A", None, "xa luong bang, huyen cho don, tinh bac kan", "Nông nghiệp",
             None, None, None, None, None]]  # fmt: skip
    summary, plans = run(sample_xlsx(tmp_path, rows), commune_officer, dry_run=True)
    assert summary.created == 1
    assert plans[0].place == (
        "Xã Lương Bằng, Huyện Chợ Đồn, Tỉnh Bắc Kạn → Xã Nghĩa Tá, Tỉnh Thái Nguyên"
    )
    assert not Cooperative.objects.exists()  # a dry run


def test_an_address_of_the_2025_tree(tmp_path, current_officer):
    rows = [[1, "HTX Mới", None, "Xã Nghĩa Tá, Tỉnh Thái Nguyên", "Nông nghiệp", None, None,
             None, None, None]]  # fmt: skip
    summary, _plans = run(sample_xlsx(tmp_path, rows), current_officer)
    assert summary.created == 1
    coop = Cooperative.objects.get(name="HTX Mới")
    assert coop.commune_legacy is None
    assert coop.commune.full_name == "Xã Nghĩa Tá, Tỉnh Thái Nguyên"


def test_an_address_that_is_no_commune_is_an_error_of_its_column(tmp_path, commune_officer):
    rows = [[1, "HTX A", None, "Tỉnh Bắc Kạn", "Nông nghiệp", None, None, None, None, None]]
    summary, plans = run(sample_xlsx(tmp_path, rows), commune_officer, dry_run=True)
    assert summary.error_rows == 1
    assert plans[0].errors[0].column == "Địa chỉ"


# --- validation: one bad row, nothing written -------------------------------------------------


def test_one_bad_row_writes_nothing_and_names_its_row_and_column(tmp_path, commune_officer):
    rows = b.sample_rows()
    rows[1][2] = "12345"  # a registration code of five digits, on spreadsheet row 6
    summary, _plans = run(sample_xlsx(tmp_path, rows), commune_officer)
    assert not summary.written
    assert not Cooperative.objects.exists()
    assert not Cooperative.history.exists()
    assert (summary.created, summary.error_rows) == (2, 1)
    error = summary.errors[0].as_dict()
    assert (error["row"], error["column"]) == (6, "Mã số HTX")
    assert "10" in error["message"]


def test_cell_errors_name_the_row_and_column_in_vietnamese(tmp_path, commune_officer):
    rows = b.sample_rows()
    rows[0][6] = "31/02/2015"
    rows[2][8] = "nhiều"
    summary, _plans = run(sample_xlsx(tmp_path, rows), commune_officer, dry_run=True)
    found = {(e.row, e.column) for e in summary.errors}
    assert found == {(5, "Ngày thành lập"), (7, "Số thành viên")}
    assert any("dd/mm/yyyy" in e.message and "“31/02/2015”" in e.message for e in summary.errors)


def test_rules_of_the_whole_row_are_checked(tmp_path, commune_officer):
    rows = b.sample_rows()
    rows[0][4], rows[0][5] = "Phi nông nghiệp", "Trồng trọt"  # sub-sector of another sector
    rows[1][3] = None  # no address for a new cooperative
    rows[2][4] = None  # no sector
    rows[2][5] = None
    summary, plans = run(sample_xlsx(tmp_path, rows), commune_officer, dry_run=True)
    assert summary.error_rows == 3
    assert {e.column for e in plans[0].errors} == {"Ngành"}
    assert {e.column for e in plans[1].errors} == {"Địa chỉ"}
    assert {e.column for e in plans[2].errors} == {"Lĩnh vực"}


def test_two_rows_with_one_code_are_refused(tmp_path, commune_officer):
    rows = b.sample_rows()
    rows[2][2] = rows[0][2]
    summary, _plans = run(sample_xlsx(tmp_path, rows), commune_officer)
    assert not summary.written
    assert summary.errors[0].row == 7
    assert "5" in summary.errors[0].message  # names the first row with that code


# --- scope ------------------------------------------------------------------------------------


def test_a_row_in_a_foreign_commune_is_refused(tmp_path, commune_officer):
    rows = b.sample_rows()
    rows[1][3] = b.NGHIA_TA
    summary, _plans = run(sample_xlsx(tmp_path, rows), commune_officer)
    assert not summary.written
    assert not Cooperative.objects.exists()
    [error] = summary.errors
    assert (error.row, error.column) == (6, "Địa chỉ")
    assert "Xã Nghĩa Tá" in error.message


def test_an_officer_of_the_2025_tree_imports_old_addresses_of_his_province(
    tmp_path, current_officer
):
    summary, _plans = run(sample_xlsx(tmp_path), current_officer)
    assert (summary.created, summary.error_rows) == (3, 0)


def test_a_code_of_a_cooperative_outside_the_area_is_refused(
    tmp_path, commune_officer, admin, nghia_ta
):
    services.cooperative_create(
        by=admin, name="HTX Nghĩa Tá", tax_code="4700123456", commune_legacy=nghia_ta
    )
    summary, _plans = run(sample_xlsx(tmp_path), commune_officer)
    assert not summary.written
    [error] = summary.errors
    assert (error.row, error.column) == (5, "Mã số HTX")
    assert Cooperative.objects.get(tax_code="4700123456").name == "HTX Nghĩa Tá"


# --- matching, changes, history -----------------------------------------------------------------


def test_rows_are_matched_by_code_then_by_name_and_commune(tmp_path, commune_officer, luong_bang):
    by_code = services.cooperative_create(
        by=commune_officer, name="HTX Chè Mỹ Phương cũ", tax_code="4700123456",
        commune_legacy=luong_bang, members_count=5,
    )  # fmt: skip
    by_name = services.cooperative_create(
        by=commune_officer, name="HTX dich vu Luong Bang", commune_legacy=luong_bang,
        sector=Sector.NON_AGRICULTURAL,
    )  # fmt: skip
    summary, plans = run(sample_xlsx(tmp_path), commune_officer)
    assert (summary.created, summary.updated) == (1, 2)
    assert plans[0].existing == by_code
    assert plans[1].existing == by_name
    changed = {c.label: (c.old, c.new) for c in plans[0].changes}
    assert changed["Số thành viên"] == ("5", "12")
    assert changed["Tên HTX"] == ("HTX Chè Mỹ Phương cũ", "HTX Chè Mỹ Phương")
    by_code.refresh_from_db()
    assert (by_code.name, by_code.members_count, by_code.version) == ("HTX Chè Mỹ Phương", 12, 2)
    latest = by_code.history.latest()
    assert (latest.history_type, latest.history_user) == ("~", commune_officer)


def test_a_name_matching_an_htx_with_another_code_is_an_error_of_the_code(
    tmp_path, commune_officer, luong_bang
):
    """A row whose code the registry does not know, named as an HTX of its commune that has
    another code, is not matched silently (which would change that HTX's code): its code
    cell is an error that names the HTX and its code. Nothing is written."""
    other = services.cooperative_create(
        by=commune_officer, name="HTX Cao Phong", tax_code="4700999999",
        commune_legacy=luong_bang,
    )  # fmt: skip
    summary, plans = run(sample_xlsx(tmp_path), commune_officer)
    assert not summary.written
    assert [p.action for p in plans] == ["new", "new", "error"]
    [error] = plans[2].errors
    assert (error.row, error.column) == (7, "Mã số HTX")
    assert "HTX Cao Phong" in error.message
    assert "4700999999" in error.message
    other.refresh_from_db()
    assert (other.tax_code, other.version) == ("4700999999", 1)


def test_a_name_matching_an_htx_without_a_code_updates_it_and_sets_the_code(
    tmp_path, commune_officer, luong_bang
):
    without_code = services.cooperative_create(
        by=commune_officer, name="hợp tác xã  CAO PHONG", commune_legacy=luong_bang,
    )  # fmt: skip
    assert without_code.name_key == "htx cao phong"
    summary, plans = run(sample_xlsx(tmp_path), commune_officer)
    assert summary.written
    assert plans[2].existing == without_code
    without_code.refresh_from_db()
    assert (without_code.tax_code, without_code.name) == ("4700654321", "HTX Cao Phong")
    assert without_code.name_key == "htx cao phong"


def test_every_write_keeps_the_name_key(tmp_path, commune_officer, luong_bang):
    run(sample_xlsx(tmp_path), commune_officer)
    imported = Cooperative.objects.get(tax_code="4700123456")
    assert imported.name_key == "htx che my phuong"
    services.cooperative_update(
        cooperative=imported, by=commune_officer, version=imported.version, name="HTX Chè Tân"
    )
    imported.refresh_from_db()
    assert imported.name_key == "htx che tan"


def test_matching_by_name_reads_only_the_candidates(tmp_path, commune_officer, luong_bang):
    """Planning a chunk asks for the HTX of the rows' names in their communes (by the stored
    key), not for every HTX of those communes."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for n in range(30):
        services.cooperative_create(
            by=commune_officer, name=f"HTX Khác {n}", commune_legacy=luong_bang
        )
    by_name = services.cooperative_create(
        by=commune_officer, name="HTX dich vu Luong Bang", commune_legacy=luong_bang,
        sector=Sector.NON_AGRICULTURAL,
    )  # fmt: skip
    with CaptureQueriesContext(connection) as queries:
        summary, plans = run(sample_xlsx(tmp_path), commune_officer, dry_run=True)
    assert plans[1].existing == by_name
    assert summary.created == 2
    # one query asks for the keys of the rows' names (IN on SQLite, pairs on PostgreSQL)
    selects = [q["sql"] for q in queries if "htx dich vu luong bang" in q["sql"]]
    assert len(selects) == 1
    assert "name_key" in selects[0]
    assert "htx khac" not in selects[0]


def test_a_second_import_of_the_same_file_changes_nothing(tmp_path, commune_officer):
    path = sample_xlsx(tmp_path)
    run(path, commune_officer)
    records = Cooperative.history.count()
    summary, _plans = run(path, commune_officer)
    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 3)
    assert Cooperative.history.count() == records


def test_a_year_alone_leaves_a_date_of_that_year_unchanged(tmp_path, commune_officer, luong_bang):
    services.cooperative_create(
        by=commune_officer, name="HTX A", tax_code="4700123456", commune_legacy=luong_bang,
        founded_on=date(2015, 3, 15),
    )  # fmt: skip
    rows = [["Tên HTX", "Mã số HTX", "Năm thành lập"], ["HTX A", "4700123456", 2015]]
    summary, _plans = run(write(tmp_path, "y.xlsx", b.xlsx(rows)), commune_officer)
    assert summary.unchanged == 1
    rows[1][2] = 2016
    summary, _plans = run(write(tmp_path, "y.xlsx", b.xlsx(rows)), commune_officer)
    assert summary.updated == 1
    assert Cooperative.objects.get().founded_on == date(2016, 1, 1)


def test_a_status_column_records_a_dated_status_change(tmp_path, commune_officer, luong_bang):
    coop = services.cooperative_create(
        by=commune_officer, name="HTX A", tax_code="4700123456", commune_legacy=luong_bang
    )
    rows = [["Tên HTX", "Mã số HTX", "Tình trạng"], ["HTX A", "4700123456", "Tạm ngừng kinh doanh"]]
    summary, _plans = run(write(tmp_path, "s.xlsx", b.xlsx(rows)), commune_officer)
    assert summary.updated == 1
    coop.refresh_from_db()
    assert coop.status == Status.SUSPENDED
    assert coop.status_changes.count() == 2
    rows[1][2] = "Đã giải thể"  # not allowed from a suspension without dissolution
    summary, _plans = run(write(tmp_path, "s.xlsx", b.xlsx(rows)), commune_officer)
    assert summary.errors[0].column == "Tình trạng"


def test_a_file_of_codes_and_figures_updates_without_addresses(tmp_path, admin, luong_bang):
    services.cooperative_create(
        by=admin, name="HTX A", tax_code="4700123456", commune_legacy=luong_bang
    )
    rows = [["Mã số thuế", "Số lao động"], ["4700123456", 31], ["4700999999", 4]]
    summary, plans = run(write(tmp_path, "f.xlsx", b.xlsx(rows)), admin)
    assert summary.updated == 1
    assert summary.error_rows == 1  # an unknown code cannot be a new cooperative without a name
    assert plans[1].row == 3


# --- valid rows only, and the fix-list -------------------------------------------------------


def test_valid_only_imports_the_valid_rows_and_lists_the_others(tmp_path, commune_officer):
    rows = b.sample_rows()
    rows[1][2] = "12345"
    fix_list = tmp_path / "fix.xlsx"
    summary, _plans = run(
        sample_xlsx(tmp_path, rows), commune_officer, valid_only=True, fix_list=fix_list
    )
    assert summary.written
    assert summary.accounted
    assert Cooperative.objects.count() == 2
    sheet = openpyxl.load_workbook(fix_list).active
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert values[0][0] == "DANH SÁCH HỢP TÁC XÃ XÃ LƯƠNG BẰNG"  # the title block is kept
    assert values[3] == [*b.HEADER, "Lỗi"]
    assert values[4][1] == "HTX Dịch vụ Lương Bằng"
    assert values[4][-1].startswith("Mã số HTX: ")
    assert len(values) == 5


def test_a_corrected_fix_list_imports_the_rest(tmp_path, commune_officer):
    rows = b.sample_rows()
    rows[1][2] = "12345"
    fix_list = tmp_path / "fix.xlsx"
    run(sample_xlsx(tmp_path, rows), commune_officer, valid_only=True, fix_list=fix_list)
    workbook = openpyxl.load_workbook(fix_list)
    workbook.active["C5"] = "4700111111"
    workbook.save(fix_list)
    summary, _plans = run(fix_list, commune_officer)
    assert (summary.created, summary.error_rows, summary.written) == (1, 0, True)
    assert Cooperative.objects.count() == 3


def test_a_csv_fix_list_is_a_csv_with_the_same_delimiter(tmp_path, commune_officer):
    rows = b.sample_rows()
    rows[0][3] = b.NGHIA_TA
    data = b.csv_bytes([b.HEADER, *rows], encoding="utf-8-sig", delimiter=";")
    fix_list = tmp_path / "fix.csv"
    summary, _plans = run(
        write(tmp_path, "ds.csv", data), commune_officer, valid_only=True, fix_list=fix_list
    )
    assert summary.accounted
    lines = fix_list.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].split(";")[-1] == "Lỗi"
    assert lines[1].startswith("1;HTX Chè Mỹ Phương;")
    assert len(lines) == 2
