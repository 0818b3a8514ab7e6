"""An administrator signs in through the form, creates a commune officer with the area
picker, and finds the new account in the list."""

import re

import pytest
from playwright.sync_api import expect

from conftest import TEST_PASSWORD

pytestmark = pytest.mark.browser

NEW_USERNAME = "browser.xa.luongbang"


def _admin():
    from hoptac.accounts.models import User

    user = User(username="browser.admin", full_name="Quản trị thử", role="admin")
    user.is_staff = user.is_superuser = True
    user.set_password(TEST_PASSWORD)
    user.save()
    return user


def _luong_bang_pk() -> int:
    from hoptac.areas.models import AdminUnit

    return AdminUnit.objects.get(era="legacy", code="02062").pk


def _created() -> list:
    from hoptac.accounts.models import User

    return list(User.objects.filter(username=NEW_USERNAME))


def test_admin_creates_a_commune_officer_and_sees_it_listed(
    page, committed, screenshot, django_db_blocker
):
    committed(_admin)
    with django_db_blocker.unblock():
        luong_bang = _luong_bang_pk()
    try:
        page.goto("/accounts/users/")  # private: the sign-in form, then back here
        page.get_by_label("Tên đăng nhập").fill("browser.admin")
        page.get_by_label("Mật khẩu").fill(TEST_PASSWORD)
        page.get_by_role("button", name="Đăng nhập").click()
        page.wait_for_url("**/accounts/users/")

        page.get_by_role("link", name="Tạo tài khoản").click()
        page.get_by_label("Tên đăng nhập").fill(NEW_USERNAME)
        page.get_by_label("Họ và tên").fill("Ma Thị Hồng")
        page.get_by_label("Chức vụ").fill("Công chức UBND xã Lương Bằng")
        page.get_by_label("Vai trò").select_option(label="Cán bộ cấp xã")

        # the area picker: search without diacritics inside the "Địa bàn" group, pick
        area = page.get_by_role("group", name="Địa bàn")
        area.get_by_role("searchbox").fill("luong bang cho don")
        area.get_by_role("button", name=re.compile("Lương Bằng")).first.click()
        hidden = page.locator('input[type="hidden"][name="area"]')
        expect(hidden).to_have_value(str(luong_bang))  # not wait_for_function: the CSP bars eval
        assert hidden.input_value() == str(luong_bang)

        page.get_by_label("Mật khẩu ban đầu", exact=True).fill("Lua-nuong-2026")
        page.get_by_label("Nhập lại mật khẩu ban đầu").fill("Lua-nuong-2026")
        screenshot("user-create-filled")
        page.get_by_role("button", name="Tạo tài khoản").click()

        page.wait_for_url(re.compile(r"/accounts/users/\d+/$"))
        main = page.locator("main")
        assert "Đã tạo tài khoản browser.xa.luongbang." in main.inner_text()
        assert "Xã Lương Bằng" in main.inner_text()
        assert "Quản trị thử" in page.get_by_test_id("history").inner_text()
        screenshot("user-detail-after-create")

        page.goto("/accounts/users/")
        rows = page.get_by_role("row")
        expect(rows.filter(has_text="browser.admin")).to_have_count(1)
        page.get_by_role("searchbox").fill("hong")  # Ma Thị Hồng, typed without diacritics
        expect(rows.filter(has_text="browser.admin")).to_have_count(0)  # filtered by HTMX
        row = rows.filter(has_text=NEW_USERNAME)
        expect(row).to_have_count(1)
        assert "Cán bộ cấp xã" in row.inner_text()
        assert "Xã Lương Bằng" in row.inner_text()
        screenshot("user-list-after-create")
    finally:
        committed(_created)  # removed after the test, whatever happened
