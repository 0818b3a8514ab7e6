"""Administrative units of both trees (before and after 1 July 2025), and `convert`: what an
old address is called in the 2025 tree (Nghị quyết 202/2025/QH15 and the resolutions of the
Standing Committee of the National Assembly on the arrangement of communes, 2025).

The list and a unit are those the caller may see (the units page's rule:
accounts.selectors.units_visible_to); `convert` is public (the law is), rate-limited."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from hoptac.accounts import selectors as account_selectors
from hoptac.api.auth import ApiAuth, caller_of
from hoptac.api.errors import ApiError
from hoptac.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, chosen_fields, cursor_page
from hoptac.api.routers.common import (
    LIMIT_DESCRIPTION,
    ListPage,
    filter_data,
    page_body,
    valid_filters,
)
from hoptac.api.schemas import ERRORS
from hoptac.areas.choices import Era
from hoptac.areas.forms import UnitFilterForm
from hoptac.areas.models import AdminUnit
from hoptac.areas.resolve import resolve_legacy_address

router = Router(tags=["areas"])

UNIT_FIELDS = (
    "id",
    "era",
    "level",
    "code",
    "name",
    "short_name",
    "unit_type",
    "full_name",
    "path",
    "parent",
    "province",
    "latitude",
    "longitude",
    "successors",
    "predecessors",
)


class Successor(Schema):
    id: int
    code: str
    full_name: str
    default: bool


class UnitOut(Schema):
    """An administrative unit. With `?fields=`, only the chosen members are present."""

    id: int | None = None
    era: str | None = None
    level: int | None = None
    code: str | None = None
    name: str | None = None
    short_name: str | None = None
    unit_type: str | None = None
    full_name: str | None = None
    path: str | None = None
    parent: int | None = None
    province: int | None = None
    latitude: float | None = None
    longitude: float | None = None
    successors: list[Successor] | None = None  # an old unit: the 2025 commune(s) it went into
    predecessors: list[Successor] | None = None  # a 2025 commune: the old units it took in


class UnitPage(ListPage):
    items: list[UnitOut]


class UnitQuery(Schema):
    era: str = Field("legacy", description="legacy (before 1 July 2025) or 2025")
    q: str | None = Field(None, description="Name or code, diacritics optional")
    level: int | None = Field(None, description="1 province, 2 district (old tree), 3 commune")
    within: int | None = Field(None, description="Only the units under this unit (its id)")
    cursor: str | None = None
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=LIMIT_DESCRIPTION)
    fields: str | None = Field(None, description="Comma-separated members to return")


def _link(succession: Any, unit: AdminUnit) -> dict[str, Any]:
    return {
        "id": unit.pk,
        "code": unit.code,
        "full_name": unit.full_name,
        "default": succession.is_default,
    }


def unit_data(unit: AdminUnit, fields: list[str]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in fields:
        if name == "parent":
            values[name] = unit.parent_id
        elif name == "province":
            values[name] = unit.province_id
        elif name == "successors":
            values[name] = [_link(s, s.new) for s in unit.successions.all()]
        elif name == "predecessors":
            values[name] = [_link(s, s.old) for s in unit.predecessions.all()]
        else:
            values[name] = getattr(unit, name)
    return values


@router.get(
    "",
    response={200: UnitPage, **ERRORS},
    exclude_unset=True,
    url_name="area_list",
    summary="Administrative units of one tree",
)
def area_list(request: HttpRequest, params: Query[UnitQuery]) -> Any:
    """The units of one tree the caller may see (an officer: his area's subtree), filtered
    as on the units page (q, level, within), in tree order."""
    user = caller_of(request).user
    if params.era not in Era.values:
        raise ApiError(
            400,
            _("Unknown tree."),
            errors=[{"field": "era", "message": _("Choose legacy or 2025.")}],
        )
    fields = chosen_fields(params.fields, UNIT_FIELDS)
    visible = account_selectors.units_visible_to(user).filter(era=params.era)
    form = UnitFilterForm(filter_data(request), era=params.era, units=visible)
    filters = valid_filters(form)
    units = account_selectors.unit_list(
        user=user,
        era=params.era,
        query=filters.get("q", ""),
        within=filters.get("within"),
        level=filters.get("level"),
    )
    page = cursor_page(units, order="path", cursor=params.cursor, limit=params.limit)
    return page_body(request, page, [unit_data(u, fields) for u in page.rows])


class ConvertQuery(Schema):
    address: str = Field(
        ...,
        min_length=1,
        max_length=300,
        description="e.g. Xã Lương Bằng, Huyện Chợ Đồn, Tỉnh Bắc Kạn",
    )


class BriefUnit(Schema):
    code: str
    name: str


class OldPlace(Schema):
    commune: BriefUnit | None = None
    district: BriefUnit | None = None
    province: BriefUnit | None = None


class NewPlace(Schema):
    commune: BriefUnit | None = None
    province: BriefUnit | None = None
    default: bool


class ConvertOut(Schema):
    """The JSON of `manage.py areas convert --format json`."""

    input: str
    old: OldPlace
    new: list[NewPlace]
    corrected: bool
    message: str


@router.get(
    "/convert",
    response={200: ConvertOut, **ERRORS},
    auth=ApiAuth(required=False),
    url_name="area_convert",
    summary="What an old address is called since 1 July 2025 (public)",
)
def area_convert(request: HttpRequest, params: Query[ConvertQuery]) -> Any:
    """Resolve an address of the old (63-province) tree to its units and their 2025
    successors, as `manage.py areas convert` does; an address that cannot be settled is
    422 with the candidates."""
    resolution = resolve_legacy_address(params.address)
    data = resolution.as_dict()
    if not resolution.ok:
        raise ApiError(
            422,
            str(resolution.error),
            errors=[{"field": "address", "message": str(resolution.error)}],
            candidates=data["candidates"],
        )
    return data


@router.get(
    "/{id:area_pk}",
    response={200: UnitOut, **ERRORS},
    exclude_unset=True,
    url_name="area_detail",
    summary="One administrative unit",
)
def area_detail(request: HttpRequest, area_pk: int, fields: str | None = None) -> Any:
    """A unit the caller may see (404 otherwise), with its successors or predecessors."""
    chosen = chosen_fields(fields, UNIT_FIELDS)
    user = caller_of(request).user
    units = account_selectors.units_visible_to(user).filter(pk=area_pk)
    unit = (
        units.select_related("parent")
        .prefetch_related("successions__new", "predecessions__old")
        .first()
    )
    if unit is None:
        raise ApiError(404, _("There is no such object, or it is outside your area."))
    return unit_data(unit, chosen)
