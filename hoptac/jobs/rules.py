"""Pure rules of jobs (no Django)."""

from __future__ import annotations


def seconds_left(*, elapsed: float, done: int, total: int) -> float | None:
    """The time a job still needs at its speed so far; None while there is no estimate
    (nothing done yet, no total, or under a second of work)."""
    if done <= 0 or total <= 0 or elapsed < 1 or done >= total:
        return None
    return elapsed / done * (total - done)
