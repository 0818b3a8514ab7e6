"""Parts of the dashboard and of the written report that other apps provide.

Apps above indicators (plans: progress against targets) add a section without indicators
importing them, as the registry's cooperative tabs do; each registers in AppConfig.ready():

    from hoptac.indicators.extensions import Section, register_section
    register_section(Section(name="plans", order=20, template="plans/_dashboard.html",
                             context=dashboard_context, report=report_blocks))

`context(request, frame)` returns the template's context, `report(frame, user)` the blocks
of the written report (document.Heading / Paragraph / Table); `user` is None for commands.
Both must check access themselves for anything beyond the frame (whose area is already
checked against the user's scope).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest


@dataclass(frozen=True)
class Section:
    name: str
    order: int
    template: str = ""
    context: Callable[[HttpRequest, Any], dict[str, Any]] | None = None
    report: Callable[[Any, Any], list[Any]] | None = None


_SECTIONS: dict[str, Section] = {}


def register_section(section: Section) -> None:
    """Add (or replace, by name) a section of the dashboard and the written report."""
    _SECTIONS[section.name] = section


def sections() -> list[Section]:
    return sorted(_SECTIONS.values(), key=lambda s: s.order)
