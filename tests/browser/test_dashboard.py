"""A district officer opens the dashboard of Chợ Đồn: the figures, the plan's progress bar,
the charts and the map (Leaflet, no tile server: the points and commune centroids alone);
the same page without JavaScript still gives every figure in tables."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from conftest import TEST_PASSWORD
from tests.browser.fixtures import ARTIFACTS

pytestmark = pytest.mark.browser

# (commune code in Chợ Đồn, sector, founding year): 12 HTX, 10 agricultural
HTX = [
    ("02062", "nong_nghiep", 2012),
    ("02062", "nong_nghiep", 2014),
    ("02062", "phi_nong_nghiep", 2016),
    ("02047", "nong_nghiep", 2013),
    ("02047", "nong_nghiep", 2015),
    ("02071", "nong_nghiep", 2016),
    ("02071", "nong_nghiep", 2017),
    ("02050", "nong_nghiep", 2017),
    ("02050", "phi_nong_nghiep", 2018),
    ("02053", "nong_nghiep", 2018),
    ("02053", "nong_nghiep", 2018),
    ("02059", "nong_nghiep", 2019),
]


def _data():
    from hoptac.accounts.models import User
    from hoptac.areas.models import AdminUnit
    from hoptac.plans import services as plans
    from hoptac.registry.tests.factories import CooperativeFactory

    district = AdminUnit.objects.get(era="legacy", code="064")
    user = User(username="browser.chodon", full_name="Hoàng Văn An", role="district_officer")
    user.area = district
    user.set_password(TEST_PASSWORD)
    user.save()
    plan = plans.plan_create(
        by=None,
        kind="nghi_quyet",
        number="09-NQ/HU",
        title="Phát triển kinh tế tập thể huyện Chợ Đồn",
        issuer="Huyện ủy Chợ Đồn",
        area=district,
        start_year=2016,
        end_year=2020,
    )
    plans.target_create(
        plan=plan,
        by=None,
        indicator="so_htx",
        comparison=">=",
        value=20,
        due_on=date(2020, 12, 31),
        wording="đến năm 2020 có 20 hợp tác xã",
        is_illustrative=True,
    )
    cooperatives = []
    for index, (commune, sector, year) in enumerate(HTX):
        cooperatives.append(
            CooperativeFactory(
                name=f"HTX Trình duyệt {index:02d}",
                tax_code=f"47990000{index:02d}",
                commune_legacy=AdminUnit.objects.get(era="legacy", code=commune),
                sector=sector,
                sub_sector="trong_trot" if sector == "nong_nghiep" else "thuong_mai_dich_vu",
                founded_on=date(year, 3, 1),
            )
        )
    return [user, plan, *cooperatives]


def _sign_in(page):
    page.goto("/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill("browser.chodon")
    page.get_by_label("Mật khẩu").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_test_id("user-badge").wait_for()


def test_dashboard_shows_figures_progress_charts_and_map(page, committed, screenshot):
    committed(_data)
    _sign_in(page)
    page.get_by_role("link", name="Tổng quan").first.click()
    expect(page.get_by_test_id("frame")).to_contain_text("Huyện Chợ Đồn")
    page.goto("/chi-tieu/?date=2019-12-31")
    expect(page.get_by_test_id("value-so_htx")).to_have_text("12")
    expect(page.get_by_test_id("value-so_htx_nong_nghiep")).to_have_text("10")
    target = page.get_by_test_id("target-so_htx")
    expect(target.get_by_test_id("progress-text")).to_have_text("12/20 = 60 %")
    expect(target).to_contain_text("chỉ tiêu minh hoạ")
    # The charts are drawn (Chart.js marks its canvases) and the map is ready (Leaflet).
    # (a locator, not wait_for_function, whose string the page would eval: the CSP bars it)
    expect(page.locator("canvas[data-chart][data-drawn]").nth(2)).to_be_attached()
    map_element = page.get_by_test_id("map")
    expect(map_element).to_have_class(re.compile(r"\bhoptac-map-ready\b"))
    assert page.locator(".leaflet-tile").count() == 0  # no tile server configured
    assert page.locator("#map canvas, #map path").count() > 0  # points and centroids drawn
    gaps = page.get_by_test_id("gaps-no-htx")
    expect(gaps).to_contain_text("Thị trấn Bằng Lũng")  # a commune of Chợ Đồn without HTX
    screenshot("dashboard")
    ARTIFACTS.mkdir(exist_ok=True)
    map_element.screenshot(path=str(ARTIFACTS / "map.png"))
    assert (ARTIFACTS / "map.png").stat().st_size > 0


def test_dashboard_without_javascript_gives_the_tables(browser, site_url, committed):
    committed(_data)
    context = browser.new_context(base_url=site_url, locale="vi-VN", java_script_enabled=False)
    page = context.new_page()
    try:
        _sign_in(page)
        page.goto("/chi-tieu/?date=2019-12-31")
        expect(page.get_by_test_id("value-so_htx")).to_have_text("12")
        expect(page.get_by_test_id("area-table")).to_contain_text("Xã Lương Bằng")
        expect(page.get_by_test_id("trend-table")).to_contain_text("2019")
        expect(page.get_by_test_id("target-so_htx")).to_contain_text("12/20 = 60 %")
    finally:
        context.close()
