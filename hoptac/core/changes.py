"""One way to hear of every write to the rows something else is derived from.

A later app that keeps a figure computed from a lower app's rows (the indicators' tally, the
portal's page cache) calls `watch(model, fields, listener)` in its AppConfig.ready(). From then
on, every write path of that model calls `listener(Change)` inside the writing transaction,
with the watched fields' values before and after the write, by primary key:

- `Model.save()` and `Model.delete()` (and so `QuerySet.delete()`, cascades, `create()`,
  `get_or_create()`…): the model signals, connected here for the model and its proxies;
- `QuerySet.update()`, `bulk_create()` and `bulk_update()`, which send no signal: the model's
  managers are built from `TrackedQuerySet` (a test checks every watched model's managers);
- `core.bulk.insert_with_history` (PostgreSQL's COPY): it calls `created()` itself.

Inside `with deferred():` (an import's transaction) the watchers hear of the block's writes
once, at its end, as one Change a model: each row's values before its first write in the
block and after its last. A listener then marks a commune once for the whole import, not
once a chunk.

A write that names no watched field (an `update(search_text=…)`, a `bulk_update` of other
fields) costs nothing; a watched write costs one read of the rows before and, when the
values cannot be taken from the objects, one after. The listeners hold no business rule: they
keep derived data in step (the one sanctioned use of model signals, docs/architecture.md).
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.apps import apps
from django.db import models
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save

Row = tuple[Any, ...]
M = TypeVar("M", bound=models.Model)
CHUNK = 2000


@dataclass(frozen=True, slots=True)
class Change:
    """A write to rows of `model` (the concrete model): the watched values of each row before
    (rows that existed) and after (rows that exist after it), by primary key."""

    model: type[models.Model]
    fields: tuple[str, ...]
    before: dict[Any, Row] = field(default_factory=dict)
    after: dict[Any, Row] = field(default_factory=dict)


@dataclass(slots=True)
class _Watch:
    fields: tuple[str, ...]
    listeners: dict[str, Callable[[Change], None]]
    any_write: bool = False  # a watcher of every write, whatever the fields


_WATCHED: dict[type[models.Model], _Watch] = {}


def watch(
    model: type[models.Model],
    fields: Sequence[str],
    listener: Callable[[Change], None],
    *,
    uid: str,
) -> None:
    """Call `listener` on every write to `model`'s rows, with `fields` (names or lookups such
    as "cooperative__commune"; several watchers of one model each get their own fields' values
    in the order they gave them; no fields: every write, with empty rows). `uid` names the
    listener: watching twice replaces it."""
    concrete = model._meta.concrete_model
    entry = _WATCHED.setdefault(concrete, _Watch(fields=(), listeners={}))
    entry.fields = tuple(dict.fromkeys((*entry.fields, *fields)))
    entry.any_write = entry.any_write or not fields
    entry.listeners[uid] = _picking(tuple(fields), entry, listener)
    for each in apps.get_models(include_auto_created=True):
        if each._meta.concrete_model is concrete:
            label = f"core.changes.{each._meta.label}"
            pre_save.connect(_before_save, sender=each, dispatch_uid=f"{label}.pre_save")
            post_save.connect(_after_save, sender=each, dispatch_uid=f"{label}.post_save")
            pre_delete.connect(_before_delete, sender=each, dispatch_uid=f"{label}.pre_delete")
            post_delete.connect(_after_delete, sender=each, dispatch_uid=f"{label}.post_delete")


def _picking(
    fields: tuple[str, ...], entry: _Watch, listener: Callable[[Change], None]
) -> Callable[[Change], None]:
    """The listener, given only its own fields' values (the model's rows hold every watcher's)."""

    def call(change: Change) -> None:
        if fields == entry.fields:
            listener(change)
            return
        index = [entry.fields.index(f) for f in fields]
        get = operator.itemgetter(*index) if index else None

        def pick(rows: dict[Any, Row]) -> dict[Any, Row]:
            if get is None:
                return dict.fromkeys(rows, ())
            if len(index) == 1:
                return {pk: (get(row),) for pk, row in rows.items()}
            return {pk: get(row) for pk, row in rows.items()}

        listener(Change(change.model, fields, pick(change.before), pick(change.after)))

    return call


def _entry(model: type[models.Model]) -> _Watch | None:
    return _WATCHED.get(model._meta.concrete_model)


@dataclass(slots=True)
class _Pending:
    """The writes to one model's rows held back by `deferred()`: each row's values before its
    first write in the block, and after its last (_GONE: deleted)."""

    before: dict[Any, Row] = field(default_factory=dict)
    after: dict[Any, Any] = field(default_factory=dict)


_GONE = object()
_DEFERRED: ContextVar[dict[type[models.Model], _Pending] | None] = ContextVar(
    "hoptac_changes_deferred", default=None
)


@contextmanager
def deferred() -> Iterator[None]:
    """Hold back the watchers' calls of the block's writes and make them once, when the block
    ends, with each model's rows merged: a row's values before its first write in the block
    and after its last (a row written and deleted within it is told as never there).

    Use it inside the transaction of the writes (the calls are made in it) and let an
    exception leave that transaction: an exception drops what was held back, since the
    writes it told of are rolled back. Nested blocks are one block, the outermost."""
    if _DEFERRED.get() is not None:
        yield
        return
    pending: dict[type[models.Model], _Pending] = {}
    token = _DEFERRED.set(pending)
    try:
        yield
    finally:
        _DEFERRED.reset(token)
    for model, held in pending.items():
        after = {pk: row for pk, row in held.after.items() if row is not _GONE}
        _tell(model, held.before, after)


def _hold(
    pending: dict[type[models.Model], _Pending],
    model: type[models.Model],
    before: dict[Any, Row],
    after: dict[Any, Row],
) -> None:
    held = pending.setdefault(model, _Pending())
    for pk, row in before.items():
        if pk not in held.after:  # not yet written in the block: its state before the block
            held.before.setdefault(pk, row)
    for pk in before:
        held.after[pk] = _GONE
    held.after.update(after)


def _tell(model: type[models.Model], before: dict[Any, Row], after: dict[Any, Row]) -> None:
    entry = _entry(model)
    if entry is None or (not before and not after):
        return
    pending = _DEFERRED.get()
    if pending is not None:
        _hold(pending, model._meta.concrete_model, before, after)
        return
    change = Change(model._meta.concrete_model, entry.fields, before, after)
    for listener in list(entry.listeners.values()):
        listener(change)


def _read(model: type[models.Model], pks: Iterable[Any], fields: tuple[str, ...]) -> dict[Any, Row]:
    """The rows `pks` of `model` as they are in the database now (all rows, whatever the
    default manager hides)."""
    pks = [pk for pk in pks if pk is not None]
    found: dict[Any, Row] = {}
    manager = model._meta.concrete_model._base_manager
    for start in range(0, len(pks), CHUNK):
        chunk = pks[start : start + CHUNK]
        for row in manager.filter(pk__in=chunk).order_by().values_list("pk", *fields):
            found[row[0]] = tuple(row[1:])
    return found


class _NotLoadedError(Exception):
    pass


def _value(instance: models.Model, path: str, *, fetch: bool = False) -> Any:
    """The value of `path` on the instance, through relations already loaded only (or, with
    `fetch`, read as needed)."""
    obj: Any = instance
    parts = path.split("__")
    for part in parts[:-1]:
        relation = obj._meta.get_field(part)
        if relation.is_cached(obj) or fetch:
            obj = getattr(obj, relation.name)
        elif getattr(obj, relation.attname) is None:
            return None
        else:
            raise _NotLoadedError
        if obj is None:
            return None
    return getattr(obj, obj._meta.get_field(parts[-1]).attname)


def _rows_of(objs: Sequence[models.Model], fields: tuple[str, ...]) -> dict[Any, Row]:
    """The watched values of saved objects: from the objects when their relations are loaded,
    else read back by primary key."""
    found: dict[Any, Row] = {}
    missing = []
    if not objs:
        return found
    meta = objs[0]._meta
    if all("__" not in f for f in fields) and all(type(obj)._meta is meta for obj in objs):
        # The model's own fields: read by attribute name (what _value reads) in one go.
        if not fields:
            return {obj.pk: () for obj in objs}
        picking = operator.attrgetter(*(meta.get_field(f).attname for f in fields))
        if len(fields) == 1:
            return {obj.pk: (picking(obj),) for obj in objs}
        return {obj.pk: picking(obj) for obj in objs}
    for obj in objs:
        try:
            found[obj.pk] = tuple(_value(obj, f) for f in fields)
        except _NotLoadedError:
            missing.append(obj.pk)
    if missing:
        found.update(_read(type(objs[0]), missing, fields))
    return found


def _touches(entry: _Watch, names: Iterable[str]) -> bool:
    """Whether writing the fields `names` (names or attnames) may change a watched value."""
    if entry.any_write:
        return True
    heads = {f.split("__")[0] for f in entry.fields}
    return any(name.removesuffix("_id") in heads or name in heads for name in names)


def created(model: type[models.Model], objs: Sequence[models.Model]) -> None:
    """Tell the watchers of `model` about `objs`, just inserted (primary keys set) by a path that
    sends no signal and does not go through TrackedQuerySet (core.bulk's COPY)."""
    entry = _entry(model)
    if entry is None or not objs:
        return
    _tell(model, {}, _rows_of(objs, entry.fields))


# --- Model.save() and Model.delete(): the model signals ------------------------------------


def _before_save(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    entry = _entry(sender)
    before = None
    if entry is not None and not kwargs.get("raw") and not instance._state.adding:
        before = _read(sender, [instance.pk], entry.fields).get(instance.pk)
    instance._changes_before = before  # type: ignore[attr-defined]


def _after_save(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    entry = _entry(sender)
    before = getattr(instance, "_changes_before", None)
    instance._changes_before = None  # type: ignore[attr-defined]
    if entry is None:
        return
    after = _rows_of([instance], entry.fields)
    if before is not None and after.get(instance.pk) == before and not entry.any_write:
        return  # nothing watched changed (a new phone number)
    _tell(sender, {instance.pk: before} if before is not None else {}, after)


def _before_delete(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    entry = _entry(sender)
    if entry is not None:
        rows = _rows_of([instance], entry.fields)
        instance._changes_deleted = rows  # type: ignore[attr-defined]


def _after_delete(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    before = getattr(instance, "_changes_deleted", None)
    if before is not None:
        instance._changes_deleted = None  # type: ignore[attr-defined]
        _tell(sender, before, {})


# --- QuerySet.update(), bulk_create(), bulk_update(): no signal ----------------------------


class TrackedQuerySet(models.QuerySet[M]):
    """A QuerySet whose writes without model signals tell the model's watchers (`watch`)."""

    def update(self, **kwargs: Any) -> int:
        entry = _entry(self.model)
        if entry is None or not _touches(entry, kwargs):
            return super().update(**kwargs)
        before = {
            row[0]: tuple(row[1:]) for row in self.order_by().values_list("pk", *entry.fields)
        }
        count = super().update(**kwargs)
        _tell(self.model, before, _read(self.model, before, entry.fields))
        return count

    update.alters_data = True  # type: ignore[attr-defined]

    def bulk_create(self, objs: Iterable[M], *args: Any, **kwargs: Any) -> list[M]:
        made = super().bulk_create(objs, *args, **kwargs)
        entry = _entry(self.model)
        if entry is not None and made:
            known = [obj for obj in made if obj.pk is not None]
            after = _rows_of(known, entry.fields) if known else {}
            # Conflicts ignored: the rows without a key are told by their own values (keyed
            # by their place in the list), their relations read one by one.
            for index, obj in enumerate(made):
                if obj.pk is None:
                    after[("unsaved", index)] = tuple(
                        _value(obj, f, fetch=True) for f in entry.fields
                    )
            _tell(self.model, {}, after)
        return made

    def bulk_update(
        self, objs: Iterable[M], fields: Sequence[str], *args: Any, **kwargs: Any
    ) -> int:
        objs = list(objs)
        entry = _entry(self.model)
        if entry is None or not objs or not _touches(entry, fields):
            return super().bulk_update(objs, fields, *args, **kwargs)
        pks = [obj.pk for obj in objs]
        before = _read(self.model, pks, entry.fields)
        count = super().bulk_update(objs, fields, *args, **kwargs)
        _tell(self.model, before, _read(self.model, pks, entry.fields))
        return count

    bulk_update.alters_data = True  # type: ignore[attr-defined]
