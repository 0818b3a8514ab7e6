"""The quick search of HTX in the header (#16 item 7), in a real browser: a district officer
types without diacritics, sees the matches of his district only, moves with the arrows,
closes with Escape, opens a match with Enter; axe finds no violation with the list open;
without JavaScript the same box opens the registry's list."""

import re

import pytest
from playwright.sync_api import expect

from conftest import TEST_PASSWORD
from tests.browser.test_portal_quality import AXE

pytestmark = pytest.mark.browser

OFFICER = "browser.timnhanh"
BOX = "Tìm nhanh HTX theo tên, mã số hoặc người đại diện"


def _data():
    """A district officer of Chợ Đồn, two tea HTX and a transport HTX of his district, and a
    tea HTX of Hà Giang (outside his area) with the same representative as one of his."""
    from datetime import date

    from hoptac.accounts.models import User
    from hoptac.areas.models import AdminUnit
    from hoptac.registry import services

    def unit(code):
        return AdminUnit.objects.get(era="legacy", code=code)

    officer = User(username=OFFICER, full_name="Hoàng Văn An", role="district_officer")
    officer.area = unit("064")
    officer.set_password(TEST_PASSWORD)
    officer.save()
    rows = [
        ("HTX Chè Mỹ Phương", "4700000301", "02062", "Hoàng Thị Mai"),
        ("Hợp tác xã Chè Bằng Lãng", "4700000302", "02020", "Lục Văn Phong"),
        ("HTX Vận tải Bằng Lũng", "4700000303", "02020", "Ma Văn Tú"),
        ("HTX Chè Shan Tuyết", "0200000304", "00688", "Lục Văn Phong"),
    ]
    cooperatives = [
        services.cooperative_create(
            by=None, name=name, tax_code=code, sub_sector="trong_trot", sector="nong_nghiep",
            commune_legacy=unit(commune), founded_on=date(2015, 3, 1),
            representative_name=representative,
        )
        for name, code, commune, representative in rows
    ]  # fmt: skip
    return [officer, *cooperatives]  # deleted in reverse order after the test


def _sign_in(page):
    page.goto("/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(OFFICER)
    page.get_by_label("Mật khẩu").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_test_id("user-badge")).to_contain_text("Hoàng Văn An")


def test_type_arrows_escape_enter_open_the_htx(page, committed, screenshot):
    _officer, my_phuong, bang_lang, *_ = committed(_data)
    _sign_in(page)
    page.goto("/htx/")
    box = page.get_by_role("combobox", name=BOX)
    listbox = page.get_by_role("listbox", name="HTX tìm thấy")
    options = listbox.get_by_role("option")
    expect(box).to_have_attribute("aria-expanded", "false")

    box.press_sequentially("hop tac xa che", delay=20)  # debounced: one request at the end
    expect(options).to_have_count(2)
    expect(box).to_have_attribute("aria-expanded", "true")
    expect(options.nth(0)).to_contain_text("HTX Chè Mỹ Phương")
    expect(options.nth(0)).to_contain_text("4700000301")
    expect(options.nth(0)).to_contain_text("Lương Bằng")
    expect(options.nth(0)).to_contain_text("Hoàng Thị Mai")
    expect(options.nth(1)).to_contain_text("Hợp tác xã Chè Bằng Lãng")
    expect(listbox).not_to_contain_text("Shan Tuyết")  # Hà Giang: outside his area
    screenshot("quick-search-open")

    box.press("ArrowDown")
    expect(options.nth(0)).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", "quick-search-option-1")
    box.press("ArrowDown")
    expect(options.nth(1)).to_have_attribute("aria-selected", "true")
    expect(options.nth(0)).to_have_attribute("aria-selected", "false")
    expect(box).to_have_attribute("aria-activedescendant", "quick-search-option-2")
    box.press("ArrowDown")  # past the last: back to the first
    expect(options.nth(0)).to_have_attribute("aria-selected", "true")
    box.press("ArrowUp")
    expect(options.nth(1)).to_have_attribute("aria-selected", "true")

    if AXE.exists():  # the open list, as a screen reader meets it
        page.evaluate(AXE.read_text(encoding="utf-8"))  # not a <script>: the CSP
        violations = page.evaluate(
            "() => axe.run(document, {resultTypes: ['violations']})"
            ".then(r => r.violations.map(v => v.id + ': ' + v.nodes.map(n => n.target).join()))"
        )
        assert violations == []
    else:
        pytest.fail(f"axe-core not found at {AXE}: run `npm ci`.")

    box.press("Escape")
    expect(listbox).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(box).not_to_have_attribute("aria-activedescendant", re.compile(".*"))
    box.press("ArrowDown")  # opens again on the first match
    expect(listbox).to_be_visible()
    expect(options.nth(0)).to_have_attribute("aria-selected", "true")
    box.press("ArrowDown")
    box.press("Enter")  # the chosen one
    expect(page).to_have_url(re.compile(rf"/htx/{bang_lang.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Hợp tác xã Chè Bằng Lãng")

    box = page.get_by_role("combobox", name=BOX)
    box.fill("luc van phong")  # the representative, typed without diacritics
    expect(page.get_by_role("listbox", name="HTX tìm thấy").get_by_role("option")).to_have_count(1)
    box.press("Enter")  # nothing chosen: the first match
    expect(page).to_have_url(re.compile(rf"/htx/{bang_lang.pk}/$"))

    box = page.get_by_role("combobox", name=BOX)
    box.fill("4700000301")  # the code
    expect(page.get_by_role("listbox", name="HTX tìm thấy").get_by_role("option")).to_have_count(1)
    page.get_by_role("option", name=re.compile("HTX Chè Mỹ Phương")).click()
    expect(page).to_have_url(re.compile(rf"/htx/{my_phuong.pk}/$"))

    box = page.get_by_role("combobox", name=BOX)
    box.fill("khong co htx nao")
    expect(page.get_by_test_id("quick-search-status")).to_contain_text(
        "Không có HTX nào trong địa bàn của bạn khớp"
    )
    expect(box).to_have_attribute("aria-expanded", "false")


def test_without_javascript_the_box_opens_the_registry_list(browser, site_url, committed):
    committed(_data)
    context = browser.new_context(base_url=site_url, locale="vi-VN", java_script_enabled=False)
    page = context.new_page()
    try:
        _sign_in(page)
        box = page.get_by_role("combobox", name=BOX)
        box.fill("che my phuong")
        box.press("Enter")
        expect(page).to_have_url(re.compile(r"/htx/\?q=che\+my\+phuong$"))
        expect(page.get_by_test_id("total")).to_contain_text("1")
        expect(page.locator("#results")).to_contain_text("HTX Chè Mỹ Phương")
    finally:
        context.close()
