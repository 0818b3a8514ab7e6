"""The writes of the support programmes: the eligibility check and its override, the policy's
area, attachments, the catalogue, training people, remediation cases."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from hoptac.areas.models import AdminUnit
from hoptac.registry.models import Member
from hoptac.support import services
from hoptac.support.choices import (
    CaseOutcome,
    CaseStatus,
    Eligibility,
    FundingSource,
    ParticipantRole,
    PolicyKind,
)
from hoptac.support.models import Course, Policy, RemediationCase, SupportGrant

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path


def record(cooperative, policy, on, **extra):
    return services.grant_record(
        by=None,
        cooperative=cooperative,
        policy=policy,
        granted_on=on,
        source=FundingSource.PROVINCE,
        amount=extra.pop("amount", Decimal(50_000_000)),
        **extra,
    )


def test_catalogue_is_loaded_by_the_migration_with_its_source():
    catalogue = Policy.objects.filter(area__isnull=True)
    assert catalogue.count() == 9
    land = catalogue.get(code="dat_dai")
    assert land.kind == PolicyKind.LAND
    assert "17/2023/QH15" in land.legal_basis
    assert land.criteria_basis == "Điều 6 Nghị định 113/2024/NĐ-CP"
    assert land.criteria_from == date(2024, 11, 1)
    assert "lawnet.vn" in land.source


def test_catalogue_reload_is_idempotent_and_keeps_local_policies(local_policy):
    assert services.policy_catalogue_load() == 9
    assert services.policy_catalogue_load() == 9
    assert Policy.objects.count() == 10


def test_local_policy_needs_an_area(province_officer):
    with pytest.raises(ValidationError) as error:
        services.policy_create(by=province_officer, name="X", kind=PolicyKind.OTHER)
    assert "area" in error.value.message_dict


def test_support_without_criteria_is_not_checked_and_has_history(
    cooperative, local_policy, province_officer
):
    grant = services.grant_record(
        by=province_officer, cooperative=cooperative, policy=local_policy,
        granted_on=date(2019, 5, 2), source=FundingSource.PROVINCE, amount=Decimal(1_000_000),
    )  # fmt: skip
    assert grant.eligibility == Eligibility.NOT_CHECKED
    assert grant.history.get().history_user == province_officer


def test_amount_or_in_kind_is_required(cooperative, local_policy, day):
    with pytest.raises(ValidationError) as error:
        record(cooperative, local_policy, day, amount=None)
    assert "amount" in error.value.message_dict
    grant = record(cooperative, local_policy, day, amount=None, in_kind="Máy sao chè")
    assert grant.amount is None


def test_policy_of_another_province_does_not_apply(cooperative, day):
    ha_noi = AdminUnit.objects.get(era="legacy", code="01")
    foreign = Policy.objects.create(name="Chính sách khác", kind=PolicyKind.OTHER, area=ha_noi)
    with pytest.raises(ValidationError) as error:
        record(cooperative, foreign, day)
    assert "policy" in error.value.message_dict
    assert not SupportGrant.objects.exists()


def test_state_policy_not_shown_eligible_needs_a_reason(cooperative, state_policy):
    on = date(2025, 3, 1)
    with pytest.raises(services.EligibilityError) as error:
        record(cooperative, state_policy, on)
    assert error.value.result.status == "not_shown"
    assert not SupportGrant.objects.exists()
    grant = record(cooperative, state_policy, on, override_reason="HTX vùng khó khăn, có xác nhận")
    assert grant.eligibility == Eligibility.NOT_SHOWN
    assert grant.override_reason == "HTX vùng khó khăn, có xác nhận"
    assert {c["code"] for c in grant.eligibility_detail["criteria"]} >= {"tang_thanh_vien_2_nam"}


def test_growing_roster_makes_the_htx_eligible(cooperative, state_policy):
    for year, count in ((2021, 5), (2022, 2), (2023, 3)):
        for index in range(count):
            Member.objects.create(
                cooperative=cooperative, name=f"TV {year}-{index}", joined_on=date(year, 6, 1)
            )
    grant = record(cooperative, state_policy, date(2024, 12, 1), override_reason="ignored")
    assert grant.eligibility == Eligibility.MET
    assert grant.override_reason == ""  # no override when eligible
    members = next(
        c for c in grant.eligibility_detail["criteria"] if c["code"] == "tang_thanh_vien_2_nam"
    )
    assert members == {"code": "tang_thanh_vien_2_nam", "outcome": "met", "detail": "5 → 7 → 10"}


def test_support_before_the_criteria_came_into_force_is_not_checked(cooperative, state_policy):
    assert (
        record(cooperative, state_policy, date(2024, 10, 31)).eligibility == Eligibility.NOT_CHECKED
    )


def test_attachments_are_stored_and_deleted_with_the_support(cooperative, local_policy, day):
    upload = SimpleUploadedFile("quyet-dinh.pdf", b"%PDF-1.4 demo", content_type="application/pdf")
    grant = record(cooperative, local_policy, day, files=[upload])
    attachment = grant.attachments.get()
    assert attachment.name == "quyet-dinh.pdf"
    path = attachment.file.path
    services.grant_delete(grant=grant, by=None)
    assert not SupportGrant.objects.exists()
    import os

    assert not os.path.exists(path)


def test_grants_import_rolls_back_everything_on_an_error(cooperative, local_policy, day):
    rows = [
        services.GrantRow(2, {"cooperative": cooperative, "policy": local_policy, "granted_on": day,
                              "source": FundingSource.PROVINCE, "amount": Decimal(5)}),
        services.GrantRow(3, {"cooperative": cooperative, "policy": local_policy, "granted_on": day,
                              "source": FundingSource.PROVINCE, "amount": None}),
    ]  # fmt: skip
    with pytest.raises(ValidationError):
        services.grants_import(rows=rows, by=None)
    assert not SupportGrant.objects.exists()


def test_budget_policy_must_apply_in_its_area(local_policy, thai_nguyen, bac_kan):
    with pytest.raises(ValidationError):  # Bắc Kạn's policy, Thái Nguyên's budget (2025 tree)
        services.budget_save(
            by=None, policy=local_policy, year=2019, area=thai_nguyen,
            source=FundingSource.PROVINCE, amount=Decimal(1),
        )  # fmt: skip
    budget = services.budget_save(
        by=None, policy=local_policy, year=2019, area=bac_kan,
        source=FundingSource.PROVINCE, amount=Decimal(1),
    )  # fmt: skip
    with pytest.raises(ValidationError):  # one budget per policy, year, area and source
        services.budget_save(
            by=None, policy=local_policy, year=2019, area=bac_kan,
            source=FundingSource.PROVINCE, amount=Decimal(2),
        )  # fmt: skip
    assert budget.pk


def test_participant_roles_need_their_place(cooperative, cho_don):
    course = Course.objects.create(
        title="Luật HTX", topic="cooperative_law", starts_on=date(2019, 3, 1),
        ends_on=date(2019, 3, 2), organiser="Liên minh HTX",
    )  # fmt: skip
    with pytest.raises(ValidationError) as error:
        services.participant_save(by=None, course=course, name="A", role=ParticipantRole.OFFICER)
    assert "area" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.participant_save(by=None, course=course, name="B", role=ParticipantRole.MEMBER)
    assert "cooperative" in error.value.message_dict
    officer = services.participant_save(
        by=None, course=course, name="C", role=ParticipantRole.OFFICER, area=cho_don,
        cooperative=cooperative,
    )  # fmt: skip
    assert officer.cooperative is None  # an officer belongs to an area, not an HTX


def test_course_end_not_before_start():
    with pytest.raises(ValidationError):
        services.course_save(
            by=None, title="X", topic="governance", starts_on=date(2019, 3, 2),
            ends_on=date(2019, 3, 1), organiser="Y",
        )  # fmt: skip


def test_remediation_open_for_weak_is_idempotent(cooperative, province_officer):
    first = services.remediation_open_for_weak(cooperative, 2019, province_officer)
    again = services.remediation_open_for_weak(cooperative, 2019, province_officer)
    assert first.pk == again.pk
    assert RemediationCase.objects.count() == 1
    assert first.status == CaseStatus.OPEN


def test_weak_again_marks_the_earlier_case_still_weak(cooperative):
    earlier = services.remediation_open_for_weak(cooperative, 2018, None)
    services.remediation_open_for_weak(cooperative, 2019, None)
    earlier.refresh_from_db()
    assert earlier.outcome == CaseOutcome.STILL_WEAK
    assert earlier.status == CaseStatus.OPEN


def test_case_close_and_notes(cooperative, province_officer):
    case = services.remediation_open(cooperative=cooperative, year=2019, by=province_officer)
    services.action_save(case=case, by=None, description="Bồi dưỡng Ban quản trị")
    services.note_add(case=case, by=province_officer, text="Đã làm việc với HTX")
    services.case_close(
        case=case, by=province_officer, outcome=CaseOutcome.IMPROVED, closed_on=date(2020, 12, 20)
    )
    case.refresh_from_db()
    assert (case.status, case.outcome, case.closed_on) == (
        CaseStatus.CLOSED,
        "improved",
        date(2020, 12, 20),
    )
    with pytest.raises(ValidationError):
        services.case_close(case=case, by=None, outcome=CaseOutcome.IMPROVED)
    assert case.notes.get().by == province_officer
