"""Keeping the tally in step with the data: every write to what the tally counts marks the 2025
commune of the organisations it touches in the same transaction (models.TallyMark), and the
commit puts a refresh of the marked communes on the job queue (building.refresh in
indicators.tasks). Until a mark is cleared, the indicators read the live tables, so a reader
never sees a tally older than the data.

What is watched is what the sources say they read (sources.catalogue.READS): the fields of
the organisation, and of its dated rows (status changes, annual reports, ratings, support
grants). Every write path reaches the marks through the one mechanism of core.changes (a
save, a delete, a queryset's update, bulk_create or bulk_update, core.bulk's COPY), so no
writer has anything to remember; tests/test_tally_marking.py tries each path on each model
and field. The listeners are plain cache invalidation: they hold no business rule.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.db import connections, router, transaction
from django.db.models import Model
from django.utils import timezone

from hoptac.core import changes
from hoptac.registry.models import Cooperative

from ..models import TallyMark
from ..sources.catalogue import DATED_BY, READS, fields_read, sources_reading

logger = logging.getLogger(__name__)


def mark(
    communes: Iterable[int | None], since: int | None = None, sources: Iterable[str] = ()
) -> None:
    """Mark `communes` (2025 commune ids; None: organisations without one) as changed from
    year `since` (None: every year) in `sources` (none given: all), and refresh them once the
    transaction commits."""
    found = set(communes)
    if not found:
        return
    names = ",".join(sorted(sources))
    using = router.db_for_write(TallyMark)
    connection = connections[using]
    if connection.vendor == "postgresql":
        # One statement whatever the number of communes: bulk_create compiles the marked_at
        # default of each row (≈ 100 µs a mark), which an import of many communes felt.
        table = connection.ops.quote_name(TallyMark._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (commune, since, sources)"  # our own table
                " SELECT unnest(%s::integer[]), %s, %s",
                [list(found), since or 0, names],
            )
    else:
        TallyMark.objects.using(using).bulk_create(
            [TallyMark(commune=c, since=since or 0, sources=names) for c in found]
        )
    transaction.on_commit(refresh_after_commit, using=using, robust=True)


def refresh_after_commit() -> None:
    """Put the refresh of the marked communes on the job queue, so that no save waits for it
    (hoptac.indicators.tasks.refresh_tally). If the queue is unreachable the marks stay: the
    indicators read the live tables until a later refresh or the `tally` command."""
    from hoptac.indicators.tasks import refresh_tally

    try:
        refresh_tally.enqueue()
    except Exception:
        logger.exception("tally refresh not queued; the indicators read the live tables meanwhile")


# --- the organisation -----------------------------------------------------------------------

# What the indicators read of an organisation itself (derived from the sources: a save
# changing none of these, such as a new phone number, leaves the tally alone).
TALLIED_FIELDS = fields_read(Cooperative)
# Fields every source reads (where it is, its kind and sector…): a change moves the
# organisation between the rows of every source, in both communes when it moved.
_EVERY = set.intersection(*(set(reads.get(Cooperative, ())) for reads in READS.values()))
# The sources that read each other field.
FIELD_SOURCES = {f: sources_reading(Cooperative, f) for f in TALLIED_FIELDS if f not in _EVERY}
# The stored status counts for today only (CooperativeQuerySet.existing_on); earlier years
# read the dated history.
TODAY_ONLY = ("status",)


def _year(value: Any) -> int | None:
    return value if isinstance(value, int) else getattr(value, "year", None)


def _cooperatives_changed(change: changes.Change) -> None:
    commune = TALLIED_FIELDS.index("commune")
    due: dict[tuple[int | None, tuple[str, ...]], set[int | None]] = {}
    for pk in change.before.keys() | change.after.keys():
        before, after = change.before.get(pk), change.after.get(pk)
        if before == after:
            continue
        if before is None or after is None:  # new or deleted: every source
            due.setdefault((None, ()), set()).add((after or before)[commune])  # type: ignore[index]
            continue
        changed = [
            f for f, old, new in zip(TALLIED_FIELDS, before, after, strict=True) if old != new
        ]
        if all(f in FIELD_SOURCES for f in changed):
            since = timezone.localdate().year if set(changed) <= set(TODAY_ONLY) else None
            names = tuple(sorted({s for f in changed for s in FIELD_SOURCES[f]}))
            due.setdefault((since, names), set()).add(after[commune])
        else:
            due.setdefault((None, ()), set()).update((after[commune], before[commune]))
    for (since, names), communes in due.items():
        mark(communes, since, names)


# --- the organisation's dated rows ----------------------------------------------------------

# Every other model a source reads (each dated by sources.catalogue.DATED_BY).
DATED_MODELS: tuple[type[Model], ...] = tuple(
    dict.fromkeys(m for reads in READS.values() for m in reads if m is not Cooperative)
)


def dated_fields(model: type[Model]) -> tuple[str, ...]:
    """What is watched of a dated row: its organisation's commune, the field dating it, and
    what the sources read of it."""
    return tuple(dict.fromkeys(("cooperative__commune", DATED_BY[model], *fields_read(model))))


def _dated_row_changed(change: changes.Change) -> None:
    """A dated row written: its commune (before and after) from the first year it counts
    in (a status change moved from 2009 to 2017 changes the figures from 2009)."""
    names = sources_reading(change.model)
    # Each commune once, from the first year any of its rows counts in (the refresh takes a
    # commune's earliest mark anyway): an import's 20,000 status changes make one mark each
    # of their communes, not one a commune and a year.
    first: dict[int | None, int | None] = {}
    for pk in change.before.keys() | change.after.keys():
        rows = [r for r in (change.before.get(pk), change.after.get(pk)) if r is not None]
        if len(rows) == 2 and rows[0] == rows[1]:
            continue
        years = [_year(row[1]) for row in rows]
        since = min(years) if None not in years else None  # type: ignore[type-var]
        for row in rows:
            commune = row[0]
            if commune in first:
                known = first[commune]
                first[commune] = None if known is None or since is None else min(known, since)
            else:
                first[commune] = since
    due: dict[int | None, set[int | None]] = {}
    for commune, since in first.items():
        due.setdefault(since, set()).add(commune)
    for since, communes in due.items():
        mark(communes, since, names)


def connect() -> None:
    """Watch what the tally reads (IndicatorsConfig.ready)."""
    uid = "indicators.tally"
    changes.watch(Cooperative, TALLIED_FIELDS, _cooperatives_changed, uid=uid)
    for model in DATED_MODELS:
        changes.watch(model, dated_fields(model), _dated_row_changed, uid=uid)
