"""Notifications in a real browser: the bell in the header shows the unread count, the page
lists them newest first, opening one marks it read and goes to its link, "mark all read"
empties the bell."""

import pytest
from playwright.sync_api import expect

from conftest import TEST_PASSWORD

pytestmark = pytest.mark.browser


def _data():
    """An HTX manager with two notifications (the newer one unread first on the page)."""
    from hoptac.accounts.models import User
    from hoptac.notifications import services

    manager = User(username="browser.bell", full_name="Lục Văn Chuông", role="coop_manager")
    manager.set_password(TEST_PASSWORD)
    manager.save()
    services.notify(
        [manager], "report_returned", "Báo cáo năm 2025 bị trả lại", "Sửa doanh thu.", "/bao-cao/"
    )
    services.notify([manager], "rating_published", "Kết quả xếp loại năm 2025", "", "/xep-loai/")
    return [manager]  # his notifications go with him


def test_the_bell_counts_and_the_page_lists_and_opens(page, committed, screenshot):
    committed(_data)
    page.goto("/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill("browser.bell")
    page.get_by_label("Mật khẩu").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_test_id("bell-count")).to_contain_text("2")

    page.get_by_test_id("bell").click()
    expect(page).to_have_url("/thong-bao/")
    rows = page.get_by_test_id("notification")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("Kết quả xếp loại năm 2025")
    expect(rows.nth(1)).to_contain_text("Sửa doanh thu.")
    screenshot("notifications")

    page.get_by_role("button", name="Báo cáo năm 2025 bị trả lại").click()
    expect(page).to_have_url("/bao-cao/")
    expect(page.get_by_test_id("bell-count")).to_contain_text("1")

    page.goto("/thong-bao/")
    expect(page.locator("[data-unread]")).to_have_count(1)
    page.get_by_test_id("mark-all-read").click()
    expect(page.locator("[data-unread]")).to_have_count(0)
    expect(page.get_by_test_id("bell-count")).to_have_count(0)
