"""Report pages: access for every actor, the workflow through the pages, the HTX tab."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from hoptac.registry.tests.factories import CooperativeFactory
from hoptac.reports import services
from hoptac.reports.models import AnnualReport
from hoptac.reports.tests.factories import approved_report, complete_values, make_report

pytestmark = pytest.mark.django_db


def _post_values(**overrides):
    data = {k: "" if v is None else str(v) for k, v in complete_values(**overrides).items()}
    data["notes"] = ""
    return data


def test_manager_starts_and_saves_a_report_for_his_htx(client, coop, manager):
    client.force_login(manager)
    url = reverse("reports:report_for_year", args=[coop.pk, 2019])
    assert client.get(url).status_code == 200
    data = _post_values(revenue="2.400.000.000")
    response = client.post(url, data)
    report = AnnualReport.objects.get(cooperative=coop, year=2019)
    assert response.status_code == 302
    assert response["Location"] == report.get_absolute_url()
    assert report.revenue == Decimal(2_400_000_000)
    assert report.created_by == manager


def test_manager_of_another_htx_gets_404(client, coop, make_user):
    other = make_user("qly2", "coop_manager")
    CooperativeFactory(name="HTX Khác").managers.add(other)
    report = make_report(coop)
    client.force_login(other)
    assert client.get(report.get_absolute_url()).status_code == 404
    assert client.get(reverse("reports:report_for_year", args=[coop.pk, 2019])).status_code == 404
    assert client.post(reverse("reports:report_submit", args=[report.pk])).status_code == 404


def test_commune_officer_of_another_commune_gets_404(client, coop, outsider):
    report = make_report(coop)
    client.force_login(outsider)
    assert client.get(report.get_absolute_url()).status_code == 404
    assert client.get(reverse("reports:report_edit", args=[report.pk])).status_code == 404


def test_commune_officer_of_the_commune_sees_and_edits(client, coop, commune_officer):
    report = make_report(coop)
    client.force_login(commune_officer)
    assert client.get(report.get_absolute_url()).status_code == 200
    assert client.get(reverse("reports:report_edit", args=[report.pk])).status_code == 200


def test_anonymous_is_sent_to_sign_in(client, coop):
    report = make_report(coop)
    response = client.get(report.get_absolute_url())
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_manager_cannot_approve_through_the_page(client, coop, manager):
    report = services.report_submit(report=make_report(coop, by=manager), by=manager)
    client.force_login(manager)
    page = client.get(report.get_absolute_url()).content.decode()
    assert 'data-testid="approve"' not in page
    response = client.post(reverse("reports:report_approve", args=[report.pk]))
    assert response.status_code == 403
    report.refresh_from_db()
    assert report.status == "submitted"


def test_workflow_through_the_pages(client, coop, manager, district_officer):
    report = make_report(coop, by=manager)
    client.force_login(manager)
    client.post(reverse("reports:report_submit", args=[report.pk]))
    client.force_login(district_officer)
    client.post(reverse("reports:report_return", args=[report.pk]), {"comment": "Thiếu quỹ"})
    report.refresh_from_db()
    assert (report.status, report.return_comment) == ("returned", "Thiếu quỹ")
    client.force_login(manager)
    page = client.get(report.get_absolute_url()).content.decode()
    assert "Thiếu quỹ" in page
    data = _post_values(reserve_fund="9000000")
    data["revision"] = str(report.revision)
    response = client.post(reverse("reports:report_edit", args=[report.pk]), data)
    assert response.status_code == 302
    client.post(reverse("reports:report_submit", args=[report.pk]))
    client.force_login(district_officer)
    client.post(reverse("reports:report_approve", args=[report.pk]))
    report.refresh_from_db()
    assert (report.status, report.reserve_fund) == ("approved", Decimal(9_000_000))
    assert client.get(reverse("reports:report_edit", args=[report.pk])).status_code == 403


def test_edit_with_an_out_of_date_revision_saves_nothing(client, coop, manager):
    report = make_report(coop, by=manager)
    stale = report.revision
    services.report_update(report=report, by=manager, revision=stale, members_count=40)
    client.force_login(manager)
    data = _post_values(members_count="35")
    data["revision"] = str(stale)
    response = client.post(reverse("reports:report_edit", args=[report.pk]), data)
    assert response.status_code == 200
    assert 'data-testid="form-errors"' in response.content.decode()
    report.refresh_from_db()
    assert report.members_count == 40


def test_edit_shows_errors_by_field_in_vietnamese(client, coop, manager):
    report = make_report(coop, by=manager)
    client.force_login(manager)
    data = _post_values(total_capital="5", revenue="abc")
    data["revision"] = str(report.revision)
    page = client.post(reverse("reports:report_edit", args=[report.pk]), data).content.decode()
    assert "Doanh thu" in page
    assert "Tổng nguồn vốn" in page


def test_htmx_check_returns_only_the_checks(client, coop, manager):
    report = make_report(coop, by=manager)
    client.force_login(manager)
    data = _post_values(workers_members="99")
    data["check"] = "1"
    response = client.post(
        reverse("reports:report_edit", args=[report.pk]), data, headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert 'id="checks"' in body
    assert "<html" not in body
    report.refresh_from_db()
    assert report.workers_members == 9  # a check saves nothing


def test_correct_from_the_page_makes_version_two(client, coop, manager):
    report = approved_report(coop)
    client.force_login(manager)
    response = client.post(reverse("reports:report_correct", args=[report.pk]))
    new = AnnualReport.objects.get(cooperative=coop, year=2019, is_current=True)
    assert new.version == 2
    assert response["Location"] == new.get_absolute_url()


@time_machine.travel(date(2020, 3, 1))
def test_cooperative_page_has_the_reports_tab(client, coop, manager):
    approved_report(coop, 2018)
    client.force_login(manager)
    url = reverse("registry:cooperative_detail", args=[coop.pk]) + "?tab=reports"
    page = client.get(url).content.decode()
    assert 'data-testid="reports-tab"' in page
    assert ">2018<" in page
    assert 'data-testid="start-2019"' in page


def test_national_forms_only_for_an_approved_report(client, coop, manager):
    draft = make_report(coop, 2018)
    approved = approved_report(coop, 2019)
    client.force_login(manager)
    assert client.get(reverse("reports:national_forms_xlsx", args=[draft.pk])).status_code == 404
    response = client.get(reverse("reports:national_forms_xlsx", args=[approved.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    docx = client.get(reverse("reports:national_forms_docx", args=[approved.pk]))
    assert docx.status_code == 200


def test_reminder_email_from_the_desk(client, coop, district_officer, mailoutbox):
    client.force_login(district_officer)
    response = client.post(reverse("reports:reminder_email", args=[coop.pk, 2019]))
    assert response.status_code == 302
    assert mailoutbox[0].to == ["htx@example.vn"]


def test_manager_cannot_send_reminders(client, coop, manager, mailoutbox):
    client.force_login(manager)
    response = client.post(reverse("reports:reminder_email", args=[coop.pk, 2019]))
    assert response.status_code == 403
    assert mailoutbox == []


def test_reminder_letter_is_printable(client, coop, district_officer):
    client.force_login(district_officer)
    url = reverse("reports:reminder_letter", args=[coop.pk, 2019])
    response = client.post(url, follow=True)
    body = response.content.decode()
    assert response.redirect_chain == [(url, 302)]
    assert "HTX Lương Bằng" in body
    assert "15/01/2020" in body
    assert coop.report_reminders.get().channel == "letter"


def test_reminder_letter_outside_the_area_is_404(client, coop, outsider):
    client.force_login(outsider)
    assert client.get(reverse("reports:reminder_letter", args=[coop.pk, 2019])).status_code == 404


def test_remind_every_htx_that_has_not_reported(
    client, coop, district_officer, cho_don, mailoutbox, django_capture_on_commit_callbacks
):
    from hoptac.jobs.models import Job

    approved_report(CooperativeFactory(name="Đã báo cáo", email="ok@example.vn"), 2019)
    CooperativeFactory(name="Không email", email="")
    client.force_login(district_officer)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post(
            reverse("reports:reminder_email_late"), {"area": cho_don.pk, "year": 2019}
        )
    assert response.status_code == 302
    assert mailoutbox == []  # the request only starts a background job
    for callback in queued:
        callback()
    job = Job.objects.get()
    assert (job.state, job.owner, job.result["sent"]) == ("succeeded", district_officer, 1)
    assert [m.to for m in mailoutbox] == [["htx@example.vn"]]


def test_manager_cannot_remind_everyone(client, manager, mailoutbox):
    client.force_login(manager)
    response = client.post(reverse("reports:reminder_email_late"), {"year": 2019})
    assert response.status_code == 403
