"""Each write of hoptac/plans/services.py: what it stores and the Vietnamese message of what it
refuses (the data made by hoptac/plans/tests/factories.py)."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from hoptac.plans import services
from hoptac.plans.choices import Comparison, PlanKind
from hoptac.plans.models import Milestone, Plan, Target
from hoptac.plans.tests.factories import PlanFactory, TargetFactory

pytestmark = pytest.mark.django_db


def messages(error: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return {field: [str(m) for m in texts] for field, texts in error.value.message_dict.items()}


def milestones(target: Target) -> list[tuple[int, Decimal]]:
    return list(target.milestones.values_list("year", "value"))


# --- plan_create ------------------------------------------------------------------------------


def test_plan_create_records_the_plan_and_who_made_it(district_officer, cho_don):
    plan = services.plan_create(
        by=district_officer, kind=PlanKind.PROJECT, number="03/ĐA-UBND", title="Đề án HTX",
        issuer="UBND huyện Chợ Đồn", area=cho_don, start_year=2021, end_year=2025,
        issued_on=date(2021, 3, 15),
    )  # fmt: skip
    stored = Plan.objects.get()
    assert stored == plan
    assert (stored.created_by, stored.area, stored.period, str(stored)) == (
        district_officer,
        cho_don,
        "2021–2025",
        "03/ĐA-UBND Đề án HTX",
    )


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"end_year": 2015}, {"end_year": ["Năm kết thúc không thể trước năm bắt đầu."]}),
        ({"title": ""}, {"title": ["Trường này không được để trắng."]}),
        ({"kind": "chi_thi"}, {"kind": ["Giá trị 'chi_thi' không phải là lựa chọn hợp lệ."]}),
        (
            {"start_year": 1989, "end_year": 1995},
            {"start_year": ["Đảm bảo giá trị này lớn hơn hoặc bằng với 1990 ."]},
        ),
    ],
    ids=["period-reversed", "no-title", "unknown-kind", "year-too-early"],
)
def test_plan_create_refuses_with_a_vietnamese_message(cho_don, fields, expected):
    with pytest.raises(ValidationError) as error:
        PlanFactory(area=cho_don, **fields)
    assert messages(error) == expected
    assert not Plan.objects.exists()


def test_plan_create_refuses_a_document_of_another_type(cho_don, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    sheet = SimpleUploadedFile("nq.xlsx", b"PK\x03\x04")
    with pytest.raises(ValidationError) as error:
        PlanFactory(area=cho_don, document=sheet)
    assert list(messages(error)) == ["document"]
    assert not list(tmp_path.rglob("*.xlsx"))


# --- plan_update ------------------------------------------------------------------------------


def test_plan_update_changes_the_fields_given_only(cho_don, district_officer):
    plan = PlanFactory(area=cho_don, by=district_officer, title="Cũ", summary="Tóm tắt")
    services.plan_update(plan=plan, by=None, title="Mới", end_year=2025)
    stored = Plan.objects.get()
    assert (stored.title, stored.end_year, stored.summary, stored.created_by) == (
        "Mới",
        2025,
        "Tóm tắt",
        district_officer,
    )


def test_plan_update_refuses_and_stores_nothing(cho_don):
    plan = PlanFactory(area=cho_don, start_year=2016, end_year=2020)
    with pytest.raises(ValidationError) as error:
        services.plan_update(plan=plan, by=None, start_year=2021)
    assert messages(error) == {"end_year": ["Năm kết thúc không thể trước năm bắt đầu."]}
    assert Plan.objects.values_list("start_year", flat=True).get() == 2016


# --- plan_delete ------------------------------------------------------------------------------


def test_plan_delete_removes_targets_milestones_and_the_document(cho_don, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    pdf = SimpleUploadedFile("nq.pdf", b"%PDF-1.4", content_type="application/pdf")
    plan = PlanFactory(area=cho_don, document=pdf)
    TargetFactory(plan=plan, milestones=[(2018, Decimal(30)), (2019, Decimal(35))])
    other = TargetFactory(plan=PlanFactory(area=cho_don), milestones=[(2019, Decimal(1))])
    document = tmp_path / plan.document.name
    assert document.exists()
    services.plan_delete(plan=plan, by=None)
    assert list(Plan.objects.all()) == [other.plan]
    assert list(Target.objects.all()) == [other]
    assert list(Milestone.objects.values_list("target", "year")) == [(other.pk, 2019)]
    assert not document.exists()


def test_plan_delete_without_a_document(cho_don):
    plan = PlanFactory(area=cho_don)
    services.plan_delete(plan=plan, by=None)
    assert not Plan.objects.exists()


# --- target_create ----------------------------------------------------------------------------


def test_target_create_with_its_milestones(cho_don):
    plan = PlanFactory(area=cho_don)
    target = services.target_create(
        plan=plan, by=None, indicator="so_htx_nong_nghiep", comparison=Comparison.MORE_THAN,
        value=Decimal(30), due_on=date(2020, 12, 31), wording="Trên 30 HTX nông nghiệp",
        milestones=[(2018, Decimal(25)), (2019, Decimal(28))],
    )  # fmt: skip
    assert str(target) == "so_htx_nong_nghiep > 30"
    assert milestones(target) == [(2018, Decimal(25)), (2019, Decimal(28))]
    assert list(plan.targets.all()) == [target]


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"indicator": "so_ga"}, {"indicator": ["Hãy chọn một chỉ số trong danh sách."]}),
        ({"comparison": "<"}, {"comparison": ["Giá trị '<' không phải là lựa chọn hợp lệ."]}),
        ({"value": None}, {"value": ["Trường này không thể để trống."]}),
    ],
    ids=["unknown-indicator", "unknown-comparison", "no-value"],
)
def test_target_create_refuses_with_a_vietnamese_message(cho_don, fields, expected):
    plan = PlanFactory(area=cho_don)
    with pytest.raises(ValidationError) as error:
        TargetFactory(plan=plan, **fields)
    assert messages(error) == expected
    assert not Target.objects.exists()


def test_target_create_refuses_a_bad_milestone_and_keeps_nothing(cho_don):
    plan = PlanFactory(area=cho_don)
    with pytest.raises(ValidationError) as error:
        TargetFactory(plan=plan, milestones=[(2019, Decimal(35)), (1800, Decimal(1))])
    assert messages(error) == {"year": ["Đảm bảo giá trị này lớn hơn hoặc bằng với 1990 ."]}
    assert not Target.objects.exists()  # one transaction: the target goes too
    assert not Milestone.objects.exists()


def test_target_create_refuses_two_milestones_of_one_year(cho_don):
    with pytest.raises(ValidationError) as error:
        TargetFactory(
            plan=PlanFactory(area=cho_don), milestones=[(2019, Decimal(1)), (2019, Decimal(2))]
        )
    assert list(messages(error)) == ["__all__"]
    assert not Target.objects.exists()


# --- target_update ----------------------------------------------------------------------------


def test_target_update_replaces_the_milestones_when_given(cho_don):
    target = TargetFactory(plan=PlanFactory(area=cho_don), milestones=[(2018, Decimal(30))])
    services.target_update(
        target=target, by=None, value=Decimal(45), milestones=[(2019, Decimal(38))]
    )
    target.refresh_from_db()
    assert (target.value, milestones(target)) == (Decimal(45), [(2019, Decimal(38))])


def test_target_update_keeps_the_milestones_when_not_given(cho_don):
    target = TargetFactory(plan=PlanFactory(area=cho_don), milestones=[(2018, Decimal(30))])
    services.target_update(target=target, by=None, is_illustrative=True)
    target.refresh_from_db()
    assert (target.is_illustrative, milestones(target)) == (True, [(2018, Decimal(30))])


def test_target_update_with_no_milestones_removes_them(cho_don):
    target = TargetFactory(plan=PlanFactory(area=cho_don), milestones=[(2018, Decimal(30))])
    services.target_update(target=target, by=None, milestones=[])
    assert milestones(target) == []


def test_target_update_refuses_an_unknown_indicator(cho_don):
    target = TargetFactory(plan=PlanFactory(area=cho_don))
    with pytest.raises(ValidationError) as error:
        services.target_update(target=target, by=None, indicator="so_ga")
    assert messages(error) == {"indicator": ["Hãy chọn một chỉ số trong danh sách."]}
    assert Target.objects.values_list("indicator", flat=True).get() == "so_htx"


# --- target_delete ----------------------------------------------------------------------------


def test_target_delete_removes_one_target_and_its_milestones(cho_don):
    plan = PlanFactory(area=cho_don)
    gone = TargetFactory(plan=plan, milestones=[(2019, Decimal(35))])
    kept = TargetFactory(plan=plan, indicator="so_thanh_vien", value=Decimal(3000))
    services.target_delete(target=gone, by=None)
    assert list(plan.targets.all()) == [kept]
    assert not Milestone.objects.exists()
