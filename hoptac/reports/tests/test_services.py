"""The report workflow: draft → submitted → approved / returned, locking, corrections, conflicts."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from hoptac.accounts import access
from hoptac.registry.tests.factories import CooperativeFactory
from hoptac.reports import services
from hoptac.reports.choices import ReportStatus
from hoptac.reports.models import AnnualReport
from hoptac.reports.tests.factories import approved_report, complete_values, make_report

pytestmark = pytest.mark.django_db


def test_create_makes_a_current_draft_version_one(coop, manager):
    report = make_report(coop, 2019, by=manager)
    assert (report.version, report.status, report.is_current) == (1, ReportStatus.DRAFT, True)
    assert report.created_by == manager
    assert report.history.count() == 1
    assert report.history.first().history_user == manager


def test_one_report_per_cooperative_and_year(coop):
    make_report(coop, 2019)
    with pytest.raises(ValidationError) as error:
        make_report(coop, 2019)
    assert "year" in error.value.message_dict


def test_database_refuses_two_current_versions(coop):
    report = make_report(coop, 2019)
    with pytest.raises(IntegrityError), transaction.atomic():
        AnnualReport.objects.create(cooperative=coop, year=2019, version=report.version + 1)


def test_no_report_before_the_founding_year(coop):
    with pytest.raises(ValidationError) as error:
        make_report(coop, 2014)  # founded 1 March 2015
    assert "2015" in error.value.message_dict["year"][0]


@time_machine.travel(date(2020, 3, 1))
def test_no_report_for_a_year_not_begun(coop):
    with pytest.raises(ValidationError):
        make_report(coop, 2021)


def test_figures_are_checked_on_save(coop):
    with pytest.raises(ValidationError) as error:
        make_report(coop, 2019, total_capital=Decimal(1))
    assert "total_capital" in error.value.message_dict


def test_submit_needs_every_required_figure(coop):
    report = make_report(coop, 2019, revenue=None)
    with pytest.raises(ValidationError) as error:
        services.report_submit(report=report, by=access.SYSTEM)
    assert list(error.value.message_dict) == ["revenue"]
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT


def test_full_workflow_return_correct_resubmit_approve(coop, manager, district_officer):
    report = make_report(coop, 2019, by=manager)
    report = services.report_submit(report=report, by=manager)
    assert report.status == ReportStatus.SUBMITTED
    first = report.first_submitted_at
    report = services.report_return(report=report, by=district_officer, comment="Sai doanh thu")
    assert (report.status, report.return_comment) == (ReportStatus.RETURNED, "Sai doanh thu")
    report = services.report_update(
        report=report, by=manager, revision=report.revision, revenue=Decimal(2_500_000_000)
    )
    report = services.report_submit(report=report, by=manager)
    assert report.first_submitted_at == first  # timeliness counts the first submission
    report = services.report_approve(report=report, by=district_officer)
    assert (report.status, report.approved_by) == (ReportStatus.APPROVED, district_officer)
    assert [h.status for h in report.history.order_by("history_date")] == [
        "draft",
        "submitted",
        "returned",
        "returned",
        "submitted",
        "approved",
    ]


def test_return_needs_a_comment(coop, district_officer):
    report = services.report_submit(report=make_report(coop), by=access.SYSTEM)
    with pytest.raises(ValidationError) as error:
        services.report_return(report=report, by=district_officer, comment="  ")
    assert "comment" in error.value.message_dict


def test_approved_report_is_locked(coop):
    report = approved_report(coop)
    with pytest.raises(ValidationError) as error:
        services.report_update(report=report, by=access.SYSTEM, revision=report.revision, revenue=1)
    assert error.value.code == "locked"
    with pytest.raises(ValidationError):
        services.report_submit(report=report, by=access.SYSTEM)
    with pytest.raises(ValidationError):
        services.report_return(report=report, by=access.SYSTEM, comment="x")


def test_correction_makes_a_new_draft_and_keeps_the_approved_version(coop, manager):
    approved = approved_report(coop, revenue=Decimal(2_400_000_000))
    corrected = services.report_correct(report=approved, by=manager)
    approved.refresh_from_db()
    assert (approved.status, approved.is_current, approved.version) == ("approved", False, 1)
    assert (corrected.status, corrected.is_current, corrected.version) == ("draft", True, 2)
    assert corrected.revenue == approved.revenue
    assert corrected.first_submitted_at == approved.first_submitted_at
    corrected = services.report_update(
        report=corrected, by=manager, revision=corrected.revision, revenue=Decimal(2_600_000_000)
    )
    approved.refresh_from_db()
    assert approved.revenue == Decimal(2_400_000_000)  # the approved version never changes
    assert AnnualReport.objects.filter(cooperative=coop, year=2019).count() == 2
    with pytest.raises(ValidationError) as error:
        services.report_update(
            report=approved, by=access.SYSTEM, revision=approved.revision, revenue=1
        )
    assert error.value.code == "superseded"


def test_correcting_twice_is_refused(coop):
    approved = approved_report(coop)
    services.report_correct(report=approved, by=access.SYSTEM)
    approved.refresh_from_db()
    with pytest.raises(ValidationError):
        services.report_correct(report=approved, by=access.SYSTEM)


def test_only_an_approved_report_is_corrected(coop):
    with pytest.raises(ValidationError):
        services.report_correct(report=make_report(coop), by=access.SYSTEM)


def test_edit_on_an_out_of_date_form_is_refused(coop, manager, district_officer):
    report = make_report(coop, by=manager)
    loaded = report.revision
    services.report_update(report=report, by=district_officer, revision=loaded, members_count=40)
    with pytest.raises(services.ReportConflictError) as error:
        services.report_update(report=report, by=manager, revision=loaded, members_count=35)
    assert error.value.revision == loaded + 1
    report.refresh_from_db()
    assert report.members_count == 40


def test_manager_cannot_approve_or_return_his_own_report(coop, manager):
    report = services.report_submit(report=make_report(coop, by=manager), by=manager)
    with pytest.raises(PermissionDenied):
        services.report_approve(report=report, by=manager)
    with pytest.raises(PermissionDenied):
        services.report_return(report=report, by=manager, comment="x")


def test_manager_cannot_report_for_another_cooperative(manager):
    other = CooperativeFactory(name="HTX Khác")
    with pytest.raises(PermissionDenied):
        make_report(other, by=manager)


def test_officer_outside_the_area_cannot_report_or_approve(coop, outsider):
    with pytest.raises(PermissionDenied):
        make_report(coop, by=outsider)
    report = services.report_submit(report=make_report(coop), by=access.SYSTEM)
    with pytest.raises(PermissionDenied):
        services.report_approve(report=report, by=outsider)


def test_commune_officer_of_the_area_approves(coop, commune_officer):
    report = services.report_submit(report=make_report(coop), by=access.SYSTEM)
    assert services.report_approve(report=report, by=commune_officer).status == "approved"


def test_unknown_field_is_a_programming_error(coop):
    with pytest.raises(TypeError):
        services.report_create(cooperative=coop, year=2019, by=access.SYSTEM, status="approved")


def test_as_rating_data_uses_the_rule_keys(coop):
    report = make_report(coop, development_fund=None)
    data = report.as_rating_data()
    assert data["doanh_thu"] == Decimal(2_400_000_000)
    assert data["so_thanh_vien"] == Decimal(32)
    assert data["tong_nguon_von"] == Decimal(1_700_000_000)
    assert data["trich_quy_du_phong_tai_chinh"] == Decimal(8_000_000)
    assert "trich_quy_dau_tu_phat_trien" not in data  # empty figures are left out
    assert set(data) <= {
        "tong_nguon_von",
        "tai_san_chung_khong_chia",
        "doanh_thu",
        "doanh_thu_ke_hoach",
        "loi_nhuan_sau_thue",
        "so_thanh_vien",
        "trich_quy_dau_tu_phat_trien",
        "trich_quy_du_phong_tai_chinh",
    }


def test_reminder_email_goes_to_the_cooperative(coop, district_officer, mailoutbox):
    services.reminder_send_email(
        cooperative=coop, year=2019, by=district_officer, deadline=date(2020, 1, 15)
    )
    assert mailoutbox[0].to == ["htx@example.vn"]
    assert "2019" in mailoutbox[0].subject
    assert "15/01/2020" in mailoutbox[0].body
    assert coop.report_reminders.get().channel == "email"


def test_reminder_without_email_is_refused(district_officer):
    coop = CooperativeFactory(email="")
    with pytest.raises(ValidationError):
        services.reminder_send_email(
            cooperative=coop, year=2019, by=district_officer, deadline=date(2020, 1, 15)
        )


def test_complete_values_pass_the_checks():
    from hoptac.reports.rules import report_errors

    assert report_errors(complete_values()) == {}


def test_history_lists_each_save_with_the_changed_figures(coop, manager):
    from hoptac.reports.selectors import report_history

    report = make_report(coop, by=manager)
    services.report_update(report=report, by=manager, revision=1, members_count=41)
    entries = report_history(report=report)
    assert len(entries) == 2
    newest = entries[0]
    assert newest.who == manager.display_name
    assert [(old, new) for _label, old, new in newest.changes] == [("32", "41")]
