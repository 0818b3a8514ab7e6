"""Reads with numbers: the share reached by policies, totals, people trained, the dissolution
list, and which policies and courses apply where."""

from datetime import date
from decimal import Decimal

import pytest

from hoptac.areas.models import AdminUnit
from hoptac.registry import services as registry_services
from hoptac.registry.choices import Kind, Status
from hoptac.registry.tests.factories import CooperativeFactory, legacy_unit
from hoptac.reports.models import AnnualReport
from hoptac.support import selectors, services
from hoptac.support.choices import CourseTopic, FundingSource, ParticipantRole, PolicyKind
from hoptac.support.models import Policy

pytestmark = pytest.mark.django_db


def give(cooperative, policy, on, amount=1_000_000, source=FundingSource.PROVINCE):
    return services.grant_record(
        by=None, cooperative=cooperative, policy=policy, granted_on=on, source=source,
        amount=Decimal(amount),
    )  # fmt: skip


def test_reached_by_policies_counts_htx_existing_at_the_end(bac_kan, cho_don, local_policy):
    supported = CooperativeFactory(name="HTX A")
    CooperativeFactory(name="HTX B")
    CooperativeFactory(name="HTX C", commune_legacy=legacy_unit("02071"))
    CooperativeFactory(name="THT D", kind=Kind.COOPERATIVE_GROUP)  # not an HTX
    late = CooperativeFactory(name="HTX E", founded_on=date(2020, 2, 1))  # not yet in 2019
    gone = CooperativeFactory(name="HTX F")
    registry_services.cooperative_change_status(
        cooperative=gone, by=None, status=Status.DISSOLVING, effective_on=date(2019, 3, 1)
    )
    registry_services.cooperative_change_status(
        cooperative=gone, by=None, status=Status.DISSOLVED, effective_on=date(2019, 9, 1)
    )
    give(supported, local_policy, date(2019, 6, 1))
    give(supported, local_policy, date(2019, 7, 1))  # one HTX once
    give(late, local_policy, date(2020, 3, 1))  # outside the period
    give(gone, local_policy, date(2019, 4, 1))  # dissolved by the end of the period
    reach = selectors.reached_by_policies(bac_kan, date(2019, 1, 1), date(2019, 12, 31))
    assert (reach.numerator, reach.denominator, reach.cooperative_ids) == (1, 3, [supported.pk])
    assert reach.percent == Decimal("33.3")
    numerator, denominator, _ids = selectors.reached_by_policies(
        cho_don, date(2019, 1, 1), date(2019, 12, 31)
    )
    assert (numerator, denominator) == (1, 3)
    assert selectors.reached_by_policies(bac_kan, date(2020, 1, 1), date(2020, 12, 31))[:2] == (
        1,
        4,
    )


def test_reached_by_policies_in_the_2025_tree(thai_nguyen, local_policy):
    cooperative = CooperativeFactory(name="HTX A")
    give(cooperative, local_policy, date(2025, 8, 1))
    reach = selectors.reached_by_policies(thai_nguyen, date(2025, 1, 1), date(2025, 12, 31))
    assert (reach.numerator, reach.denominator) == (1, 1)


def test_grant_totals_by_source_year_and_policy_with_budgets(
    province_officer, bac_kan, local_policy
):
    a, b = CooperativeFactory(name="HTX A"), CooperativeFactory(name="HTX B")
    give(a, local_policy, date(2018, 5, 1), 10_000_000, FundingSource.CENTRAL)
    give(a, local_policy, date(2019, 5, 1), 20_000_000)
    give(b, local_policy, date(2019, 6, 1), 30_000_000)
    services.budget_save(
        by=None,
        policy=local_policy,
        year=2019,
        area=bac_kan,
        source=FundingSource.PROVINCE,
        amount=Decimal(80_000_000),
    )
    by_source = selectors.grant_totals(user=province_officer, by="source", filters={})
    assert [(r.key, r.grants, r.cooperatives, r.amount, r.budget) for r in by_source] == [
        ("province", 2, 2, Decimal(50_000_000), Decimal(80_000_000)),
        ("central", 1, 1, Decimal(10_000_000), None),
    ]
    by_year = selectors.grant_totals(user=province_officer, by="year", filters={"year": 2019})
    assert [(r.key, r.amount, r.budget) for r in by_year] == [
        (2019, Decimal(50_000_000), Decimal(80_000_000))
    ]
    by_policy = selectors.grant_totals(user=province_officer, by="policy", filters={})
    assert [(r.label, r.grants) for r in by_policy] == [("Hỗ trợ nhãn hiệu", 3)]


def test_totals_are_scoped(outsider, local_policy):
    give(CooperativeFactory(name="HTX A"), local_policy, date(2019, 5, 1))
    assert selectors.grant_totals(user=outsider, by="policy", filters={}) == []


def test_policies_apply_below_their_area(commune_officer, outsider, current_officer, local_policy):
    ha_noi = Policy.objects.create(
        name="Hà Nội", kind=PolicyKind.OTHER, area=AdminUnit.objects.get(era="legacy", code="01")
    )
    luong_bang = Policy.objects.create(
        name="Lương Bằng", kind=PolicyKind.OTHER, area=legacy_unit("02062")
    )
    seen = set(selectors.policy_list(user=commune_officer).values_list("name", flat=True))
    assert {"Hỗ trợ nhãn hiệu", "Lương Bằng"} <= seen
    assert ha_noi.name not in seen
    assert luong_bang.name not in set(
        selectors.policy_list(user=outsider).values_list("name", flat=True)
    )
    national = set(selectors.policy_list(user=current_officer).values_list("name", flat=True))
    assert len(national) == 9  # the State's catalogue only: Bắc Kạn's policies are of the old tree
    cooperative = CooperativeFactory(name="HTX A")
    applicable = set(
        selectors.policies_for_cooperative(cooperative=cooperative).values_list("name", flat=True)
    )
    assert {"Hỗ trợ nhãn hiệu", "Lương Bằng"} <= applicable
    assert "Hà Nội" not in applicable


def test_trained_counts_by_topic_and_area(province_officer, commune_officer, cho_don, bac_kan):
    cooperative = CooperativeFactory(name="HTX A")
    other = CooperativeFactory(
        name="HTX B", commune_legacy=AdminUnit.objects.get(era="legacy", code="02179")
    )  # Na Rì
    law = services.course_save(
        by=None,
        title="Luật",
        topic=CourseTopic.COOPERATIVE_LAW,
        starts_on=date(2019, 3, 1),
        ends_on=date(2019, 3, 2),
        organiser="X",
        area=bac_kan,
    )
    money = services.course_save(
        by=None,
        title="Kế toán",
        topic=CourseTopic.ACCOUNTING,
        starts_on=date(2018, 3, 1),
        ends_on=date(2018, 3, 2),
        organiser="X",
        area=bac_kan,
    )
    add = services.participant_save
    add(
        by=None,
        course=law,
        name="Cán bộ huyện",
        role=ParticipantRole.OFFICER,
        area=cho_don,
        certificate="C1",
    )
    add(by=None, course=law, name="Giám đốc", role=ParticipantRole.MANAGER, cooperative=cooperative)
    add(
        by=None,
        course=law,
        name="Vắng",
        role=ParticipantRole.MEMBER,
        cooperative=cooperative,
        attended=False,
    )
    add(by=None, course=money, name="Kế toán HTX", role=ParticipantRole.MEMBER, cooperative=other)
    by_topic = selectors.trained_counts(user=province_officer, by="topic", filters={})
    assert [(r.key, r.officers, r.managers, r.members, r.certificates) for r in by_topic] == [
        ("accounting", 0, 0, 1, 0),
        ("cooperative_law", 1, 1, 0, 1),
    ]
    by_area = selectors.trained_counts(user=province_officer, by="area", filters={})
    assert [(r.label, r.total) for r in by_area] == [("Huyện Chợ Đồn", 2), ("Huyện Na Rì", 1)]
    by_year = selectors.trained_counts(user=commune_officer, by="year", filters={})
    assert [(r.key, r.total) for r in by_year] == [(2019, 1)]  # the HTX manager of his commune


def test_eligibility_facts_count_trained_people_before_the_year(cooperative):
    course = services.course_save(
        by=None,
        title="Luật",
        topic=CourseTopic.COOPERATIVE_LAW,
        starts_on=date(2023, 3, 1),
        ends_on=date(2023, 3, 2),
        organiser="X",
    )
    services.participant_save(
        by=None, course=course, name="A", role=ParticipantRole.MEMBER, cooperative=cooperative
    )
    services.participant_save(
        by=None,
        course=course,
        name="B",
        role=ParticipantRole.MEMBER,
        cooperative=cooperative,
        attended=False,
    )
    facts = selectors.eligibility_facts(cooperative=cooperative, on=date(2024, 12, 1))
    assert (facts.trained, facts.members, facts.official_members) == (1, 40, {})
    assert selectors.eligibility_facts(cooperative=cooperative, on=date(2023, 6, 1)).trained == 0


def test_dissolution_candidates_have_no_report_and_no_activity(province_officer, local_policy):
    silent = CooperativeFactory(name="HTX Im lặng", founded_on=date(2015, 1, 1))
    supported = CooperativeFactory(name="HTX Được hỗ trợ", founded_on=date(2015, 1, 1))
    reported = CooperativeFactory(name="HTX Có báo cáo", founded_on=date(2015, 1, 1))
    CooperativeFactory(name="HTX Mới", founded_on=date(2023, 6, 1))
    give(supported, local_policy, date(2023, 4, 1))
    AnnualReport.objects.create(cooperative=reported, year=2024, status="submitted")
    AnnualReport.objects.create(cooperative=silent, year=2024, status="draft")  # not filed
    found = selectors.dissolution_candidates(user=province_officer, year=2025)
    assert [c.name for c in found] == ["HTX Im lặng"]
