"""Ratings in a real browser: a district officer opens his area's 2019 ratings, proposes them,
reviews one HTX side by side (criterion 1 from its approved reports), verifies the other
criteria, overrides a score (refused without a note, accepted with one), and approves."""

import re

import pytest
from playwright.sync_api import expect

from conftest import TEST_PASSWORD

pytestmark = pytest.mark.browser

VERIFIED = {"2.1": "6", "2.x": "10", "3": "10", "4": "8", "5": "6", "6": "10"}  # 50 points


def _data():
    """A district officer of Chợ Đồn and an agricultural HTX there with approved reports for
    2018 and 2019 (criterion 1 of TT 09/2017 from them: 24 points)."""
    from datetime import date

    from hoptac.accounts.models import User
    from hoptac.areas.models import AdminUnit
    from hoptac.registry import services
    from hoptac.reports.tests.factories import approved_report

    officer = User(username="browser.xeploai", full_name="Hoàng Văn An", role="district_officer")
    officer.area = AdminUnit.objects.get(era="legacy", code="064")
    officer.set_password(TEST_PASSWORD)
    officer.save()
    coop = services.cooperative_create(
        by=officer, name="HTX Chè Xếp Loại", tax_code="4700000301", sub_sector="trong_trot",
        sector="nong_nghiep", commune_legacy=AdminUnit.objects.get(era="legacy", code="02062"),
        founded_on=date(2015, 3, 1),
    )  # fmt: skip
    approved_report(coop, 2018)
    approved_report(coop, 2019)
    return [officer, coop]  # deleted in reverse order (reports and ratings with the HTX)


def _rounds():
    from hoptac.ratings.models import RatingRound

    return list(RatingRound.objects.filter(area__code="064", year=2019))


def _sign_in(page):
    page.goto("/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill("browser.xeploai")
    page.get_by_label("Mật khẩu").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_test_id("user-badge")).to_contain_text("Hoàng Văn An")


def test_officer_reviews_overrides_with_a_note_and_approves(page, committed, screenshot):
    _officer, coop = committed(_data)
    _sign_in(page)

    # The area's 2019 ratings, reached from the main navigation and the year picker.
    page.get_by_role("link", name="Xếp loại", exact=True).first.click()
    expect(page.get_by_test_id("area-title")).to_contain_text("Huyện Chợ Đồn")
    page.get_by_label("Năm").select_option("2019")
    page.get_by_role("button", name="Xem").click()
    expect(page.get_by_test_id("area-title")).to_contain_text("2019")
    page.get_by_test_id("propose").click()
    expect(page.get_by_test_id(f"review-{coop.pk}")).to_be_visible()  # the proposal is saved
    committed(_rounds)  # the round the page created is removed after the test

    # Review the HTX: criterion 1 comes from its reports, the rest is still missing.
    page.get_by_test_id(f"review-{coop.pk}").click()
    expect(page.get_by_test_id("points-1")).to_have_text("24/38")
    expect(page.get_by_test_id("rating-errors")).to_contain_text("Thiếu điểm '2.1'")
    for key, value in VERIFIED.items():
        page.get_by_label(f"Điểm thẩm định {key}", exact=True).fill(value)
    page.get_by_test_id("save-scores").click()
    expect(page.get_by_test_id("rating-total")).to_have_text("74")
    expect(page.get_by_test_id("rating-rank")).to_have_text("Khá")

    # Override 1.1, which the reports decide (4 points): refused without a note.
    page.get_by_label("Điểm thẩm định 1.1", exact=True).fill("8")
    page.get_by_test_id("save-scores").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Điểm thẩm định của tiêu chí 1.1 (8) khác điểm theo số liệu báo cáo (4)"
    )
    expect(page.get_by_test_id("rating-total")).to_have_text("74")  # nothing saved
    page.get_by_label("Lý do điều chỉnh điểm").fill("Doanh thu kế hoạch đã được điều chỉnh giảm")
    page.get_by_test_id("save-scores").click()
    expect(page.get_by_test_id("rating-total")).to_have_text("78")
    expect(page.get_by_test_id("override-notes")).to_contain_text("Doanh thu kế hoạch")
    screenshot("rating-review")

    # Approve: the rating is locked.
    page.get_by_test_id("approve").click()
    expect(page.get_by_test_id("rating-status")).to_have_text("Đã duyệt")
    expect(page.get_by_test_id("save-scores")).to_have_count(0)
    expect(page).to_have_url(re.compile(r"/xep-loai/\d+/$"))
