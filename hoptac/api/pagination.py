"""Cursor pagination of the API's lists: an opaque cursor over (sort key, id), so that a page
costs the same however deep it is and rows added meanwhile neither repeat nor vanish.
`?limit=` up to MAX_LIMIT (default DEFAULT_LIMIT)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Generic, TypeVar

from django.core.exceptions import ValidationError
from django.db.models import F, Model, Q, QuerySet
from django.utils.translation import gettext as _

from hoptac.api import rules
from hoptac.api.errors import ApiError

M = TypeVar("M", bound=Model)
T = TypeVar("T")

DEFAULT_LIMIT = 100
MAX_LIMIT = 500


@dataclass(slots=True)
class Page(Generic[T]):
    rows: list[T]
    next_cursor: str | None


def _key(value: Any) -> Any:
    """A sort key as the cursor holds it (JSON): dates and numbers as text or numbers."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def cursor_page(
    queryset: QuerySet[M],
    *,
    order: str,
    cursor: str | None,
    limit: int,
    columns: Sequence[str] | None = None,
    expressions: Mapping[str, Any] | None = None,
) -> Page[Any]:
    """One page of `queryset` in `order` (a field, "-" for descending; ties by id), after
    `cursor`. Empty values come last in either direction.

    columns: read only these, as dicts of exactly these keys in this order (a foreign key
    is its id), instead of whole model instances; `expressions` gives the database
    expression read for some of them (e.g. a value the database formats). The sort key and
    the id of the cursor are read as they are stored, besides.

    On a column that is never empty, the cursor's condition also bounds the sort key
    (`name >= 'X' AND (name > 'X' OR (name = 'X' AND id > 7))`), so that the database reads
    an index on (area, name) from the cursor on instead of filtering the rows before it."""
    descending = order.startswith("-")
    column = order.lstrip("-")
    field = queryset.model._meta.get_field(column)
    expression = F(column).desc(nulls_last=True) if descending else F(column).asc(nulls_last=True)
    queryset = queryset.order_by(expression if field.null else order, "pk")
    if cursor:
        try:
            key, pk = rules.cursor_decode(cursor, order=order)
            value = None if key is None else field.to_python(key)
        except (rules.CursorError, ValidationError, TypeError, ValueError) as error:
            raise ApiError(
                400,
                _("This cursor is not one the API gave for this list and order."),
                errors=[{"field": "cursor", "message": _("Unknown cursor.")}],
            ) from error
        if value is None:
            after = Q(**{f"{column}__isnull": True, "pk__gt": pk})
        else:
            beyond = Q(**{f"{column}__{'lt' if descending else 'gt'}": value})
            after = beyond | Q(**{column: value, "pk__gt": pk})
            if field.null:
                after |= Q(**{f"{column}__isnull": True})
            else:
                after &= Q(**{f"{column}__{'lte' if descending else 'gte'}": value})
        queryset = queryset.filter(after)
    if columns is None:
        rows: list[Any] = list(queryset[: limit + 1])
        keys = [(getattr(row, column), row.pk) for row in rows[limit - 1 : limit]]
    else:
        given = expressions or {}
        read = [given.get(name, name) for name in columns]
        values = list(queryset.values_list(*read, column, "pk")[: limit + 1])
        rows = [dict(zip(columns, row, strict=False)) for row in values]  # the key, id left out
        keys = [(row[-2], row[-1]) for row in values[limit - 1 : limit]]
    if len(rows) <= limit:
        return Page(rows, None)
    key, last_pk = keys[0]
    next_cursor = rules.cursor_encode(order=order, key=_key(key), pk=last_pk)
    return Page(rows[:limit], next_cursor)


def chosen_fields(requested: str | None, available: tuple[str, ...]) -> list[str]:
    """The columns of `?fields=`; 400 naming those the resource does not have."""
    names, unknown = rules.fields_chosen(requested or "", available)
    if unknown:
        raise ApiError(
            400,
            _("Unknown fields: %(names)s.") % {"names": ", ".join(unknown)},
            errors=[{"field": "fields", "message": name} for name in unknown],
        )
    return names
