"""Indicators of an area at a date: the same JSON as `manage.py indicators --format json`
(indicators.selectors.indicator_payload), for the caller's own area when none is asked, an
area inside his scope (404 outside, as the indicators pages; the whole country: the
administrator only, when no area is asked). Definitions and legal sources:
hoptac/indicators/data/indicators.yaml."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from hoptac.api.auth import caller_of
from hoptac.api.errors import ApiError
from hoptac.api.routers.common import MAX_ID, area_for
from hoptac.api.schemas import ERRORS
from hoptac.indicators import selectors

router = Router(tags=["indicators"])


class IndicatorQuery(Schema):
    area: int | None = Field(
        None, ge=1, le=MAX_ID, description="A unit of either tree (default: the caller's area)"
    )
    date: dt.date | None = Field(None, description="YYYY-MM-DD (default: today)")
    year: int | None = Field(None, ge=1990, le=2100, description="Data year of reports and ratings")
    code: list[str] | None = Field(None, description="Only these indicators")


class AreaOut(Schema):
    code: str
    era: str
    name: str


class IndicatorOut(Schema):
    """One indicator (manage.py indicators' members): `period` is the first and last day its
    figures cover, `drill_down` the page listing the HTX counted."""

    code: str
    name_vi: str | None = None
    name_en: str | None = None
    unit: str | None = None
    source: str | None = None
    numerator: float | None = None
    denominator: float | None = None
    value: float | None = None
    data_year: int | None = None
    period: list[str] | None = None
    no_data: bool | None = None
    official_definition: bool | None = None
    reference: str | None = None
    drill_down: str | None = None


class IndicatorsOut(Schema):
    area: AreaOut | None
    date: str
    indicators: dict[str, IndicatorOut]


@router.get(
    "",
    response={200: IndicatorsOut, **ERRORS},
    url_name="indicator_values",
    summary="Every indicator of an area at a date (as manage.py indicators)",
)
def indicator_values(request: HttpRequest, params: Query[IndicatorQuery]) -> Any:
    user = caller_of(request).user
    area = area_for(user, params.area)
    frame = selectors.frame_for(user=user, area=area, on=params.date, year=params.year)
    codes = params.code or None
    unknown = sorted(set(codes or ()) - set(selectors.definitions()))
    if unknown:
        raise ApiError(
            400,
            _("Unknown indicators: %(names)s.") % {"names": ", ".join(unknown)},
            errors=[{"field": "code", "message": name} for name in unknown],
        )
    return selectors.indicator_payload(frame=frame, codes=codes)
