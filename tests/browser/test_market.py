"""Products in a real browser: an officer finds an HTX's product by typing its name without
diacritics, and opens it."""

import pytest
from playwright.sync_api import expect

from conftest import TEST_PASSWORD

pytestmark = pytest.mark.browser


def _data():
    from datetime import date

    from hoptac.accounts.models import User
    from hoptac.areas.models import AdminUnit
    from hoptac.market import services as market
    from hoptac.registry import services

    def unit(code):
        return AdminUnit.objects.get(era="legacy", code=code)

    officer = User(username="browser.sp", full_name="Hoàng Văn An", role="district_officer")
    officer.area = unit("064")
    officer.set_password(TEST_PASSWORD)
    officer.save()
    cooperative = services.cooperative_create(
        by=officer, name="HTX Chè Mỹ Phương", tax_code="4700000301", sector="nong_nghiep",
        sub_sector="trong_trot", commune_legacy=unit("02062"), founded_on=date(2015, 3, 1),
    )  # fmt: skip
    tea = market.product_save(
        by=officer, cooperative=cooperative, name="Chè Shan tuyết", category="tea"
    )
    market.certification_save(by=officer, product=tea, kind="ocop", stars=4, year=2019)
    market.product_save(
        by=officer, cooperative=cooperative, name="Miến dong", category="processed_food"
    )
    return [officer, cooperative]


def test_product_search_without_diacritics(page, committed, screenshot):
    committed(_data)
    page.goto("/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill("browser.sp")
    page.get_by_label("Mật khẩu").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_role("link", name="Sản phẩm", exact=True).first.click()
    results = page.locator("#results")
    expect(page.get_by_test_id("total")).to_contain_text("2")
    page.get_by_label("Tìm kiếm").fill("che shan")
    expect(page.get_by_test_id("total")).to_contain_text("1 sản phẩm")
    expect(results).to_contain_text("Chè Shan tuyết")
    expect(results).to_contain_text("OCOP 4★ (2019)")
    expect(results).not_to_contain_text("Miến dong")
    screenshot("market-product-search")
    results.get_by_role("link", name="Chè Shan tuyết").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Chè Shan tuyết")
