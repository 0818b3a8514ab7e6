"""Cooperatives (HTX, cooperative groups, unions): list, detail, create, update, status change,
members, history. The same filters (registry.forms.CooperativeFilterForm), forms, selectors
and services as the registry's pages, so the rules are theirs: what a caller sees is
`Cooperative.objects.visible_to` (404 outside), what he may change
`access.may_change_cooperative` / the registration authority's `may_change_placed` (403).

An update needs `If-Match` with the ETag of the read (428 without); a stale one is 412 with
the fields changed meanwhile, as the edit page's conflict (services.EditConflictError).
"""

from __future__ import annotations

from copy import copy
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import ConfigDict, Field

from hoptac.accounts import access
from hoptac.api import rules
from hoptac.api import selectors as api_selectors
from hoptac.api.auth import caller_of, require_write
from hoptac.api.errors import ApiError, field_errors, form_errors
from hoptac.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, chosen_fields, cursor_page
from hoptac.api.routers.common import (
    LIMIT_DESCRIPTION,
    ListPage,
    filter_data,
    json_page,
    page_body,
    valid_filters,
)
from hoptac.api.schemas import ERRORS, WRITE_ERRORS
from hoptac.registry import forms, selectors, services
from hoptac.registry.models import Cooperative, Member

router = Router(tags=["cooperatives"])

# The members of a cooperative in the API, in this order (?fields= chooses among them).
LIST_FIELDS = (
    "id",
    "kind",
    "name",
    "short_name",
    "tax_code",
    "registered_on",
    "founded_on",
    "registering_authority",
    "representative_name",
    "representative_title",
    "representative_phone",
    "phone",
    "email",
    "website",
    "street",
    "commune_legacy",
    "district_legacy",
    "province_legacy",
    "commune",
    "province",
    "latitude",
    "longitude",
    "sector",
    "sub_sector",
    "business_lines",
    "charter_capital",
    "members_count",
    "workers_count",
    "high_tech",
    "value_chain",
    "model_cooperative",
    "is_published",
    "status",
    "version",
    "created_at",
    "updated_at",
)
DETAIL_FIELDS = (*LIST_FIELDS, "unions", "managers")
UNIT_FIELDS = ("commune_legacy", "district_legacy", "province_legacy", "commune", "province")


class CooperativeOut(Schema):
    """An organisation of the registry. Units (commune_legacy … province) are ids of
    /api/v1/areas; with `?fields=`, only the chosen members are present."""

    id: int | None = None
    kind: str | None = None
    name: str | None = None
    short_name: str | None = None
    tax_code: str | None = None
    registered_on: date | None = None
    founded_on: date | None = None
    registering_authority: str | None = None
    representative_name: str | None = None
    representative_title: str | None = None
    representative_phone: str | None = None
    phone: str | None = None
    email: str | None = None
    website: str | None = None
    street: str | None = None
    commune_legacy: int | None = None
    district_legacy: int | None = None
    province_legacy: int | None = None
    commune: int | None = None
    province: int | None = None
    latitude: float | None = None
    longitude: float | None = None
    sector: str | None = None
    sub_sector: str | None = None
    business_lines: str | None = None
    charter_capital: int | None = None
    members_count: int | None = None
    workers_count: int | None = None
    high_tech: bool | None = None
    value_chain: bool | None = None
    model_cooperative: bool | None = None
    is_published: bool | None = None
    status: str | None = None
    version: int | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    unions: list[int] | None = None
    managers: list[int] | None = None


class CooperativePage(ListPage):
    items: list[CooperativeOut]


class CooperativeQuery(Schema):
    """The registry list's filters (registry.forms.CooperativeFilterForm), and the page."""

    q: str | None = Field(None, description="Words of the name, code, representative or address")
    area: int | None = Field(
        None, description="A unit of either tree (province, district, commune)"
    )
    kind: str | None = None
    sector: str | None = None
    sub_sector: str | None = None
    status: str | None = None
    founded_year: int | None = None
    flags: list[str] | None = Field(
        None, description="high_tech, value_chain, model, newly_founded"
    )
    sort: str | None = Field(None, description="name, -name, founded_on, -founded_on, …")
    cursor: str | None = None
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=LIMIT_DESCRIPTION)
    fields: str | None = Field(None, description="Comma-separated members to return")


class CooperativeIn(Schema):
    """The profile, as the registry's form takes it. `place` is the commune, of either tree
    (an id of /api/v1/areas): the other tree's follows. On update, only the members sent
    change."""

    model_config = ConfigDict(extra="forbid")

    kind: str | None = None
    name: str | None = None
    short_name: str | None = None
    tax_code: str | None = None
    registered_on: date | None = None
    founded_on: date | None = None
    registering_authority: str | None = None
    representative_name: str | None = None
    representative_title: str | None = None
    representative_phone: str | None = None
    phone: str | None = None
    email: str | None = None
    website: str | None = None
    street: str | None = None
    place: int | None = None
    latitude: float | None = None
    longitude: float | None = None
    sector: str | None = None
    sub_sector: str | None = None
    business_lines: str | None = None
    charter_capital: int | None = Field(None, ge=0)
    members_count: int | None = Field(None, ge=0)
    workers_count: int | None = Field(None, ge=0)
    high_tech: bool | None = None
    value_chain: bool | None = None
    model_cooperative: bool | None = None
    unions: list[int] | None = None
    managers: list[int] | None = None
    is_published: bool | None = None


class StatusIn(Schema):
    model_config = ConfigDict(extra="forbid")

    status: str
    effective_on: date
    note: str = ""


class StatusOut(Schema):
    status: str
    effective_on: date
    note: str
    recorded_by: str | None = None
    recorded_at: datetime | None = None


class MemberOut(Schema):
    id: int | None = None
    kind: str | None = None
    name: str | None = None
    joined_on: date | None = None
    left_on: date | None = None
    capital_contributed: int | None = None
    is_official: bool | None = None


MEMBER_FIELDS = tuple(MemberOut.model_fields)


class MemberPage(ListPage):
    items: list[MemberOut]


class FieldChangeOut(Schema):
    field: str
    label: str
    old: str
    new: str


class ChangeOut(Schema):
    when: datetime
    who: str
    action: str
    version: int
    changes: list[FieldChangeOut]


class HistoryOut(Schema):
    changes: list[ChangeOut]
    statuses: list[StatusOut]


# --- reading ----------------------------------------------------------------------------------


def _value(cooperative: Cooperative, name: str) -> Any:
    if name in UNIT_FIELDS:
        return getattr(cooperative, f"{name}_id")
    if name in ("unions", "managers"):
        return sorted(getattr(cooperative, name).values_list("pk", flat=True))
    value = getattr(cooperative, name)
    if isinstance(value, Decimal):
        return int(value)
    return value


def cooperative_data(cooperative: Cooperative, fields: list[str]) -> dict[str, Any]:
    return {name: _value(cooperative, name) for name in fields}


def _etag(response: HttpResponse, cooperative: Cooperative) -> None:
    response["ETag"] = rules.etag_of(cooperative.pk, cooperative.version)


@router.get(
    "",
    response={200: CooperativePage, **ERRORS},
    exclude_unset=True,
    url_name="cooperative_list",
    summary="Cooperatives the caller may see, filtered as on the registry's list",
)
def cooperative_list(request: HttpRequest, params: Query[CooperativeQuery]) -> Any:
    """Only the columns asked are read (`.values()`), and the answer is written as it is
    (json_page: no per-row validation; CooperativePage still documents it)."""
    user = caller_of(request).user
    fields = chosen_fields(params.fields, LIST_FIELDS)
    form = forms.CooperativeFilterForm(filter_data(request), user=user)
    filters = valid_filters(form)
    page = api_selectors.cooperative_page(
        user=user, filters=filters, cursor=params.cursor, limit=params.limit, columns=fields
    )
    return json_page(request, page, page.rows)


@router.get(
    "/{id:pk}",
    response={200: CooperativeOut, **ERRORS},
    exclude_unset=True,
    url_name="cooperative_detail",
    summary="One cooperative, with its ETag (for If-Match on update)",
)
def cooperative_detail(
    request: HttpRequest, response: HttpResponse, pk: int, fields: str | None = None
) -> Any:
    chosen = chosen_fields(fields, DETAIL_FIELDS)
    cooperative = selectors.cooperative_get_for_user(user=caller_of(request).user, pk=pk)
    _etag(response, cooperative)
    return cooperative_data(cooperative, chosen)


# --- writing ----------------------------------------------------------------------------------


def _form_value(value: Any) -> Any:
    """A JSON value as the page's form reads it from a POST."""
    if isinstance(value, bool) or value is None or isinstance(value, list):
        return value
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _refused(form: Any) -> ApiError:
    return ApiError(422, _("The data was not accepted."), errors=form_errors(form))


def _saved(call: Any) -> Any:
    """Run a service; its ValidationError is a 422 naming the fields (`place` for the
    communes, as the form calls them)."""
    from django.core.exceptions import ValidationError

    try:
        return call()
    except services.EditConflictError:
        raise
    except ValidationError as error:
        labels = {"commune": "place", "commune_legacy": "place"}
        raise ApiError(
            422, _("The data was not accepted."), errors=field_errors(error, labels)
        ) from error


@router.post(
    "",
    response={201: CooperativeOut, **WRITE_ERRORS},
    url_name="cooperative_create",
    summary="Record a cooperative (officers of its area and administrators)",
)
def cooperative_create(request: HttpRequest, response: HttpResponse, payload: CooperativeIn) -> Any:
    user = require_write(request).user
    if not access.may_create_placed(user):
        raise ApiError(403, _("Only officers and administrators record cooperatives."))
    data = {k: _form_value(v) for k, v in payload.model_dump(exclude_unset=True).items()}
    form = forms.CooperativeForm(data, user=user)
    if not form.is_valid():
        raise _refused(form)
    cooperative = _saved(lambda: services.cooperative_create(by=user, **form.service_kwargs()))
    _etag(response, cooperative)
    response["Location"] = reverse("api-v1:cooperative_detail", args=[cooperative.pk])
    return Status(201, cooperative_data(cooperative, list(DETAIL_FIELDS)))


def _changes_meanwhile(error: services.EditConflictError) -> list[dict[str, Any]]:
    return [
        {
            "field": change.field,
            "label": change.label,
            "old": change.old,
            "new": change.new,
            "who": entry.who,
            "when": entry.when.isoformat(),
        }
        for entry in error.changes
        for change in entry.changes
    ]


@router.patch(
    "/{id:pk}",
    response={200: CooperativeOut, **WRITE_ERRORS},
    url_name="cooperative_update",
    summary="Change a cooperative's profile (If-Match: its ETag)",
)
def cooperative_update(
    request: HttpRequest, response: HttpResponse, pk: int, payload: CooperativeIn
) -> Any:
    caller = caller_of(request)
    cooperative = selectors.cooperative_get_for_user(user=caller.user, pk=pk)
    user = require_write(request).user
    if not selectors.cooperative_may_change(user=user, cooperative=cooperative):
        raise ApiError(403, _("You may not change this cooperative."))
    if_match = request.headers.get("If-Match", "")
    if not if_match:
        raise ApiError(428, _("Send If-Match with the ETag of the cooperative as you read it."))
    version = (
        cooperative.version
        if if_match.strip() == "*"
        else rules.version_of(if_match, cooperative.pk)
    )
    officer = selectors.cooperative_may_change_status(user=user, cooperative=cooperative)
    form_class = forms.CooperativeForm if officer else forms.CooperativeManagerForm
    sent = payload.model_dump(exclude_unset=True)
    current = form_class(instance=copy(cooperative), user=user)
    refused = sorted(name for name in sent if name not in current.fields)
    if refused:
        raise ApiError(
            403,
            _("You may not change these fields: %(names)s.") % {"names": ", ".join(refused)},
            errors=[{"field": n, "message": _("You may not change this field.")} for n in refused],
        )
    data = {name: _form_value(current[name].value()) for name in current.fields}
    data.update({k: _form_value(v) for k, v in sent.items()})
    data["version"] = str(version if version is not None else 0)
    form = form_class(data, instance=copy(cooperative), user=user)
    if not form.is_valid():
        raise _refused(form)
    try:
        updated = _saved(
            lambda: services.cooperative_update(
                cooperative=cooperative, by=user, **form.service_kwargs()
            )
        )
    except services.EditConflictError as error:
        raise ApiError(
            412,
            _(
                "The cooperative changed after you read it: read it again (its new ETag) and "
                "send your change with that."
            ),
            headers={"ETag": rules.etag_of(cooperative.pk, error.version)},
            changes=_changes_meanwhile(error),
        ) from error
    _etag(response, updated)
    return cooperative_data(updated, list(DETAIL_FIELDS))


@router.post(
    "/{id:pk}/status",
    response={201: StatusOut, **WRITE_ERRORS},
    url_name="cooperative_status",
    summary="Record a new dated status (the registration authority: officers, administrators)",
)
def cooperative_status(
    request: HttpRequest, response: HttpResponse, pk: int, payload: StatusIn
) -> Any:
    caller = caller_of(request)
    cooperative = selectors.cooperative_get_for_user(user=caller.user, pk=pk)
    user = require_write(request).user
    if not selectors.cooperative_may_change_status(user=user, cooperative=cooperative):
        raise ApiError(403, _("Only officers of its area record a cooperative's status."))
    data = {k: _form_value(v) for k, v in payload.model_dump().items()}
    form = forms.StatusChangeForm(data, current=cooperative.status)
    if not form.is_valid():
        raise _refused(form)
    change = _saved(
        lambda: services.cooperative_change_status(
            cooperative=cooperative, by=user, **form.cleaned_data
        )
    )
    _etag(response, cooperative)
    return Status(201, _status_data(change))


def _status_data(change: Any) -> dict[str, Any]:
    return {
        "status": change.status,
        "effective_on": change.effective_on,
        "note": change.note,
        "recorded_by": change.by.display_name if change.by else None,
        "recorded_at": change.created_at,
    }


# --- members and history ----------------------------------------------------------------------


class MemberQuery(Schema):
    cursor: str | None = None
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=LIMIT_DESCRIPTION)
    fields: str | None = None


def _member_data(member: Member, fields: list[str]) -> dict[str, Any]:
    values = {name: getattr(member, name) for name in fields}
    if values.get("capital_contributed") is not None:
        values["capital_contributed"] = int(values["capital_contributed"])
    return values


@router.get(
    "/{id:pk}/members",
    response={200: MemberPage, **ERRORS},
    exclude_unset=True,
    url_name="cooperative_members",
    summary="The member roster of a cooperative",
)
def cooperative_members(request: HttpRequest, pk: int, params: Query[MemberQuery]) -> Any:
    fields = chosen_fields(params.fields, MEMBER_FIELDS)
    cooperative = selectors.cooperative_get_for_user(user=caller_of(request).user, pk=pk)
    members = selectors.cooperative_members(cooperative=cooperative)
    page = cursor_page(members, order="name", cursor=params.cursor, limit=params.limit)
    return page_body(request, page, [_member_data(m, fields) for m in page.rows])


@router.get(
    "/{id:pk}/history",
    response={200: HistoryOut, **ERRORS},
    url_name="cooperative_history",
    summary="Who changed what and when (the last 100 changes), and the dated statuses",
)
def cooperative_history(request: HttpRequest, pk: int) -> Any:
    cooperative = selectors.cooperative_get_for_user(user=caller_of(request).user, pk=pk)
    changes = selectors.cooperative_changes(cooperative=cooperative)
    statuses = selectors.cooperative_status_history(cooperative=cooperative)
    return {
        "changes": [
            {
                "when": e.when,
                "who": e.who,
                "action": e.action,
                "version": e.version,
                "changes": [
                    {"field": c.field, "label": c.label, "old": c.old, "new": c.new}
                    for c in e.changes
                ],
            }
            for e in changes
        ],
        "statuses": [_status_data(s) for s in statuses],
    }
