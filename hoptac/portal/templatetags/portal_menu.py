"""{% main_menu %}: the signed-in user's menu (hoptac.portal.menu), the current page marked."""

from __future__ import annotations

from typing import Any

from django import template

from hoptac.portal.menu import menu_for

register = template.Library()


@register.inclusion_tag("components/main_menu.html", takes_context=True)
def main_menu(context: template.Context) -> dict[str, Any]:
    request = context.get("request")
    user = context.get("user")
    path = request.path if request is not None else ""
    items = [
        {"label": item.label, "url": item.url, "current": path.startswith(item.url)}
        for item in (menu_for(user) if user is not None else [])
    ]
    return {"items": items}
