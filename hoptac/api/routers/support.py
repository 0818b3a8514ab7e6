"""Support given to HTX (support grants): list, filtered as the support list's page
(support.forms.GrantFilterForm), and record one as the page does (support.forms.GrantForm,
support.services.grant_record: the HTX is checked against the policy's criteria; when the
records do not show it eligible, `override_reason` must say why it is supported anyway).
Recording support is an act of the authority: officers of the HTX's area and administrators
(support.selectors.grant_may_record), never the HTX's own managers."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import ConfigDict, Field

from hoptac.api.auth import caller_of, require_write
from hoptac.api.errors import ApiError, field_errors, form_errors
from hoptac.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, chosen_fields, cursor_page
from hoptac.api.routers.common import (
    LIMIT_DESCRIPTION,
    MAX_ID,
    ListPage,
    filter_data,
    page_body,
    valid_filters,
)
from hoptac.api.schemas import ERRORS, WRITE_ERRORS
from hoptac.registry import selectors as registry_selectors
from hoptac.support import forms, selectors, services
from hoptac.support.models import SupportGrant

router = Router(tags=["support"])

GRANT_FIELDS = (
    "id",
    "cooperative",
    "policy",
    "granted_on",
    "amount",
    "in_kind",
    "source",
    "product_support",
    "note",
    "eligibility",
    "override_reason",
    "created_at",
)


class GrantOut(Schema):
    id: int | None = None
    cooperative: int | None = None
    policy: int | None = Field(None, ge=1, le=MAX_ID)
    granted_on: dt.date | None = None
    amount: int | None = None
    in_kind: str | None = None
    source: str | None = None
    product_support: str | None = None
    note: str | None = None
    eligibility: str | None = None
    override_reason: str | None = None
    created_at: dt.datetime | None = None


class GrantPage(ListPage):
    items: list[GrantOut]


class GrantQuery(Schema):
    """The support list's filters."""

    year: int | None = Field(None, ge=1990, le=2100)
    kind: str | None = Field(None, description="Kind of policy")
    source: str | None = Field(None, description="Funding source")
    product_support: str | None = None
    policy: int | None = Field(None, ge=1, le=MAX_ID)
    area: int | None = Field(None, ge=1, le=MAX_ID, description="A unit of either tree")
    cursor: str | None = None
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=LIMIT_DESCRIPTION)
    fields: str | None = Field(None, description="Comma-separated members to return")


class GrantIn(Schema):
    model_config = ConfigDict(extra="forbid")

    cooperative: int = Field(ge=1, le=MAX_ID)
    policy: int = Field(ge=1, le=MAX_ID)
    granted_on: dt.date
    source: str
    amount: int | None = Field(None, ge=0)
    in_kind: str = ""
    product_support: str = ""
    note: str = ""
    override_reason: str = ""


def grant_data(grant: SupportGrant, fields: list[str] | tuple[str, ...]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in fields:
        if name in ("cooperative", "policy"):
            values[name] = getattr(grant, f"{name}_id")
        elif name == "amount":
            values[name] = None if grant.amount is None else int(grant.amount)
        else:
            values[name] = getattr(grant, name)
    return values


@router.get(
    "",
    response={200: GrantPage, **ERRORS},
    exclude_unset=True,
    url_name="grant_list",
    summary="Support given to the HTX the caller may see, filtered as on the support list",
)
def grant_list(request: HttpRequest, params: Query[GrantQuery]) -> Any:
    user = caller_of(request).user
    fields = chosen_fields(params.fields, GRANT_FIELDS)
    filters = valid_filters(forms.GrantFilterForm(filter_data(request), user=user))
    grants = selectors.grant_list(user=user, filters=filters)
    page = cursor_page(grants, order="-granted_on", cursor=params.cursor, limit=params.limit)
    return page_body(request, page, [grant_data(g, fields) for g in page.rows])


@router.post(
    "",
    response={201: GrantOut, **WRITE_ERRORS},
    url_name="grant_create",
    summary="Record support given to an HTX (officers of its area, administrators)",
)
def grant_create(request: HttpRequest, payload: GrantIn) -> Any:
    caller = caller_of(request)
    cooperative = registry_selectors.cooperative_get_for_user(
        user=caller.user, pk=payload.cooperative
    )
    user = require_write(request).user
    if not selectors.grant_may_record(user=user, cooperative=cooperative):
        raise ApiError(403, _("Only officers of its area record support given to an HTX."))
    sent = payload.model_dump(exclude={"cooperative"})
    data = {k: "" if v is None else str(v) for k, v in sent.items()}
    form = forms.GrantForm(data, cooperative=cooperative)
    if not form.is_valid():
        raise ApiError(422, _("The data was not accepted."), errors=form_errors(form))
    try:
        grant = services.grant_record(by=user, cooperative=cooperative, **form.service_kwargs())
    except services.EligibilityError as error:
        raise ApiError(
            422,
            " ".join(error.messages),
            errors=field_errors(error),
            eligibility=error.result.as_json(),
        ) from error
    return Status(201, grant_data(grant, GRANT_FIELDS))
