"""An administrator finds a district with the area picker, typing without diacritics, then
goes on to a commune with the keyboard."""

import pytest
from playwright.sync_api import expect

from conftest import TEST_PASSWORD

pytestmark = pytest.mark.browser


def _admin():
    from hoptac.accounts.models import User

    user = User(username="browser.admin", full_name="Quản trị", role="admin", is_superuser=True)
    user.set_password(TEST_PASSWORD)
    user.save()
    return user


def _sign_in(page):
    page.goto("/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill("browser.admin")
    page.get_by_label("Mật khẩu").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_test_id("user-badge").wait_for()


def _selected(select) -> str:
    return select.evaluate("el => el.options[el.selectedIndex].text")


def test_admin_types_cho_don_and_picks_the_district(page, committed, screenshot):
    committed(_admin)
    _sign_in(page)
    page.goto("/areas/")
    picker = page.get_by_test_id("area-picker")
    value = picker.get_by_test_id("area-picker-value")

    picker.get_by_label("Tìm đơn vị theo tên").fill("cho don")
    results = picker.get_by_role("listitem")
    expect(results.first).to_have_text("Huyện Chợ Đồn, Tỉnh Bắc Kạn (064)")
    screenshot("area-picker-search")
    picker.get_by_role("button", name="Huyện Chợ Đồn, Tỉnh Bắc Kạn (064)").click()

    expect(value).to_have_text("Huyện Chợ Đồn, Tỉnh Bắc Kạn")
    district = picker.get_by_label("Huyện/quận/thị xã/thành phố thuộc tỉnh")
    assert _selected(district) == "Huyện Chợ Đồn"
    assert _selected(picker.get_by_label("Tỉnh/thành phố")) == "Tỉnh Bắc Kạn"
    assert page.locator("#id_within").input_value() == district.input_value()
    expect(district).to_be_focused()  # the keyboard carries on from the unit picked
    # The list below follows the choice: the district and its 20 communes.
    expect(page.get_by_test_id("unit-results")).to_contain_text("Số đơn vị: 21")
    screenshot("area-picker-chosen")

    page.keyboard.press("Tab")
    commune = picker.get_by_label("Xã/phường/thị trấn/đặc khu")
    expect(commune).to_be_focused()
    page.keyboard.press("ArrowDown")  # the first commune of Chợ Đồn
    expect(value).to_have_text("Thị trấn Bằng Lũng, Huyện Chợ Đồn, Tỉnh Bắc Kạn")
    expect(page.get_by_test_id("unit-results")).to_contain_text("Số đơn vị: 1")
    expect(commune).to_be_focused()


# HTMX marks what is being requested, swapped or settled; the picker is quiet without them.
HTMX_BUSY = ".htmx-request, .htmx-swapping, .htmx-settling"


def _choose(page, select, label: str) -> None:
    """Choose an option once the picker's previous re-render is over (a choice made while a
    swap is pending is lost with the element it was made on). Waits through locators: a
    wait_for_function string is eval'd in the page, which the site's CSP refuses."""
    expect(page.locator(HTMX_BUSY)).to_have_count(0)
    select.select_option(label=label)
    expect(page.locator(HTMX_BUSY)).to_have_count(0)


def test_chained_selects_reach_a_commune(page, committed):
    committed(_admin)
    _sign_in(page)
    page.goto("/areas/")
    picker = page.get_by_test_id("area-picker")
    _choose(page, picker.get_by_label("Tỉnh/thành phố"), "Tỉnh Bắc Kạn")
    # Each choice re-renders the picker over HTMX: wait for the next list to be filled.
    districts = picker.get_by_label("Huyện/quận/thị xã/thành phố thuộc tỉnh")
    expect(districts.locator("option", has_text="Huyện Chợ Đồn")).to_have_count(1)
    _choose(page, districts, "Huyện Chợ Đồn")
    communes = picker.get_by_label("Xã/phường/thị trấn/đặc khu")
    expect(communes.locator("option", has_text="Xã Lương Bằng")).to_have_count(1)
    _choose(page, communes, "Xã Lương Bằng")
    expect(picker.get_by_test_id("area-picker-value")).to_have_text(
        "Xã Lương Bằng, Huyện Chợ Đồn, Tỉnh Bắc Kạn"
    )
    results = page.get_by_test_id("unit-results")
    expect(results).to_contain_text("Xã Nghĩa Tá (02071), Tỉnh Thái Nguyên")
