"""A person signs in through the real form and sees who and where he is."""

import pytest

from conftest import TEST_PASSWORD

pytestmark = pytest.mark.browser


def _officer():
    from hoptac.accounts.models import User
    from hoptac.areas.models import AdminUnit

    user = User(
        username="browser.officer",
        full_name="Hoàng Văn An",
        role="district_officer",
        area=AdminUnit.objects.get(era="legacy", code="064"),
    )
    user.set_password(TEST_PASSWORD)
    user.save()
    return user


def test_officer_signs_in_and_sees_name_and_area(page, committed, screenshot):
    committed(_officer)
    page.goto("/")
    screenshot("home-anonymous")
    page.get_by_role("link", name="Đăng nhập").click()
    page.get_by_label("Tên đăng nhập").fill("browser.officer")
    page.get_by_label("Mật khẩu").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    badge = page.get_by_test_id("user-badge")
    assert "Hoàng Văn An" in badge.inner_text()
    assert "Huyện Chợ Đồn" in badge.inner_text()
    screenshot("home-officer")


def test_wrong_password_is_refused_with_a_vietnamese_message(page, committed):
    committed(_officer)
    page.goto("/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill("browser.officer")
    page.get_by_label("Mật khẩu").fill("not-the-password")
    page.get_by_role("button", name="Đăng nhập").click()
    alert = page.get_by_role("alert").inner_text()
    assert "Vui lòng điền vào Tên đăng nhập và mật khẩu chính xác" in alert
