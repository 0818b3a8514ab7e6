"""Ratings: list and read (ratings.selectors: `Rating.objects.visible_to`, 404 outside), and
`POST /ratings/evaluate`, which rates posted cases by a named rule set without storing
anything: the `rate` command's input (a list of cases, docs/rules.md "The rate command") and
its output (per case {id, points, total, rank, reason}, or {id, error} in Vietnamese; the
other cases are still rated). The rules are those of the circulars (Thông tư 01/2020/TT-BKHĐT
Điều 8, Thông tư 09/2017/TT-BNNPTNT) kept as data in hoptac/ratings/rules/data/.
"""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Body, Query, Router, Schema
from pydantic import Field

from hoptac.api.auth import caller_of
from hoptac.api.errors import ApiError
from hoptac.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, chosen_fields, cursor_page
from hoptac.api.routers.common import LIMIT_DESCRIPTION, MAX_ID, ListPage, area_for, page_body
from hoptac.api.schemas import ERRORS
from hoptac.ratings import rules, selectors
from hoptac.ratings.choices import RatingStatus
from hoptac.ratings.models import Rating
from hoptac.registry.choices import Sector

router = Router(tags=["ratings"])

RATING_FIELDS = (
    "id",
    "cooperative",
    "year",
    "rules_id",
    "status",
    "rank",
    "engine_rank",
    "override_rank",
    "total",
    "points",
    "reason",
    "reason_code",
    "errors",
    "published",
    "proposed_at",
    "approved_at",
    "published_at",
)
MAX_CASES = 1000  # per call; more is a file for `manage.py rate`


class RatingOut(Schema):
    """A rating of an HTX for a year: the engine's `engine_rank`, the officer's
    `override_rank`, and `rank`, the one that stands; `points` by criterion id."""

    id: int | None = None
    cooperative: int | None = None
    year: int | None = None
    rules_id: str | None = None
    status: str | None = None
    rank: str | None = None
    engine_rank: str | None = None
    override_rank: str | None = None
    total: float | None = None
    points: dict[str, Any] | None = None
    reason: str | None = None
    reason_code: str | None = None
    errors: list[Any] | None = None
    published: bool | None = None
    proposed_at: datetime | None = None
    approved_at: datetime | None = None
    published_at: datetime | None = None


class RatingPage(ListPage):
    items: list[RatingOut]


class RatingQuery(Schema):
    """The ratings list's filters (the area page's: area, year, sector, status)."""

    area: int | None = Field(
        None, ge=1, le=MAX_ID, description="A unit of either tree in the caller's area"
    )
    year: int | None = Field(None, ge=1990, le=2100)
    sector: str | None = Field(None, description="nong_nghiep or phi_nong_nghiep")
    status: str | None = Field(None, description="proposed, approved or incomplete")
    cursor: str | None = None
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=LIMIT_DESCRIPTION)
    fields: str | None = Field(None, description="Comma-separated members to return")


class EvaluateIn(Schema):
    """The rule set (a file of hoptac/ratings/rules/data/, e.g. tt01-2020 or tt09-2017) and the
    cases, as the `rate` command reads them."""

    rules: str
    cases: list[dict[str, Any]] = Field(max_length=MAX_CASES)


class EvaluatedOut(Schema):
    """One rated case: points, total, rank and reason; or `error` (nothing else)."""

    id: str | int | None = None
    points: dict[str, float] | None = None
    total: float | None = None
    rank: str | None = None
    reason: str | None = None
    error: str | None = None


class EvaluateOut(Schema):
    rules: str
    results: list[EvaluatedOut]
    failures: int


def _value(rating: Rating, name: str) -> Any:
    if name == "cooperative":
        return rating.cooperative_id
    value = getattr(rating, name)
    if isinstance(value, Decimal):
        return float(value)
    return value


def rating_data(rating: Rating, fields: list[str] | tuple[str, ...]) -> dict[str, Any]:
    return {name: _value(rating, name) for name in fields}


@router.get(
    "",
    response={200: RatingPage, **ERRORS},
    exclude_unset=True,
    url_name="rating_list",
    summary="Ratings the caller may see, of an area, year, sector, status",
)
def rating_list(request: HttpRequest, params: Query[RatingQuery]) -> Any:
    user = caller_of(request).user
    fields = chosen_fields(params.fields, RATING_FIELDS)
    bad = []
    if params.sector and params.sector not in Sector.values:
        bad.append({"field": "sector", "message": params.sector})
    if params.status and params.status not in (*RatingStatus.values, "incomplete"):
        bad.append({"field": "status", "message": params.status})
    if bad:
        raise ApiError(400, _("Some filters are not valid."), errors=bad)
    ratings = selectors.rating_list(
        user=user,
        area=area_for(user, params.area),
        year=params.year,
        sector=params.sector or "",
        status=params.status or "",
    )
    page = cursor_page(ratings, order="-year", cursor=params.cursor, limit=params.limit)
    return page_body(request, page, [rating_data(r, fields) for r in page.rows])


@router.get(
    "/{id:pk}",
    response={200: RatingOut, **ERRORS},
    exclude_unset=True,
    url_name="rating_detail",
    summary="One rating",
)
def rating_detail(request: HttpRequest, pk: int, fields: str | None = None) -> Any:
    chosen = chosen_fields(fields, RATING_FIELDS)
    rating = selectors.rating_get_for_user(user=caller_of(request).user, pk=pk)
    return rating_data(rating, chosen)


@router.post(
    "/evaluate",
    response={200: EvaluateOut, **ERRORS},
    exclude_unset=True,
    url_name="rating_evaluate",
    summary="Rate posted cases by a rule set, storing nothing (the rate command)",
)
def rating_evaluate(request: HttpRequest, payload: EvaluateIn = Body(...)) -> Any:  # noqa: B008
    """Reads no data and writes none: any signed-in caller, a read token too."""
    if payload.rules not in rules.available():
        raise ApiError(
            422,
            _("Unknown rule set: %(name)s.") % {"name": payload.rules},
            errors=[{"field": "rules", "message": ", ".join(rules.available())}],
        )
    rule_set = rules.load_rules(payload.rules)
    # the numbers as the command reads them (parse_float=Decimal): 49.99 stays exact
    cases = json.loads(request.body, parse_float=Decimal)["cases"]
    results = [rules.result_to_json(rules.rate_one(rule_set, case)) for case in cases]
    return {
        "rules": payload.rules,
        "results": results,
        "failures": sum(1 for r in results if "error" in r),
    }
