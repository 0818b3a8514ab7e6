"""Running an import chunk by chunk in one transaction, and the fix-list of the failed rows."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _

from hoptac.registry import excel
from hoptac.registry.excel import ImportFileError
from hoptac.registry.importing.importer import Importer
from hoptac.registry.importing.layout import (
    CHUNK_SIZE,
    ColumnMap,
    Layout,
    Progress,
    _layout_of,
    check_size,
    mapping_errors,
)
from hoptac.registry.importing.rows import CHANGED, ERROR, NEW, RowPlan, Summary

if TYPE_CHECKING:
    from hoptac.accounts.models import User

# --- running an import ---------------------------------------------------------------


class _Rollback(Exception):  # noqa: N818  (control flow, never shown)
    """Leave the import's transaction without writing anything."""


def _chunks(
    rows: Iterator[tuple[int, list[Any]]], first_row: int, size: int
) -> Iterator[list[tuple[int, list[Any]]]]:
    chunk: list[tuple[int, list[Any]]] = []
    for number, values in rows:
        if number < first_row:
            continue
        chunk.append((number, values))
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def run_import(
    path: Path,
    *,
    user: User | None,
    layout: Layout | None = None,
    mapping: ColumnMap | None = None,
    dry_run: bool = False,
    valid_only: bool = False,
    fix_list: Path | None = None,
    filename: str = "",
    progress: Progress | None = None,
    on_plan: Callable[[RowPlan], None] | None = None,
    today: date | None = None,
) -> Summary:
    """Import the file at `path` as `user` (None: the system, unrestricted).

    dry_run: validate and classify only. Otherwise everything is written in one transaction,
    unless a row has an error: then nothing is written (the default), or, with `valid_only`,
    the valid rows are and the others go to the `fix_list` file. `on_plan` receives each
    row's plan (the page stores them for its preview). ImportFileError for a bad file or map.
    """
    if layout is None:
        check_size(path.stat().st_size)
    # The file is opened once: its layout (when not given) and its rows come from one reading.
    with excel.open_spreadsheet(path, merges=layout is None) as book:
        return _run(
            book,
            user=user,
            layout=layout or _layout_of(book),
            mapping=mapping,
            dry_run=dry_run,
            valid_only=valid_only,
            fix_list=fix_list,
            filename=filename or path.name,
            progress=progress,
            on_plan=on_plan,
            today=today,
        )


def _run(
    book: excel.Spreadsheet,
    *,
    user: User | None,
    layout: Layout,
    mapping: ColumnMap | None,
    dry_run: bool,
    valid_only: bool,
    fix_list: Path | None,
    filename: str,
    progress: Progress | None,
    on_plan: Callable[[RowPlan], None] | None,
    today: date | None,
) -> Summary:
    """run_import over the opened spreadsheet `book`."""
    mapping = mapping or ColumnMap.proposed(layout)
    problems = mapping_errors(layout, mapping)
    if problems:
        raise ImportFileError(" ".join(problems))
    importer = Importer(layout=layout, mapping=mapping, user=user, filename=filename, today=today)
    summary = Summary(dry_run=dry_run)
    failed: list[RowPlan] = []
    write = not dry_run

    def run() -> None:
        sheet = book.sheets[layout.sheet]
        total = max((sheet.total_rows or 0) - layout.first_data_row + 1, 1)
        done = 0
        for chunk in _chunks(sheet.rows(), layout.first_data_row, CHUNK_SIZE):
            plans = importer.plan(chunk)
            for plan in plans:
                _count(summary, plan, failed)
                if on_plan is not None:
                    on_plan(plan)
            if write and (valid_only or not summary.error_rows):
                importer.write([p for p in plans if p.action != ERROR], by=user)
            done += len(chunk)
            if progress is not None:
                progress("write" if write else "check", min(done, total), total)

    if write:
        try:
            with transaction.atomic():
                run()
                if summary.error_rows and not valid_only:
                    raise _Rollback
        except _Rollback:
            pass
        else:
            summary.written = True
    else:
        run()
    if valid_only and fix_list is not None:
        write_fix_list(fix_list, layout, failed)
        summary.fix_list = str(fix_list)
    return summary


def _count(summary: Summary, plan: RowPlan, failed: list[RowPlan]) -> None:
    summary.rows += 1
    if plan.action == ERROR:
        summary.error_rows += 1
        summary.errors.extend(plan.errors)
        failed.append(plan)
    elif plan.action == NEW:
        summary.created += 1
    elif plan.action == CHANGED:
        summary.updated += 1
    else:
        summary.unchanged += 1


def error_text(plan: RowPlan) -> str:
    """A row's errors as one cell of the fix-list."""
    parts = []
    for error in plan.errors:
        if error.column:
            parts.append(f"{error.column}: {error.message}")
        else:
            parts.append(error.message)
    return "; ".join(parts)


def write_fix_list(target: Path, layout: Layout, failed: Sequence[RowPlan]) -> None:
    """The rows that were not imported, in the file's layout (title block, header rows,
    columns), each with its errors in a last column "Lỗi" (the header in the active language).
    A CSV gives a CSV (same delimiter); any other format gives an .xlsx."""
    width = max([len(layout.headers), *(len(p.raw) for p in failed)])
    header_rows = [[*row, *[None] * (width - len(row))] for row in layout.header_values]
    header_rows = header_rows or [list(layout.headers)]
    titles = [list(row) for row in layout.title_rows] + header_rows[:-1]
    header = [excel.csv_cell_value(v) for v in header_rows[-1]] + [_("Error")]
    rows = ([*p.raw, *[None] * (width - len(p.raw)), error_text(p)] for p in failed)
    target.parent.mkdir(parents=True, exist_ok=True)
    if layout.format == "csv":
        delimiter = layout.csv_dialect[1] if layout.csv_dialect else ","
        with target.open("w", encoding="utf-8", newline="") as handle:
            for line in excel.csv_lines(
                rows, header=header, title_rows=titles, delimiter=delimiter
            ):
                handle.write(line)
    else:
        excel.write_xlsx(target, rows, header=header, title_rows=titles, sheet_title=_("Errors"))
