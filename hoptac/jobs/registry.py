"""What each kind of job does: apps register a handler per kind in their own `jobs.py`,
imported by their AppConfig.ready() (the jobs app imports no app above it)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hoptac.jobs.context import JobContext
    from hoptac.jobs.models import Job

Handler = Callable[["JobContext"], dict[str, Any] | None]


@dataclass(frozen=True)
class Kind:
    name: str
    run: Handler
    # Where the result is seen (an import's preview page…); None: the job's own page.
    result_url: Callable[[Job], str | None] | None = None


KINDS: dict[str, Kind] = {}


def handler(
    name: str, *, result_url: Callable[[Job], str | None] | None = None
) -> Callable[[Handler], Handler]:
    """Register `function(context) -> result dict` as what jobs of kind `name` do."""

    def register(function: Handler) -> Handler:
        if name in KINDS and KINDS[name].run is not function:
            raise ValueError(f"job kind {name!r} is registered twice")
        KINDS[name] = Kind(name, function, result_url)
        return function

    return register


def kind(name: str) -> Kind:
    try:
        return KINDS[name]
    except KeyError:
        raise LookupError(f"no job kind {name!r}") from None
