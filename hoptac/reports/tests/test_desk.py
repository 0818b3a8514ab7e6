"""The reporting desk: who owes a report, who sent it, on time or late, the rates."""

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from hoptac.accounts import access
from hoptac.registry import services as registry_services
from hoptac.registry.choices import Kind, Status
from hoptac.registry.tests.factories import CooperativeFactory, legacy_unit
from hoptac.reports import selectors, services
from hoptac.reports.tests.factories import approved_report, make_report

pytestmark = pytest.mark.django_db

ON_TIME = datetime(2020, 1, 10, 3, tzinfo=UTC)
LATE = datetime(2020, 2, 1, 3, tzinfo=UTC)
AFTER = datetime(2020, 3, 1, tzinfo=UTC)


@pytest.fixture
def area():
    """Six HTX in Xã Lương Bằng, in every situation, and one outside."""
    make = CooperativeFactory
    c = {
        "on_time": make(name="A đúng hạn"),
        "late": make(name="B muộn"),
        "draft": make(name="C nháp"),
        "returned": make(name="D trả lại"),
        "none": make(name="E chưa báo cáo", founded_on=date(2010, 1, 1)),
        "new": make(name="F mới", founded_on=date(2019, 6, 1)),
    }
    make(name="G tổ hợp tác", kind=Kind.COOPERATIVE_GROUP)  # owes no report
    make(name="H mới 2020", founded_on=date(2020, 2, 1))  # did not exist in 2019
    make(name="X ngoài xã", commune_legacy=legacy_unit("02071"))
    services.report_approve(
        report=services.report_submit(
            report=make_report(c["on_time"]), by=access.SYSTEM, now=ON_TIME
        ),
        by=access.SYSTEM,
    )
    services.report_submit(report=make_report(c["late"]), by=access.SYSTEM, now=LATE)
    make_report(c["draft"], revenue=None, costs=None)
    returned = services.report_submit(
        report=make_report(c["returned"]), by=access.SYSTEM, now=ON_TIME
    )
    services.report_return(report=returned, by=access.SYSTEM, comment="Sai")
    approved_report(c["late"], 2018)
    approved_report(c["draft"], 2018)
    return c


def _desk(user, unit, year=2019):
    return selectors.desk(user=user, area=unit, year=year, now=AFTER)


def test_figures_of_the_commune(area, commune_officer, luong_bang):
    desk = _desk(commune_officer, luong_bang)
    assert desk.expected == 6
    assert desk.reported == 2  # approved on time, submitted late
    assert desk.on_time == 1
    assert desk.late == 5  # late submission + four not reported after the deadline
    assert desk.incomplete == 2  # the draft missing figures, the returned one
    assert desk.missing == 2
    assert str(desk.reporting_rate) == "33.3"
    assert str(desk.on_time_rate) == "16.7"
    assert desk.deadline == date(2020, 1, 15)
    states = {row.name: row.state for row in desk.rows}
    assert states == {
        "A đúng hạn": "approved",
        "B muộn": "submitted",
        "C nháp": "draft",
        "D trả lại": "returned",
        "E chưa báo cáo": "missing",
        "F mới": "missing",
    }


def test_two_years_without_report_is_flagged(area, commune_officer, luong_bang):
    desk = _desk(commune_officer, luong_bang)
    flagged = {row.name for row in desk.rows if row.needs_review}
    # A and D have no 2018 report but sent one for 2019 (D was returned: not reported);
    # E has none for either year; F was founded in 2019.
    assert flagged == {"D trả lại", "E chưa báo cáo"}


def test_dissolved_before_the_year_owes_nothing(commune_officer, luong_bang):
    coop = CooperativeFactory(name="Giải thể", founded_on=date(2010, 1, 1))
    registry_services.cooperative_change_status(
        cooperative=coop, status=Status.DISSOLVING, effective_on=date(2018, 1, 1), by=None
    )
    registry_services.cooperative_change_status(
        cooperative=coop, status=Status.DISSOLVED, effective_on=date(2018, 6, 1), by=None
    )
    assert _desk(commune_officer, luong_bang).expected == 0
    assert _desk(commune_officer, luong_bang, 2018).expected == 1


def test_outsider_sees_nothing_of_another_commune(area, outsider, luong_bang):
    desk = _desk(outsider, luong_bang)
    assert desk.expected == 0


def test_district_sees_both_communes(area, district_officer, cho_don):
    assert _desk(district_officer, cho_don).expected == 7


def test_manager_desk_shows_only_his_htx(area, make_user):
    manager = make_user("qly", "coop_manager")
    area["late"].managers.add(manager)
    desk = _desk(manager, None)
    assert [row.name for row in desk.rows] == ["B muộn"]


def test_deadline_is_a_setting(settings):
    assert selectors.deadline_for(2019) == date(2020, 1, 15)  # ND 193/2013 as amended
    settings.HOPTAC_REPORT_DEADLINE = "03-31"
    assert selectors.deadline_for(2019) == date(2020, 3, 31)
    settings.HOPTAC_REPORT_DEADLINE = "31/03"
    with pytest.raises(ImproperlyConfigured):
        selectors.deadline_for(2019)


@time_machine.travel(datetime(2020, 3, 1, tzinfo=UTC))
def test_desk_page(client, area, district_officer, cho_don):
    client.force_login(district_officer)
    response = client.get(reverse("reports:desk"), {"area": cho_don.pk, "year": 2019})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="expected">7<' in page
    assert "28,6 %" in page  # 2 of 7, written the Vietnamese way
    late = client.get(reverse("reports:desk"), {"area": cho_don.pk, "year": 2019, "show": "late"})
    assert "A đúng hạn" not in late.content.decode()


@time_machine.travel(datetime(2020, 3, 1, tzinfo=UTC))
def test_desk_defaults_to_the_users_area_and_last_year(client, area, commune_officer):
    client.force_login(commune_officer)
    page = client.get(reverse("reports:desk")).content.decode()
    assert "Xã Lương Bằng" in page
    assert 'data-testid="expected">6<' in page


def test_desk_query_count_is_flat(
    client, commune_officer, luong_bang, django_assert_max_num_queries
):
    for index in range(30):
        coop = CooperativeFactory(name=f"HTX {index:02d}")
        if index % 3 == 0:
            services.report_submit(report=make_report(coop), by=access.SYSTEM, now=ON_TIME)
        elif index % 3 == 1:
            make_report(coop, revenue=None)
    client.force_login(commune_officer)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("reports:desk"), {"area": luong_bang.pk, "year": 2019})
    assert response.status_code == 200
    assert 'data-testid="expected">30<' in response.content.decode()
