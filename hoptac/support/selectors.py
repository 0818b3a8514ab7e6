"""Reads of the support programmes, for views, exports and other apps (indicators, ratings).

Each read a user makes starts from the model's `visible_to(user)` (hoptac.accounts.access
decides). The indicator reads `reached_by_policies` and `dissolution_candidates` are unscoped:
their caller checks that the user may see the area it asks about.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, NamedTuple

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import ExtractYear
from django.shortcuts import get_object_or_404

from hoptac.accounts import access
from hoptac.areas.choices import Era, Level
from hoptac.areas.models import AdminUnit
from hoptac.registry import selectors as registry_selectors
from hoptac.registry.choices import Kind, Status
from hoptac.registry.models import Cooperative
from hoptac.reports.choices import REPORTED_STATUSES
from hoptac.reports.models import AnnualReport
from hoptac.support import activity, rules
from hoptac.support.choices import COOPERATIVE_ROLES, CaseStatus, FundingSource, PolicyKind
from hoptac.support.models import (
    Course,
    Participant,
    Policy,
    PolicyBudget,
    RemediationCase,
    SupportGrant,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from hoptac.accounts.models import User

# The organisations counted as "HTX" by the indicators: cooperatives and their unions
# (cooperative groups, tổ hợp tác, are not HTX).
HTX_KINDS = (Kind.COOPERATIVE, Kind.UNION)
# Statuses of an HTX that can still be proposed for dissolution (not already being dissolved).
LIVE_STATUSES = (Status.ACTIVE, Status.SUSPENDED, Status.NOT_AT_ADDRESS)


def _unit(area: AdminUnit | int | str) -> AdminUnit:
    return area if isinstance(area, AdminUnit) else AdminUnit.objects.get(pk=area)


def cooperative_area_filter(area: AdminUnit | int | str, prefix: str = "") -> dict[str, Any]:
    """The filter placing an organisation (through `prefix`, e.g. "cooperative__") in `area`,
    a unit of either tree at any level (the registry's denormalised place fields)."""
    unit = _unit(area)
    return {f"{prefix}{registry_selectors.AREA_FIELDS[(unit.era, unit.level)]}": unit.pk}


# --- policies and budgets ---------------------------------------------------------------------


def policy_list(
    *, user: User | AnonymousUser, filters: Mapping[str, Any] | None = None
) -> QuerySet[Policy]:
    """The policies that apply in the user's area. filters: kind, scope ("national" / "local"),
    q (words of the name), active (only those in use)."""
    f = filters or {}
    qs = Policy.objects.visible_to(user).select_related("area")
    if f.get("kind"):
        qs = qs.filter(kind=f["kind"])
    if f.get("scope") == "national":
        qs = qs.filter(area__isnull=True)
    elif f.get("scope") == "local":
        qs = qs.filter(area__isnull=False)
    if f.get("active"):
        qs = qs.filter(is_active=True)
    for word in (f.get("q") or "").split():
        qs = qs.filter(name__icontains=word)
    return qs.order_by("area__path", "name", "pk")


def policy_get_for_user(*, user: User | AnonymousUser, pk: int) -> Policy:
    """The policy `pk` if it applies in the user's area; 404 otherwise."""
    return get_object_or_404(Policy.objects.visible_to(user).select_related("area"), pk=pk)


def policy_may_change(*, user: User | AnonymousUser, policy: Policy) -> bool:
    """Local policies: officers of their area; the State's catalogue: the administrator."""
    return access.may_change(user, policy.area)


def _unit_paths(cooperative: Cooperative) -> list[str]:
    return [u.path for u in (cooperative.commune_legacy, cooperative.commune) if u is not None]


def _lineage(paths: list[str]) -> set[str]:
    """Every path of the units holding the units at `paths`, themselves included."""
    found: set[str] = set()
    for path in paths:
        parts = path.split("/")
        found.update("/".join(parts[:end]) for end in range(2, len(parts) + 1))
    return found


def policies_for_cooperative(*, cooperative: Cooperative) -> QuerySet[Policy]:
    """The policies in use that apply to `cooperative`: the State's, and those of the areas
    holding its commune (of either tree)."""
    paths = _lineage(_unit_paths(cooperative))
    return (
        Policy.objects.filter(is_active=True)
        .filter(Q(area__isnull=True) | Q(area__path__in=paths))
        .select_related("area")
        .order_by("area__path", "name")
    )


def budget_list(
    *, user: User | AnonymousUser, filters: Mapping[str, Any] | None = None
) -> QuerySet[PolicyBudget]:
    """Budgets of the user's area (and below). filters: year, policy, source, area."""
    f = filters or {}
    qs = access.restrict(PolicyBudget.objects.all(), user, legacy="area", current="area")
    if f.get("year"):
        qs = qs.filter(year=f["year"])
    if f.get("policy"):
        qs = qs.filter(policy=f["policy"])
    if f.get("source"):
        qs = qs.filter(source=f["source"])
    if f.get("area"):
        qs = qs.filter(area__path__startswith=_unit(f["area"]).path)
    return qs.select_related("policy", "area").order_by("-year", "policy__name", "area__path")


# --- support given ----------------------------------------------------------------------------


def grant_list(
    *, user: User | AnonymousUser, filters: Mapping[str, Any] | None = None
) -> QuerySet[SupportGrant]:
    """Support given to the HTX the user may see. filters: year, start, end, area (a unit of
    either tree), policy, kind (of policy), source, product_support, cooperative."""
    f = filters or {}
    qs = SupportGrant.objects.visible_to(user)
    if f.get("year"):
        year = int(f["year"])
        qs = qs.filter(granted_on__gte=date(year, 1, 1), granted_on__lt=date(year + 1, 1, 1))
    if f.get("start"):
        qs = qs.filter(granted_on__gte=f["start"])
    if f.get("end"):
        qs = qs.filter(granted_on__lte=f["end"])
    if f.get("area"):
        qs = qs.filter(**cooperative_area_filter(f["area"], "cooperative__"))
    for name, lookup in (
        ("policy", "policy"),
        ("kind", "policy__kind"),
        ("source", "source"),
        ("product_support", "product_support"),
        ("cooperative", "cooperative"),
    ):
        if f.get(name):
            qs = qs.filter(**{lookup: f[name]})
    return qs.select_related("cooperative", "policy").order_by("-granted_on", "-pk")


def grant_get_for_user(*, user: User | AnonymousUser, pk: int) -> SupportGrant:
    """The support `pk` if the user may see its HTX; 404 otherwise."""
    qs = SupportGrant.objects.visible_to(user).select_related(
        "cooperative__commune_legacy", "cooperative__commune", "policy", "created_by"
    )
    return get_object_or_404(qs, pk=pk)


def grant_may_record(*, user: User | AnonymousUser, cooperative: Cooperative) -> bool:
    """Recording support is an act of the authority: officers of the HTX's area and the
    administrator, not the HTX's own managers."""
    return registry_selectors.cooperative_may_change_status(user=user, cooperative=cooperative)


def cooperative_grants(*, cooperative: Cooperative) -> QuerySet[SupportGrant]:
    """The support history of one HTX, newest first (its page's "Support" tab)."""
    return (
        cooperative.support_grants.select_related("policy")
        .prefetch_related("attachments")
        .order_by("-granted_on", "-pk")
    )


@dataclass(frozen=True, slots=True)
class TotalRow:
    """One line of the totals: a group's key and label, how many supports and HTX, the amount
    given and, where budgets are kept on the same key, the amount budgeted."""

    key: Any
    label: str
    grants: int
    cooperatives: int
    amount: Decimal
    budget: Decimal | None = None


GROUPS = ("policy", "year", "source", "kind", "area")


def _area_group_field(user: User | AnonymousUser, area: AdminUnit | None) -> str:
    """The place field one level below `area` (or the user's area): a province's districts
    (old tree) or communes (2025), a district's communes; the provinces for the whole country."""
    base = area or access.scope_of(user).area
    if base is None:
        return "province_legacy"
    if base.era == Era.LEGACY:
        return {Level.PROVINCE: "district_legacy"}.get(base.level, "commune_legacy")
    return "commune"


def grant_totals(
    *, user: User | AnonymousUser, by: str, filters: Mapping[str, Any] | None = None
) -> list[TotalRow]:
    """Totals of the support given that `grant_list` selects, grouped `by` one of GROUPS."""
    f = filters or {}
    qs = grant_list(user=user, filters=f).order_by()
    measures = {
        "grants": Count("pk"),
        "cooperatives": Count("cooperative", distinct=True),
        "total": Sum("amount"),
    }
    if by == "policy":
        rows = qs.values("policy_id", "policy__name").annotate(**measures)
        keyed = [(r["policy_id"], r["policy__name"], r) for r in rows]
    elif by == "year":
        rows = qs.annotate(year=ExtractYear("granted_on")).values("year").annotate(**measures)
        keyed = [(r["year"], str(r["year"]), r) for r in rows]
    elif by == "source":
        labels = dict(FundingSource.choices)
        rows = qs.values("source").annotate(**measures)
        keyed = [(r["source"], str(labels.get(r["source"], r["source"])), r) for r in rows]
    elif by == "kind":
        labels = dict(PolicyKind.choices)
        rows = qs.values("policy__kind").annotate(**measures)
        keyed = [(r["policy__kind"], str(labels[r["policy__kind"]]), r) for r in rows]
    elif by == "area":
        field = _area_group_field(user, _unit(f["area"]) if f.get("area") else None)
        rows = qs.values(f"cooperative__{field}_id", f"cooperative__{field}__name").annotate(
            **measures
        )
        keyed = [
            (r[f"cooperative__{field}_id"], r[f"cooperative__{field}__name"] or "—", r)
            for r in rows
        ]
    else:
        raise ValueError(by)
    budgets = _budget_totals(user=user, by=by, filters=f)
    result = [
        TotalRow(
            key=key,
            label=label,
            grants=r["grants"],
            cooperatives=r["cooperatives"],
            amount=r["total"] or Decimal(0),
            budget=budgets.get(key) if budgets is not None else None,
        )
        for key, label, r in keyed
    ]
    return sorted(result, key=lambda row: (-row.amount, row.label))


def _budget_totals(
    *, user: User | AnonymousUser, by: str, filters: Mapping[str, Any]
) -> dict[Any, Decimal] | None:
    """Budgeted amounts on the same key, for the groups budgets are kept by."""
    key = {"policy": "policy_id", "year": "year", "source": "source", "kind": "policy__kind"}
    if by not in key:
        return None
    budget_filters = {k: filters.get(k) for k in ("year", "policy", "source", "area")}
    qs = budget_list(user=user, filters=budget_filters).order_by()
    if filters.get("kind"):
        qs = qs.filter(policy__kind=filters["kind"])
    rows = qs.values(key[by]).annotate(total=Sum("amount"))
    return {r[key[by]]: r["total"] or Decimal(0) for r in rows}


# --- eligibility ------------------------------------------------------------------------------


def eligibility_facts(*, cooperative: Cooperative, on: date) -> rules.EligibilityFacts:
    """What hoptac knows about `cooperative` for the eligibility tests of a support on `on`:
    official members at the end of the three years before (the roster), those years' report
    figures, and how many of its people attended training before that year."""
    years = [on.year - 3, on.year - 2, on.year - 1]
    official: dict[int, int] = {}
    if cooperative.members.exists():
        counts = cooperative.members.filter(is_official=True).aggregate(
            **{
                f"y{y}": Count(
                    "pk",
                    filter=Q(joined_on__lte=date(y, 12, 31))
                    & (Q(left_on__isnull=True) | Q(left_on__gt=date(y, 12, 31))),
                )
                for y in years
            }
        )
        official = {y: counts[f"y{y}"] for y in years}
    reports: dict[int, rules.YearFigures] = {}
    rows = AnnualReport.objects.filter(
        cooperative=cooperative, year__in=years, status__in=REPORTED_STATUSES, is_current=True
    ).values("year", "members_count", "revenue", "revenue_from_members", "indivisible_assets")
    for row in rows:
        reports[row["year"]] = rules.YearFigures(
            members=row["members_count"],
            revenue=row["revenue"],
            revenue_from_members=row["revenue_from_members"],
            indivisible_assets=row["indivisible_assets"],
        )
    trained = (
        Participant.objects.filter(
            cooperative=cooperative,
            attended=True,
            role__in=COOPERATIVE_ROLES,
            course__ends_on__lt=date(on.year, 1, 1),
        )
        .values("name")
        .distinct()
        .count()
    )
    return rules.EligibilityFacts(
        founded_on=cooperative.founded_on or cooperative.registered_on,
        official_members=official,
        reports=reports,
        trained=trained,
        members=cooperative.members_count,
        workers=cooperative.workers_count,
    )


def eligibility_check(
    *, cooperative: Cooperative, policy: Policy, on: date
) -> rules.EligibilityResult:
    """Check `cooperative` against `policy`'s criteria for a support on `on` (rules.py)."""
    if not policy.criteria:
        return rules.EligibilityResult("not_checked")
    return rules.check_eligibility(
        policy.criteria,
        eligibility_facts(cooperative=cooperative, on=on),
        on,
        in_force_from=policy.criteria_from,
    )


# --- indicators -------------------------------------------------------------------------------


class Reach(NamedTuple):
    """A share of HTX: how many meet the test, out of how many, and which ones."""

    numerator: int
    denominator: int
    cooperative_ids: list[int]

    @property
    def percent(self) -> Decimal | None:
        return rules.share(self.numerator, self.denominator)


def htx_existing_on(*, area: AdminUnit | int | str, on: date) -> QuerySet[Cooperative]:
    """The HTX and unions placed in `area` that existed on `on`
    (CooperativeQuerySet.existing_on, the one definition)."""
    return Cooperative.objects.filter(
        kind__in=HTX_KINDS, **cooperative_area_filter(area)
    ).existing_on(on)


def reached_by_policies(area: AdminUnit | int | str, start: date, end: date) -> Reach:
    """The indicator "share of HTX reached by at least one policy" for `area` (a unit of
    either tree, any level) and the period `start`–`end` (both days included).

    denominator: HTX and unions placed in `area` that existed on `end` (htx_existing_on);
    numerator: those of them that received at least one support (SupportGrant) dated in the
    period, under any policy; cooperative_ids: the numerator's HTX, sorted.
    Unscoped: the caller checks that the user may see `area`.
    """
    existing = htx_existing_on(area=area, on=end)
    denominator = existing.count()
    supported = SupportGrant.objects.filter(granted_on__gte=start, granted_on__lte=end)
    ids = sorted(
        existing.filter(pk__in=supported.values("cooperative_id")).values_list("pk", flat=True)
    )
    return Reach(len(ids), denominator, ids)


# --- training ---------------------------------------------------------------------------------


def course_list(
    *, user: User | AnonymousUser, filters: Mapping[str, Any] | None = None
) -> QuerySet[Course]:
    """Courses for the user's area (above or below it). filters: year, topic, q."""
    f = filters or {}
    qs = Course.objects.visible_to(user).select_related("area")
    if f.get("year"):
        qs = qs.filter(starts_on__year=int(f["year"]))
    if f.get("topic"):
        qs = qs.filter(topic=f["topic"])
    for word in (f.get("q") or "").split():
        qs = qs.filter(title__icontains=word)
    # Counts of the people the user may see, as on the course's page.
    seen = Q(participants__in=Participant.objects.visible_to(user))
    return qs.annotate(
        people=Count("participants", filter=seen),
        attended_count=Count("participants", filter=seen & Q(participants__attended=True)),
    ).order_by("-starts_on", "pk")


def course_get_for_user(*, user: User | AnonymousUser, pk: int) -> Course:
    """The course `pk` if it is for the user's area (above or below it); 404 otherwise."""
    return get_object_or_404(Course.objects.visible_to(user).select_related("area"), pk=pk)


def course_may_change(*, user: User | AnonymousUser, course: Course) -> bool:
    """Officers of the course's area (the administrator for national courses)."""
    return access.may_change(user, course.area)


def course_participants(*, course: Course, user: User | AnonymousUser) -> QuerySet[Participant]:
    """The people of a course the user may see (Participant.objects.visible_to): a course
    for a province shows a district officer only the people of his district."""
    people = course.participants.visible_to(user)
    return people.select_related("area", "cooperative").order_by("name", "pk")


def participant_get_for_user(*, user: User | AnonymousUser, course: Course, pk: int) -> Participant:
    """A person of `course` the user may see; 404 otherwise."""
    return get_object_or_404(course.participants.visible_to(user), pk=pk)


def participants_placed(user: User | AnonymousUser) -> QuerySet[Participant]:
    """People placed in the user's area: officers of units inside it, and managers and
    members of the HTX inside it (an HTX manager: his own HTX's people)."""
    return Participant.objects.visible_to(user)


@dataclass(frozen=True, slots=True)
class TrainedRow:
    """Attended participations of one group: officers, HTX managers, HTX members, certificates."""

    key: Any
    label: str
    officers: int = 0
    managers: int = 0
    members: int = 0
    certificates: int = 0

    @property
    def total(self) -> int:
        return self.officers + self.managers + self.members


TRAINED_GROUPS = ("year", "topic", "area")


def _child_path(path: str | None, base: str | None) -> str | None:
    """The path of the unit one level below `base` that holds `path` (or `path` itself when it
    is not below `base`; the province when there is no base)."""
    if not path:
        return None
    parts = path.split("/")
    depth = len(base.split("/")) + 1 if base else 2
    if base and not path.startswith(base):
        return None
    return "/".join(parts[: min(depth, len(parts))])


def trained_counts(
    *, user: User | AnonymousUser, by: str, filters: Mapping[str, Any] | None = None
) -> list[TrainedRow]:
    """People trained (attended) placed in the user's area, grouped `by` year (of the course's
    start), topic, or area (one level below the filter area or the user's area)."""
    f = filters or {}
    qs = participants_placed(user).filter(attended=True).order_by()
    if f.get("year"):
        qs = qs.filter(course__starts_on__year=int(f["year"]))
    if f.get("topic"):
        qs = qs.filter(course__topic=f["topic"])
    base_unit = _unit(f["area"]) if f.get("area") else access.scope_of(user).area
    rows = qs.annotate(year=ExtractYear("course__starts_on")).values(
        "role",
        "certificate",
        "year",
        "course__topic",
        "area__path",
        "cooperative__commune_legacy__path",
        "cooperative__commune__path",
    )
    era = base_unit.era if base_unit else Era.LEGACY
    groups: dict[Any, dict[str, int]] = {}
    for row in rows:
        if by == "year":
            key = row["year"]
        elif by == "topic":
            key = row["course__topic"]
        elif by == "area":
            place = row["area__path"] or (
                row["cooperative__commune_legacy__path"]
                if era == Era.LEGACY
                else row["cooperative__commune__path"]
            )
            key = _child_path(place, base_unit.path if base_unit else None)
            if key is None:
                continue
        else:
            raise ValueError(by)
        group = groups.setdefault(key, {"officer": 0, "manager": 0, "member": 0, "cert": 0})
        group[row["role"]] += 1
        group["cert"] += bool(row["certificate"])
    labels = _trained_labels(by, list(groups))
    result = [
        TrainedRow(
            key=key,
            label=labels.get(key, str(key)),
            officers=g["officer"],
            managers=g["manager"],
            members=g["member"],
            certificates=g["cert"],
        )
        for key, g in groups.items()
    ]
    return sorted(result, key=lambda r: str(r.key) if by != "year" else -r.key)


def _trained_labels(by: str, keys: list[Any]) -> dict[Any, str]:
    from hoptac.support.choices import CourseTopic

    if by == "topic":
        return {k: str(CourseTopic(k).label) for k in keys if k in CourseTopic.values}
    if by == "area":
        return dict(AdminUnit.objects.filter(path__in=keys).values_list("path", "name"))
    return {k: str(k) for k in keys}


# --- weak HTX ---------------------------------------------------------------------------------


def case_list(
    *, user: User | AnonymousUser, filters: Mapping[str, Any] | None = None
) -> QuerySet[RemediationCase]:
    """Remediation cases of the HTX the user may see. filters: status, year, area."""
    f = filters or {}
    qs = RemediationCase.objects.visible_to(user)
    if f.get("status"):
        qs = qs.filter(status=f["status"])
    if f.get("year"):
        qs = qs.filter(year=f["year"])
    if f.get("area"):
        qs = qs.filter(**cooperative_area_filter(f["area"], "cooperative__"))
    return qs.select_related(
        "cooperative__commune_legacy", "cooperative__commune", "responsible"
    ).order_by("status", "deadline", "cooperative__name", "pk")


def case_get_for_user(*, user: User | AnonymousUser, pk: int) -> RemediationCase:
    qs = RemediationCase.objects.visible_to(user).select_related(
        "cooperative__commune_legacy", "cooperative__commune", "responsible"
    )
    return get_object_or_404(qs, pk=pk)


def case_may_change(*, user: User | AnonymousUser, case: RemediationCase) -> bool:
    """Officers of the HTX's area and the administrator."""
    return grant_may_record(user=user, cooperative=case.cooperative)


def open_case_counts(*, user: User | AnonymousUser) -> int:
    return case_list(user=user, filters={"status": CaseStatus.OPEN}).count()


def _active_cooperatives(start: date, end: date) -> list[QuerySet[Any]]:
    """Ids of HTX with a record showing activity between `start` and `end`: support received,
    and what later apps register in `support.activity` (the market's value-chain links and
    trade events)."""
    found: list[QuerySet[Any]] = [
        SupportGrant.objects.filter(granted_on__gte=start, granted_on__lte=end).values(
            "cooperative_id"
        )
    ]
    found.extend(read(start, end) for read in activity.registered_activity())
    return found


def dissolution_candidates(
    *, user: User | AnonymousUser, year: int, area: AdminUnit | None = None
) -> QuerySet[Cooperative]:
    """HTX the user may see that could be proposed for dissolution in `year`
    (rules.dissolution_proposed): still existing, founded before the two years before `year`,
    with no annual report submitted or approved for either of those years and no recorded
    activity in them."""
    window = (year - 2, year - 1)
    qs = Cooperative.objects.visible_to(user).filter(kind__in=HTX_KINDS, status__in=LIVE_STATUSES)
    qs = qs.filter(Q(founded_on__lt=date(window[0], 1, 1)) | Q(founded_on__isnull=True))
    if area is not None:
        qs = qs.filter(**cooperative_area_filter(area))
    reported = AnnualReport.objects.filter(year__in=window, status__in=REPORTED_STATUSES)
    qs = qs.exclude(pk__in=reported.values("cooperative_id"))
    start, end = date(window[0], 1, 1), date(window[1], 12, 31)
    for active in _active_cooperatives(start, end):
        qs = qs.exclude(pk__in=active)
    return qs.select_related("commune_legacy", "commune").order_by("name", "pk")
