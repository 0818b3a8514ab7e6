"""Phones, tablets and print (#16 items 5 and 6).

- At 360×740 and 768×1024 (touch screens) no page scrolls sideways as a whole: a provincial
  officer walks every link of his main menu (hoptac/portal/menu.py MENU) and the detail pages
  of an HTX, a report, a rating area (and its summary) and a course, then an administrator the
  links of his menu the officer has not; an anonymous visitor walks the portal's pages. Long
  tables scroll inside their own box (.table-responsive); buttons, fields, menu, tab and page
  links are at least 44 px high.
- axe-core finds no violation at all on the officer's pages (the portal's are checked by
  test_portal_quality.py). Its results are written to test-artifacts/officer-axe.json.
- Printed, a page shows no menu, header, footer or form, and shows the print-only line (area,
  date); page.pdf() of the dashboard gives A4 pages.
"""

from __future__ import annotations

import io
import json

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from conftest import TEST_PASSWORD
from tests.browser.fixtures import ARTIFACTS
from tests.browser.test_portal_quality import AXE, PAGES

pytestmark = pytest.mark.browser

SIZES = [{"width": 360, "height": 740}, {"width": 768, "height": 1024}]
OFFICER = "mobile.tinh"
ADMIN = "mobile.admin"  # for the menu's links an officer has not (the audit log)
OVERFLOW = "() => document.documentElement.scrollWidth - window.innerWidth"
# The elements wider than the window, to say what overflows when the test fails.
# Visible touch targets lower than 44 px (buttons, fields, menu and tab links, pages).
SMALL_TARGETS = """() => [...document.querySelectorAll(
    '.btn, .form-control, .form-select, .page-link, .nav-link, .topbar-links a')]
  .filter(e => e.offsetParent !== null && e.getBoundingClientRect().height < 44)
  .slice(0, 5).map(e => e.tagName + ' ' + (e.innerText || e.name || '').slice(0, 30) + ' '
                   + e.getBoundingClientRect().height)"""
CULPRITS = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > window.innerWidth
            && (!e.closest('.table-responsive') || getComputedStyle(e).position === 'absolute'))
  .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + e.getBoundingClientRect().right)"""


def _world():
    """A provincial officer of Bắc Kạn (who may edit the portal), an HTX with approved reports
    for 2018 and 2019 in Lương Bằng, a published article and a training course."""
    from datetime import date

    from hoptac.accounts.models import User
    from hoptac.areas.models import AdminUnit
    from hoptac.portal.choices import ArticleStatus
    from hoptac.portal.models import Article
    from hoptac.registry import services
    from hoptac.reports.tests.factories import approved_report
    from hoptac.support import services as support
    from hoptac.support.choices import CourseTopic

    province = AdminUnit.objects.get(era="legacy", code="06")
    officer = User(username=OFFICER, full_name="Nông Thị Hoa", role="province_officer")
    officer.area = province
    admin = User(username=ADMIN, full_name="Quản trị", role="admin", is_staff=True)
    admin.is_superuser = True
    for user in (officer, admin):
        user.set_password(TEST_PASSWORD)
        user.save()
    coop = services.cooperative_create(
        by=officer, name="HTX Nông sản Sạch Lương Bằng Chợ Đồn", tax_code="4700000601",
        sector="nong_nghiep", sub_sector="trong_trot", is_published=True,
        commune_legacy=AdminUnit.objects.get(era="legacy", code="02062"),
        founded_on=date(2015, 3, 1), phone="0209 3881 234",
    )  # fmt: skip
    approved_report(coop, 2018)
    approved_report(coop, 2019)  # deleted with the HTX
    course = support.course_save(
        by=None, title="Tập huấn Luật Hợp tác xã 2023 cho cán bộ quản lý",
        topic=CourseTopic.COOPERATIVE_LAW, starts_on=date(2019, 3, 1), ends_on=date(2019, 3, 2),
        organiser="Liên minh HTX tỉnh Bắc Kạn", area=province,
    )  # fmt: skip
    article = Article.objects.create(
        title="Phấn đấu đến năm 2020 có trên 40% hợp tác xã hoạt động hiệu quả",
        slug="phan-dau-2020-chat-luong", summary="Tỉnh Bắc Kạn phấn đấu có 200 hợp tác xã.",
        body="<p>Đến hết tháng 4/2019, tỉnh Bắc Kạn có 167 hợp tác xã.</p>",
        status=ArticleStatus.PUBLISHED,
    )  # fmt: skip
    return [article, admin, officer, coop, course]  # deleted in reverse order after the test


def _built(committed, django_db_blocker) -> dict[str, object]:
    """The world, by name, with the 2019 report and the province (which are not deleted)."""
    from hoptac.areas.models import AdminUnit
    from hoptac.reports.models import AnnualReport

    *_people, coop, course = committed(_world)
    with django_db_blocker.unblock():
        report = AnnualReport.objects.filter(cooperative=coop, year=2019).latest("pk")
        province = AdminUnit.objects.get(era="legacy", code="06")
    return {"course": course, "coop": coop, "report": report, "province": province}


def _sign_in(page, username: str = OFFICER) -> None:
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_test_id("user-badge")).to_be_visible()


def _menu(page) -> list[str]:
    links = page.locator("#mainnav-list a")
    return [links.nth(i).get_attribute("href") for i in range(links.count())]


def _signed_in_walk(page, world, visit) -> None:
    """visit(url) for every link of the officer's main menu and the detail pages, signed in as
    the officer; then for the links of an administrator's menu the officer has not, as him."""
    _sign_in(page, OFFICER)
    urls = _officer_pages(page, world)
    for url in urls:
        visit(url)
    _sign_in(page, ADMIN)
    extra = [url for url in _menu(page) if url not in urls]
    assert extra, "the audit log"
    for url in extra:
        visit(url)


def _officer_pages(page, world) -> list[str]:
    """Every link of the officer's main menu, then the detail pages."""
    menu = _menu(page)
    assert len(menu) >= 9, menu  # Home and the menu of an officer who may edit the portal
    return [
        *menu,
        f"/htx/{world['coop'].pk}/",
        f"/bao-cao/{world['report'].pk}/",
        f"/xep-loai/khu-vuc/{world['province'].pk}/2019/",
        f"/xep-loai/khu-vuc/{world['province'].pk}/2019/tong-hop/",
        f"/ho-tro/dao-tao/{world['course'].pk}/",
        # the forms officers fill most
        *_form_pages(world),
    ]


def _form_pages(world) -> list[str]:
    from django.urls import reverse

    coop = world["coop"].pk
    return [
        reverse("registry:cooperative_create"),
        reverse("registry:cooperative_edit", args=[coop]),
        reverse("registry:cooperative_import"),
        reverse("support:grant_create", args=[coop]),
        reverse("market:product_create", args=[coop]),
        reverse("plans:plan_create"),
        reverse("notifications:preferences"),
        reverse("areas:letterhead_edit", args=[world["province"].pk]),
    ]


def _portal_pages(world) -> list[str]:
    return [*PAGES, f"/danh-ba/{world['coop'].pk}/"]


def _check_fit(page, unfit: dict[str, object]):
    """A visit that notes in `unfit` a page (at the page's current size) that scrolls sideways,
    with what overflows, or whose touch targets are lower than 44 px."""

    def visit(url: str) -> None:
        response = page.goto(url)
        assert response is not None, url
        assert response.status == 200, url
        overflow = page.evaluate(OVERFLOW)
        if overflow > 0:
            unfit[url] = ("wide", overflow, page.evaluate(CULPRITS))
        elif small := page.evaluate(SMALL_TARGETS):
            unfit[url] = ("small targets", small)

    return visit


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s['width']}px")
def test_no_page_scrolls_sideways_on_phones_and_tablets(
    browser, site_url, committed, django_db_blocker, size
):
    world = _built(committed, django_db_blocker)
    context = browser.new_context(base_url=site_url, locale="vi-VN", viewport=size, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(30_000)
    try:
        portal, officer = {}, {}
        visit = _check_fit(page, portal)
        for url in _portal_pages(world):
            visit(url)
        _signed_in_walk(page, world, _check_fit(page, officer))
        assert {"portal": portal, "officer": officer} == {"portal": {}, "officer": {}}
        if size["width"] < 768:  # the menu's entries, once opened, are touch targets too
            page.get_by_test_id("menu-toggle").click()
            assert page.evaluate(SMALL_TARGETS) == []
    finally:
        context.close()


def test_officer_pages_have_no_accessibility_violations(
    browser, site_url, committed, django_db_blocker
):
    if not AXE.exists():
        pytest.fail(f"axe-core not found at {AXE}: run `npm ci`.")
    world = _built(committed, django_db_blocker)
    context = browser.new_context(base_url=site_url, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(30_000)
    report = {}

    def visit(url: str) -> None:
        page.goto(url)
        page.evaluate(AXE.read_text(encoding="utf-8"))  # not a <script>: the CSP
        report[url] = page.evaluate(
            "() => axe.run(document, {resultTypes: ['violations']})"
            ".then(r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
            " nodes: v.nodes.map(n => n.target.join(' '))})))"
        )

    try:
        _signed_in_walk(page, world, visit)
    finally:
        context.close()
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "officer-axe.json").write_text(json.dumps(report, indent=1, ensure_ascii=False))
    assert {url: found for url, found in report.items() if found} == {}
    assert len(report) >= 15


def test_printed_pages_have_no_menu_and_show_the_area_and_date(
    browser, site_url, committed, django_db_blocker
):
    world = _built(committed, django_db_blocker)
    coop, province = world["coop"], world["province"]
    context = browser.new_context(base_url=site_url, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(30_000)
    try:
        _sign_in(page)
        page.emulate_media(media="print")
        page.goto(f"/chi-tieu/?area={province.pk}&date=2019-12-31")
        expect(page.locator(".mainnav")).to_be_hidden()
        expect(page.locator(".site-header")).to_be_hidden()
        expect(page.locator(".site-footer")).to_be_hidden()
        expect(page.locator("main form").first).to_be_hidden()
        line = page.get_by_test_id("print-header")
        expect(line).to_be_visible()
        expect(line).to_contain_text("Tỉnh Bắc Kạn")
        expect(line).to_contain_text("31/12/2019")
        # The page's own size (@page in hoptac.css), not a size asked of Chromium.
        pdf = page.pdf(prefer_css_page_size=True, print_background=True)
        ARTIFACTS.mkdir(exist_ok=True)
        (ARTIFACTS / "dashboard-print.pdf").write_bytes(pdf)
        sizes = {
            (round(float(p.mediabox.width)), round(float(p.mediabox.height)))
            for p in PdfReader(io.BytesIO(pdf)).pages
        }
        assert sizes == {(595, 842)}, sizes  # A4: 210 × 297 mm in points

        page.goto(f"/htx/{coop.pk}/")  # a page whose view gives no area: its title
        line = page.get_by_test_id("print-header")
        expect(line).to_be_visible()
        expect(line).to_contain_text(coop.name)
        page.goto(f"/xep-loai/khu-vuc/{province.pk}/2019/tong-hop/")
        expect(page.get_by_test_id("print-header")).to_contain_text("Tỉnh Bắc Kạn")
        expect(page.locator(".mainnav")).to_be_hidden()
        page.screenshot(path=str(ARTIFACTS / "rating-summary-print.png"), full_page=True)
        heads = page.locator("main thead").evaluate_all(
            "heads => heads.map(h => getComputedStyle(h).display)"
        )
        assert heads, "the summary has tables"
        assert set(heads) == {"table-header-group"}, heads

        page.emulate_media(media="screen")
        expect(page.get_by_test_id("print-header")).to_be_hidden()
        expect(page.locator(".mainnav")).to_be_visible()
    finally:
        context.close()
