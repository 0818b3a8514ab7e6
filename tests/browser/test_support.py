"""Support programmes in a real browser: a provincial officer records a support grant for an
HTX from its page, and the province's share of HTX reached by policies goes up on the support
overview and on the dashboard of indicators (the same figure, ty_le_htx_tiep_can_ho_tro)."""

import re

import pytest
from playwright.sync_api import expect

from conftest import TEST_PASSWORD

pytestmark = pytest.mark.browser


def _data():
    """A provincial officer of Bắc Kạn, a policy of the province, and two HTX there."""
    from datetime import date

    from hoptac.accounts.models import User
    from hoptac.areas.models import AdminUnit
    from hoptac.registry import services
    from hoptac.support.models import Policy

    def unit(code):
        return AdminUnit.objects.get(era="legacy", code=code)

    officer = User(username="browser.tinh", full_name="Nguyễn Thị Thu", role="province_officer")
    officer.area = unit("06")
    officer.set_password(TEST_PASSWORD)
    officer.save()
    policy = Policy.objects.create(
        code="browser-nhan-hieu", name="Hỗ trợ xây dựng nhãn hiệu (thử)", kind="branding",
        area=unit("06"),
    )  # fmt: skip
    cooperatives = [
        services.cooperative_create(
            by=officer, name=name, tax_code=code, sector="nong_nghiep", sub_sector="trong_trot",
            commune_legacy=unit(commune), founded_on=date(2015, 3, 1),
        )
        for name, code, commune in (
            ("HTX Chè Mỹ Phương", "4700000201", "02062"),
            ("HTX Cao Phong", "4700000202", "02047"),
        )
    ]  # fmt: skip
    return [officer, policy, *cooperatives]  # deleted in reverse order after the test


def _counts(page) -> tuple[int, int]:
    text = page.get_by_test_id("reach-counts").inner_text()
    numerator, denominator = (int(n) for n in re.findall(r"\d+", text)[:2])
    return numerator, denominator


def _dashboard_counts(page) -> tuple[int, int]:
    """Numerator and denominator under the dashboard's "reached by a support policy" card
    (the line "3 / 12")."""
    card = page.locator('[data-indicator="ty_le_htx_tiep_can_ho_tro"]')
    expect(card).to_contain_text("Tỷ lệ hợp tác xã tiếp cận được chính sách hỗ trợ")
    line = next(x for x in card.inner_text().splitlines() if " / " in x)
    numerator, denominator = (int(n.replace(".", "")) for n in re.findall(r"[\d.]+", line)[:2])
    return numerator, denominator


def test_recording_a_grant_raises_the_share_reached(page, committed, screenshot):
    officer, policy, tea, _other = committed(_data)
    page.goto("/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill("browser.tinh")
    page.get_by_label("Mật khẩu").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_test_id("user-badge")).to_contain_text("Nguyễn Thị Thu")

    page.get_by_role("link", name="Hỗ trợ", exact=True).first.click()
    page.get_by_label("Năm").select_option("2024")
    page.get_by_role("button", name="Xem").click()
    expect(page.get_by_test_id("reach")).to_contain_text("2024")
    before, total = _counts(page)
    assert total >= 2
    dashboard = f"/chi-tieu/?area={officer.area_id}&date=2024-12-31"
    page.goto(dashboard)
    assert _dashboard_counts(page) == (before, total)

    page.goto(f"/htx/{tea.pk}/")
    page.get_by_role("tab", name="Hỗ trợ").click()
    expect(page.get_by_test_id("support-history")).to_contain_text("Chưa có hỗ trợ nào")
    page.get_by_role("link", name="Ghi nhận hỗ trợ").click()
    page.get_by_label("Chính sách").select_option(label=policy.name)
    page.get_by_label("Ngày").fill("2024-05-10")
    page.get_by_label("Số tiền (đồng)").fill("15000000")
    page.get_by_label("Nguồn kinh phí").select_option("province")
    page.get_by_label("Ghi chú").fill("In bao bì, nhãn mác chè")
    page.get_by_role("button", name="Lưu").click()

    expect(page.get_by_text("Đã ghi nhận hỗ trợ.")).to_be_visible()
    history = page.get_by_test_id("support-history")
    expect(history).to_contain_text(policy.name)
    expect(history).to_contain_text("15.000.000")
    screenshot("support-grant-recorded")

    page.goto(f"/ho-tro/?year=2024&area={officer.area_id}")
    expect(page.get_by_test_id("reach-counts")).to_contain_text(f"{before + 1} trên {total}")
    screenshot("support-share-reached")

    page.goto(dashboard)
    assert _dashboard_counts(page) == (before + 1, total)
    card = page.locator('[data-indicator="ty_le_htx_tiep_can_ho_tro"]')
    expect(card.get_by_test_id("value-ty_le_htx_tiep_can_ho_tro")).to_contain_text("%")
    screenshot("dashboard-share-reached")
