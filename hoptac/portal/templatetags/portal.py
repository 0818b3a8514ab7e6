"""The portal's sidebar: the administrative map link and the visitor statistics."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import mark_safe

from hoptac.core import page_cache
from hoptac.portal.caching import STATS_HOLE, visit_stats_box

register = template.Library()


@register.inclusion_tag("portal/_sidebar.html", takes_context=True)
def portal_sidebar(context: template.Context) -> dict[str, Any]:
    """The sidebar; its visitor statistics are a hole of the cached page (filled per request
    by `visit_stats_box`), or rendered here when the page is not cached."""
    request = context.get("request")
    if page_cache.is_cached_render(request):
        return {"stats_box": mark_safe(page_cache.hole_marker(STATS_HOLE))}  # noqa: S308
    return {"stats_box": visit_stats_box(request)}


@register.filter
def stars(count: int | None) -> str:
    """OCOP stars as ★ characters (3 → "★★★")."""
    return "★" * int(count or 0)


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    """mapping[key] in a template (None when missing)."""
    return mapping.get(key) if hasattr(mapping, "get") else None
