"""Template filters of the registry: they ask hoptac.accounts.access (no rule is written in a
template)."""

from __future__ import annotations

from typing import Any

from django import template

from hoptac.accounts import access

register = template.Library()


@register.filter
def may_quick_search(user: Any) -> bool:
    """{% if user|may_quick_search %}: the header's quick search of HTX, for officers and
    administrators (views.cooperative_quick_search answers them only); HTX managers and the
    public have no registry to search."""
    return access.may_create_placed(user)
