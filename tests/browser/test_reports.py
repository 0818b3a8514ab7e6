"""The annual report in a real browser: an HTX manager fills and submits his report; the commune
officer returns it with a comment; the manager corrects and resubmits; the officer approves."""

import re

import pytest
from playwright.sync_api import expect

from conftest import TEST_PASSWORD

pytestmark = pytest.mark.browser

FIGURES = {
    "Số thành viên cuối năm": "32",
    "Số lao động thường xuyên cuối năm": "12",
    "Vốn điều lệ (đồng)": "1.200.000.000",
    "Tổng nguồn vốn (đồng)": "1.700.000.000",
    "Tổng tài sản (đồng)": "1.700.000.000",
    "Doanh thu (đồng)": "2.400.000.000",
    "Chi phí (đồng)": "2.250.000.000",
    "Lợi nhuận trước thuế (đồng)": "150.000.000",
    "Lợi nhuận sau thuế (đồng)": "120.000.000",
}


def _data(
    officer_user=("browser.xa", "Ma Văn Bình"),
    manager_user=("browser.htx", "Lục Văn Phong"),
    cooperative=("HTX Chè Lương Bằng", "4700000201"),
):
    """A commune officer of Lương Bằng, an HTX there founded in 2015 and its manager (each a
    (user name, full name); the HTX a (name, tax code)); test_manager_year's too."""
    from datetime import date

    from hoptac.accounts.models import User
    from hoptac.areas.models import AdminUnit
    from hoptac.registry import services

    commune = AdminUnit.objects.get(era="legacy", code="02062")
    officer = User(username=officer_user[0], full_name=officer_user[1], role="commune_officer")
    officer.area = commune
    manager = User(username=manager_user[0], full_name=manager_user[1], role="coop_manager")
    for user in (officer, manager):
        user.set_password(TEST_PASSWORD)
        user.save()
    coop = services.cooperative_create(
        by=officer, name=cooperative[0], tax_code=cooperative[1], sub_sector="trong_trot",
        sector="nong_nghiep", commune_legacy=commune, founded_on=date(2015, 3, 1),
    )  # fmt: skip
    coop.managers.add(manager)
    return [officer, manager, coop]  # deleted in reverse order after the test


def _sign_in(page, username, name):
    page.goto("/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_test_id("user-badge")).to_contain_text(name)


def _sign_out(page):
    page.get_by_role("button", name="Đăng xuất").click()


def test_report_is_submitted_returned_corrected_and_approved(page, committed, screenshot):
    from django.utils import timezone

    _officer, _manager, coop = committed(_data)
    year = timezone.localdate().year - 1

    # The manager starts the report from his HTX's page and fills it in.
    _sign_in(page, "browser.htx", "Lục Văn Phong")
    page.goto(f"/htx/{coop.pk}/?tab=reports")
    page.get_by_test_id(f"start-{year}").click()
    for label, value in FIGURES.items():
        page.get_by_label(label).fill(value)
    screenshot("report-form")
    page.get_by_role("button", name="Lưu nháp").click()
    expect(page.get_by_test_id("report-status")).to_have_text("Bản nháp")
    page.get_by_test_id("submit").click()
    expect(page.get_by_test_id("report-status")).to_have_text("Đã gửi")
    expect(page.get_by_test_id("approve")).to_have_count(0)  # a manager never approves
    report_url = page.url
    _sign_out(page)

    # The commune officer returns it with a comment.
    _sign_in(page, "browser.xa", "Ma Văn Bình")
    page.goto(report_url)
    page.get_by_label("Nội dung cần sửa").fill("Lợi nhuận sau thuế chưa trừ thuế TNDN.")
    page.get_by_test_id("return").click()
    expect(page.get_by_test_id("report-status")).to_have_text("Bị trả lại")
    _sign_out(page)

    # The manager reads the comment, corrects and resubmits.
    _sign_in(page, "browser.htx", "Lục Văn Phong")
    page.goto(report_url)
    expect(page.get_by_test_id("return-comment")).to_contain_text("chưa trừ thuế TNDN")
    page.get_by_test_id("edit").click()
    page.get_by_label("Lợi nhuận sau thuế (đồng)").fill("115.000.000")
    page.get_by_role("button", name="Lưu nháp").click()
    expect(page.get_by_test_id("report-status")).to_have_text("Bị trả lại")
    page.get_by_test_id("submit").click()
    expect(page.get_by_test_id("report-status")).to_have_text("Đã gửi")
    _sign_out(page)

    # The officer approves; the report is locked and the national forms can be downloaded.
    _sign_in(page, "browser.xa", "Ma Văn Bình")
    page.goto(report_url)
    page.get_by_test_id("approve").click()
    expect(page.get_by_test_id("report-status")).to_have_text("Đã duyệt")
    expect(page.get_by_test_id("edit")).to_have_count(0)
    expect(page.get_by_test_id("forms-vii")).to_be_visible()
    expect(page.get_by_test_id("history")).to_contain_text("115.000.000")
    screenshot("report-approved")

    # The desk counts it as reported.
    page.goto(f"/bao-cao/?year={year}")
    expect(page.get_by_test_id("desk-rows")).to_contain_text("HTX Chè Lương Bằng")
    expect(page.get_by_test_id("reporting-rate")).to_have_text(re.compile(r"100"))
