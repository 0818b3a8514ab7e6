"""Plans and their targets with progress: the plans a caller may see (plans.selectors:
`Plan.objects.visible_to`, 404 outside), each target with the indicator's value on a date and
where it stands against the target (plans.selectors.progress: the trend projected to the due
date, plans.rules.assess), as the plan's page shows them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema
from pydantic import Field

from hoptac.api.auth import caller_of
from hoptac.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, chosen_fields, cursor_page
from hoptac.api.routers.common import LIMIT_DESCRIPTION, MAX_ID, ListPage, area_for, page_body
from hoptac.api.schemas import ERRORS
from hoptac.indicators.sources import Frame
from hoptac.plans import selectors
from hoptac.plans.models import Plan

router = Router(tags=["plans"])

PLAN_FIELDS = (
    "id",
    "kind",
    "number",
    "title",
    "issuer",
    "issued_on",
    "area",
    "start_year",
    "end_year",
    "summary",
)


class PlanOut(Schema):
    id: int | None = None
    kind: str | None = None
    number: str | None = None
    title: str | None = None
    issuer: str | None = None
    issued_on: dt.date | None = None
    area: int | None = None
    start_year: int | None = None
    end_year: int | None = None
    summary: str | None = None


class PlanPage(ListPage):
    items: list[PlanOut]


class PlanQuery(Schema):
    area: int | None = Field(None, ge=1, le=MAX_ID, description="A unit: the plans of it and below")
    cursor: str | None = None
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=LIMIT_DESCRIPTION)
    fields: str | None = Field(None, description="Comma-separated members to return")


class TargetOut(Schema):
    """A target and its progress on `date`: the indicator's `current` value, `progress` (% of
    the target reached), the trend's `projected` value at `due_on`, and the `outcome`."""

    id: int
    indicator: str
    comparison: str
    value: float
    due_on: dt.date
    wording: str
    milestones: dict[str, float]
    current: float | None
    outcome: str
    progress: float | None
    projected: float | None
    reason: str


class PlanDetailOut(PlanOut):
    date: dt.date
    targets: list[TargetOut]


def _num(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def plan_data(plan: Plan, fields: list[str] | tuple[str, ...]) -> dict[str, Any]:
    return {name: plan.area_id if name == "area" else getattr(plan, name) for name in fields}


@router.get(
    "",
    response={200: PlanPage, **ERRORS},
    exclude_unset=True,
    url_name="plan_list",
    summary="Plans the caller may see, of an area and below",
)
def plan_list(request: HttpRequest, params: Query[PlanQuery]) -> Any:
    user = caller_of(request).user
    fields = chosen_fields(params.fields, PLAN_FIELDS)
    plans = selectors.plan_list(user=user, area=area_for(user, params.area))
    page = cursor_page(plans, order="-end_year", cursor=params.cursor, limit=params.limit)
    return page_body(request, page, [plan_data(p, fields) for p in page.rows])


@router.get(
    "/{id:pk}",
    response={200: PlanDetailOut, **ERRORS},
    url_name="plan_detail",
    summary="A plan with its targets and their progress on a date",
)
def plan_detail(request: HttpRequest, pk: int, date: dt.date | None = None) -> Any:
    """`date`: the day progress is measured on (default: today, or the plan's last day)."""
    plan = selectors.plan_get_for_user(user=caller_of(request).user, pk=pk)
    on = date or min(timezone.localdate(), dt.date(plan.end_year, 12, 31))
    targets = list(plan.targets.prefetch_related("milestones"))
    progress = selectors.progress(frame=Frame(area=plan.area, on=on), targets=targets)
    return {
        **plan_data(plan, PLAN_FIELDS),
        "date": on,
        "targets": [
            {
                "id": p.target.pk,
                "indicator": p.target.indicator,
                "comparison": p.target.comparison,
                "value": float(p.target.value),
                "due_on": p.target.due_on,
                "wording": p.target.wording,
                "milestones": {str(m.year): float(m.value) for m in p.target.milestones.all()},
                "current": _num(p.current),
                "outcome": p.assessment.outcome,
                "progress": _num(p.assessment.progress),
                "projected": _num(p.assessment.projected),
                "reason": p.assessment.reason,
            }
            for p in progress
        ],
    }
