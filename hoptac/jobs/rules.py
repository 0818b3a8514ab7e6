"""Pure rules of jobs (no Django)."""

from __future__ import annotations

from datetime import datetime, timedelta


def seconds_left(*, elapsed: float, done: int, total: int) -> float | None:
    """The time a job still needs at its speed so far; None while there is no estimate
    (nothing done yet, no total, or under a second of work)."""
    if done <= 0 or total <= 0 or elapsed < 1 or done >= total:
        return None
    return elapsed / done * (total - done)


def is_stale(*, heartbeat: datetime | None, now: datetime, limit: timedelta) -> bool:
    """Has a running job been silent for longer than `limit` (its worker died)?"""
    return heartbeat is None or now - heartbeat > limit
