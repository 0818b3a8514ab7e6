"""The one NinjaAPI of hoptac, version 1 (/api/v1/). Each resource is a router module of
hoptac/api/routers/ mounted here; later resources (reports, ratings, indicators, plans,
support, products, the portal, bulk exchange) add theirs the same way.

Versioning: the version is in the path; v1 changes only by adding (new endpoints, new
optional parameters, new fields). Anything else is a /api/v2/ beside it.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import NinjaAPI, Schema

from hoptac.api import errors
from hoptac.api.auth import ApiAuth
from hoptac.api.docs import LocalSwagger
from hoptac.api.throttling import ApiThrottle


class HoptacApi(NinjaAPI):
    """NinjaAPI whose schema says what its errors really are: problem details
    (`application/problem+json`), not ninja's `application/json`."""

    def get_openapi_schema(self, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(**kwargs)
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                for status, response in operation.get("responses", {}).items():
                    content = response.get("content", {})
                    if str(status) >= "400" and "application/json" in content:
                        content[errors.MEDIA_TYPE] = content.pop("application/json")
        return schema


api = HoptacApi(
    title="hoptac API",
    version="1",
    description=(
        "The REST API of hoptac (docs/api.md). Authenticate with a personal API token "
        "(`Authorization: Bearer hoptac_…`) or a signed-in session (CSRF on writes). "
        "Errors are problem details (RFC 9457). The API is versioned in the path and v1 "
        "changes only by adding."
    ),
    urls_namespace="api-v1",
    auth=ApiAuth(),
    throttle=ApiThrottle(),
    docs=LocalSwagger(),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
errors.install(api)


def _mount() -> None:
    from hoptac.api.routers import (
        areas,
        cooperatives,
        exchange,
        indicators,
        national,
        plans,
        portal,
        products,
        ratings,
        reports,
        support,
    )

    api.add_router("/areas", areas.router)
    api.add_router("/cooperatives", cooperatives.router)
    api.add_router("/reports", reports.router)
    api.add_router("/ratings", ratings.router)
    api.add_router("/indicators", indicators.router)
    api.add_router("/plans", plans.router)
    api.add_router("/grants", support.router)
    api.add_router("/products", products.router)
    api.add_router("/portal", portal.router)
    api.add_router("", exchange.router)  # /cooperatives/import, /reports/import, /jobs/{id}
    api.add_router("", national.router)  # /national-forms/{form}


_mount()


class IndexOut(Schema):
    version: str
    openapi: str
    docs: str


@api.get("/", response={200: IndexOut}, auth=None, url_name="api_index", summary="This API")
def api_index(request: HttpRequest) -> dict[str, str]:
    """Where the schema and the docs are (public)."""
    return {
        "version": "1",
        "openapi": reverse("api-v1:openapi-json"),
        "docs": reverse("api-v1:openapi-view"),
    }
