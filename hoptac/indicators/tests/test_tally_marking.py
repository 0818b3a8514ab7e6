"""The tally is marked by every write path of every model and field it reads.

What the tally reads is what the sources declare (sources.catalogue.READS); the first tests
check that declaration against the SQL the sources run, the next that the marking watches
those models and fields and that every manager of them reports its writes (core.changes), and
the last try each write path (save, delete, update, bulk_create, bulk_update, with and without
simple-history, core.bulk's insert) on each model and field of the demo data: a model, field
or path not watched fails there.
"""

from __future__ import annotations

import copy
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import connection, models
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from hoptac.areas.models import AdminUnit
from hoptac.core import changes
from hoptac.core.bulk import insert_with_history
from hoptac.indicators.formulas.definitions import Part
from hoptac.indicators.models import TallyMark
from hoptac.indicators.sources import catalogue, drilling
from hoptac.indicators.sources.frame import KEYS, Frame
from hoptac.indicators.tally import grains, marking
from hoptac.registry.models import Cooperative

# --- the declaration against the queries ----------------------------------------------------

_ALIAS = re.compile(r'"(\w+)" (?:AS )?([A-Z]\d+)\b')
_COLUMN = re.compile(r'(?:"(\w+)"|\b([A-Z]\d+))\."(\w+)"')


def _tables() -> dict[str, type[models.Model]]:
    read = {m for reads in catalogue.READS.values() for m in reads}
    return {m._meta.db_table: m for m in read}


def _fields_in(sql: str) -> set[tuple[type[models.Model], str]]:
    """The (model, field) pairs of the models the sources read that `sql` names. Django names
    the tables of a subquery U0, U1… (V0… one level down), again in each sibling subquery: an
    alias means the table it was last given to before the reference."""
    declared = [(m.start(), m.group(2), m.group(1)) for m in _ALIAS.finditer(sql)]
    tables = _tables()
    found = set()
    for match in _COLUMN.finditer(sql):
        table, alias, column = match.groups()
        if alias:
            given = [t for at, a, t in declared if a == alias and at < match.start()]
            table = given[-1] if given else ""
        model = tables.get(table)
        if model is None or column == model._meta.pk.column:
            continue
        by_column = {f.column: f.name for f in model._meta.concrete_fields}
        found.add((model, by_column[column]))
    return found


def _sql_of(name: str) -> list[str]:
    """Every statement source `name` runs (live), in each of its forms: a past day and today
    (the stored status), grouped by every column a grain holds, by year, and its drill-down."""
    keys = KEYS[name]
    columns = (*grains.AREA_COLUMNS, "sub_sector")
    today = timezone.localdate()
    statements = []
    with CaptureQueriesContext(connection) as captured:
        for on in (date(2019, 6, 30), today):
            frame = Frame(area=None, on=on, year=2019, group_by=columns)
            statements.append(str(catalogue.ROWS[name](frame, keys).query))
            catalogue.SOURCES[name](Frame(area=None, on=on), None)
            for measure in (*drilling.REPORT_MEASURE_FILTERS, "n"):
                drilled = drilling.drill(name, Part(where={}, measure=measure), frame, 2019)
                statements.append(str(drilled.values("pk").query))  # its filters
        yearly = catalogue.YEARLY.get(name)
        if yearly is not None:
            yearly(Frame(area=None, on=today), [2018, 2019], keys)
            yearly(
                Frame(area=None, on=today), [2018, 2019], tuple(k for k in keys if k != "status")
            )
    return statements + [q["sql"] for q in captured.captured_queries]


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(catalogue.SOURCES))
def test_each_source_declares_every_field_its_queries_read(name):
    declared = {(m, f) for m, fields in catalogue.READS[name].items() for f in fields}
    read = set().union(*(_fields_in(sql) for sql in _sql_of(name)))
    assert read, "the queries were not parsed"
    missing = sorted(f"{m.__name__}.{f}" for m, f in read - declared)
    assert not missing, f"source {name} reads {missing} without declaring it (READS)"


def test_the_parser_finds_fields_through_aliases():
    sql = (
        'SELECT "registry_cooperative"."kind" FROM "registry_cooperative" WHERE EXISTS(SELECT 1 '
        'FROM "registry_statuschange" U0 WHERE U0."effective_on" <= 2019)'
    )
    from hoptac.registry.models import StatusChange

    assert _fields_in(sql) == {(Cooperative, "kind"), (StatusChange, "effective_on")}


# --- watched, with managers that report ------------------------------------------------------


def _watched_fields() -> dict[type[models.Model], set[str]]:
    read: dict[type[models.Model], set[str]] = {}
    for reads in catalogue.READS.values():
        for model, fields in reads.items():
            read.setdefault(model, set()).update(fields)
    return read


def test_the_tallied_fields_are_those_the_sources_read():
    assert set(marking.TALLIED_FIELDS) == _watched_fields()[Cooperative]
    assert {Cooperative, *marking.DATED_MODELS} == set(_watched_fields())


def test_every_manager_of_a_watched_model_reports_its_writes():
    for model in _watched_fields():
        for each in apps.get_models():
            if each._meta.concrete_model is not model:
                continue
            for manager in each._meta.managers:
                queryset = manager.get_queryset()
                assert isinstance(queryset, changes.TrackedQuerySet), (each, manager.name)


# --- every write path marks ----------------------------------------------------------------


def _sample(model: type[models.Model]) -> models.Model:
    """A demo row of `model` whose organisation is in a 2025 commune and has every area."""
    placed = {
        f"{prefix}{f}__isnull": False
        for f in ("commune", "commune_legacy", "district_legacy", "province_legacy")
        for prefix in (["" if model is Cooperative else "cooperative__"])
    }
    found = model._base_manager.filter(**placed).order_by("pk").first()
    assert found is not None, f"no demo {model.__name__}"
    return found


def _commune(obj: models.Model) -> int | None:
    coop = obj if isinstance(obj, Cooperative) else Cooperative.objects.get(pk=obj.cooperative_id)
    return coop.commune_id


def _other_value(obj: models.Model, name: str):
    field = obj._meta.get_field(name)
    value = getattr(obj, field.attname)
    if field.choices:
        return next(c for c, _label in field.flatchoices if c != value)
    if isinstance(field, models.ForeignKey):
        target = field.related_model
        if target is Cooperative:  # in another commune, free for the row's year
            others = Cooperative.objects.exclude(commune=_commune(obj))
            if hasattr(obj, "year"):
                taken = type(obj)._base_manager.filter(year=obj.year).values("cooperative")
                others = others.exclude(pk__in=taken)
            return others.order_by("pk").first()
        current = getattr(obj, name)
        qs = target.objects.exclude(pk=value)
        if isinstance(current, AdminUnit):
            qs = qs.filter(level=current.level, era=current.era)
        return qs.order_by("pk").first()
    if isinstance(field, models.BooleanField):
        return not value
    if isinstance(field, models.DateField):
        return (value or date(2020, 6, 1)) - timedelta(days=400)
    if isinstance(field, models.DecimalField):
        return (value or Decimal(0)) + 1
    if isinstance(field, models.IntegerField):
        return (value or 0) - 30 if name == "year" else (value or 0) + 1
    raise AssertionError(f"no other value for {field!r}")


def _plain(fields) -> list[str]:
    return [f for f in fields if "__" not in f]


CASES = [
    (model, name)
    for model, fields in sorted(_watched_fields().items(), key=lambda i: i[0].__name__)
    for name in sorted(_plain(fields))
]


def _save(model, obj, name, value):
    setattr(obj, name, value)
    obj.save()


def _update(model, obj, name, value):
    model._default_manager.filter(pk=obj.pk).update(**{name: value})


def _bulk_update(model, obj, name, value):
    setattr(obj, name, value)
    model._default_manager.bulk_update([obj], [name])


def _bulk_update_with_history(model, obj, name, value):
    setattr(obj, name, value)
    bulk_update_with_history([obj], model, [name], batch_size=10)


@pytest.mark.parametrize("write", [_save, _update, _bulk_update, _bulk_update_with_history])
@pytest.mark.parametrize(("model", "name"), CASES, ids=[f"{m.__name__}.{n}" for m, n in CASES])
def test_changing_a_field_the_tally_reads_marks_the_commune(demo, model, name, write):
    obj = _sample(model)
    commune = _commune(obj)
    TallyMark.objects.all().delete()
    write(model, obj, name, _other_value(obj, name))
    assert TallyMark.objects.filter(commune=commune).exists(), (model, name, write.__name__)


def test_a_field_the_tally_does_not_read_marks_nothing(demo):
    obj = _sample(Cooperative)
    TallyMark.objects.all().delete()
    Cooperative.objects.filter(pk=obj.pk).update(search_text="không đọc")
    obj.phone = "0209 999 999"
    obj.save()
    assert not TallyMark.objects.exists()


def _fresh_copy(model: type[models.Model], obj: models.Model) -> models.Model:
    """An unsaved copy of `obj` that the unique constraints accept."""
    new = copy.copy(obj)
    new.pk = None
    new._state = copy.copy(obj._state)
    new._state.adding, new._state.db = True, None
    if model is Cooperative:
        new.tax_code = "4799999999"
    if hasattr(new, "year"):
        new.year = new.year - 40
    return new


def _create_save(model, new):
    new.save()


def _bulk_create(model, new):
    model._default_manager.bulk_create([new])


def _bulk_create_with_history(model, new):
    bulk_create_with_history([new], model)


def _insert_with_history(model, new):
    insert_with_history([new], model)  # COPY on PostgreSQL


MODELS = sorted(_watched_fields(), key=lambda m: m.__name__)


@pytest.mark.parametrize(
    "write", [_create_save, _bulk_create, _bulk_create_with_history, _insert_with_history]
)
@pytest.mark.parametrize("model", MODELS, ids=[m.__name__ for m in MODELS])
def test_a_new_row_marks_its_commune(demo, model, write):
    obj = _sample(model)
    commune = _commune(obj)
    TallyMark.objects.all().delete()
    write(model, _fresh_copy(model, obj))
    assert TallyMark.objects.filter(commune=commune).exists(), (model, write.__name__)


@pytest.mark.parametrize("how", ["instance", "queryset"])
@pytest.mark.parametrize("model", MODELS, ids=[m.__name__ for m in MODELS])
def test_a_deleted_row_marks_its_commune(demo, model, how):
    obj = _sample(model)
    commune = _commune(obj)
    new = _fresh_copy(model, obj)
    new.save()
    TallyMark.objects.all().delete()
    if how == "instance":
        new.delete()
    else:
        model._default_manager.filter(pk=new.pk).delete()
    assert TallyMark.objects.filter(commune=commune).exists(), (model, how)
