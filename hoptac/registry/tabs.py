"""Tabs of the cooperative page that other apps provide (reports, ratings, support, products,
links). The registry does not import those apps: each registers its tab in its AppConfig.ready()

    from hoptac.registry.tabs import CooperativeTab, register_tab
    register_tab(CooperativeTab(name="reports", label=_("Reports"), order=40,
                                template="reports/_cooperative_tab.html", context=tab_context))

`context(request, cooperative)` returns the template's context (it must check access itself
for anything beyond what the cooperative page already checked: the user may see this HTX).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from django.utils.functional import Promise


@dataclass(frozen=True)
class CooperativeTab:
    name: str
    label: str | Promise
    order: int
    template: str
    context: Callable[[HttpRequest, Any], dict[str, Any]] = field(default=lambda r, c: {})


_TABS: dict[str, CooperativeTab] = {}


def register_tab(tab: CooperativeTab) -> None:
    """Add (or replace, by name) a tab of the cooperative page."""
    _TABS[tab.name] = tab


def registered_tabs() -> list[CooperativeTab]:
    return sorted(_TABS.values(), key=lambda tab: tab.order)
