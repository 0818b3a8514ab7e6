"""The portal's sidebar: the administrative map link and the visitor statistics."""

from __future__ import annotations

import logging
from typing import Any

from django import template

from hoptac.portal import visits

register = template.Library()
log = logging.getLogger(__name__)


@register.inclusion_tag("portal/_sidebar.html")
def portal_sidebar() -> dict[str, Any]:
    try:
        stats = visits.visit_stats()
    except Exception:  # the statistics must never break a page
        log.exception("visit statistics unavailable")
        stats = None
    return {"stats": stats}


@register.filter
def stars(count: int | None) -> str:
    """OCOP stars as ★ characters (3 → "★★★")."""
    return "★" * int(count or 0)


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    """mapping[key] in a template (None when missing)."""
    return mapping.get(key) if hasattr(mapping, "get") else None
