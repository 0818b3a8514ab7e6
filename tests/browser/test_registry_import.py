"""The registry's spreadsheets in a real browser: an officer uploads a list with one bad row and
sees it in the preview (row and column named, nothing written); then downloads the export."""

from __future__ import annotations

import io

import openpyxl
import pytest
from playwright.sync_api import expect

from conftest import TEST_PASSWORD

pytestmark = pytest.mark.browser

USERNAME = "browser.xa.import"


def _data():
    """A commune officer of Xã Lương Bằng and one HTX of his commune."""
    from hoptac.accounts.models import User
    from hoptac.areas.models import AdminUnit
    from hoptac.registry import services

    officer = User(username=USERNAME, full_name="Ma Văn Bình", role="commune_officer")
    officer.area = AdminUnit.objects.get(era="legacy", code="02062")
    officer.set_password(TEST_PASSWORD)
    officer.save()
    cooperative = services.cooperative_create(
        by=officer, name="HTX Rau sạch Lương Bằng", tax_code="4700000201",
        commune_legacy=officer.area,
    )  # fmt: skip
    return [officer, cooperative]


def _workbook() -> bytes:
    from hoptac.registry.tests.files import builders as b

    rows = b.sample_rows()
    rows[1][2] = "12345"  # spreadsheet row 5: a code of five digits
    return b.xlsx([["DANH SÁCH HTX XÃ LƯƠNG BẰNG"], [], b.HEADER, *rows], merges=["A1:J1"])


def _sign_in(page) -> None:
    page.goto("/htx/nhap/")  # private: the sign-in form, then back here
    page.get_by_label("Tên đăng nhập").fill(USERNAME)
    page.get_by_label("Mật khẩu").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url("**/htx/nhap/")


@pytest.fixture
def imports_folder(tmp_path, settings):
    settings.VAR_DIR = tmp_path  # the live server runs in this process


def test_import_preview_shows_the_bad_row_and_writes_nothing(
    page, committed, screenshot, imports_folder, django_db_blocker
):
    committed(_data)
    _sign_in(page)
    page.get_by_label("Bảng tính (.xlsx, .xls, .ods hoặc .csv)").set_input_files(
        {"name": "ds-luong-bang.xlsx", "mimeType": "application/octet-stream",
         "buffer": _workbook()}
    )  # fmt: skip
    page.get_by_role("button", name="Tải lên và kiểm tra các cột").click()
    page.wait_for_url("**/htx/nhap/*/")
    expect(page.get_by_label("Tên HTX")).to_have_value("name")  # the select of that column
    expect(page.get_by_label("STT")).to_have_value("")

    page.get_by_role("button", name="Kiểm tra tệp").click()
    alert = page.get_by_test_id("errors-alert")
    expect(alert).to_contain_text("1 dòng có lỗi")
    bad = page.locator("tr[data-row='5']")
    expect(bad).to_contain_text("Lỗi")
    expect(bad).to_contain_text("Cột “Mã số HTX”")
    expect(page.locator("tr[data-row='4']")).to_contain_text("Mới")
    expect(page.locator("tr[data-row='4']")).to_contain_text(
        "Xã Lương Bằng, Huyện Chợ Đồn, Tỉnh Bắc Kạn → Xã Nghĩa Tá, Tỉnh Thái Nguyên"
    )
    expect(page.get_by_test_id("import-button")).to_have_count(0)
    expect(page.get_by_test_id("import-valid-button")).to_be_visible()
    screenshot("registry-import-preview-error")

    with django_db_blocker.unblock():
        from hoptac.registry.models import Cooperative

        assert not Cooperative.objects.filter(tax_code="4700123456").exists()


def test_export_downloads_an_excel_file(page, committed, imports_folder):
    committed(_data)
    _sign_in(page)
    with page.expect_download() as info:
        page.get_by_role("link", name="Xuất ra Excel (.xlsx)").click()
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    with open(download.path(), "rb") as handle:
        sheet = openpyxl.load_workbook(io.BytesIO(handle.read())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][1] == "Tên HTX"
    assert [row[1] for row in rows[1:]] == ["HTX Rau sạch Lương Bằng"]


def _long_workbook(rows: int) -> bytes:
    from hoptac.registry.tests.files import builders as b

    sample = b.sample_rows()[0]
    data = [
        [i, f"HTX Thử nghiệm {i}", str(4700100000 + i), *sample[3:]] for i in range(1, rows + 1)
    ]
    return b.xlsx([b.HEADER, *data])


def test_a_long_check_ends_with_its_preview_and_is_among_my_jobs(page, committed, imports_folder):
    """The check is a background job (the tests' queue runs it at once; its bar polled by a
    real worker is tested in tests/processes): the page shows its preview, "My jobs" lists it."""
    committed(_data)
    _sign_in(page)
    page.get_by_label("Bảng tính (.xlsx, .xls, .ods hoặc .csv)").set_input_files(
        {"name": "dai.xlsx", "mimeType": "application/octet-stream",
         "buffer": _long_workbook(3000)}
    )  # fmt: skip
    page.get_by_role("button", name="Tải lên và kiểm tra các cột").click()
    page.wait_for_url("**/htx/nhap/*/")
    page.get_by_role("button", name="Kiểm tra tệp").click()
    expect(page.get_by_test_id("import-button")).to_be_visible(timeout=60_000)
    expect(page.locator("#preview")).to_contain_text("Mới (3.000)")
    page.get_by_test_id("my-jobs").click()
    expect(page.get_by_test_id("job-row").first).to_contain_text("Kiểm tra “dai.xlsx”")
