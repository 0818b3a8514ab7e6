"""The signed-in user's home (/lam-viec/): each role sees its tasks, every count equals the count
of the list its link opens, and nothing out of the user's scope is counted."""

from datetime import date, datetime
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.urls import resolve, reverse
from django.utils import timezone

from conftest import TEST_PASSWORD
from hoptac.accounts import access
from hoptac.accounts.tests.factories import locked_out
from hoptac.jobs.models import Job
from hoptac.registry.models import Cooperative
from hoptac.registry.tests.factories import CooperativeFactory, legacy_unit
from hoptac.reports import services as report_services
from hoptac.reports.tests.factories import make_report
from hoptac.support.tests.factories import GrantFactory, RemediationCaseFactory

pytestmark = pytest.mark.django_db

WORK_URL = reverse("portal:work")
TODAY = datetime(2020, 3, 2, 9, 0, tzinfo=timezone.get_fixed_timezone(7 * 60))


@pytest.fixture(autouse=True)
def _in_march_2020():
    """The 2019 reports are due (15/01/2020) and late; 2019 is the year rated."""
    with time_machine.travel(TODAY, tick=False):
        yield


def _tasks(response) -> dict[str, list]:
    assert response.status_code == 200
    found: dict[str, list] = {}
    for section in response.context["sections"]:
        for task in section.tasks:
            found.setdefault(task.key, []).append(task)
    return found


def _one(tasks, key):
    assert len(tasks[key]) == 1, key
    return tasks[key][0]


def _list_count(client, url: str) -> int:
    """How many rows the list at `url` holds, as its page counts them."""
    response = client.get(url, follow=True)
    assert response.status_code == 200, url
    context = response.context
    name = resolve(urlsplit(response.request["PATH_INFO"]).path).view_name
    if name == "reports:desk":
        show = parse_qs(urlsplit(url).query)["show"][0]
        return len(context["desk"].filtered(show))
    if name == "ratings:area":
        return len(context["ratings"]) if "status" in url else context["unrated"]
    return context["page"].paginator.count


def test_the_home_is_in_the_menu_of_every_signed_in_user(client, commune_officer):
    client.force_login(commune_officer)
    assert f'href="{WORK_URL}"' in client.get(WORK_URL).text


def test_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get(WORK_URL)
    assert response.status_code == 302
    assert reverse("accounts:login") in response.url


# --- landing ------------------------------------------------------------------------------


def test_signing_in_lands_on_the_home(client, commune_officer):
    response = client.post(
        reverse("accounts:login"), {"username": "xa1", "password": TEST_PASSWORD}
    )
    assert response.status_code == 302, response.context["form"].errors
    assert response.url == WORK_URL


def test_signing_in_keeps_next(client, commune_officer):
    desk = reverse("reports:desk")
    response = client.post(
        f"{reverse('accounts:login')}?next={desk}",
        {"username": "xa1", "password": TEST_PASSWORD, "next": desk},
    )
    assert response.url == desk


# --- HTX manager --------------------------------------------------------------------------


@pytest.fixture
def manager(make_user):
    user = make_user("htx1", "coop_manager")
    mine = CooperativeFactory(name="HTX Của Tôi")
    mine.managers.add(user)  # type: ignore[attr-defined]
    return user, mine


def test_manager_is_asked_to_file_the_report_with_its_deadline(client, manager):
    user, mine = manager
    client.force_login(user)
    task = _one(_tasks(client.get(WORK_URL)), "report_due")
    assert task.label == "Nộp báo cáo năm 2019 — hạn 15/01/2020"
    assert task.url == reverse("reports:report_for_year", args=[mine.pk, 2019])
    assert task.urgent  # past the deadline
    assert client.get(task.url).status_code == 200


def test_manager_sees_the_returned_report_with_the_comment(client, manager, commune_officer):
    user, mine = manager
    report = report_services.report_submit(report=make_report(mine, 2019), by=access.SYSTEM)
    report_services.report_return(report=report, by=commune_officer, comment="Thiếu doanh thu")
    client.force_login(user)
    tasks = _tasks(client.get(WORK_URL))
    returned = _one(tasks, "report_returned")
    assert returned.note == "Thiếu doanh thu"
    assert returned.url == reverse("reports:report_detail", args=[report.pk])
    assert "report_due" not in tasks  # the returned report is the task
    assert client.get(returned.url).status_code == 200


def test_manager_support_count_is_the_support_list_and_his_own_only(client, manager):
    user, mine = manager
    GrantFactory(cooperative=mine)
    GrantFactory(cooperative=mine, granted_on=date(2018, 5, 1))
    GrantFactory(cooperative=CooperativeFactory(name="HTX Khác"))  # not his
    client.force_login(user)
    task = _one(_tasks(client.get(WORK_URL)), "support")
    assert task.count == 2
    assert task.count == _list_count(client, task.url)


def test_manager_sees_his_rating(client, manager):
    from hoptac.ratings.tests.factories import RatingFactory

    user, mine = manager
    rating = RatingFactory(cooperative=mine)
    client.force_login(user)
    task = _one(_tasks(client.get(WORK_URL)), "rating")
    assert task.url == rating.get_absolute_url()  # type: ignore[attr-defined]
    assert client.get(task.url).status_code == 200


# --- officers -----------------------------------------------------------------------------


@pytest.fixture
def area_data(commune_officer):
    """In Lương Bằng: one HTX that submitted its 2019 report, one that did not report, one
    with an open remediation case; in Nghĩa Tá (out of the officer's scope) the same again."""
    for commune, prefix in (("02062", "HTX Trong"), ("02071", "HTX Ngoài")):
        unit = legacy_unit(commune)
        submitted = CooperativeFactory(name=f"{prefix} Đã Nộp", commune_legacy=unit)
        report_services.report_submit(report=make_report(submitted, 2019), by=access.SYSTEM)
        CooperativeFactory(name=f"{prefix} Chưa Nộp", commune_legacy=unit)
        weak = CooperativeFactory(name=f"{prefix} Yếu", commune_legacy=unit)
        RemediationCaseFactory(cooperative=weak)


def test_commune_officer_counts_equal_the_linked_lists(client, commune_officer, area_data):
    client.force_login(commune_officer)
    tasks = _tasks(client.get(WORK_URL))
    expected = {
        "reports_submitted": 1,
        "reports_missing": 2,  # the weak HTX has no report either
        "ratings_to_propose": 3,
        "remediation_open": 1,
    }
    for key, count in expected.items():
        task = _one(tasks, key)
        assert task.count == count, key
        assert task.count == _list_count(client, task.url), key


def test_proposed_ratings_are_counted_to_approve(client, commune_officer):
    from hoptac.ratings.tests.factories import RatingFactory

    RatingFactory(cooperative=CooperativeFactory(commune_legacy=legacy_unit("02062")))
    RatingFactory(cooperative=CooperativeFactory(commune_legacy=legacy_unit("02071")))
    client.force_login(commune_officer)
    task = _one(_tasks(client.get(WORK_URL)), "ratings_to_approve")
    assert task.count == 1
    assert task.count == _list_count(client, task.url)


def test_provincial_officer_counts_the_whole_province(client, province_officer, area_data):
    client.force_login(province_officer)
    tasks = _tasks(client.get(WORK_URL))
    # Nghĩa Tá belongs to Chợ Đồn, Bắc Kạn too: both communes are in the province.
    task = _one(tasks, "reports_submitted")
    assert task.count == 2
    assert task.count == _list_count(client, task.url)


def test_officer_of_another_province_counts_nothing_of_bac_kan(client, current_officer, area_data):
    client.force_login(current_officer)
    tasks = _tasks(client.get(WORK_URL))
    # Thái Nguyên (new tree) took in Bắc Kạn: the same HTX are his, counted once each.
    assert _one(tasks, "reports_submitted").count == 2


def test_officer_sees_his_failed_job(client, commune_officer, admin):
    mine = Job.objects.create(kind="x", title="Nhập HTX", owner=commune_officer, state="failed")
    Job.objects.create(kind="x", title="Của người khác", owner=admin, state="failed")
    client.force_login(commune_officer)
    tasks = _tasks(client.get(WORK_URL))
    assert [t.url for t in tasks["my_job"]] == [reverse("jobs:detail", args=[mine.pk])]
    assert client.get(tasks["my_job"][0].url).status_code == 200


# --- administrator ------------------------------------------------------------------------


def test_admin_sees_locked_accounts_and_data_checks(client, admin, commune_officer, make_user):
    make_user("xa9", "commune_officer", legacy_unit("02062"))
    for name in ("xa1", "xa9"):
        locked_out(name)
    # What imports and old data leave behind, which the forms refuse: written around them.
    placeless = CooperativeFactory(name="HTX Không Xã")
    Cooperative.objects.filter(pk=placeless.pk).update(commune_legacy=None, commune=None)  # type: ignore[attr-defined]
    CooperativeFactory(name="HTX Trùng Tên")
    CooperativeFactory(name="HTX Trung Ten")  # the same name without diacritics
    failed = Job.objects.create(kind="x", title="Xuất", owner=commune_officer, state="failed")
    client.force_login(admin)
    tasks = _tasks(client.get(WORK_URL))
    expected = {
        "locked_accounts": 2,
        "data_no_commune": 1,
        "data_duplicate_name": 2,
    }
    for key, count in expected.items():
        task = _one(tasks, key)
        assert task.count == count, key
        assert task.count == _list_count(client, task.url), key
    assert [t.url for t in tasks["job_failed"]] == [reverse("jobs:detail", args=[failed.pk])]


def test_nothing_to_do_says_so(client, make_user):
    client.force_login(make_user("htx2", "coop_manager"))
    response = client.get(WORK_URL)
    assert response.context["sections"] == []
    assert 'data-testid="work-empty"' in response.text


# --- the manager's desk says where to file ------------------------------------------------


def test_manager_desk_says_file_it_here_when_late(client, manager):
    user, mine = manager
    client.force_login(user)
    response = client.get(reverse("reports:desk"))
    text = response.text
    assert 'data-testid="file-here"' in text
    assert "đã chậm: hạn nộp là 15/01/2020" in text
    assert reverse("reports:report_for_year", args=[mine.pk, 2019]) in text
    assert "Nộp báo cáo tại đây" in text


def test_manager_desk_says_nothing_once_submitted(client, manager):
    user, mine = manager
    report_services.report_submit(report=make_report(mine, 2019), by=access.SYSTEM)
    client.force_login(user)
    assert 'data-testid="file-here"' not in client.get(reverse("reports:desk")).text


def test_officer_desk_has_no_file_here(client, commune_officer, area_data):
    client.force_login(commune_officer)
    assert 'data-testid="file-here"' not in client.get(reverse("reports:desk")).text


def test_district_officer_sees_the_targets_at_risk_of_his_plan(client, district_officer, cho_don):
    from hoptac.plans.tests.factories import district_plan

    plan = district_plan(cho_don)  # 35 HTX by 2019: missed, the 2020 target at risk
    district_plan(legacy_unit("02062"))  # a commune's plan: not the district officer's own
    client.force_login(district_officer)
    task = _one(_tasks(client.get(WORK_URL)), "targets_at_risk")
    assert task.url == plan.get_absolute_url()
    page = client.get(task.url)
    at_risk = [
        p for p in page.context["progress"] if p.assessment.outcome == "co_nguy_co_khong_dat"
    ]
    assert task.count == len(at_risk) == 1
