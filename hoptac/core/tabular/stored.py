"""Uploaded files between the steps of an import (upload → column map → check → import →
fix-list), kept in the database (core.StoredUpload, the preview's rows in core.StoredPlan) so
that two app servers and a worker can each serve any step. Uploads older than a day are swept.

A run's progress is not kept here: the run calls the caller's `progress(phase, done, total)`,
and a job (hoptac.jobs.imports) records it through the job queue's channel, the one progress
mechanism (a second PostgreSQL connection, or files on SQLite), which every app server reads.
"""

from __future__ import annotations

import io
import json
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

from django.http import Http404
from django.utils import timezone

from hoptac.core.models import StoredPlan, StoredUpload
from hoptac.core.tabular.layout import ColumnMap, Layout, Progress, check_size, read_layout
from hoptac.core.tabular.rows import RowPlan, Summary
from hoptac.core.tabular.running import kind_named, run_import, write_fix_list

PLAN_BATCH = 2000
MAX_AGE = timedelta(days=1)


# --- what a stored upload holds -------------------------------------------------------------


def layout_of(upload: StoredUpload) -> Layout | None:
    """The table found in the file when it was uploaded."""
    data = upload.meta.get("layout")
    return Layout.from_dict(data) if data else None


def mapping_of(upload: StoredUpload) -> ColumnMap | None:
    """The officer's last column map, else the one proposed from the headers."""
    layout = layout_of(upload)
    if layout is None:
        return None
    keys = upload.meta.get("mapping")
    return ColumnMap.chosen(layout, keys) if keys else ColumnMap.proposed(layout)


def fix_list_name(upload: StoredUpload, prefix: str) -> str:
    """The download name of the fix-list: `prefix`-<the file's name> with the right suffix."""
    fmt = (upload.meta.get("layout") or {}).get("format")
    suffix = ".csv" if fmt == "csv" else ".xlsx"  # as running.fix_list_suffix
    return f"{prefix}-{upload.filename.rsplit('.', 1)[0]}{suffix}"


def plans_of(
    upload: StoredUpload, action: str = "", offset: int = 0, limit: int = 100
) -> tuple[list[dict[str, Any]], int]:
    """The rows of the last run (of one action, or all), a page of them and their count."""
    rows = StoredPlan.objects.filter(upload=upload)
    if action:
        rows = rows.filter(action=action)
    count = rows.count()
    if limit <= 0:
        return [], count
    offset = max(offset, 0)
    page = rows.order_by("position").values_list("data", flat=True)[offset : offset + limit]
    return list(page), count


# --- the steps ------------------------------------------------------------------------------


def upload_create(
    *,
    kind: str,
    user: Any,
    name: str,
    chunks: Iterable[bytes],
    size: int,
    options: Mapping[str, Any] | None = None,
) -> StoredUpload:
    """Keep an uploaded file of the import `kind` for its owner, and read its layout.

    options: what the app's import takes besides the file (the reports' year). ImportFileError
    (file too large, unsafe, unreadable, no header) leaves nothing behind.
    """
    check_size(size)
    sweep()
    content = b"".join(chunks)
    check_size(len(content))
    with _materialised(content) as path:
        layout = read_layout(path, match=kind_named(kind).match)
    return StoredUpload.objects.create(
        kind=kind,
        owner=user,
        filename=Path(name).name[:200],
        content=content,
        meta={"layout": layout.as_dict(), "options": dict(options or {})},
    )


def upload_get(*, user: Any, upload_id: str, kind: str) -> StoredUpload:
    """The user's own stored upload of this kind; 404 for anyone else's or a missing one."""
    try:
        pk = UUID(hex=upload_id)
    except (TypeError, ValueError) as error:
        raise Http404 from error
    found = StoredUpload.objects.filter(pk=pk, kind=kind, owner_id=user.pk).first()
    if found is None:
        raise Http404
    return found


def upload_run(
    upload: StoredUpload,
    *,
    user: Any,
    keys: Sequence[str | None] | None = None,
    commit: bool,
    valid_only: bool = False,
    progress: Progress | None = None,
) -> Summary:
    """Check (commit False) or import the stored file with the officer's column choices
    (`keys`, one per file column; None: the last ones), keeping each row's plan for the
    preview, the summary, and, with `valid_only`, the fix-list.

    progress: called after each chunk (a job's bar); it may raise to cancel: the run's
    transaction is rolled back and the exception propagates. ImportFileError for a column map
    that cannot be used.
    """
    layout = layout_of(upload)
    if layout is None:  # pragma: no cover  (upload_create always reads one)
        raise Http404
    if keys is not None:
        upload.meta["mapping"] = list(keys)
    mapping = mapping_of(upload)
    if progress is not None:
        progress("check", 0, 1)
    fix_list = io.BytesIO() if valid_only else None
    with (
        _materialised(bytes(upload.content)) as path,
        tempfile.TemporaryFile("w+", encoding="utf-8") as plans,
    ):
        failed: list[RowPlan] = []

        def keep(plan: RowPlan) -> None:
            plans.write(json.dumps(plan.as_dict(), ensure_ascii=False) + "\n")
            if plan.action == "error":
                failed.append(plan)

        summary = run_import(
            path,
            kind_named(upload.kind),
            user=user,
            options=upload.meta.get("options") or {},
            layout=layout,
            mapping=mapping,
            dry_run=not commit,
            valid_only=valid_only,
            filename=upload.filename,
            progress=progress,
            on_plan=keep,
        )
        if fix_list is not None:
            write_fix_list(fix_list, layout, failed)
            summary.fix_list = fix_list_name(upload, "fix-list")
        plans.seek(0)
        _keep_plans(upload, plans)
    upload.meta["summary"] = {**summary.as_dict(), "errors": []}
    upload.meta["committed"] = commit and summary.written
    upload.fix_list = fix_list.getvalue() if fix_list is not None else None
    upload.save(update_fields=["meta", "fix_list"])
    return summary


def sweep(max_age: timedelta = MAX_AGE) -> int:
    """Remove the stored uploads older than `max_age` (a day); returns how many went."""
    removed, _by_model = StoredUpload.objects.filter(
        created_at__lt=timezone.now() - max_age
    ).delete()
    return removed


# --- helpers ----------------------------------------------------------------------------------


class _materialised:  # noqa: N801  (a context manager used like a function)
    """The stored bytes as a temporary file for the readers (removed afterwards): the readers
    of .xlsx, .ods and CSV take a path. Local to one step of one process."""

    def __init__(self, content: bytes) -> None:
        self.content = content
        self.handle: Any = None

    def __enter__(self) -> Path:
        self.handle = tempfile.NamedTemporaryFile(suffix=".upload")
        self.handle.write(self.content)
        self.handle.flush()
        return Path(self.handle.name)

    def __exit__(self, *exc: object) -> None:
        self.handle.close()


def _keep_plans(upload: StoredUpload, lines: Iterable[str]) -> None:
    """Replace the stored rows of the upload's last run with these (JSON lines), in batches."""
    StoredPlan.objects.filter(upload=upload).delete()
    batch: list[StoredPlan] = []
    for position, line in enumerate(lines):
        data = json.loads(line)
        batch.append(StoredPlan(upload=upload, position=position, action=data["action"], data=data))
        if len(batch) >= PLAN_BATCH:
            StoredPlan.objects.bulk_create(batch)
            batch = []
    if batch:
        StoredPlan.objects.bulk_create(batch)
