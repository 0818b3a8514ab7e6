"""The cooperative registry in a real browser: search, filter, and an edit conflict between
two tabs (the second save is refused and shows what changed meanwhile)."""

import re

import pytest
from playwright.sync_api import expect

from conftest import TEST_PASSWORD
from tests.browser.fixtures import ARTIFACTS

pytestmark = pytest.mark.browser


def _data():
    """A district officer of Chợ Đồn and three HTX of his district."""
    from datetime import date

    from hoptac.accounts.models import User
    from hoptac.areas.models import AdminUnit
    from hoptac.registry import services

    def unit(code):
        return AdminUnit.objects.get(era="legacy", code=code)

    officer = User(username="browser.huyen", full_name="Hoàng Văn An", role="district_officer")
    officer.area = unit("064")
    officer.set_password(TEST_PASSWORD)
    officer.save()
    rows = [
        ("HTX Chè Mỹ Phương", "4700000101", "trong_trot", "nong_nghiep", "02062"),
        ("HTX Cao Phong", "4700000102", "chan_nuoi", "nong_nghiep", "02047"),
        ("HTX Vận tải Bằng Lũng", "4700000103", "van_tai", "phi_nong_nghiep", "02020"),
    ]
    cooperatives = [
        services.cooperative_create(
            by=officer, name=name, tax_code=code, sub_sector=sub, sector=sector,
            commune_legacy=unit(commune), founded_on=date(2015, 3, 1),
        )
        for name, code, sub, sector, commune in rows
    ]  # fmt: skip
    return [officer, *cooperatives]  # deleted in reverse order after the test


def _sign_in(page, username="browser.huyen"):
    page.goto("/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_test_id("user-badge")).to_contain_text("Hoàng Văn An")


def _results(page):
    return page.locator("#results")


def test_search_without_diacritics_finds_the_htx(page, committed, screenshot):
    committed(_data)
    _sign_in(page)
    page.get_by_role("link", name="Hợp tác xã", exact=True).first.click()
    expect(page.get_by_test_id("total")).to_contain_text("3")
    page.get_by_label("Tìm kiếm").fill("che my phuong")
    expect(page.get_by_test_id("total")).to_contain_text("1")
    expect(_results(page)).to_contain_text("HTX Chè Mỹ Phương")
    expect(_results(page)).not_to_contain_text("HTX Cao Phong")
    expect(page).to_have_url(re.compile(r"q=che(\+|%20)my(\+|%20)phuong"))
    screenshot("registry-search")
    _results(page).get_by_role("link", name="HTX Chè Mỹ Phương").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("HTX Chè Mỹ Phương")
    expect(page.get_by_test_id("status-timeline")).to_contain_text("Đang hoạt động")
    page.get_by_role("tab", name="Lịch sử thay đổi").click()
    expect(page.get_by_test_id("change-history")).to_contain_text("Ghi vào sổ")
    expect(page).to_have_url(re.compile(r"tab=history"))


def test_filter_by_sector_updates_the_results(page, committed, screenshot):
    committed(_data)
    _sign_in(page)
    page.goto("/htx/")
    page.get_by_label("Lĩnh vực", exact=True).select_option("phi_nong_nghiep")
    expect(page.get_by_test_id("total")).to_contain_text("1")
    expect(_results(page)).to_contain_text("HTX Vận tải Bằng Lũng")
    expect(_results(page)).not_to_contain_text("HTX Chè Mỹ Phương")
    page.get_by_label("Lĩnh vực", exact=True).select_option("nong_nghiep")
    expect(page.get_by_test_id("total")).to_contain_text("2")
    screenshot("registry-filter")
    page.reload()  # the filtered list is a plain URL too
    expect(page.get_by_test_id("total")).to_contain_text("2")


def test_edit_conflict_between_two_tabs(page, committed):
    cooperative = committed(_data)[1]
    _sign_in(page)
    edit_url = f"/htx/{cooperative.pk}/sua/"
    first = page
    second = page.context.new_page()
    first.goto(edit_url)
    second.goto(edit_url)

    first.get_by_label("Điện thoại", exact=True).fill("0209 3870 111")
    first.get_by_role("button", name="Lưu").click()
    expect(first.locator(".alert-success")).to_contain_text("Đã lưu các thay đổi")

    second.locator("#id_name").fill("HTX Chè Mỹ Phương Ba Bể")
    second.get_by_role("button", name="Lưu").click()
    errors = second.get_by_test_id("form-errors")
    expect(errors).to_contain_text("Người khác đã sửa hợp tác xã này")
    conflict = second.get_by_test_id("conflict")
    expect(conflict).to_contain_text("Điện thoại")
    expect(conflict).to_contain_text("0209 3870 111")
    expect(conflict).to_contain_text("Hoàng Văn An")
    expect(second.locator("#id_name")).to_have_value("HTX Chè Mỹ Phương Ba Bể")
    ARTIFACTS.mkdir(exist_ok=True)
    second.screenshot(path=str(ARTIFACTS / "registry-conflict.png"), full_page=True)

    first.goto(f"/htx/{cooperative.pk}/")
    expect(first.get_by_role("heading", level=1)).to_have_text("HTX Chè Mỹ Phương")
