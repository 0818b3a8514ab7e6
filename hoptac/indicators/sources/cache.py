"""Reads shared within one request: a source (or any read of the sources and the tally)
asked twice for the same thing inside `shared_reads()` is read from the database once."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from .frame import Frame, SourceData

_SHARED: ContextVar[dict[Any, Any] | None] = ContextVar("indicator_reads", default=None)


@contextmanager
def shared_reads() -> Iterator[None]:
    """Within the block, a source asked twice for the same frame and keys (the headline, the
    plans' progress, the trend's last year, the map's counts…) is read from the database once.
    Nested blocks share the outer one's reads."""
    if _SHARED.get() is not None:
        yield
        return
    token = _SHARED.set({})
    try:
        yield
    finally:
        _SHARED.reset(token)


def sharing() -> bool:
    """Whether reads are shared now (inside shared_reads)."""
    return _SHARED.get() is not None


def remembered(key: Any, compute: Callable[[], Any]) -> Any:
    """`compute()`, once per `key` within shared_reads (every time outside it)."""
    memo = _SHARED.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def stored(name: str, frame: Frame, keys: tuple[str, ...]) -> SourceData | None:
    """A read of source `name` within the block that holds at least `keys`, if any."""
    memo = _SHARED.get()
    if memo is None:
        return None
    for held, data in memo.get(("source", name, frame), []):
        if set(keys) <= set(held):
            return data
    return None


def store(name: str, frame: Frame, keys: tuple[str, ...], data: SourceData) -> SourceData:
    """Keep `data` (source `name`'s rows by `keys` for the frame) for the block; returns it."""
    memo = _SHARED.get()
    if memo is not None:
        memo.setdefault(("source", name, frame), []).append((keys, data))
    return data
