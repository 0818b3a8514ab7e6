"""The interactive docs page (/api/v1/docs): Swagger UI from our own static files (npm
`swagger-ui-dist`, under static/vendor/swagger-ui), never from a CDN, started by
static/js/api-docs.js (no inline script, no eval: the site's CSP holds)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja.openapi.docs import DocsBase

if TYPE_CHECKING:
    from ninja import NinjaAPI


class LocalSwagger(DocsBase):
    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        context = {"api": api, "openapi_url": self.get_openapi_url(api, kwargs)}
        return render(request, "api/docs.html", context)
