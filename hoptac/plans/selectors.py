"""Reads of plans: the plans a user may see, and progress against their targets.

Progress = the indicator now (hoptac.indicators) against the target, with the status from
rules.assess (a projection of the yearly trend to the target date). The values of all the
targets of the plans of one area are computed together: one pass over the sources for the
date, and one per past year-end for the trend.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from hoptac.accounts import access
from hoptac.indicators import selectors as indicators
from hoptac.indicators.sources import Frame
from hoptac.plans import rules
from hoptac.plans.models import Plan, Target

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from hoptac.accounts.models import User
    from hoptac.areas.models import AdminUnit

HISTORY_YEARS = 5  # year-end values the trend is fitted on


def plan_list(*, user: User | AnonymousUser, area: AdminUnit | None = None) -> QuerySet[Plan]:
    """The plans `user` may see, those of `area` and below when given."""
    qs = Plan.objects.visible_to(user).select_related("area")
    if area is not None:
        qs = qs.filter(area__path__startswith=area.path)
    return qs


def plan_get_for_user(*, user: User | AnonymousUser, pk: int) -> Plan:
    """The plan `pk` if `user` may see it; 404 whether missing or out of scope."""
    return get_object_or_404(plan_list(user=user), pk=pk)


def target_get_for_user(*, user: User | AnonymousUser, pk: int) -> Target:
    plans = Plan.objects.visible_to(user)
    return get_object_or_404(Target.objects.select_related("plan__area"), pk=pk, plan__in=plans)


def plan_may_change(*, user: User | AnonymousUser, plan: Plan) -> bool:
    """Officers of the plan's area (or above it) and administrators."""
    return access.may_change(user, plan.area)


def plans_for_frame(*, frame: Frame, user: User | AnonymousUser | None) -> list[Plan]:
    """The plans of exactly the frame's area whose period covers the frame's year, with
    their targets (plans of the whole country: area None has none)."""
    if frame.area is None:
        return []
    qs = Plan.objects.filter(area=frame.area).in_force(frame.on.year)
    if user is not None:
        qs = qs.visible_to(user)
    targets = Target.objects.prefetch_related("milestones")
    return list(qs.prefetch_related(Prefetch("targets", queryset=targets)))


@dataclass(frozen=True, slots=True)
class TargetProgress:
    """A target, the indicator's value on the frame's date, and where it stands."""

    target: Target
    result: indicators.Result
    assessment: rules.Assessment
    history: list[tuple[date, Decimal]]

    @property
    def current(self) -> Decimal | None:
        return None if self.result.no_data else self.result.value


def _history_years(on: date) -> list[int]:
    return list(range(on.year - HISTORY_YEARS, on.year))


def progress(*, frame: Frame, targets: Sequence[Target]) -> list[TargetProgress]:
    """Each target's progress on the frame's date (the targets belong to the frame's area)."""
    codes = list(dict.fromkeys(t.indicator for t in targets))
    if not codes:
        return []
    now = indicators.indicator_values(frame=frame, codes=codes)
    past = indicators.series(frame=frame, codes=codes, years=_history_years(frame.on))
    result = []
    for target in targets:
        current = now[target.indicator]
        history = [
            (indicators.year_end(year, frame.on), value.value)
            for year, value in past[target.indicator]
            if not value.no_data and value.value is not None
        ]
        assessment = rules.assess(
            current=None if current.no_data else current.value,
            comparison=target.comparison,
            target=target.value,
            due_on=target.due_on,
            on=frame.on,
            history=history,
            milestones={m.year: m.value for m in target.milestones.all()},
        )
        result.append(TargetProgress(target, current, assessment, history))
    return result


@dataclass(frozen=True, slots=True)
class PlanProgress:
    plan: Plan
    targets: list[TargetProgress]


def plans_progress(*, frame: Frame, plans: Iterable[Plan]) -> list[PlanProgress]:
    """Progress of every target of `plans` (all of the frame's area), computed together."""
    plans = list(plans)
    all_targets = [t for plan in plans for t in plan.targets.all()]
    by_target = {p.target.pk: p for p in progress(frame=frame, targets=all_targets)}
    return [PlanProgress(plan, [by_target[t.pk] for t in plan.targets.all()]) for plan in plans]
