"""Writing the tally: the commune grains from the sources' own grouped queries (INSERT …
SELECT, the rows never leave the database), the province and country grains by adding up
the grain below.

`build` rewrites everything (the `tally` command, the demo, a new year); `refresh` rewrites
the communes marked changed (marking.py, after each commit) and corrects the rows above them
(province pairs, country) by the difference, without reading the other communes.
"""

from __future__ import annotations

import operator
import time
from collections import Counter
from collections.abc import Sequence
from datetime import date
from functools import reduce
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from hoptac.core import fragments

from ..models import (
    KEY_COLUMNS,
    MEASURE_COLUMNS,
    SUM_COUNTS,
    Tally,
    TallyMark,
    TallyState,
)
from ..sources.catalogue import ROWS
from ..sources.frame import Frame, within
from . import grains
from .grains import AREA_COLUMNS, Grain

# core.fragments: bumped inside every build (every cached part of a dashboard is made again);
# a refresh bumps the areas of the communes it rewrites (hoptac.indicators.page_parts).
TALLY_NAMESPACE = "indicators.tally"
LOCK_KEY = 4_851_201  # PostgreSQL advisory lock: one writer of the tally at a time
SOURCES = tuple(grains.SOURCE_KEYS)
ROW_COLUMNS = ("grain", "source", "year", *AREA_COLUMNS, *KEY_COLUMNS, *MEASURE_COLUMNS)


def span(today: date | None = None) -> tuple[int, int]:
    """The years a build covers: HOPTAC_TALLY_YEARS before this one, and this one."""
    last = (today or timezone.localdate()).year
    return last - settings.HOPTAC_TALLY_YEARS, last


def _lock() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _insert(
    qs: QuerySet[Any], constants: dict[str, Any], outputs: dict[str, str], order: int
) -> None:
    """INSERT INTO the tally SELECT from the grouped query `qs` (its column alias → the
    tally's column, `outputs`), with `constants` in the leading columns, the rows sorted by
    the first `order` outputs (a province's rows side by side: its page reads few pages).
    Identifiers come from the model and quote_name, the inner query from the ORM; every value
    is a parameter."""
    inner, params = qs.query.sql_with_params()
    columns = ", ".join(_q(c) for c in (*constants, *outputs.values()))
    selected = [f"r.{_q(alias)}" for alias in outputs]
    sql = (
        f"INSERT INTO {_q(Tally._meta.db_table)} ({columns}) "  # noqa: S608
        f"SELECT {', '.join(['%s'] * len(constants))}, {', '.join(selected)} "
        f"FROM ({inner}) r ORDER BY {', '.join(selected[:order])}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*constants.values(), *params])


def _insert_live(grain: Grain, source: str, year: int, communes: Sequence[int | None] | None):
    """Write `grain`'s rows of `source` for `year` from the live tables (only the
    organisations of `communes` when given)."""
    keys = grain.keys[source]
    frame = Frame(
        area=None,
        on=date(year, 12, 31),
        year=year,
        group_by=grain.columns,
        communes=None if communes is None else tuple(communes),
    )
    outputs = {f"group_{i}": column for i, column in enumerate(grain.columns)}
    outputs.update({("status_then" if k == "status" else k): k for k in keys})
    outputs.update({m: m for m in grains.measures_of(source)})
    constants = {"grain": grain.name, "source": source, "year": year}
    _insert(ROWS[source](frame, keys), constants, outputs, len(grain.columns))


def _derive(grain: Grain) -> None:
    """Rewrite `grain` (built from another grain) by adding up the grain it is built from, by
    its columns and, per source, its keys (the build; a refresh corrects it by difference)."""
    Tally.objects.filter(grain=grain.name).delete()
    for source, keys in grain.keys.items():
        kept = ("source", "year", *grain.columns, *keys)
        below = Tally.objects.filter(grain=grain.built_from, source=source).order_by()
        sums = below.values(*kept).annotate(**{f"sum_{m}": Sum(m) for m in MEASURE_COLUMNS})
        outputs = {**{c: c for c in kept}, **{f"sum_{m}": m for m in MEASURE_COLUMNS}}
        _insert(sums, {"grain": grain.name}, outputs, len(kept))


def _base_grains() -> list[Grain]:
    return [g for g in grains.GRAINS if g.built_from is None]


def _upper_grains() -> list[Grain]:
    return [g for g in grains.GRAINS if g.built_from is not None]


def build(*, today: date | None = None) -> TallyState:
    """Rewrite the whole tally for the years of `span` and clear the marks it covers."""
    started = time.monotonic()
    first, last = span(today)
    with transaction.atomic():
        _lock()
        marks = list(TallyMark.objects.values_list("pk", flat=True))
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"TRUNCATE {_q(Tally._meta.db_table)}")
        else:
            Tally.objects.all().delete()
        for grain in _base_grains():
            for source in grain.keys:
                for year in range(first, last + 1):
                    _insert_live(grain, source, year, None)
        for grain in _upper_grains():
            _derive(grain)
        TallyMark.objects.filter(pk__in=marks).delete()
        # In this transaction: a reader that sees the new tally (no mark) sees the new version.
        fragments.bump_within_transaction(TALLY_NAMESPACE)
        TallyState.objects.all().delete()
        state = TallyState.objects.create(
            first_year=first,
            last_year=last,
            built_at=timezone.now(),
            refreshed_at=timezone.now(),
            build_seconds=round(time.monotonic() - started, 3),
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {_q(Tally._meta.db_table)}")
    return state


def _commune_rows(communes: Sequence[int | None]) -> Counter[tuple]:
    """The base grains' rows of `communes`, as a multiset of tuples."""
    base = [g.name for g in _base_grains()]
    found = Tally.objects.filter(within("commune", communes), grain__in=base)
    return Counter(found.values_list(*ROW_COLUMNS))


def refresh() -> int:
    """Rewrite the tally rows of the communes marked changed; the number of communes."""
    with transaction.atomic():
        _lock()
        state = TallyState.objects.first()
        marks = list(TallyMark.objects.values_list("pk", "commune", "since", "sources"))
        if not marks:
            return 0
        if state is None:  # nothing to keep up to date
            TallyMark.objects.filter(pk__in=[m[0] for m in marks]).delete()
            fragments.bump_within_transaction(TALLY_NAMESPACE)
            return 0
        since: dict[int | None, int] = {}
        asked: dict[int | None, set[str]] = {}
        for _pk, commune, year, names in marks:
            since[commune] = min(since.get(commune, year), year)
            asked.setdefault(commune, set()).update(names.split(",") if names else SOURCES)
        communes = list(since)
        before = _commune_rows(communes)
        for year in range(state.first_year, state.last_year + 1):
            for grain in _base_grains():
                for source in grain.keys:
                    due = [c for c in communes if since[c] <= year and source in asked[c]]
                    if not due:
                        continue
                    Tally.objects.filter(
                        within("commune", due), year=year, grain=grain.name, source=source
                    ).delete()
                    _insert_live(grain, source, year, due)
        after = _commune_rows(communes)
        for grain in _upper_grains():
            _apply(grain, _deltas(grain, before, after))
        TallyMark.objects.filter(pk__in=[m[0] for m in marks]).delete()
        # The communes, and the units above them of both trees, and the country: moved in
        # this transaction, so that a reader that sees no mark sees the new versions.
        units = {*communes, None}
        for row in {*before, *after}:
            units.update(row[COLUMN[c]] for c in AREA_COLUMNS)
        fragments.bump_within_transaction(*fragments.area_namespaces(units))
        TallyState.objects.filter(pk=state.pk).update(refreshed_at=timezone.now())
    return len(communes)


# --- the grains above the communes, by difference ------------------------------------------

COLUMN = {name: index for index, name in enumerate(ROW_COLUMNS)}
Key = tuple[Any, ...]  # (source, year, the grain's columns…, the source's keys…)


def _root(grain: Grain) -> str:
    """The base grain `grain` adds up, through the grains between."""
    while grain.built_from is not None:
        grain = grains.BY_NAME[grain.built_from]
    return grain.name


def _deltas(grain: Grain, before: Counter[tuple], after: Counter[tuple]) -> dict[Key, list[Any]]:
    """What the base rows' change adds to each of `grain`'s rows (its key → a difference per
    measure); keys whose difference is nothing are left out."""
    root = _root(grain)
    found: dict[Key, list[Any]] = {}
    for rows, sign in ((after - before, 1), (before - after, -1)):
        for row, times in rows.items():
            source = row[COLUMN["source"]]
            keys = grain.keys.get(source)
            if row[COLUMN["grain"]] != root or keys is None:
                continue
            key = (
                source,
                row[COLUMN["year"]],
                *(row[COLUMN[c]] for c in grain.columns),
                *(row[COLUMN[k]] for k in keys),
            )
            sums = found.setdefault(key, [0] * len(MEASURE_COLUMNS))
            for index, measure in enumerate(MEASURE_COLUMNS):
                value = row[COLUMN[measure]]
                if value is not None:
                    sums[index] += sign * times * value
    return {key: sums for key, sums in found.items() if any(sums)}


def _key_filter(grain: Grain, key: Key) -> Q:
    names = ("source", "year", *grain.columns, *grain.keys[key[0]])
    return Q(**{(f"{n}__isnull" if v is None else n): (True if v is None else v)
                for n, v in zip(names, key, strict=True)})  # fmt: skip


def _apply(grain: Grain, deltas: dict[Key, list[Any]]) -> None:
    """Add `deltas` to `grain`'s rows: what a new `_derive` would give, without reading the
    province's or the country's other rows. A sum whose count of values falls to 0 is None
    again, a row whose count falls to 0 goes (as adding up would not make it)."""
    if not deltas:
        return
    keyed = list(deltas)
    existing: dict[Key, Tally] = {}
    for start in range(0, len(keyed), 200):
        chunk = keyed[start : start + 200]
        rows = Tally.objects.filter(reduce(operator.or_, (_key_filter(grain, k) for k in chunk)),
                                    grain=grain.name)  # fmt: skip
        for row in rows:
            names = ("source", "year", *grain.columns, *grain.keys[row.source])
            existing[tuple(getattr(row, n) for n in names)] = row
    changed, created, gone = [], [], []
    for key, sums in deltas.items():
        source = key[0]
        row = existing.get(key)
        if row is None:
            names = ("source", "year", *grain.columns, *grain.keys[source])
            row = Tally(grain=grain.name, **dict(zip(names, key, strict=True)))
            for measure in MEASURE_COLUMNS:
                setattr(row, measure, None)
            created.append(row)
        else:
            changed.append(row)
        held = grains.measures_of(source)
        for index, measure in enumerate(MEASURE_COLUMNS):
            if measure in held:
                setattr(row, measure, (getattr(row, measure) or 0) + sums[index])
        for total, count in SUM_COUNTS.items():
            if total in held and not getattr(row, count):
                setattr(row, total, None)
        if not row.n and row.pk:
            gone.append(row)
    Tally.objects.filter(pk__in=[r.pk for r in gone]).delete()
    Tally.objects.bulk_update([r for r in changed if r.n], MEASURE_COLUMNS, batch_size=500)
    Tally.objects.bulk_create([r for r in created if r.n], batch_size=500)
