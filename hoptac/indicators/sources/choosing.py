"""The choice between the tally and the live tables, and the reads the indicators ask for:
`fetch` (one source, one frame), `prefetch` (several groupings in one read) and
`fetch_years` (a trend)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date
from typing import Any

from ..tally import reading as tally_reading
from .cache import remembered, sharing, store, stored
from .catalogue import SOURCES, YEARLY
from .frame import KEYS, Frame, SourceData


def keys_for(name: str, asked: Iterable[str] | None) -> tuple[str, ...]:
    """The keys source `name` groups its rows by when the indicators read only `asked` (None:
    all of them), in the source's order. Fewer keys, fewer rows: the status of a past day
    needs the dated history, and the kind and sector of a rating or report need a join to
    the registry (which the country would not need otherwise)."""
    every = KEYS[name]
    if asked is None:
        return every
    asked = set(asked)
    return tuple(k for k in every if k in asked)


def fetch(name: str, frame: Frame, asked: Iterable[str] | None = None) -> SourceData:
    """Source `name` for the frame, its rows holding at least the keys `asked` (rows with
    more keys serve as well: an indicator sums the rows its `where` selects)."""
    keys = keys_for(name, asked)
    found = stored(name, frame, keys)
    if found is not None:
        return found
    return store(name, frame, keys, _read(name, frame, keys))


def _read(name: str, frame: Frame, keys: tuple[str, ...]) -> SourceData:
    """From the tally when it holds the exact rows (tally/reading.py), else live."""
    found = tally_reading.read(name, frame, keys)
    return found if found is not None else SOURCES[name](frame, keys)


def prefetch(frame: Frame, asked: dict[str, set[str]], fields: Iterable[str | None]) -> None:
    """Within shared_reads, read each source of `asked` once for the frame grouped by all of
    `fields` together (None: the frame as a whole), and keep the rows by each field alone and
    for the whole frame, as fetch would have read them one by one: the dashboard's headline,
    breakdowns by sub-area and by sector, and the map's communes then cost one read per
    source instead of four. Without shared_reads, nothing is kept (and nothing read)."""
    if not sharing():
        return
    wanted = tuple(dict.fromkeys(f for f in fields if f))
    if not wanted:
        return
    for name, keys_asked in asked.items():
        keys = keys_for(name, keys_asked)
        if stored(name, frame.grouped(wanted), keys) is not None:
            continue
        if stored(name, frame, keys) is not None:  # read from the tally already
            continue
        tallied = tally_reading.read(name, frame, keys)
        if tallied is not None:  # each grouping is then read from the tally on its own
            store(name, frame, keys, tallied)
            continue
        wide = store(name, frame.grouped(wanted), keys, SOURCES[name](frame.grouped(wanted), keys))
        parts = [(None, None), *((f, f"group_{i}") for i, f in enumerate(wanted))]
        for field_name, column in parts:
            rows = _summed(wide.rows, (*keys, *(["group"] if column else [])), column)
            store(name, frame.grouped(field_name), keys, replace(wide, rows=rows))


def _summed(
    rows: list[dict[str, Any]], keys: tuple[str, ...], column: str | None
) -> list[dict[str, Any]]:
    """The rows added up by `keys` ("group" taken from `column`): the same sums over fewer
    rows (a missing sum counts 0, as formulas.aggregate.total counts it)."""
    if not rows:
        return []
    plain = [k for k in keys if k != "group"]
    measures = [m for m in rows[0] if m not in keys and not m.startswith("group_")]
    merged: dict[tuple[Any, ...], list[Any]] = {}
    for row in rows:
        key = tuple([row[k] for k in plain] + ([row[column]] if column else []))
        sums = merged.get(key)
        if sums is None:
            merged[key] = [row[m] or 0 for m in measures]
        else:
            for index, measure in enumerate(measures):
                sums[index] += row[measure] or 0
    names = [*plain, *(["group"] if column else [])]
    return [
        {**dict(zip(names, key, strict=True)), **dict(zip(measures, sums, strict=True))}
        for key, sums in merged.items()
    ]


def fetch_years(
    name: str, frame: Frame, years: list[int], asked: Iterable[str] | None
) -> dict[int, SourceData]:
    """Source `name` on 31 December of each of `years` (all before today), with that year as
    the data year: one read when the source can, else one per year."""
    at = [Frame(area=frame.area, on=date(y, 12, 31), year=y) for y in years]
    keys = keys_for(name, asked) if at else ()
    served = tally_reading.read_years(name, frame, list(years), keys)
    years = [y for y in years if y not in served]
    at = [f for f in at if f.on.year not in served]
    yearly = YEARLY.get(name)
    found = None
    if yearly is not None and years:
        key = ("years", name, frame.area, tuple(years), keys)
        found = remembered(key, lambda: yearly(frame, list(years), keys))
    if found is None:
        found = {f.on.year: fetch(name, f, asked) for f in at}
    return {**served, **found}


def rank_year(frame: Frame) -> int | None:
    """The data year of the ratings the map colours points by: None without any rating in
    the frame's area that year."""
    data = fetch("ratings", frame, ("rank",))
    return data.year if data.rows else None
