"""Running an import: what an app supplies (an ImportKind), the run chunk by chunk in one
transaction, and the fix-list of the rows left out.

An app supplies only what is its own: how a header names its columns (`match`), what makes a
column map unusable (`check_mapping`), and an importer (`importer(...)`) whose `plan(chunk)`
parses, matches and validates a chunk of rows without writing, and whose `write(plans, by=)`
writes a chunk's valid plans in bulk. The pipeline does the rest, the same way for every app
and for the page, the job and the command:

- dry run: every row planned and counted (new / changed / unchanged / error), nothing written;
- commit: everything in one transaction; by default one error anywhere writes nothing;
  `valid_only` writes the valid rows and puts the others in a fix-list (the file's own layout
  with an error column);
- `progress(phase, done, total)` after each chunk. It may raise (a job being cancelled): the
  exception propagates and the transaction is rolled back, so nothing is written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from django.db import transaction
from django.utils.translation import gettext as _

from hoptac.core import changes, spreadsheet_safety
from hoptac.core.tabular.columns import HeaderMatcher
from hoptac.core.tabular.layout import (
    CHUNK_SIZE,
    ColumnMap,
    Layout,
    Progress,
    check_size,
    layout_of,
)
from hoptac.core.tabular.reading import ImportFileError, Spreadsheet, open_spreadsheet
from hoptac.core.tabular.rows import ERROR, RowPlan, Summary
from hoptac.core.tabular.writing import write_xlsx

DATE_FORMAT = "dd/mm/yyyy"


class RowImporter(Protocol):
    """What an app's importer does with the rows of one file, chunk by chunk."""

    def plan(self, rows: Sequence[tuple[int, list[Any]]]) -> Sequence[RowPlan]:
        """Parse, match and validate a chunk of (row number, cells); write nothing."""

    def write(self, plans: Sequence[Any], *, by: Any) -> None:
        """Write a chunk's valid plans (none has action ERROR)."""


ImporterFactory = Callable[..., RowImporter]
"""importer(layout=, mapping=, user=, filename=, options=) → RowImporter."""


@dataclass(frozen=True)
class ImportKind:
    """What an app supplies to the pipeline: its name (kept with a stored upload), its header
    matcher, its column-map check and its importer."""

    name: str
    match: HeaderMatcher
    check_mapping: Callable[[Layout, ColumnMap, Mapping[str, Any]], list[str]]
    importer: ImporterFactory


_KINDS: dict[str, ImportKind] = {}


def register(kind: ImportKind) -> ImportKind:
    """Make `kind` known by its name (an app registers its kind when its module loads), so
    that a stored upload, a job or a command can run it by name."""
    _KINDS[kind.name] = kind
    return kind


def kind_named(name: str) -> ImportKind:
    """The registered kind `name`; KeyError when no app registered it."""
    return _KINDS[name]


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
    kind: ImportKind,
    *,
    user: Any,
    options: Mapping[str, Any] | None = None,
    layout: Layout | None = None,
    mapping: ColumnMap | None = None,
    dry_run: bool = False,
    valid_only: bool = False,
    fix_list: Path | None = None,
    filename: str = "",
    progress: Progress | None = None,
    on_plan: Callable[[Any], None] | None = None,
) -> Summary:
    """Import the file at `path` as `user` with the app's `kind` (see the module's docstring).

    options: what the app's importer and column-map check take besides the file (the reports'
    year). layout, mapping: the file's table and the officer's column map (found and proposed
    when not given). on_plan: receives each row's plan (the page stores them for its preview).
    ImportFileError for a bad file or column map.
    """
    if layout is None:
        check_size(path.stat().st_size)
    # The file is opened once: its layout (when not given) and its rows come from one reading.
    with open_spreadsheet(path, merges=layout is None) as book:
        return run_book(
            book,
            kind,
            user=user,
            options=options or {},
            layout=layout or layout_of(book, kind.match),
            mapping=mapping,
            dry_run=dry_run,
            valid_only=valid_only,
            fix_list=fix_list,
            filename=filename or path.name,
            progress=progress,
            on_plan=on_plan,
        )


def run_book(
    book: Spreadsheet,
    kind: ImportKind,
    *,
    user: Any,
    options: Mapping[str, Any],
    layout: Layout,
    mapping: ColumnMap | None,
    dry_run: bool,
    valid_only: bool,
    fix_list: Path | None,
    filename: str,
    progress: Progress | None,
    on_plan: Callable[[Any], None] | None,
) -> Summary:
    """run_import over the opened spreadsheet `book`."""
    mapping = mapping or ColumnMap.proposed(layout)
    problems = kind.check_mapping(layout, mapping, options)
    if problems:
        raise ImportFileError(" ".join(problems))
    importer = kind.importer(
        layout=layout, mapping=mapping, user=user, filename=filename, options=options
    )
    summary = Summary(dry_run=dry_run)
    failed: list[RowPlan] = []
    write = not dry_run

    def run() -> None:
        sheet = book.sheets[layout.sheet]
        done = 0
        for chunk in _chunks(sheet.rows(), layout.first_data_row, CHUNK_SIZE):
            plans = importer.plan(chunk)
            for plan in plans:
                summary.count(plan)
                if plan.action == ERROR:
                    failed.append(plan)
                if on_plan is not None:
                    on_plan(plan)
            if write and (valid_only or not summary.error_rows):
                importer.write([p for p in plans if p.action != ERROR], by=user)
            done += len(chunk)
            if progress is not None:
                # the sheet knows its height once its rows are being read
                total = max((sheet.total_rows or 0) - layout.first_data_row + 1, done, 1)
                progress("write" if write else "check", done, total)

    if write:
        try:
            # The watchers of the rows written (the tally's marks) hear of the whole import
            # once, at its end, inside its transaction (core.changes.deferred).
            with transaction.atomic(), changes.deferred():
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


# --- the fix-list -------------------------------------------------------------------------------


def error_text(plan: RowPlan) -> str:
    """A row's errors as one cell of the fix-list."""
    parts = []
    for error in plan.errors:
        if error.column:
            parts.append(f"{error.column}: {error.message}")
        else:
            parts.append(error.message)
    return "; ".join(parts)


def fix_list_suffix(layout: Layout) -> str:
    """The fix-list of a CSV is a CSV; of any other format, an .xlsx."""
    return ".csv" if layout.format == "csv" else ".xlsx"


def write_fix_list(target: Any, layout: Layout, failed: Sequence[RowPlan]) -> None:
    """The rows that were not imported, in the file's layout (title block, header rows,
    columns), each with its errors in a last column "Lỗi" (the header in the active language).
    A CSV gives a CSV (same delimiter); any other format gives an .xlsx. `target`: a path or
    a binary file."""
    width = max([len(layout.headers), *(len(p.raw) for p in failed)])
    header_rows = [[*row, *[None] * (width - len(row))] for row in layout.header_values]
    header_rows = header_rows or [list(layout.headers)]
    titles = [list(row) for row in layout.title_rows] + header_rows[:-1]
    header = [spreadsheet_safety.csv_plain(v) for v in header_rows[-1]] + [_("Error")]
    rows = ([*p.raw, *[None] * (width - len(p.raw)), error_text(p)] for p in failed)
    if isinstance(target, Path):
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("wb") as handle:
            _write_fix_list(handle, layout, rows, header, titles)
    else:
        _write_fix_list(target, layout, rows, header, titles)


def _write_fix_list(
    handle: Any,
    layout: Layout,
    rows: Iterator[list[Any]],
    header: list[Any],
    titles: list[list[Any]],
) -> None:
    if layout.format == "csv":
        delimiter = layout.csv_dialect[1] if layout.csv_dialect else ","
        lines = spreadsheet_safety.csv_lines(
            rows, header=header, title_rows=titles, delimiter=delimiter
        )
        for line in lines:
            handle.write(line.encode("utf-8"))
        return
    write_xlsx(handle, rows, header=header, title_rows=titles, sheet_title=_("Errors"))
