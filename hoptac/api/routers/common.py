"""What the routers share: reading a page's filter form from the query string, and the
answer of a list."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
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
