"""Menus by role (#16 item 2): each role signs in through the form and follows every link of its
menu, which must answer 200; an HTX manager's menu has no dashboard, users, units or portal
management; on a phone the menu opens behind a button."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from conftest import TEST_PASSWORD

pytestmark = pytest.mark.browser

# username → (role, (era, area code) or None)
ROLES = {
    "menu.admin": ("admin", None),
    "menu.tinh": ("province_officer", ("legacy", "06")),
    "menu.huyen": ("district_officer", ("legacy", "064")),
    "menu.xa": ("commune_officer", ("legacy", "02062")),
    "menu.tinh2025": ("province_officer", ("2025", "19")),
    "menu.xa2025": ("commune_officer", ("2025", "02071")),
    "menu.htx": ("coop_manager", None),
}
MANAGER_HAS_NOT = ("Tổng quan", "Người dùng", "Đơn vị hành chính", "Cổng thông tin")


def _users():
    from hoptac.accounts.models import User
    from hoptac.areas.models import AdminUnit
    from hoptac.registry import services

    made = []
    for username, (role, area) in ROLES.items():
        user = User(username=username, full_name=username, role=role)
        if area:
            user.area = AdminUnit.objects.get(era=area[0], code=area[1])
        user.is_staff = user.is_superuser = role == "admin"
        user.set_password(TEST_PASSWORD)
        user.save()
        made.append(user)
    cooperative = services.cooperative_create(
        by=made[0], name="HTX Menu Lương Bằng",
        commune_legacy=AdminUnit.objects.get(era="legacy", code="02062"),
    )  # fmt: skip
    cooperative.managers.add(made[-1])
    return [cooperative, *made]


def _sign_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_test_id("user-badge")).to_be_visible()


def test_every_menu_link_of_every_role_answers(browser, site_url, committed):
    committed(_users)
    for username in ROLES:
        context = browser.new_context(base_url=site_url, locale="vi-VN")
        page = context.new_page()
        page.set_default_timeout(30_000)
        _sign_in(page, username)
        links = page.locator("#mainnav-list a")
        entries = [(links.nth(i).inner_text(), links.nth(i).get_attribute("href"))
                   for i in range(links.count())]  # fmt: skip
        assert len(entries) >= 6, (username, entries)
        for label, href in entries:
            response = page.goto(href)
            assert response is not None
            assert response.status == 200, (username, label, href)
        labels = [label for label, _href in entries]
        if username == "menu.htx":
            assert not set(labels) & set(MANAGER_HAS_NOT), labels
        if username == "menu.admin":
            assert set(MANAGER_HAS_NOT) <= set(labels)
        context.close()


def test_on_a_phone_the_menu_opens_behind_a_button(browser, site_url, committed):
    committed(_users)
    context = browser.new_context(
        base_url=site_url, locale="vi-VN", viewport={"width": 390, "height": 844}
    )
    page = context.new_page()
    _sign_in(page, "menu.xa")
    menu = page.locator("#mainnav-list")
    toggle = page.get_by_test_id("menu-toggle")
    expect(menu).to_be_hidden()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    toggle.click()
    expect(menu).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    assert toggle.bounding_box()["height"] >= 44
    page.set_viewport_size({"width": 1280, "height": 900})
    expect(toggle).to_be_hidden()
    context.close()
