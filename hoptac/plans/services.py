"""Writes of plans and targets. Access is checked by the callers (views: access.may_change
on the plan's area); each service validates and saves in one transaction."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction

from hoptac.accounts import access
from hoptac.plans.models import Milestone, Plan, Target

if TYPE_CHECKING:
    from hoptac.accounts.models import User


@transaction.atomic
def plan_create(*, by: User | None, **fields: Any) -> Plan:
    """Record a plan (its fields: kind, number, title, issuer, area, years, document…)."""
    plan = Plan(created_by=access.author(by), **fields)
    plan.full_clean()
    plan.save()
    return plan


@transaction.atomic
def plan_update(*, plan: Plan, by: User | None, **fields: Any) -> Plan:
    """Change a plan's fields."""
    for name, value in fields.items():
        setattr(plan, name, value)
    plan.full_clean()
    plan.save()
    return plan


@transaction.atomic
def plan_delete(*, plan: Plan, by: User | None) -> None:
    """Delete a plan with its targets and milestones (and its document file)."""
    document = plan.document
    plan.delete()
    if document:
        document.delete(save=False)


def _set_milestones(target: Target, milestones: Iterable[tuple[int, Decimal]]) -> None:
    target.milestones.all().delete()
    for year, value in milestones:
        milestone = Milestone(target=target, year=year, value=value)
        milestone.full_clean()
        milestone.save()


@transaction.atomic
def target_create(
    *, plan: Plan, by: User | None, milestones: Iterable[tuple[int, Decimal]] = (), **fields: Any
) -> Target:
    """Add a target to a plan, with its yearly milestones (year, value)."""
    target = Target(plan=plan, **fields)
    target.full_clean()
    target.save()
    _set_milestones(target, milestones)
    return target


@transaction.atomic
def target_update(
    *,
    target: Target,
    by: User | None,
    milestones: Iterable[tuple[int, Decimal]] | None = None,
    **fields: Any,
) -> Target:
    """Change a target; `milestones` (when given) replace the old ones."""
    for name, value in fields.items():
        setattr(target, name, value)
    target.full_clean()
    target.save()
    if milestones is not None:
        _set_milestones(target, milestones)
    return target


@transaction.atomic
def target_delete(*, target: Target, by: User | None) -> None:
    """Remove a target from its plan."""
    target.delete()
