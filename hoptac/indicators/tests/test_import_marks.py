"""An import tells the tally once (core.changes.deferred): its rows' writes, chunk after
chunk, reach the watchers as one change a model at the end of the block, inside its
transaction, and the tally marks each commune once, however many chunks wrote to it."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import transaction

from hoptac.core import changes
from hoptac.core.bulk import insert_with_history
from hoptac.indicators.models import TallyMark
from hoptac.registry.models import Cooperative, StatusChange
from hoptac.registry.tests.factories import CooperativeFactory

pytestmark = pytest.mark.django_db(transaction=False)


@pytest.fixture
def heard():
    """What a watcher of the organisations' names hears, call by call."""
    calls: list[changes.Change] = []
    changes.watch(Cooperative, ("name",), calls.append, uid="test.deferred")
    yield calls
    changes._WATCHED[Cooperative].listeners.pop("test.deferred")


def _new(n: int) -> Cooperative:
    return CooperativeFactory.build(tax_code=f"47999{n:05d}", name=f"HTX Gộp {n}")


def test_the_writes_of_a_block_are_told_once_merged(heard):
    with transaction.atomic(), changes.deferred():
        first = insert_with_history([_new(1), _new(2)], Cooperative)
        insert_with_history([_new(3)], Cooperative)
        Cooperative.objects.filter(pk=first[0].pk).update(name="HTX Đổi tên")
        first[1].delete()
        assert heard == []  # nothing told inside the block
    assert len(heard) == 1
    change = heard[0]
    assert change.before == {}  # every row is new: no state before the block
    names = sorted(row[0] for row in change.after.values())
    assert names == ["HTX Gộp 3", "HTX Đổi tên"]  # the last state; the deleted one not there


def test_a_row_written_before_the_block_keeps_its_first_state(heard):
    coop = insert_with_history([_new(4)], Cooperative)[0]
    heard.clear()
    with transaction.atomic(), changes.deferred():
        Cooperative.objects.filter(pk=coop.pk).update(name="HTX Một")
        Cooperative.objects.filter(pk=coop.pk).update(name="HTX Hai")
    assert [(c.before, c.after) for c in heard] == [
        ({coop.pk: ("HTX Gộp 4",)}, {coop.pk: ("HTX Hai",)})
    ]


def _write_then_fail() -> None:
    with transaction.atomic(), changes.deferred():
        insert_with_history([_new(5)], Cooperative)
        raise ValueError("stop")


def test_an_exception_drops_what_was_held_back(heard):
    with pytest.raises(ValueError, match="stop"):
        _write_then_fail()
    assert heard == []


def test_chunks_of_one_import_mark_each_commune_once():
    TallyMark.objects.all().delete()
    with transaction.atomic(), changes.deferred():
        for chunk in ([_new(6), _new(7)], [_new(8)]):
            created: list[Any] = insert_with_history(chunk, Cooperative)
            statuses = [
                StatusChange(cooperative=c, status=c.status, effective_on=date(2015 + i, 1, 1))
                for i, c in enumerate(created)
            ]
            insert_with_history(statuses, StatusChange)
    marks = sorted(TallyMark.objects.values_list("commune", "since"), key=str)
    # one mark of the organisations (every year) and one of their status changes, from the
    # first year any of them counts in, for their one commune (the factory's, 2025: none)
    assert marks == sorted([(None, 0), (None, 2015)], key=str)
