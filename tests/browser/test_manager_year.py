"""The HTX manager's whole year in a real browser (#16 item 9): he signs in and sees his task
on /lam-viec/; he fills and submits the report; the commune officer sees it on his desk and
returns it with a comment; the manager is notified (the bell), corrects it and resubmits; the
officer approves it, and proposes the rating that reads it."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_reports import FIGURES, _sign_in, _sign_out
from tests.browser.test_reports import _data as reports_data

pytestmark = pytest.mark.browser


def _data():
    """The commune officer of Lương Bằng, an HTX there founded in 2015 and its manager."""
    return reports_data(
        officer_user=("year.xa", "Ma Văn Năm"),
        manager_user=("year.htx", "Lục Văn Cả"),
        cooperative=("HTX Cả Năm Lương Bằng", "4700000377"),
    )


def _rounds(year):
    from hoptac.ratings.models import RatingRound

    return list(RatingRound.objects.filter(area__era="legacy", area__code="02062", year=year))


def test_the_managers_year_from_task_to_proposed_rating(page, committed, screenshot):
    _officer, _manager, coop = committed(_data)

    # 1. He signs in and lands on his tasks: the report to file, with its deadline.
    _sign_in(page, "year.htx", "Lục Văn Cả")
    assert page.url.endswith("/lam-viec/")
    task = page.locator('[data-task="report_due"]')
    expect(task).to_contain_text("Nộp báo cáo năm")
    expect(task).to_contain_text("— hạn 15/01/")
    found = re.search(r"năm (\d{4})", task.inner_text())
    assert found, task.inner_text()
    year = int(found.group(1))

    # 2. He follows it, fills the report in and submits it.
    task.get_by_role("link").first.click()
    for label, value in FIGURES.items():
        page.get_by_label(label).fill(value)
    page.get_by_role("button", name="Lưu nháp").click()
    expect(page.get_by_test_id("report-status")).to_have_text("Bản nháp")
    page.get_by_test_id("submit").click()
    expect(page.get_by_test_id("report-status")).to_have_text("Đã gửi")
    _sign_out(page)

    # 3. The commune officer finds it on his desk and returns it with a comment.
    _sign_in(page, "year.xa", "Ma Văn Năm")
    page.goto(f"/bao-cao/?year={year}")
    row = page.locator(f'[data-testid="desk-rows"] tr[data-coop="{coop.pk}"]')
    expect(row).to_contain_text("Đã gửi")
    row.get_by_role("link", name="Đã gửi").click()
    page.get_by_label("Nội dung cần sửa").fill("Lợi nhuận sau thuế chưa trừ thuế TNDN.")
    page.get_by_test_id("return").click()
    expect(page.get_by_test_id("report-status")).to_have_text("Bị trả lại")
    _sign_out(page)

    # 4. The manager sees the bell, opens the notification, corrects and resubmits.
    _sign_in(page, "year.htx", "Lục Văn Cả")
    expect(page.get_by_test_id("bell-count")).to_contain_text("1")
    page.get_by_test_id("bell").click()
    notice = page.get_by_test_id("notification").first
    expect(notice).to_contain_text(f"Báo cáo năm {year} của HTX Cả Năm Lương Bằng bị trả lại")
    expect(notice).to_contain_text("chưa trừ thuế TNDN")
    screenshot("manager-year-notified")
    notice.get_by_role("button").click()
    expect(page.get_by_test_id("return-comment")).to_contain_text("chưa trừ thuế TNDN")
    expect(page.get_by_test_id("bell-count")).to_have_count(0)  # opened: read
    page.get_by_test_id("edit").click()
    page.get_by_label("Lợi nhuận sau thuế (đồng)").fill("115.000.000")
    page.get_by_role("button", name="Lưu nháp").click()
    page.get_by_test_id("submit").click()
    expect(page.get_by_test_id("report-status")).to_have_text("Đã gửi")
    _sign_out(page)

    # 5. The officer approves it and proposes the year's ratings of his commune.
    _sign_in(page, "year.xa", "Ma Văn Năm")
    page.goto(f"/bao-cao/?year={year}")
    page.locator(f'tr[data-coop="{coop.pk}"]').get_by_role("link", name="Đã gửi").click()
    page.get_by_test_id("approve").click()
    expect(page.get_by_test_id("report-status")).to_have_text("Đã duyệt")
    committed(lambda: _rounds(year))  # none yet; registered so that a failure leaves none
    page.goto(f"/xep-loai/khu-vuc/{_officer.area_id}/{year}/")
    page.get_by_test_id("propose").click()
    expect(page.get_by_test_id(f"review-{coop.pk}")).to_be_visible()
    committed(lambda: _rounds(year))  # the round the proposal made, deleted after the test
    screenshot("manager-year-rating-proposed")
    _sign_out(page)

    # The manager was told of the approval too.
    _sign_in(page, "year.htx", "Lục Văn Cả")
    expect(page.get_by_test_id("bell-count")).to_contain_text("1")
