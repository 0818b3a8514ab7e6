"""The print-only line on top of every printed page (#16 item 6): the area and the date the page
is about when its view gives them (`area`, `year`, `on`, or a `frame` with those), else the
page's title; and the day it was printed. Officers print lists, the dashboard, an HTX's
profile and the rating summary for meetings, where a sheet must say what it covers."""

from __future__ import annotations

import datetime
import html
from typing import Any

from django import template
from django.template.base import NodeList
from django.template.loader_tags import BlockNode
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

register = template.Library()


def _attr_or_key(context: template.Context, name: str) -> Any:
    """`name` from the context, else from the context's `frame` (the indicators' area and date)."""
    value = context.get(name)
    if value is None and context.get("frame") is not None:
        value = getattr(context["frame"], name, None)
    return value


def _area_name(area: Any) -> str:
    """An administrative unit's full name; anything else (a form's raw value) is not an area."""
    name = getattr(area, "full_name", None)
    return name if isinstance(name, str) else ""


def heading_parts(*, title: str, area: Any, year: Any, on: Any, today: datetime.date) -> list[str]:
    """The pieces of the line, in order: what the page covers, its period, the printing day."""
    parts = [_area_name(area) or title.strip()]
    if isinstance(on, datetime.date):
        parts.append(_("As of %(date)s") % {"date": on.strftime("%d/%m/%Y")})
    elif isinstance(year, int):
        parts.append(_("Year %(year)s") % {"year": year})
    parts.append(_("Printed on %(date)s") % {"date": today.strftime("%d/%m/%Y")})
    return [part for part in parts if part]


@register.simple_tag(takes_context=True)
def print_heading(context: template.Context) -> str:
    """The line's text. The page's title is its template's `title` block, rendered again (a
    BlockNode renders the most derived block of that name), as text: the tag escapes it."""
    title = html.unescape(strip_tags(BlockNode("title", NodeList()).render(context)))
    parts = heading_parts(
        title=title,
        area=_attr_or_key(context, "area"),
        year=_attr_or_key(context, "year"),
        on=_attr_or_key(context, "on"),
        today=timezone.localdate(),
    )
    return " · ".join(parts)
