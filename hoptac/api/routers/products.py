"""Products of the HTX a caller may see (market.selectors.product_list, filtered as the
products page: market.forms.ProductFilterForm), with their certifications (OCOP stars,
VietGAP, organic …)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from hoptac.api.auth import caller_of
from hoptac.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, chosen_fields, cursor_page
from hoptac.api.routers.common import (
    LIMIT_DESCRIPTION,
    MAX_ID,
    ListPage,
    filter_data,
    page_body,
    valid_filters,
)
from hoptac.api.schemas import ERRORS
from hoptac.market import forms, selectors
from hoptac.market.models import Product

router = Router(tags=["products"])

PRODUCT_FIELDS = (
    "id",
    "cooperative",
    "name",
    "category",
    "unit",
    "season",
    "description",
    "certifications",
)


class CertificationOut(Schema):
    kind: str
    stars: int | None = None
    year: int
    number: str
    issued_by: str
    valid_until: dt.date | None = None


class ProductOut(Schema):
    id: int | None = None
    cooperative: int | None = None
    name: str | None = None
    category: str | None = None
    unit: str | None = None
    season: str | None = None
    description: str | None = None
    certifications: list[CertificationOut] | None = None


class ProductPage(ListPage):
    items: list[ProductOut]


class ProductQuery(Schema):
    """The products page's filters."""

    q: str | None = Field(None, description="Words of the product, its category or its HTX")
    category: str | None = None
    certification: str | None = Field(None, description="A kind of certification")
    area: int | None = Field(None, ge=1, le=MAX_ID, description="A unit of either tree")
    cursor: str | None = None
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=LIMIT_DESCRIPTION)
    fields: str | None = Field(None, description="Comma-separated members to return")


def _certifications(product: Product) -> list[dict[str, Any]]:
    return [
        {
            "kind": c.kind,
            "stars": c.stars,
            "year": c.year,
            "number": c.number,
            "issued_by": c.issued_by,
            "valid_until": c.valid_until,
        }
        for c in product.certifications.all()
    ]


def product_data(product: Product, fields: list[str] | tuple[str, ...]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in fields:
        if name == "cooperative":
            values[name] = product.cooperative_id
        elif name == "certifications":
            values[name] = _certifications(product)
        else:
            values[name] = getattr(product, name)
    return values


@router.get(
    "",
    response={200: ProductPage, **ERRORS},
    exclude_unset=True,
    url_name="product_list",
    summary="Products of the HTX the caller may see, filtered as on the products page",
)
def product_list(request: HttpRequest, params: Query[ProductQuery]) -> Any:
    user = caller_of(request).user
    fields = chosen_fields(params.fields, PRODUCT_FIELDS)
    filters = valid_filters(forms.ProductFilterForm(filter_data(request), user=user))
    products = selectors.product_list(user=user, filters=filters)
    page = cursor_page(products, order="name", cursor=params.cursor, limit=params.limit)
    return page_body(request, page, [product_data(p, fields) for p in page.rows])


@router.get(
    "/{id:pk}",
    response={200: ProductOut, **ERRORS},
    exclude_unset=True,
    url_name="product_detail",
    summary="One product with its certifications",
)
def product_detail(request: HttpRequest, pk: int, fields: str | None = None) -> Any:
    chosen = chosen_fields(fields, PRODUCT_FIELDS)
    product = selectors.product_get_for_user(user=caller_of(request).user, pk=pk)
    return product_data(product, chosen)
