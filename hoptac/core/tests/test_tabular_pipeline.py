"""The pipeline of hoptac.core.tabular with a kind of its own (rows written to core's
CacheVersion table): preview, one transaction, valid rows with a fix-list, a progress callback
that cancels, and the stored upload that lives in the database."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Any

import openpyxl
import pytest
from django.http import Http404
from django.utils import timezone

from hoptac.core import tabular
from hoptac.core.models import CacheVersion, StoredPlan, StoredUpload
from hoptac.core.tabular import (
    ERROR,
    NEW,
    UNCHANGED,
    Column,
    ColumnMap,
    ColumnType,
    ImportKind,
    Layout,
    RowError,
    RowPlan,
    stored,
)

pytestmark = pytest.mark.django_db

COLUMNS = (
    Column("name", "Name", ColumnType.TEXT, ("Tên",)),
    Column("value", "Value", ColumnType.INTEGER, ("Giá trị",)),
)


class Importer:
    """Writes each row as a CacheVersion (name, value); a value under 0 is an error."""

    def __init__(self, **kwargs: Any) -> None:
        self.mapping: ColumnMap = kwargs["mapping"]

    def plan(self, rows: Sequence[tuple[int, list[Any]]]) -> list[RowPlan]:
        plans = []
        names, values = self.mapping.index_of("name"), self.mapping.index_of("value")
        for number, raw in rows:
            plan = RowPlan(row=number, raw=raw, name=str(raw[names]))
            value = tabular.parse_value(COLUMNS[1], raw[values])
            if value < 0:
                plan.errors.append(RowError(number, "Giá trị", "negative"))
                plan.action = ERROR
            elif CacheVersion.objects.filter(name=plan.name, value=value).exists():
                plan.action = UNCHANGED
            plans.append(plan)
        return plans

    def write(self, plans: Sequence[RowPlan], *, by: Any) -> None:
        for plan in plans:
            if plan.action == NEW:
                CacheVersion.objects.create(name=plan.name, value=int(plan.raw[2]))


def check(layout: Layout, mapping: ColumnMap, options: Mapping[str, Any]) -> list[str]:
    return tabular.duplicate_errors(layout, mapping, {c.key: c for c in COLUMNS})[0]


KIND = tabular.register(
    ImportKind(
        name="core-test",
        match=tabular.header_matcher(lambda: COLUMNS),
        check_mapping=check,
        importer=Importer,
    )
)


def written() -> Any:
    """The rows the test kind wrote (the table holds other versions too)."""
    return CacheVersion.objects.filter(name__startswith="row-")


def workbook(rows: list[list[Any]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["DANH SÁCH"])
    sheet.append(["STT", "Tên", "Giá trị"])
    for row in rows:
        sheet.append(row)
    sheet.merge_cells("A1:C1")
    data = io.BytesIO()
    book.save(data)
    return data.getvalue()


def rows(count: int, bad: int | None = None) -> list[list[Any]]:
    return [[n, f"row-{n}", -1 if n == bad else n] for n in range(1, count + 1)]


def test_a_dry_run_classifies_and_writes_nothing(tmp_path):
    path = tmp_path / "a.xlsx"
    path.write_bytes(workbook(rows(3, bad=2)))
    summary = tabular.run_import(path, KIND, user=None, dry_run=True)
    assert (summary.rows, summary.created, summary.error_rows) == (3, 2, 1)
    assert summary.errors[0].row == 4  # the spreadsheet's own row number
    assert not written()


def test_one_error_writes_nothing_and_valid_only_writes_the_rest_with_a_fix_list(tmp_path):
    path = tmp_path / "a.xlsx"
    path.write_bytes(workbook(rows(3, bad=2)))
    summary = tabular.run_import(path, KIND, user=None)
    assert not summary.written
    assert not written()
    fix = tmp_path / "fix.xlsx"
    summary = tabular.run_import(path, KIND, user=None, valid_only=True, fix_list=fix)
    assert summary.written
    assert summary.accounted
    assert set(written().values_list("name", flat=True)) == {"row-1", "row-3"}
    sheet = list(openpyxl.load_workbook(fix).active.iter_rows(values_only=True))
    assert sheet[0][0] == "DANH SÁCH"  # the file's title block and header are kept
    assert sheet[2][:3] == (2, "row-2", -1)
    assert "negative" in sheet[2][-1]


def test_a_progress_callback_that_raises_rolls_the_whole_import_back(tmp_path, monkeypatch):
    monkeypatch.setattr("hoptac.core.tabular.running.CHUNK_SIZE", 10)
    path = tmp_path / "a.xlsx"
    path.write_bytes(workbook(rows(35)))
    seen: list[tuple[str, int, int]] = []

    class Cancelled(Exception):  # noqa: N818  (as a job queue cancels)
        pass

    def progress(phase: str, done: int, total: int) -> None:
        seen.append((phase, done, total))
        if done >= 20:
            raise Cancelled

    with pytest.raises(Cancelled):
        tabular.run_import(path, KIND, user=None, progress=progress)
    assert seen == [("write", 10, 35), ("write", 20, 35)]
    assert not written()  # the first chunks' rows were rolled back


def test_a_stored_upload_lives_in_the_database_between_steps(tmp_path, settings, admin_user):
    settings.VAR_DIR = tmp_path / "var"  # nothing may be written there
    data = workbook(rows(3, bad=2))
    upload = stored.upload_create(
        kind=KIND.name, user=admin_user, name="ds.xlsx", chunks=[data], size=len(data)
    )
    # another app server: the upload read back from the database by its id
    again = stored.upload_get(user=admin_user, upload_id=upload.id.hex, kind=KIND.name)
    assert stored.layout_of(again).headers == ["STT", "Tên", "Giá trị"]
    summary = stored.upload_run(again, user=admin_user, commit=False)
    assert summary.error_rows == 1
    plans, count = stored.plans_of(again, ERROR)
    assert count == 1
    assert plans[0]["row"] == 4
    assert StoredPlan.objects.filter(upload=again).count() == 3
    calls: list[tuple[str, int, int]] = []
    stored.upload_run(
        again, user=admin_user, commit=True, valid_only=True, progress=lambda *a: calls.append(a)
    )
    assert calls[0] == ("check", 0, 1)  # at once, before the file is read
    assert calls[-1] == ("write", 3, 3)
    again.refresh_from_db()
    assert again.meta["committed"]
    assert again.fix_list  # the fix-list bytes are on the row
    assert not (tmp_path / "var").exists()


def test_someone_elses_upload_is_not_found(admin_user, django_user_model):
    data = workbook(rows(1))
    upload = stored.upload_create(
        kind=KIND.name, user=admin_user, name="ds.xlsx", chunks=[data], size=len(data)
    )
    other = django_user_model.objects.create_user("other", password="x")
    with pytest.raises(Http404):
        stored.upload_get(user=other, upload_id=upload.id.hex, kind=KIND.name)
    with pytest.raises(Http404):
        stored.upload_get(user=admin_user, upload_id="not-an-id", kind=KIND.name)
    with pytest.raises(Http404):
        stored.upload_get(user=admin_user, upload_id=upload.id.hex, kind="registry")


def test_uploads_older_than_a_day_are_swept(admin_user):
    data = workbook(rows(1))
    old = stored.upload_create(
        kind=KIND.name, user=admin_user, name="a.xlsx", chunks=[data], size=len(data)
    )
    StoredUpload.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=2))
    fresh = stored.upload_create(
        kind=KIND.name, user=admin_user, name="b.xlsx", chunks=[data], size=len(data)
    )  # each upload sweeps the old ones
    assert list(StoredUpload.objects.values_list("pk", flat=True)) == [fresh.pk]
