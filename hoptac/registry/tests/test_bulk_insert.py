"""core.bulk.insert_with_history on the registry's models: the rows as bulk_create writes
them, their ids, and one "+" history record each (COPY on PostgreSQL, bulk_create elsewhere)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection

from hoptac.core.bulk import insert_with_history
from hoptac.registry.choices import Kind, Sector, Status, SubSector
from hoptac.registry.models import Cooperative, StatusChange
from hoptac.registry.tests.factories import legacy_unit

pytestmark = pytest.mark.django_db


def new_cooperatives(count: int) -> list[Cooperative]:
    unit = legacy_unit("02062")
    return [
        Cooperative(
            kind=Kind.COOPERATIVE,
            name=f"HTX Chè số {n}",
            name_key=f"htx che so {n}",
            tax_code=f"47000000{n:02d}",
            sector=Sector.AGRICULTURAL,
            sub_sector=SubSector.CROPS,
            founded_on=date(2015, 3, n + 1),
            charter_capital=Decimal(1_500_000_000 + n),
            members_count=n,
            latitude=21.5,
            status=Status.ACTIVE,
            commune_legacy=unit,
            province_legacy_id=unit.province_id,
            district_legacy_id=unit.parent_id,
        )
        for n in range(count)
    ]


def test_rows_ids_and_history(admin):
    before = Cooperative.objects.count()
    created = insert_with_history(new_cooperatives(3), Cooperative, by=admin, reason="Tệp a.csv")
    assert all(c.pk for c in created)
    assert Cooperative.objects.count() == before + 3
    stored = Cooperative.objects.get(pk=created[1].pk)
    assert (stored.name, stored.tax_code, stored.members_count) == ("HTX Chè số 1", "4700000001", 1)
    assert stored.status == "dang_hoat_dong"  # a TextChoices member is written as its value
    assert stored.charter_capital == Decimal(1_500_000_001)
    assert stored.founded_on == date(2015, 3, 2)
    assert stored.commune_legacy.code == "02062"
    assert stored.created_at is not None
    assert stored.version == 1
    for coop in created:
        records = list(Cooperative.history.filter(id=coop.pk))
        assert len(records) == 1
        record = records[0]
        assert record.history_type == "+"
        assert record.history_user_id == admin.pk
        assert record.history_change_reason == "Tệp a.csv"
        assert record.name == coop.name
        assert record.commune_legacy_id == coop.commune_legacy_id


def test_dependent_rows_and_no_user(admin):
    coop = insert_with_history(new_cooperatives(1), Cooperative, by=admin)[0]
    change = StatusChange(
        cooperative=coop, status=Status.ACTIVE, effective_on=date(2015, 3, 1), note="", by=admin
    )
    insert_with_history([change], StatusChange, by=None)
    assert change.pk is not None
    stored = StatusChange.objects.get(pk=change.pk)
    assert (stored.cooperative_id, stored.status, stored.by_id) == (
        coop.pk,
        "dang_hoat_dong",
        admin.pk,
    )
    record = StatusChange.history.get(id=change.pk)
    assert record.history_user_id is None
    assert record.history_change_reason is None


def test_later_saves_take_later_ids(admin):
    """The ids come from the table's own sequence: an ordinary save afterwards does not
    collide with them."""
    created = insert_with_history(new_cooperatives(2), Cooperative, by=admin)
    later = new_cooperatives(3)[2]
    later.save()
    assert later.pk > max(c.pk for c in created)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")
def test_postgresql_uses_copy(admin, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):  # ids, rows, history (COPY is not captured)
        insert_with_history(new_cooperatives(3), Cooperative, by=admin)
