"""Records of an HTX's activity kept by later apps, for the dissolution candidates.

An HTX may be proposed for dissolution when it shows no activity for two years
(`support.rules.dissolution_proposed`). Support received is known here; value-chain links and
trade events are kept by the market app, which sits above support, so support does not import
it: market registers its reads in its AppConfig.ready()

    from hoptac.support.activity import register_activity
    register_activity("market.links", links_active_between)

Each read takes the first and last day of the window and returns a queryset of the
`cooperative_id` of the HTX with a record in it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.db.models import QuerySet

ActivityRead = Callable[[date, date], "QuerySet[Any]"]

_READS: dict[str, ActivityRead] = {}


def register_activity(name: str, read: ActivityRead) -> None:
    """Add (or replace, by name) a read of HTX active between two days."""
    _READS[name] = read


def registered_activity() -> list[ActivityRead]:
    """The registered reads, in the order of their names."""
    return [_READS[name] for name in sorted(_READS)]
