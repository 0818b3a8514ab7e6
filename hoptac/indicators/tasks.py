"""The indicators' background tasks: the tally's refresh after a write, off the request that
wrote (hoptac.indicators.tally.marking enqueues it when the write commits)."""

from __future__ import annotations

import logging

from django_tasks import task

from hoptac.indicators.tally import building

logger = logging.getLogger(__name__)


@task()
def refresh_tally() -> int:
    """Rewrite the communes marked changed; returns how many. Several writes enqueue several
    of these: the first takes every mark, the others find none and end at once. On failure the
    marks stay (the indicators read the live tables until a later refresh succeeds)."""
    try:
        return building.refresh()
    except Exception:
        logger.exception("tally refresh failed; the indicators read the live tables meanwhile")
        return 0
