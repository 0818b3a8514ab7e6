"""An administrator, required to use two-factor sign-in (HOPTAC_REQUIRE_2FA=admin), signs in
for the first time: he enrols an authenticator app (the test plays the app: it reads the
secret from the page and computes the code, as django-otp does), sees his recovery codes,
signs out, signs in again with a fresh code and reaches the administrator's pages."""

import base64
import time

import pytest
from django_otp.oath import totp
from playwright.sync_api import expect

from conftest import TEST_PASSWORD

pytestmark = pytest.mark.browser

USERNAME = "browser.2fa.admin"
STEP = 30  # seconds of one code


def _admin():
    from hoptac.accounts.models import User

    user = User(username=USERNAME, full_name="Quản trị hai bước", role="admin")
    user.is_staff = user.is_superuser = True
    user.set_password(TEST_PASSWORD)
    user.save()
    return user


def _code(key: bytes, *, after_step: int = -1) -> tuple[str, int]:
    """The app's code now, waiting first for a period later than `after_step` (each code is
    accepted once); returns the code and its period."""
    while (step := int(time.time()) // STEP) <= after_step:
        time.sleep(0.5)
    return f"{totp(key, step=STEP):06d}", step


def _sign_in(page) -> None:
    page.goto("/accounts/users/")  # private: the sign-in form first
    page.get_by_label("Tên đăng nhập").fill(USERNAME)
    page.get_by_label("Mật khẩu").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()


def test_admin_enrols_then_signs_in_with_a_fresh_code(page, committed, screenshot, settings):
    settings.HOPTAC_REQUIRE_2FA = "admin"  # the live server runs in this process
    committed(_admin)

    _sign_in(page)
    page.wait_for_url("**/accounts/two-factor/setup/?next=*")
    expect(page.get_by_role("heading", name="Thiết lập xác thực hai bước")).to_be_visible()
    expect(page.get_by_test_id("qr").locator("svg")).to_be_visible()  # drawn on the server
    secret = page.get_by_test_id("secret").inner_text()
    key = base64.b32decode(secret.replace(" ", ""))
    screenshot("two-factor-setup")

    page.goto("/accounts/users/")  # no page before the enrolment is done
    page.wait_for_url("**/accounts/two-factor/setup/?next=*")
    assert page.get_by_test_id("secret").inner_text() == secret  # the same app being enrolled

    code, used_step = _code(key)
    page.get_by_label("Mã xác thực").fill(code)
    page.get_by_role("button", name="Xác nhận").click()
    expect(page.get_by_role("heading", name="Mã dự phòng")).to_be_visible()
    codes = page.get_by_test_id("recovery-codes").get_by_role("listitem").all_inner_texts()
    assert len(set(codes)) == 10
    screenshot("two-factor-recovery-codes")
    page.get_by_role("link", name="Tôi đã cất giữ: tiếp tục").click()
    page.wait_for_url("**/accounts/users/")
    expect(page.get_by_role("row").filter(has_text=USERNAME)).to_have_count(1)

    page.get_by_role("button", name="Đăng xuất").click()
    expect(page.get_by_role("link", name="Đăng nhập")).to_be_visible()

    _sign_in(page)
    page.wait_for_url("**/accounts/two-factor/verify/?next=*")
    expect(page.get_by_role("heading", name="Xác thực hai bước")).to_be_visible()
    screenshot("two-factor-verify")
    code, _step = _code(key, after_step=used_step)
    page.get_by_label("Mã xác thực").fill(code)
    page.get_by_role("button", name="Xác nhận").click()
    page.wait_for_url("**/accounts/users/")
    expect(page.get_by_role("row").filter(has_text=USERNAME)).to_have_count(1)
    badge = page.get_by_test_id("user-badge")
    assert "Quản trị hai bước" in badge.inner_text()

    page.get_by_role("link", name="Xác thực hai bước").click()
    expect(page.get_by_test_id("two-factor-status")).to_contain_text("Còn 10 mã dự phòng.")
