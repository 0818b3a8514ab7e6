"""Notifications: written in bulk, e-mailed by the job queue after the commit as each user
chose, fired by the real services (reports, portal, jobs, the deadline command), the pages
(the user's own only), the bell's count in the header's one query."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from hoptac.accounts import access
from hoptac.jobs import selectors as job_selectors
from hoptac.jobs import services as job_services
from hoptac.jobs.tests import kinds  # noqa: F401  (registers the test kinds)
from hoptac.notifications import selectors, services
from hoptac.notifications.choices import Kind
from hoptac.notifications.models import Notification
from hoptac.portal import services as portal_services
from hoptac.portal.choices import MessageKind
from hoptac.portal.models import Message
from hoptac.registry.tests.factories import CooperativeFactory
from hoptac.reports import services as report_services
from hoptac.reports.tests.factories import make_report

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _jobs_dir(settings, tmp_path):
    settings.HOPTAC_JOBS_DIR = tmp_path / "jobs"


@pytest.fixture
def manager(make_user):
    return make_user("qly.caophong", "coop_manager", email="qly@example.vn")


@pytest.fixture
def coop(manager):
    cooperative: Any = CooperativeFactory(name="HTX Cao Phong")
    cooperative.managers.add(manager)
    return cooperative


def titles(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).values_list("title", flat=True))


# --- the service -----------------------------------------------------------------------------


def test_notify_writes_for_all_and_mails_after_commit_those_who_chose(
    make_user, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    default = make_user("a", "coop_manager", email="a@example.vn")
    refused = make_user("b", "coop_manager", email="b@example.vn")
    no_address = make_user("c", "coop_manager", email="")
    services.preference_set(user=refused, email_kinds=[Kind.REPORT_APPROVED])
    with django_capture_on_commit_callbacks(execute=True):
        # a savepoint, the check of choices and one insert, whatever the number of users
        with django_assert_max_num_queries(4):
            rows = services.notify(
                [default, refused, no_address], Kind.REPORT_RETURNED, "Trả lại", "Sửa", "/x/"
            )
        assert mail.outbox == []  # never inside the request: queued for the commit
    assert len(rows) == 3
    assert Notification.objects.filter(kind=Kind.REPORT_RETURNED).count() == 3
    assert [m.to for m in mail.outbox] == [["a@example.vn"]]
    assert mail.outbox[0].subject == "Trả lại"
    assert "http://127.0.0.1:8000/x/" in mail.outbox[0].body
    assert "/thong-bao/cai-dat/" in mail.outbox[0].body


def test_the_callers_choice_overrides_the_preference(manager, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.notify([manager], Kind.REPORT_RETURNED, "A", email=False)
        services.notify([manager], Kind.JOB_FINISHED, "B", email=True)
        services.notify([manager], Kind.JOB_FINISHED, "C")  # default: no mail for jobs
    assert [m.subject for m in mail.outbox] == ["B"]
    assert sorted(titles(manager)) == ["A", "B", "C"]


def test_unknown_kind_and_inactive_users(make_user):
    gone = make_user("gone", "coop_manager", is_active=False)
    with pytest.raises(ValueError, match="unknown"):
        services.notify([gone], "nonsense", "x")
    assert services.notify([gone], Kind.REPORT_APPROVED, "x") == []


# --- each kind from its real service -------------------------------------------------------


def test_returning_a_report_tells_its_managers_with_the_comment(
    coop, manager, commune_officer, django_capture_on_commit_callbacks
):
    report = report_services.report_submit(report=make_report(coop, 2019), by=access.SYSTEM)
    with django_capture_on_commit_callbacks(execute=True):
        report_services.report_return(report=report, by=commune_officer, comment="Thiếu vốn")
    notification = Notification.objects.get(recipient=manager)
    assert notification.kind == Kind.REPORT_RETURNED
    assert notification.title == "Báo cáo năm 2019 của HTX Cao Phong bị trả lại để sửa"
    assert "Thiếu vốn" in notification.body
    assert notification.link == report.get_absolute_url()
    assert [m.to for m in mail.outbox] == [["qly@example.vn"]]
    assert "Thiếu vốn" in mail.outbox[0].body


def test_approving_a_report_tells_its_managers(
    coop, manager, commune_officer, django_capture_on_commit_callbacks
):
    services.preference_set(user=manager, email_kinds=[])  # on the site only
    report = report_services.report_submit(report=make_report(coop, 2019), by=access.SYSTEM)
    with django_capture_on_commit_callbacks(execute=True):
        report_services.report_approve(report=report, by=commune_officer)
    assert titles(manager) == ["Báo cáo năm 2019 của HTX Cao Phong đã được duyệt"]
    assert mail.outbox == []


def _message(contact: str) -> Message:
    return Message.objects.create(
        kind=MessageKind.FEEDBACK, name="Dân", contact=contact, subject="Vốn vay", content="?"
    )


def test_an_answer_reaches_a_sender_with_an_account(
    manager, bac_kan, province_officer, django_capture_on_commit_callbacks
):
    message = _message("QLY@example.vn")
    with django_capture_on_commit_callbacks(execute=True):
        portal_services.message_answer(
            by=province_officer, province=bac_kan, message=message, answer="Có.", publish=True
        )
    notification = Notification.objects.get(recipient=manager)
    assert (notification.kind, notification.body) == (Kind.FEEDBACK_ANSWERED, "Có.")
    assert notification.link == reverse("portal:feedback")
    assert [m.to for m in mail.outbox] == [["qly@example.vn"]]


def test_an_answer_to_a_public_sender_is_mailed_only(
    bac_kan, province_officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        portal_services.message_answer(
            by=province_officer,
            province=bac_kan,
            message=_message("dan@example.vn"),
            answer="Có.",
            publish=False,
        )
        portal_services.message_answer(
            by=province_officer,
            province=bac_kan,
            message=_message("0912 345 678"),  # a phone: the office calls back
            answer="Có.",
            publish=False,
        )
    assert Notification.objects.count() == 0
    assert [m.to for m in mail.outbox] == [["dan@example.vn"]]
    assert "Có." in mail.outbox[0].body
    assert "Vốn vay" in mail.outbox[0].subject


def test_a_finished_job_tells_its_owner_on_the_site_and_by_mail_if_asked(
    manager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = job_services.job_start(
            kind="test.write_rows", title="Nhập HTX", by=manager, params={"n": 1}
        )
    notification = Notification.objects.get(recipient=manager)
    assert notification.kind == Kind.JOB_FINISHED
    assert notification.title.startswith("Nhập HTX: ")
    assert notification.link == reverse("jobs:detail", args=[job.pk])
    assert mail.outbox == []  # the job's box was not ticked
    with django_capture_on_commit_callbacks(execute=True):
        job_services.job_start(
            kind="test.write_rows", title="Nhập 2", by=manager, params={"n": 1}, notify_email=True
        )
    assert [m.to for m in mail.outbox] == [["qly@example.vn"]]


def test_the_job_box_is_ticked_by_the_users_choice(manager):
    from django.template import Context, Template

    box = Template("{% load notifications_tags %}{% wants_email user as on %}{{ on }}")
    assert box.render(Context({"user": manager})) == "False"  # the default: no mail for jobs
    services.preference_set(user=manager, email_kinds=[Kind.JOB_FINISHED])
    assert box.render(Context({"user": manager})) == "True"


# --- the deadline command ------------------------------------------------------------------


def test_deadline_notices_once_per_manager_year_and_day(
    coop, manager, make_user, settings, django_capture_on_commit_callbacks
):
    settings.HOPTAC_DEADLINE_NOTICE_DAYS = "14,3"
    filed: Any = CooperativeFactory(name="HTX Đã nộp")
    other = make_user("qly.danop", "coop_manager", email="danop@example.vn")
    filed.managers.add(other)
    report_services.report_submit(report=make_report(filed, 2025), by=access.SYSTEM)
    make_report(coop, 2025)  # a draft is not submitted
    with django_capture_on_commit_callbacks(execute=True):
        call_command("notify_deadlines", "--date", "2026-01-01", stdout=StringIO())
    assert titles(manager) == ["Báo cáo năm 2025 đến hạn sau 14 ngày (15/01/2026)"]
    assert "HTX Cao Phong" in Notification.objects.get(recipient=manager).body
    assert titles(other) == []  # his HTX has submitted
    assert [m.to for m in mail.outbox] == [["qly@example.vn"]]
    with django_capture_on_commit_callbacks(execute=True):  # a second run tells no one
        call_command("notify_deadlines", "--date", "2026-01-01", stdout=StringIO())
        call_command("notify_deadlines", "--date", "2026-01-01", "--days", "14", stdout=StringIO())
        call_command("notify_deadlines", "--date", "2026-01-02", stdout=StringIO())
    assert len(titles(manager)) == 1  # nor does a day that is not 14 or 3 days before
    assert len(mail.outbox) == 1
    call_command("notify_deadlines", "--date", "2026-01-12", stdout=StringIO())
    assert len(titles(manager)) == 2  # 3 days before: a second notice


def test_deadline_command_refuses_bad_flags():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--days"):
        call_command("notify_deadlines", "--days", "x")
    with pytest.raises(CommandError, match="--date"):
        call_command("notify_deadlines", "--date", "01/01/2026")


# --- pages ---------------------------------------------------------------------------------


def test_the_list_shows_only_the_users_own_newest_first(client, manager, make_user):
    stranger = make_user("stranger", "coop_manager")
    services.notify([manager], Kind.REPORT_APPROVED, "Cũ")
    services.notify([manager], Kind.RATING_PUBLISHED, "Mới")
    services.notify([stranger], Kind.RATING_PUBLISHED, "Của người khác")
    client.force_login(manager)
    page = client.get("/thong-bao/").content.decode()
    assert page.index("Mới") < page.index("Cũ")
    assert "Của người khác" not in page
    assert page.count('data-unread="1"') == 2


def test_another_users_notification_is_404_even_for_the_administrator(
    client, manager, admin, make_user
):
    (row,) = services.notify([manager], Kind.REPORT_APPROVED, "Của tôi", link="/bao-cao/")
    for intruder in (make_user("stranger", "coop_manager"), admin):
        client.force_login(intruder)
        assert client.post(reverse("notifications:open", args=[row.pk])).status_code == 404
    row.refresh_from_db()
    assert row.read_at is None


def test_opening_marks_read_and_goes_to_the_link_but_never_off_site(client, manager):
    (own,) = services.notify([manager], Kind.REPORT_APPROVED, "A", link="/bao-cao/")
    (evil,) = services.notify([manager], Kind.REPORT_APPROVED, "B", link="https://evil.example/")
    client.force_login(manager)
    url = reverse("notifications:open", args=[own.pk])
    assert client.get(url).status_code == 405  # a GET never marks read
    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == "/bao-cao/"
    own.refresh_from_db()
    assert own.read_at is not None
    response = client.post(reverse("notifications:open", args=[evil.pk]))
    assert response["Location"] == reverse("notifications:list")


def test_mark_all_read_and_the_bell(client, manager, django_assert_max_num_queries):
    for title in ("A", "B", "C"):
        services.notify([manager], Kind.REPORT_APPROVED, title)
    client.force_login(manager)
    page = client.get(reverse("portal:work")).content.decode()
    assert 'data-testid="bell-count">3<' in page
    with django_assert_max_num_queries(1):
        assert job_selectors.header_counts(manager, None) == (0, 3)
    client.post(reverse("notifications:mark_all_read"))
    assert job_selectors.header_counts(manager, None) == (0, 0)
    page = client.get(reverse("portal:work")).content.decode()
    assert 'data-testid="bell"' in page
    assert 'data-testid="bell-count"' not in page


def test_the_bell_is_for_signed_in_users_only(client):
    assert 'data-testid="bell"' not in client.get("/").content.decode()


def test_preferences_form_saves_the_choices(client, manager):
    client.force_login(manager)
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert page.count("checked") == 5  # the defaults: all but the end of a job
    response = client.post(
        reverse("notifications:preferences"),
        {"email_kinds": [Kind.JOB_FINISHED, Kind.RATING_PUBLISHED]},
    )
    assert response.status_code == 302
    assert selectors.email_kinds(user=manager) == {Kind.JOB_FINISHED, Kind.RATING_PUBLISHED}
    response = client.post(reverse("notifications:preferences"), {"email_kinds": ["nonsense"]})
    assert response.status_code == 200
    assert "nonsense" in response.content.decode()
