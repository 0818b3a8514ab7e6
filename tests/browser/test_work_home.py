"""The home of each role (#16 item 1): every role signs in through the form, lands on
/lam-viec/ ("Việc cần làm"), sees its tasks, and every task's link answers 200."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from conftest import TEST_PASSWORD

pytestmark = pytest.mark.browser

# username → (role, (era, area code) or None, a task key the role must see)
ROLES = {
    "work.admin": ("admin", None, "data_duplicate_name"),
    "work.tinh": ("province_officer", ("legacy", "06"), "reports_missing"),
    "work.xa": ("commune_officer", ("legacy", "02062"), "reports_missing"),
    "work.tinh2025": ("province_officer", ("2025", "19"), "reports_missing"),
    "work.htx": ("coop_manager", None, "report_due"),
}


def _world():
    from hoptac.accounts.models import User
    from hoptac.areas.models import AdminUnit
    from hoptac.registry import services

    made = []
    for username, (role, area, _key) in ROLES.items():
        user = User(username=username, full_name=username, role=role)
        if area:
            user.area = AdminUnit.objects.get(era=area[0], code=area[1])
        user.is_staff = user.is_superuser = role == "admin"
        user.set_password(TEST_PASSWORD)
        user.save()
        made.append(user)
    cooperatives = [
        services.cooperative_create(
            by=made[0],
            name="HTX Trang Nhà",
            commune_legacy=AdminUnit.objects.get(era="legacy", code=code),
        )
        for code in ("02062", "02071")  # the same name twice: a data check for the admin
    ]
    cooperatives[0].managers.add(made[-1])
    return [*cooperatives, *made]


def test_each_role_lands_on_its_home_and_every_task_link_answers(browser, site_url, committed):
    committed(_world)
    for username, (_role, _area, key) in ROLES.items():
        context = browser.new_context(base_url=site_url, locale="vi-VN")
        page = context.new_page()
        page.set_default_timeout(30_000)
        page.goto("/accounts/login/")
        page.get_by_label("Tên đăng nhập").fill(username)
        page.get_by_label("Mật khẩu").fill(TEST_PASSWORD)
        page.get_by_role("button", name="Đăng nhập").click()
        expect(page.get_by_role("heading", name="Việc cần làm", exact=True)).to_be_visible()
        assert page.url.endswith("/lam-viec/"), (username, page.url)
        expect(page.locator(f'[data-task="{key}"]').first).to_be_visible()
        links = page.locator("[data-task] a")
        hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
        assert hrefs, username
        for href in hrefs:
            response = page.goto(href)
            assert response is not None
            assert response.status == 200, (username, href)
        context.close()


def test_manager_reads_his_report_task_in_vietnamese(page, committed, screenshot):
    committed(_world)
    page.goto("/accounts/login/?next=/lam-viec/")
    page.get_by_label("Tên đăng nhập").fill("work.htx")
    page.get_by_label("Mật khẩu").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    task = page.locator('[data-task="report_due"]')
    expect(task).to_contain_text("Nộp báo cáo năm")
    expect(task).to_contain_text("— hạn 15/01/")
    screenshot("work-home-manager")
    task.get_by_role("link").click()
    expect(page.get_by_role("heading").first).to_be_visible()
