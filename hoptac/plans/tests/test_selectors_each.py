"""Each read of hoptac/plans/selectors.py: the plans each actor sees, 404 outside the scope, the
plans of a frame, and progress computed from the registry (the data made by
hoptac/plans/tests/factories.py and hoptac/registry/tests/factories.py)."""

from datetime import date
from decimal import Decimal

import pytest
from django.http import Http404

from hoptac.indicators.sources import Frame
from hoptac.plans import rules, selectors
from hoptac.plans.choices import Comparison
from hoptac.plans.tests.factories import PlanFactory, TargetFactory
from hoptac.registry.choices import Sector, SubSector
from hoptac.registry.tests.factories import CooperativeFactory, legacy_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def plans(bac_kan, cho_don, luong_bang, thai_nguyen):
    """One plan of each level of Bắc Kạn (old tree), one of Chợ Mới, one of Thái Nguyên (2025)."""
    return {
        "province": PlanFactory(area=bac_kan, title="Tỉnh", start_year=2016, end_year=2020),
        "district": PlanFactory(area=cho_don, title="Huyện", start_year=2019, end_year=2023),
        "commune": PlanFactory(area=luong_bang, title="Xã", start_year=2018, end_year=2018),
        "cho_moi": PlanFactory(area=legacy_unit("065"), title="Chợ Mới"),
        "thai_nguyen": PlanFactory(area=thai_nguyen, title="Thái Nguyên", end_year=2030),
    }


def titles(rows) -> list[str]:
    return [plan.title for plan in rows]


@pytest.mark.parametrize(
    ("actor", "expected"),
    [
        ("admin", ["Thái Nguyên", "Huyện", "Chợ Mới", "Tỉnh", "Xã"]),
        ("province_officer", ["Huyện", "Chợ Mới", "Tỉnh", "Xã"]),
        ("district_officer", ["Huyện", "Xã"]),
        ("commune_officer", ["Xã"]),
        ("outsider", []),
        ("current_officer", ["Thái Nguyên"]),
    ],
)
def test_plan_list_is_the_users_scope_latest_first(request, plans, actor, expected):
    user = request.getfixturevalue(actor)
    assert titles(selectors.plan_list(user=user)) == expected


def test_plan_list_of_an_area_and_below(admin, province_officer, plans, cho_don, luong_bang):
    assert titles(selectors.plan_list(user=admin, area=cho_don)) == ["Huyện", "Xã"]
    assert titles(selectors.plan_list(user=province_officer, area=luong_bang)) == ["Xã"]


def test_plan_get_for_user_is_404_outside_the_scope_or_missing(district_officer, plans):
    district = plans["district"]
    assert selectors.plan_get_for_user(user=district_officer, pk=district.pk) == district
    for plan in (plans["province"], plans["cho_moi"], plans["thai_nguyen"]):
        with pytest.raises(Http404):
            selectors.plan_get_for_user(user=district_officer, pk=plan.pk)
    with pytest.raises(Http404):
        selectors.plan_get_for_user(user=district_officer, pk=10**9)


def test_target_get_for_user_is_404_when_its_plan_is_out_of_scope(
    district_officer, commune_officer, plans
):
    target = TargetFactory(plan=plans["district"])
    got = selectors.target_get_for_user(user=district_officer, pk=target.pk)
    assert (got, got.plan.area.code) == (target, "064")
    with pytest.raises(Http404):
        selectors.target_get_for_user(user=commune_officer, pk=target.pk)


@pytest.mark.parametrize(
    ("actor", "province", "district", "commune"),
    [
        ("admin", True, True, True),
        ("province_officer", True, True, True),
        ("district_officer", False, True, True),
        ("commune_officer", False, False, True),
        ("outsider", False, False, False),
        ("current_officer", False, False, False),
    ],
)
def test_plan_may_change_inside_the_plans_area(request, plans, actor, province, district, commune):
    user = request.getfixturevalue(actor)
    assert [
        selectors.plan_may_change(user=user, plan=plans[key])
        for key in ("province", "district", "commune")
    ] == [province, district, commune]


def test_plans_for_frame_are_of_exactly_the_area_and_in_force(plans, bac_kan, cho_don):
    def found(area, on, user=None):
        return titles(selectors.plans_for_frame(frame=Frame(area=area, on=on), user=user))

    assert found(bac_kan, date(2019, 6, 30)) == ["Tỉnh"]  # not the district's below it
    assert found(cho_don, date(2019, 6, 30)) == ["Huyện"]
    assert found(cho_don, date(2018, 6, 30)) == []  # the district's starts in 2019
    assert found(bac_kan, date(2021, 1, 1)) == []  # the province's ended in 2020
    assert found(None, date(2019, 6, 30)) == []  # the whole country has no plans


def test_plans_for_frame_are_cut_to_the_user(plans, cho_don, district_officer, outsider):
    frame = Frame(area=cho_don, on=date(2019, 6, 30))
    assert titles(selectors.plans_for_frame(frame=frame, user=district_officer)) == ["Huyện"]
    assert selectors.plans_for_frame(frame=frame, user=outsider) == []


def test_plans_for_frame_bring_their_targets_and_milestones(plans, cho_don):
    TargetFactory(plan=plans["district"], order=2, value=Decimal(50))
    TargetFactory(plan=plans["district"], order=1, milestones=[(2020, Decimal(36))])
    (plan,) = selectors.plans_for_frame(frame=Frame(area=cho_don, on=date(2020, 1, 1)), user=None)
    targets = list(plan.targets.all())
    assert [(t.order, t.value) for t in targets] == [(1, Decimal(40)), (2, Decimal(50))]
    assert [(m.year, m.value) for m in targets[0].milestones.all()] == [(2020, Decimal(36))]


# --- progress ---------------------------------------------------------------------------------


@pytest.fixture
def registry(db):
    """HTX of Huyện Chợ Đồn: two founded in 2015, one in 2017 (non-agricultural), one in
    February 2019; and one of Huyện Ba Bể, outside."""
    CooperativeFactory(name="HTX Một", founded_on=date(2015, 3, 1))
    CooperativeFactory(name="HTX Hai", founded_on=date(2015, 9, 1))
    CooperativeFactory(
        name="HTX Ba", founded_on=date(2017, 6, 1), commune_legacy=legacy_unit("02071"),
        sector=Sector.NON_AGRICULTURAL, sub_sector=SubSector.TRADE,
    )  # fmt: skip
    CooperativeFactory(name="HTX Bốn", founded_on=date(2019, 2, 1))
    CooperativeFactory(name="HTX Ba Bể", commune_legacy=legacy_unit("01927"))


ON = date(2019, 4, 30)
HISTORY = [  # the five year-ends before ON: none of the HTX existed at the end of 2014
    (date(2014, 12, 31), Decimal(0)),
    (date(2015, 12, 31), Decimal(2)),
    (date(2016, 12, 31), Decimal(2)),
    (date(2017, 12, 31), Decimal(3)),
    (date(2018, 12, 31), Decimal(3)),
]


def test_progress_of_no_targets_is_empty(cho_don):
    assert selectors.progress(frame=Frame(area=cho_don, on=ON), targets=[]) == []


def test_progress_reads_the_registry_now_and_at_past_year_ends(registry, cho_don):
    plan = PlanFactory(area=cho_don)
    target = TargetFactory(plan=plan, milestones=[(2019, Decimal(35))])  # ≥ 40 by 31/12/2020
    (item,) = selectors.progress(frame=Frame(area=cho_don, on=ON), targets=[target])
    assert item.target == target
    assert item.current == Decimal(4)
    assert item.history == HISTORY
    projected = rules.project([*HISTORY, (ON, Decimal(4))], date(2020, 12, 31))
    assert item.assessment == rules.Assessment(rules.AT_RISK, Decimal("10.0"), projected, "trend")
    assert projected == Decimal("5.04")  # far below 40


def test_progress_of_a_target_met_and_one_missed(registry, cho_don):
    plan = PlanFactory(area=cho_don)
    met = TargetFactory(
        plan=plan, indicator="so_htx_nong_nghiep", comparison=Comparison.AT_LEAST,
        value=Decimal(3), due_on=date(2020, 12, 31),
    )  # fmt: skip
    missed = TargetFactory(plan=plan, value=Decimal(10), due_on=date(2018, 12, 31))
    items = selectors.progress(frame=Frame(area=cho_don, on=ON), targets=[met, missed])
    assert [(i.target, i.current, i.assessment.outcome, i.assessment.progress) for i in items] == [
        (met, Decimal(3), rules.ACHIEVED, Decimal(100)),
        (missed, Decimal(4), rules.MISSED, Decimal("40.0")),
    ]


def test_plans_progress_groups_the_targets_by_plan(registry, cho_don):
    first, second = PlanFactory(area=cho_don), PlanFactory(area=cho_don)
    a = TargetFactory(plan=first, value=Decimal(4), order=1)
    b = TargetFactory(plan=first, value=Decimal(5), order=2)
    c = TargetFactory(plan=second, indicator="so_htx_nong_nghiep", value=Decimal(2))
    result = selectors.plans_progress(frame=Frame(area=cho_don, on=ON), plans=[second, first])
    assert [(p.plan, [(t.target, t.assessment.outcome) for t in p.targets]) for p in result] == [
        (second, [(c, rules.ACHIEVED)]),
        (first, [(a, rules.ACHIEVED), (b, rules.ON_TRACK)]),  # b: the trend reaches 5.04
    ]
