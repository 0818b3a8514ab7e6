"""What the routers share: reading a page's filter form from the query string, and the
answer of a list."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import orjson
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Schema

from hoptac.api.errors import ApiError, form_errors
from hoptac.api.pagination import DEFAULT_LIMIT, MAX_LIMIT
from hoptac.core.params import MAX_ID

# The query parameters of every list, besides its filters.
LIST_PARAMS = ("cursor", "limit", "fields")


def filter_data(request: HttpRequest) -> Any:
    """The query string without the list's own parameters: the filter form's data."""
    data = request.GET.copy()
    for name in LIST_PARAMS:
        data.pop(name, None)
    return data


def valid_filters(form: Any) -> dict[str, Any]:
    """The cleaned filters of a page's filter form; 400 listing what is wrong (the page shows
    the list unfiltered instead, an API caller must know)."""
    if not form.is_valid():
        raise ApiError(400, _("Some filters are not valid."), errors=form_errors(form))
    return {k: v for k, v in form.cleaned_data.items() if v not in (None, "", [])}


class ListPage(Schema):
    """A page of a list: its rows, and the cursor of the next page (null: the last page)."""

    next_cursor: str | None = None
    next: str | None = None  # the URL of the next page


def next_url(request: HttpRequest, cursor: str | None) -> str | None:
    if cursor is None:
        return None
    query = request.GET.copy()
    query["cursor"] = cursor
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


def page_body(request: HttpRequest, page: Any, items: list[Any]) -> dict[str, Any]:
    """A list's answer: its items, the cursor of the next page and that page's URL."""
    return {
        "items": items,
        "next_cursor": page.next_cursor,
        "next": next_url(request, page.next_cursor),
    }


_DJANGO_JSON = DjangoJSONEncoder()


def _json_value(value: Any) -> Any:
    """What orjson hands back: dates and times as ninja's renderer writes them (Django's
    encoder: ISO 8601, milliseconds, "Z" for UTC), a Decimal as the int the schemas say
    (money and counts are whole numbers)."""
    if type(value) is date:
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value)
    if isinstance(value, datetime | date):
        return _DJANGO_JSON.default(value)
    raise TypeError(type(value).__name__)


def json_page(request: HttpRequest, page: Any, items: list[dict[str, Any]]) -> HttpResponse:
    """page_body as an HttpResponse written by orjson. Ninja returns an HttpResponse as it is,
    without validating it against the operation's response schema (which still documents it
    in the OpenAPI schema): for a list whose rows are already built to that schema (keys,
    and values of its types), where validating 100 rows of 36 members cost more than the
    query (bench/README.md, issue 15). Same JSON as ninja's renderer, as its content type."""
    body = orjson.dumps(
        page_body(request, page, items),
        default=_json_value,
        option=orjson.OPT_PASSTHROUGH_DATETIME,
    )
    return HttpResponse(body, content_type="application/json; charset=utf-8")


# An id in a query string or body is at most MAX_ID, what the database holds (ge=1,
# le=MAX_ID on each field): a larger one is refused as malformed (422), not sent to it.
__all__ = ["MAX_ID"]

LIMIT_DESCRIPTION = f"Rows per page, 1 to {MAX_LIMIT} (default {DEFAULT_LIMIT})."


def area_for(user: Any, pk: int | None) -> Any:
    """The unit `pk` of either tree if `user` may see it (None: none asked); 404 otherwise,
    as the pages answer an area outside one's own."""
    from hoptac.accounts import selectors as account_selectors

    if pk is None:
        return None
    unit = account_selectors.units_visible_to(user).filter(pk=pk).first()
    if unit is None:
        raise ApiError(404, _("There is no such object, or it is outside your area."))
    return unit
