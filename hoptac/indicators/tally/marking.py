"""Keeping the tally in step with the data: every write to an organisation or to its dated
rows (status changes, annual reports, ratings, support) marks the organisation's 2025
commune in the same transaction (models.TallyMark), and the commit puts a refresh of the
marked communes on the job queue (building.refresh in indicators.tasks). Until a mark is
cleared, the indicators read the live tables, so a reader never sees a tally older than the data.

The receivers are plain cache invalidation: they hold no business rule. Bulk writes that
send no model signal announce themselves with registry.signals.cooperatives_changed.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.db import transaction
from django.db.models import Model
from django.db.models.signals import post_delete, post_save, pre_save
from django.utils import timezone

from hoptac.registry.models import Cooperative
from hoptac.registry.signals import cooperatives_changed

from ..models import TallyMark

logger = logging.getLogger(__name__)

# The dated rows of an organisation: the field giving the first year they change, and the
# sources that read them (a status change: whether the organisation exists).
DATED_ROWS = {
    ("registry", "StatusChange"): (
        "effective_on",
        ("registry", "ended", "report_filing", "support"),
    ),
    ("reports", "AnnualReport"): ("year", ("reports", "report_filing")),
    ("ratings", "Rating"): ("year", ("ratings",)),
    ("support", "SupportGrant"): ("granted_on", ("support",)),
}


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
    TallyMark.objects.bulk_create(
        [TallyMark(commune=c, since=since or 0, sources=names) for c in found]
    )
    transaction.on_commit(refresh_after_commit, robust=True)


def refresh_after_commit() -> None:
    """Put the refresh of the marked communes on the job queue, so that no save waits for it
    (hoptac.indicators.tasks.refresh_tally). If the queue is unreachable the marks stay: the
    indicators read the live tables until a later refresh or the `tally` command."""
    from hoptac.indicators.tasks import refresh_tally

    try:
        refresh_tally.enqueue()
    except Exception:
        logger.exception("tally refresh not queued; the indicators read the live tables meanwhile")


def mark_cooperatives(ids: Iterable[int], since: int | None = None) -> None:
    ids = list(ids)
    if ids:
        communes = Cooperative.objects.filter(pk__in=ids).values_list("commune_id", flat=True)
        mark(communes.distinct().order_by(), since)


def _year(value: Any) -> int | None:
    return value if isinstance(value, int) else getattr(value, "year", None)


def _commune_of(instance: Model) -> int | None:
    field = instance._meta.get_field("cooperative")
    if field.is_cached(instance):
        return instance.cooperative.commune_id
    return (
        Cooperative.objects.filter(pk=instance.cooperative_id)
        .values_list("commune_id", flat=True)
        .first()
    )


# What the indicators read of an organisation itself (a save changing none of these, such as
# a new phone number, leaves the tally alone). The commune first.
TALLIED_FIELDS = (
    "commune_id",
    "commune_legacy_id",
    "district_legacy_id",
    "province_id",
    "province_legacy_id",
    "kind",
    "sector",
    "sub_sector",
    "status",
    "high_tech",
    "value_chain",
    "model_cooperative",
    "members_count",
    "workers_count",
    "founded_on",
)


def _tallied(instance: Cooperative) -> tuple[Any, ...]:
    return tuple(getattr(instance, name) for name in TALLIED_FIELDS)


def _before_cooperative_save(sender: type[Model], instance: Cooperative, **kwargs: Any) -> None:
    """Remember what the tally counted of the organisation (its commune may lose it)."""
    if instance.pk is not None and not kwargs.get("raw"):
        instance._tally_before = (  # type: ignore[attr-defined]
            Cooperative.objects.filter(pk=instance.pk).values_list(*TALLIED_FIELDS).first()
        )


# The sources that read a field of the organisation; any other tallied field (its place,
# kind, sector, sub-sector) is a key of every source.
FIELD_SOURCES = {
    "high_tech": ("registry",),
    "value_chain": ("registry",),
    "model_cooperative": ("registry",),
    "members_count": ("registry",),
    "workers_count": ("registry",),
    "founded_on": ("founded",),
    "status": ("registry", "report_filing", "support", "ended"),  # the stored status: today's
}


def _cooperative_saved(sender: type[Model], instance: Cooperative, **kwargs: Any) -> None:
    before = getattr(instance, "_tally_before", None)
    instance._tally_before = None  # type: ignore[attr-defined]
    now = _tallied(instance)
    if before == now:
        return
    if before is None:  # new
        mark({now[0]})
        return
    changed = [f for f, old, new in zip(TALLIED_FIELDS, before, now, strict=True) if old != new]
    if all(f in FIELD_SOURCES for f in changed):
        # The stored status counts for the current year only (earlier years: the history).
        since = timezone.localdate().year if changed == ["status"] else None
        mark({now[0]}, since, {s for f in changed for s in FIELD_SOURCES[f]})
    else:
        mark({now[0], before[0]})


def _cooperative_deleted(sender: type[Model], instance: Cooperative, **kwargs: Any) -> None:
    mark([instance.commune_id])


def _dated(sender: type[Model]) -> tuple[str, tuple[str, ...]]:
    """The date field and the sources of a dated row's model."""
    return DATED_ROWS[(sender._meta.app_label, sender._meta.concrete_model.__name__)]


def _before_dated_save(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    """Remember the year a dated row leaves (a status change moved from 2009 to 2017 changes
    the figures from 2009) and its organisation's commune."""
    if instance.pk is not None and not kwargs.get("raw"):
        instance._tally_before = (  # type: ignore[attr-defined]
            sender._default_manager.filter(pk=instance.pk)
            .values_list(_dated(sender)[0], "cooperative__commune")
            .first()
        )


def _dated_row_changed(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    before = getattr(instance, "_tally_before", None)
    instance._tally_before = None  # type: ignore[attr-defined]
    if instance.cooperative_id is None:
        return
    field, names = _dated(sender)
    years = [_year(getattr(instance, field))]
    communes = [_commune_of(instance)]
    if before is not None:
        years.append(_year(before[0]))
        communes.append(before[1])
    known = [y for y in years if y is not None]
    mark(communes, min(known) if len(known) == len(years) else None, names)


def _bulk_changed(sender: Any, ids: Iterable[int], since: int | None = None, **kwargs: Any) -> None:
    mark_cooperatives(ids, since)


def connect() -> None:
    """Connect the receivers (IndicatorsConfig.ready): the registry's models and the dated
    rows' models of the apps installed, proxies included (a proxy sends its own signals)."""
    uid = "indicators.tally"
    pre_save.connect(_before_cooperative_save, sender=Cooperative, dispatch_uid=f"{uid}.pre")
    post_save.connect(_cooperative_saved, sender=Cooperative, dispatch_uid=f"{uid}.saved")
    post_delete.connect(_cooperative_deleted, sender=Cooperative, dispatch_uid=f"{uid}.deleted")
    concrete = {}
    for label, name in DATED_ROWS:
        try:
            concrete[apps.get_model(label, name)] = name
        except LookupError:
            continue
    for model in apps.get_models():
        if model._meta.concrete_model in concrete:
            label = f"{uid}.{model._meta.label}"
            pre_save.connect(_before_dated_save, sender=model, dispatch_uid=f"{label}.pre")
            post_save.connect(_dated_row_changed, sender=model, dispatch_uid=f"{label}.saved")
            post_delete.connect(_dated_row_changed, sender=model, dispatch_uid=f"{label}.deleted")
    cooperatives_changed.connect(_bulk_changed, dispatch_uid=f"{uid}.bulk")
