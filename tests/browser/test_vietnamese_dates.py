"""Dates and numbers as Vietnamese write them, on a browser set to English (issue 16 item 3):
Chromium runs with the en-US locale, where a native date input reads mm/dd/yyyy; hoptac's date
fields show dd/mm/yyyy, take 5/1/2025 as 5 January 2025, open a Vietnamese date picker, and
its money fields take 1.500.000."""

import re

import pytest
from playwright.sync_api import expect

from conftest import TEST_PASSWORD
from tests.browser.fixtures import ARTIFACTS

pytestmark = pytest.mark.browser


def _data():
    """A district officer of Chợ Đồn and one HTX of his district."""
    from datetime import date

    from hoptac.accounts.models import User
    from hoptac.areas.models import AdminUnit
    from hoptac.registry import services

    def unit(code):
        return AdminUnit.objects.get(era="legacy", code=code)

    officer = User(username="browser.ngay", full_name="Hoàng Văn Ngày", role="district_officer")
    officer.area = unit("064")
    officer.set_password(TEST_PASSWORD)
    officer.save()
    cooperative = services.cooperative_create(
        by=officer, name="HTX Chè Bằng Phúc", tax_code="4700000161", sub_sector="trong_trot",
        sector="nong_nghiep", commune_legacy=unit("02062"), founded_on=date(2015, 3, 1),
    )  # fmt: skip
    return [officer, cooperative]


@pytest.fixture
def english_page(browser, site_url):
    """A tab of a browser whose language is English (United States)."""
    context = browser.new_context(
        base_url=site_url, locale="en-US", viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()


def test_an_english_browser_types_and_sees_vietnamese_dates_and_money(english_page, committed):
    from hoptac.registry.models import Member

    page = english_page
    _officer, cooperative = committed(_data)
    assert page.evaluate("navigator.language") == "en-US"
    page.goto("/accounts/login/")
    page.locator("#id_username").fill("browser.ngay")
    page.locator("#id_password").fill(TEST_PASSWORD)
    page.locator("form button[type=submit]").last.click()
    expect(page.get_by_test_id("user-badge")).to_contain_text("Hoàng Văn Ngày")

    page.goto(f"/htx/{cooperative.pk}/thanh-vien/them/")
    joined = page.locator("#id_joined_on")
    expect(joined).to_have_attribute("type", "text")
    expect(joined).to_have_attribute("placeholder", "dd/mm/yyyy")

    # The picker opens in Vietnamese: weekdays T2…CN from Monday, "Hôm nay", months "Tháng".
    joined.click()
    picker = page.locator(".datepicker.active")
    expect(picker).to_be_visible()
    expect(picker.locator(".days-of-week .dow").first).to_have_text("T2")
    expect(picker.locator(".view-switch")).to_contain_text("Tháng")
    expect(picker.locator(".today-button")).to_have_text("Hôm nay")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "date-picker-vi-on-en-us.png"))
    # Picking a day writes it dd/mm/yyyy.
    picker.locator(
        ".datepicker-cell.day:not(.prev):not(.next)", has_text=re.compile(r"^15$")
    ).click()
    expect(joined).to_have_value(re.compile(r"^15/\d{2}/\d{4}$"))

    # Typed day first, as Vietnamese write it: 5/1/2025 is 5 January, not 1 May.
    joined.fill("5/1/2025")
    page.locator("#id_name").click()  # leaves the date field: the picker closes
    expect(page.locator(".datepicker.active")).to_have_count(0)
    expect(joined).to_have_value("05/01/2025")  # the picker read it day first too
    page.locator("#id_name").fill("Nguyễn Thị Ngày")
    page.locator("#id_capital_contributed").fill("1.500.000")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"tab=members"))

    member = Member.objects.get(cooperative=cooperative, name="Nguyễn Thị Ngày")
    assert (member.joined_on.day, member.joined_on.month, member.joined_on.year) == (5, 1, 2025)
    assert member.capital_contributed == 1_500_000
    expect(page.locator("main")).to_contain_text("05/01/2025")
    expect(page.locator("main")).to_contain_text("1.500.000")

    # The edit form shows both back as Vietnamese write them.
    page.goto(f"/htx/{cooperative.pk}/thanh-vien/{member.pk}/sua/")
    expect(page.locator("#id_joined_on")).to_have_value("05/01/2025")
    expect(page.locator("#id_capital_contributed")).to_have_value("1.500.000")
