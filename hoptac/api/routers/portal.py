"""The portal's public directory: the published HTX of the portal's province
(portal.selectors.directory, filtered as the directory page: portal.forms.DirectoryFilterForm),
each with only the fields of the groups the province publishes (portal.rules.public_fields).
Public: no token is needed, and calls without one are limited per address
(HOPTAC_API_PUBLIC_RATE)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from hoptac.api.auth import ApiAuth
from hoptac.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, chosen_fields, cursor_page
from hoptac.api.routers.common import (
    LIMIT_DESCRIPTION,
    MAX_ID,
    ListPage,
    filter_data,
    page_body,
    valid_filters,
)
from hoptac.api.routers.cooperatives import CooperativeOut, cooperative_data
from hoptac.api.schemas import ERRORS
from hoptac.portal import forms, rules, selectors

router = Router(tags=["portal"])


class DirectoryPage(ListPage):
    items: list[CooperativeOut]


class DirectoryQuery(Schema):
    """The directory page's filters."""

    q: str | None = Field(None, description="Words of the name, code, representative or address")
    area: int | None = Field(
        None, ge=1, le=MAX_ID, description="A district (old tree) or commune of the province"
    )
    sector: str | None = None
    product: str | None = Field(None, description="A product category")
    cursor: str | None = None
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=LIMIT_DESCRIPTION)
    fields: str | None = Field(None, description="Comma-separated members to return")


def _public_fields(province: Any) -> tuple[str, ...]:
    shown = rules.public_fields(selectors.public_groups(province=province))
    return ("id", *sorted(shown))


@router.get(
    "/directory",
    response={200: DirectoryPage, **ERRORS},
    auth=ApiAuth(required=False),
    exclude_unset=True,
    url_name="portal_directory",
    summary="The published HTX of the portal's province (public)",
)
def portal_directory(request: HttpRequest, params: Query[DirectoryQuery]) -> Any:
    province = selectors.portal_province()
    available = _public_fields(province)
    fields = chosen_fields(params.fields, available)
    form = forms.DirectoryFilterForm(
        filter_data(request), areas=selectors.area_choices(province=province)
    )
    found = selectors.directory(province=province, filters=valid_filters(form))
    page = cursor_page(found, order="name", cursor=params.cursor, limit=params.limit)
    return page_body(request, page, [cooperative_data(c, fields) for c in page.rows])
