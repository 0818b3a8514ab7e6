"""The tally's freshness, for /readyz (registered with hoptac.core.health in apps.py).

The tally is behind the data while marks wait (tally/marking.py): normally for the instant
between a commit and its refresh; marks that stay mean refreshes fail, and the dashboards
read the live tables meanwhile (the same figures, slower). So staleness is reported, and it
fails readiness only past HOPTAC_TALLY_STALE_MINUTES (0, the default: never).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import Count, Min
from django.utils import timezone

from hoptac.core.health import NotReadyError

from ..models import TallyMark, TallyState


def tally_freshness() -> dict[str, Any]:
    """When the tally was built and last refreshed, how many marks wait and since when."""
    state = TallyState.objects.first()
    marks = TallyMark.objects.aggregate(count=Count("pk"), oldest=Min("marked_at"))
    now = timezone.now()
    behind = (now - marks["oldest"]).total_seconds() if marks["oldest"] else 0.0
    limit = settings.HOPTAC_TALLY_STALE_MINUTES * 60
    found = {
        "built": state is not None,
        "years": [state.first_year, state.last_year] if state else None,
        "current_year": bool(state and state.last_year == timezone.localdate().year),
        "built_at": state.built_at.isoformat() if state else None,
        "refreshed_at": state.refreshed_at.isoformat() if state and state.refreshed_at else None,
        "marks_waiting": marks["count"],
        "oldest_mark_at": marks["oldest"].isoformat() if marks["oldest"] else None,
        "behind_seconds": round(behind, 1),
        "stale_after_seconds": limit or None,
    }
    if limit and behind > limit:
        raise NotReadyError("the tally is behind the data for longer than allowed", found)
    return found
