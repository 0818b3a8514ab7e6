"""Issue #14, item 1: every permission rule lives in hoptac.accounts.access.

- "May change this HTX" (its profile, its annual reports, its self-scores) was written three
  times (registry/selectors.py, reports/services.py, ratings/selectors.py), "may review it"
  twice (reports/services.py, ratings/selectors.py), "may rate an area" once in ratings: each
  is now one function of access, and the old names call it. The tables below are the rules as
  they were, per role, checked through every name.
- `if user is None: return True` made a caller that forgot the user get everything. `None`
  now grants nothing, in every access function; internal callers pass `access.SYSTEM`.
"""

from __future__ import annotations

import inspect

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from hoptac.accounts import access
from hoptac.accounts.models import User
from hoptac.ratings import services as rating_services
from hoptac.ratings.models import Rating
from hoptac.registry import selectors as registry_selectors
from hoptac.registry.models import Cooperative
from hoptac.registry.tests.factories import CooperativeFactory
from hoptac.reports import selectors as report_selectors
from hoptac.reports import services as report_services
from hoptac.reports.models import AnnualReport
from hoptac.reports.tests.factories import make_report

ACTORS = [
    "admin",
    "province_officer",
    "district_officer",
    "commune_officer",
    "outsider",
    "current_officer",
    "own_manager",
    "other_manager",
    "inactive_officer",
    "anonymous",
]
# The HTX lies in Xã Lương Bằng (Chợ Đồn, Bắc Kạn) of the old tree, and (placed by the
# registry through the succession) in its commune of the 2025 tree in Thái Nguyên: the
# officers above it in either tree and the admin reach it; a commune officer elsewhere
# (outsider) does not.
MAY_CHANGE = {
    "admin": True,
    "province_officer": True,
    "district_officer": True,
    "commune_officer": True,
    "outsider": False,
    "current_officer": True,
    "own_manager": True,
    "other_manager": False,
    "inactive_officer": False,
    "anonymous": False,
}
MAY_REVIEW = {**MAY_CHANGE, "own_manager": False}


@pytest.fixture
def cooperative(db):
    return CooperativeFactory()


@pytest.fixture
def actor(request, make_user, cooperative, luong_bang):
    name = request.param
    if name == "anonymous":
        return AnonymousUser()
    if name == "own_manager":
        user = make_user("qly1", "coop_manager", luong_bang)
        cooperative.managers.add(user)
        return user
    if name == "other_manager":
        return make_user("qly2", "coop_manager", luong_bang)
    if name == "inactive_officer":
        return make_user("xa9", "commune_officer", luong_bang, is_active=False)
    return request.getfixturevalue(name)


@pytest.mark.django_db
@pytest.mark.parametrize("actor", ACTORS, indirect=True)
def test_may_change_cooperative_is_one_rule_for_every_caller(request, actor, cooperative):
    expected = MAY_CHANGE[request.node.callspec.params["actor"]]
    assert access.may_change_cooperative(actor, cooperative) is expected
    # The registry's profile and the annual reports ask the same rule.
    assert registry_selectors.cooperative_may_change(user=actor, cooperative=cooperative) is (
        expected
    )
    draft = make_report(cooperative, 2019)
    assert report_selectors.report_permissions(user=actor, report=draft).edit is expected


@pytest.mark.django_db
@pytest.mark.parametrize("actor", ACTORS, indirect=True)
def test_may_review_cooperative_is_one_rule_for_every_caller(request, actor, cooperative):
    expected = MAY_REVIEW[request.node.callspec.params["actor"]]
    assert access.may_review_cooperative(actor, cooperative) is expected
    submitted = report_services.report_submit(report=make_report(cooperative), by=access.SYSTEM)
    assert report_selectors.report_permissions(user=actor, report=submitted).review is expected


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("actor", "area", "expected"),
    [
        ("admin", "cho_don", True),
        ("admin", None, True),
        ("province_officer", "cho_don", True),
        ("province_officer", None, False),  # the whole country: the administrator only
        ("district_officer", "cho_don", True),
        ("district_officer", "bac_kan", False),  # above his area
        ("commune_officer", "luong_bang", True),
        ("outsider", "luong_bang", False),
        ("current_officer", "cho_don", False),  # the other tree
        ("own_manager", "luong_bang", False),
        ("inactive_officer", "luong_bang", False),
        ("anonymous", "luong_bang", False),
    ],
    indirect=["actor"],
)
def test_may_rate_area_per_role(request, actor, area, expected):
    unit = request.getfixturevalue(area) if area else None
    assert access.may_rate_area(actor, unit) is expected


# --- None is nobody; the system is everything ---------------------------------------------


def _granted(result) -> bool:
    """Does a result of an access function give anything?"""
    if isinstance(result, QuerySet):
        return result.exists()
    if isinstance(result, access.Scope):
        return not result.nothing
    if isinstance(result, list):
        return bool(result)
    if isinstance(result, bool):
        return result
    return result is not None  # a province, an author


def _arguments(cooperative, admin, bac_kan, luong_bang) -> dict[str, object]:
    """A value for each parameter name of access's functions, besides the user."""
    return {
        "queryset": Cooperative.objects.all(),
        "users": User.objects.all(),
        "unit": luong_bang,
        "units": [luong_bang],
        "area": luong_bang,
        "province": bac_kan,
        "target": admin,
        "cooperative": cooperative,
        "role": "commune_officer",
        "owner_id": admin.pk,
    }


def _public_functions_of_a_user():
    for name, function in inspect.getmembers(access, inspect.isfunction):
        if name.startswith("_") or function.__module__ != access.__name__:
            continue
        if {"user", "actor"} & set(inspect.signature(function).parameters):
            yield name, function


def _call(function, who, values):
    """Call `function` as `who`, every other parameter from `values` (KeyError: a parameter
    name this test does not know yet, so it fails until one is added above)."""
    args, kwargs = [], {}
    for name, parameter in inspect.signature(function).parameters.items():
        if name in ("user", "actor"):
            args.append(who)
        elif parameter.kind is parameter.VAR_POSITIONAL:
            args.extend(values[name] if name == "units" else [{"legacy": "commune_legacy"}])
        elif parameter.kind is parameter.KEYWORD_ONLY:
            if parameter.default is inspect.Parameter.empty:
                kwargs[name] = values[name]
            elif name == "legacy":
                kwargs[name] = "commune_legacy"
        elif parameter.kind is parameter.POSITIONAL_OR_KEYWORD:
            args.append(values[name])
    if function is access.restrict_applicable:
        kwargs["unit"] = "commune_legacy"
    return function(*args, **kwargs)


# Functions that answer a fact about the actor rather than grant him something.
NOT_GRANTS = {"author", "province_of", "must_use_two_factor"}


@pytest.mark.django_db
def test_none_is_granted_nothing_by_any_access_function(cooperative, admin, bac_kan, luong_bang):
    values = _arguments(cooperative, admin, bac_kan, luong_bang)
    functions = dict(_public_functions_of_a_user())
    # The functions this covers (so that a rename does not silently empty the test).
    assert {
        "scope_of",
        "restrict",
        "restrict_either",
        "restrict_applicable",
        "may_change",
        "may_change_placed",
        "may_review_placed",
        "may_create_placed",
        "may_change_cooperative",
        "may_review_cooperative",
        "may_rate_area",
        "is_cooperative_manager",
        "may_change_province_record",
        "may_manage_users",
        "users_visible_to",
        "may_change_user",
        "assignable_roles",
        "may_assign",
        "may_unlock_user",
        "may_read_audit_log",
        "may_reset_two_factor",
        "may_edit_portal",
        "may_see_job",
    } <= set(functions)
    for name, function in functions.items():
        assert not _granted(_call(function, None, values)), name


@pytest.mark.django_db
def test_the_system_actor_is_granted_everything(cooperative, admin, bac_kan, luong_bang):
    values = _arguments(cooperative, admin, bac_kan, luong_bang)
    for name, function in _public_functions_of_a_user():
        if name in NOT_GRANTS or name == "is_cooperative_manager":
            continue
        assert _granted(_call(function, access.SYSTEM, values)), name
    assert access.author(access.SYSTEM) is None
    assert access.author(admin) == admin
    assert not access.is_cooperative_manager(access.SYSTEM, cooperative)


@pytest.mark.django_db
def test_services_refuse_a_forgotten_user_and_serve_the_system(cooperative, cho_don):
    # Before: by=None passed every check of the reports and ratings ("None: the system").
    with pytest.raises(PermissionDenied):
        report_services.report_create(cooperative=cooperative, year=2019, by=None)
    draft = make_report(cooperative, 2019, by=access.SYSTEM)
    with pytest.raises(PermissionDenied):
        report_services.report_submit(report=draft, by=None)
    with pytest.raises(PermissionDenied):
        rating_services.rating_start(cooperative=cooperative, year=2019, by=None)
    with pytest.raises(PermissionDenied):
        rating_services.rating_propose_for_area(area=cho_don, year=2019, by=None)

    submitted = report_services.report_submit(report=draft, by=access.SYSTEM)
    approved = report_services.report_approve(report=submitted, by=access.SYSTEM)
    assert approved.status == "approved"
    assert approved.submitted_by is None  # no account acted
    assert approved.approved_by is None
    assert approved.history.latest().history_user is None
    rating_services.rating_propose_for_area(area=cho_don, year=2019, by=access.SYSTEM)
    rating = Rating.objects.get(cooperative=cooperative, year=2019)
    assert rating.history.latest().history_user is None
    assert AnnualReport.objects.filter(cooperative=cooperative).count() == 1


@pytest.mark.django_db
def test_the_system_may_act_through_services_that_record_an_author(bac_kan, luong_bang):
    """Commands pass access.SYSTEM: what they create records no author, and the audit log
    names the system."""
    from hoptac.accounts import services as account_services
    from hoptac.accounts.models import AuditEntry
    from hoptac.market import services as market_services
    from hoptac.plans import services as plan_services
    from hoptac.portal import services as portal_services

    user = account_services.user_create(
        by=access.SYSTEM, username="may.lenh", role="commune_officer", area=luong_bang,  # type: ignore[arg-type]
        full_name="Máy lệnh", password="Mot-mat-khau-dai-2026",
    )  # fmt: skip
    entry = AuditEntry.objects.latest("id")
    assert (entry.actor, entry.username) == (None, "system")
    assert user.username == "may.lenh"
    company = market_services.company_save(by=access.SYSTEM, name="Công ty Hệ thống",  # type: ignore[arg-type]
                                           tax_code="4700900099", address="Bắc Kạn")  # fmt: skip
    assert company.created_by is None
    plan = plan_services.plan_create(
        by=access.SYSTEM, kind="nghi_quyet", number="02-NQ", title="Kế hoạch", issuer="UBND",  # type: ignore[arg-type]
        area=bac_kan, start_year=2021, end_year=2025,
    )  # fmt: skip
    assert plan.created_by is None
    article = portal_services.article_save(
        by=access.SYSTEM, province=bac_kan, title="Tin", body="<p>Nội dung</p>"
    )
    assert article.created_by is None
