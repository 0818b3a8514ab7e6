"""Writing many new rows of a model, with their change history, as fast as the database allows.

`insert_with_history(objs, model, by=..., reason=...)` does what simple-history's
bulk_create_with_history does (the rows, then one "+" history record each, by `by`, with
`reason`), and sets each object's primary key:

- on PostgreSQL, with COPY (psycopg 3's `cursor.copy`): the ids are taken from the table's
  sequence first, in one query, so that the history rows can name them; one COPY writes the
  rows and one their history records. COPY skips Django's per-value SQL building, which costs
  more than the database's own work for a wide table;
- elsewhere (SQLite), with bulk_create_with_history itself.

Like bulk_create, it sends no model signal; it tells the rows it wrote to whoever watches the
model (core.changes), as bulk_create does through TrackedQuerySet. Fields set on save
(auto_now, auto_now_add) get the time of the call, as bulk_create's pre_save gives them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import connections, models, router, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, get_history_manager_for_model

from hoptac.core import changes

# Field types whose Python value psycopg writes as the database stores it (no conversion by
# get_db_prep_save): everything else goes through the field's own conversion.
_PLAIN = frozenset(
    {
        "AutoField",
        "BigAutoField",
        "BigIntegerField",
        "BooleanField",
        "CharField",
        "DateField",
        "DateTimeField",
        "DecimalField",
        "EmailField",
        "FloatField",
        "ForeignKey",
        "IntegerField",
        "OneToOneField",
        "PositiveBigIntegerField",
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
        "SlugField",
        "SmallAutoField",
        "SmallIntegerField",
        "TextField",
        "URLField",
    }
)
HISTORY_FIELDS = ("history_date", "history_change_reason", "history_type", "history_user_id")


def insert_with_history(
    objs: Sequence[models.Model],
    model: type[models.Model],
    *,
    by: Any = None,
    reason: str | None = None,
    using: str | None = None,
) -> list[models.Model]:
    """Insert the new `objs` of `model` and one "+" history record each (by `by`, with
    `reason`); return them with their primary keys set."""
    if not objs:
        return list(objs)
    using = using or router.db_for_write(model)
    connection = connections[using]
    if connection.vendor != "postgresql" or not _copyable(model):
        return bulk_create_with_history(
            list(objs),
            model,
            batch_size=1000,
            default_user=by,
            default_change_reason=reason,
        )
    with transaction.atomic(using=using, savepoint=False):
        now = timezone.now()
        fields = model._meta.concrete_fields
        _stamp(objs, fields, now)
        ids = _next_ids(connection, model, len(objs))
        pk = model._meta.pk.attname
        for obj, pk_value in zip(objs, ids, strict=True):
            setattr(obj, pk, pk_value)
            obj._state.adding = False
            obj._state.db = using
        _copy(connection, model._meta.db_table, fields, objs)
        if getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
            _copy_history(connection, model, objs, by=by, reason=reason, when=now)
        changes.created(model, objs)  # (bulk_create above tells them itself)
    return list(objs)


def _copyable(model: type[models.Model]) -> bool:
    """COPY is used when the history table holds nothing but the tracked fields and
    simple-history's own (no custom history fields, no relation to fill)."""
    history = get_history_manager_for_model(model).model
    expected = {f.attname for f in history.tracked_fields} | {"history_id", *HISTORY_FIELDS}
    return {f.attname for f in history._meta.concrete_fields} == expected and not hasattr(
        history, "history_relation"
    )


def _stamp(objs: Sequence[models.Model], fields: Sequence[models.Field], now: datetime) -> None:
    """What pre_save would set: auto_now and auto_now_add times."""
    for field in fields:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            for obj in objs:
                if field.auto_now or getattr(obj, field.attname) is None:  # type: ignore[attr-defined]
                    setattr(obj, field.attname, now)


def _next_ids(connection: Any, model: type[models.Model], count: int) -> list[int]:
    """`count` ids from the table's sequence (serial or identity), in one query."""
    table, column = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [connection.ops.quote_name(table), column, count],
        )
        return [row[0] for row in cursor.fetchall()]


def _converter(field: models.Field, connection: Any) -> Callable[[Any], Any] | None:
    """How a field's value becomes what COPY writes (None: as it is)."""
    internal = field.get_internal_type()
    if internal in _PLAIN:
        if internal in ("CharField", "TextField", "EmailField", "URLField", "SlugField"):
            return _plain_text  # a TextChoices member is written as its value, not its name
        return None
    return lambda value: field.get_db_prep_save(value, connection)


def _plain_text(value: Any) -> Any:
    return value if value is None or type(value) is str else str(value)


def _copy(
    connection: Any,
    table: str,
    fields: Sequence[models.Field],
    objs: Sequence[models.Model],
    extra: Sequence[tuple[str, Any]] = (),
) -> None:
    """COPY the objects' `fields` (and the constant `extra` columns) into `table`."""
    quote = connection.ops.quote_name
    columns = [quote(f.column) for f in fields] + [quote(name) for name, _value in extra]
    attnames = [f.attname for f in fields]
    converters = [(i, c) for i, f in enumerate(fields) if (c := _converter(f, connection))]
    constants = [value for _name, value in extra]
    sql = f"COPY {quote(table)} ({', '.join(columns)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for obj in objs:
            values = obj.__dict__
            row = [values[name] for name in attnames]
            for index, convert in converters:
                row[index] = convert(row[index])
            row.extend(constants)
            copy.write_row(row)


def _copy_history(
    connection: Any,
    model: type[models.Model],
    objs: Sequence[models.Model],
    *,
    by: Any,
    reason: str | None,
    when: datetime,
) -> None:
    """One "+" record each in the model's history table, as bulk_history_create writes it."""
    history = get_history_manager_for_model(model).model
    tracked = {f.attname for f in history.tracked_fields}
    fields = [f for f in model._meta.concrete_fields if f.attname in tracked]
    user_id = getattr(by, "pk", by)
    extra = [
        ("history_date", when),
        ("history_change_reason", reason or None),
        ("history_type", "+"),
        ("history_user_id", user_id),
    ]
    _copy(connection, history._meta.db_table, fields, objs, extra)
