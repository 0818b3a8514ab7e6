"""Writing a table as .xlsx: title rows, a bold header, typed rows; the list exports of every
app (the registry, annual reports, support, market) and their blank templates. An app's table
of `Column`s is written by write_columns (each column's number format and width) or served by
xlsx_response; column_hint says how to write a column, for the templates' guides.

The workbook is made by hoptac.core.spreadsheet_safety (text is never a formula). The sheet is
written in constant-memory mode, to a file, in batches of rows (XlsxSheet.write_rows): memory
stays flat in the number of rows. Measured in bench/README.md ("Export"): rvgsrust-xlsxwriter
writes the registry's national list several times faster than openpyxl or XlsxWriter.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from django.http import FileResponse
from django.utils.translation import gettext as _

from hoptac.core import spreadsheet_safety
from hoptac.core.spreadsheet_safety import (
    DATE_FORMAT,
    HEADER,
    MAX_EXACT_NUMBER,
    MONEY_FORMAT,
    XlsxWorkbook,
)
from hoptac.core.tabular.columns import Column, ColumnType

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

__all__ = [
    "DATE_FORMAT",
    "MAX_EXACT_NUMBER",
    "MONEY_FORMAT",
    "XLSX_CONTENT_TYPE",
    "choice_labels",
    "column_hint",
    "headers",
    "number_format",
    "write_columns",
    "write_columns_by_copy",
    "write_xlsx",
    "xlsx_response",
]


def write_xlsx(
    target: Any,
    rows: Iterable[Sequence[Any]],
    *,
    header: Sequence[Any],
    formats: Sequence[str | None] = (),
    widths: Sequence[float | None] = (),
    title_rows: Sequence[Sequence[Any]] = (),
    sheet_title: str = "Sheet1",
) -> int:
    """Write an .xlsx of one sheet to `target` (a path, or a binary file it is copied into):
    `title_rows`, then `header` in bold (the rows above and including it frozen), then
    `rows`. `formats[i]` is the number format of column i (DATE_FORMAT, MONEY_FORMAT…),
    `widths[i]` its width in characters. Returns the number of data rows."""
    if isinstance(target, str | Path):
        return _write(Path(target), rows, header, formats, widths, title_rows, sheet_title)
    with tempfile.TemporaryDirectory(prefix="hoptac-xlsx-") as folder:
        path = Path(folder) / "table.xlsx"
        count = _write(path, rows, header, formats, widths, title_rows, sheet_title)
        with path.open("rb") as written:
            shutil.copyfileobj(written, target, 1024 * 1024)
    return count


def _write(
    path: Path,
    rows: Iterable[Sequence[Any]],
    header: Sequence[Any],
    formats: Sequence[str | None],
    widths: Sequence[float | None],
    title_rows: Sequence[Sequence[Any]],
    sheet_title: str,
) -> int:
    book = XlsxWorkbook(path)
    sheet = book.add_sheet(sheet_title, constant_memory=True)
    for index in range(max(len(formats), len(widths))):
        width = widths[index] if index < len(widths) else None
        num_format = formats[index] if index < len(formats) else None
        sheet.column(index, width=width, num_format=num_format)
    row = 0
    if header:
        sheet.freeze(len(title_rows) + 1)
    for title in title_rows:
        sheet.write_row(row, title)
        row += 1
    sheet.write_row(row, header, HEADER)
    dates = frozenset(i for i, f in enumerate(formats) if f == DATE_FORMAT)
    count = sheet.write_rows(row + 1, rows, date_columns=dates)
    book.close()
    return count


# --- tables of an app's columns ---------------------------------------------------------------


def headers(columns: Iterable[Column]) -> list[str]:
    """The headers of `columns` in the active language."""
    return [str(column.header) for column in columns]


def number_format(column: Column | None) -> str | None:
    """The number format of a column's cells: dates dd/mm/yyyy, money #,##0."""
    if column is None:
        return None
    if column.type == ColumnType.DATE:
        return DATE_FORMAT
    if column.type == ColumnType.MONEY:
        return MONEY_FORMAT
    return None


def write_columns(
    target: Any,
    rows: Iterable[Sequence[Any]],
    *,
    columns: Sequence[Column | None],
    header: Sequence[Any] | None = None,
    title_rows: Sequence[Sequence[Any]] = (),
    sheet_title: str = "Sheet1",
) -> int:
    """write_xlsx with each column formatted and as wide as its Column says (None: a column
    without a spec); the header is the columns' own (active language) unless given."""
    if header is None:
        header = headers(c for c in columns if c is not None)
    return write_xlsx(
        target,
        rows,
        header=header,
        formats=[number_format(column) for column in columns],
        widths=[column.width if column is not None else None for column in columns],
        title_rows=title_rows,
        sheet_title=sheet_title,
    )


def write_columns_by_copy(
    target: Any,
    rows: Any,
    *,
    kinds: Sequence[str],
    columns: Sequence[Column | None],
    header: Sequence[Any] | None = None,
    title_rows: Sequence[Sequence[Any]] = (),
    sheet_title: str = "Sheet1",
    counted: Callable[[int], None] | None = None,
) -> int:
    """write_columns for rows that PostgreSQL writes: `rows` is a PostgreSQL queryset of
    spreadsheet_safety.sql_xlsx_values (one value of `kinds[i]` for columns[i]). The same
    workbook as write_columns of the same values (title rows, header, widths, formats, cells),
    its rows never Python objects: several times faster for long lists (bench/README.md,
    "Export .xlsx"). Calls `counted(n)` every 2,000 rows; returns the number of data rows."""
    if header is None:
        header = headers(c for c in columns if c is not None)
    with tempfile.TemporaryDirectory(prefix="hoptac-xlsx-") as folder:
        frame = Path(folder) / "frame.xlsx"
        formats = [number_format(column) for column in columns]
        widths = [column.width if column is not None else None for column in columns]
        _write(frame, (), header, formats, widths, title_rows, sheet_title)
        return spreadsheet_safety.write_sheet_rows_by_copy(
            frame, target, rows, kinds=kinds, counted=counted
        )


def xlsx_response(
    rows: Iterable[Sequence[Any]], *, columns: Sequence[Column], filename: str, sheet: str
) -> FileResponse:
    """An .xlsx download of `rows` under `columns`' headers, typed, written to a temporary
    file (memory stays flat) and streamed from it."""
    handle = tempfile.TemporaryFile()  # noqa: SIM115  (closed by FileResponse)
    write_columns(handle, rows, columns=columns, sheet_title=sheet)
    handle.seek(0)
    return FileResponse(
        handle, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE
    )


def choice_labels(column: Column) -> list[str]:
    """The labels a choice column accepts, in the active language."""
    return [str(choice.label) for choice in column.choices or ()]


def column_hint(column: Column) -> str:
    """How to write a column's values, for a blank template's guide."""
    hints = {
        ColumnType.TEXT: _("Text."),
        ColumnType.CODE: _("The 10-digit code, written as text so that leading zeros stay."),
        ColumnType.PHONE: _("Phone number, written as text."),
        ColumnType.INTEGER: _("A whole number."),
        ColumnType.MONEY: _("A whole number of đồng (a header “(triệu đồng)” means millions)."),
        ColumnType.FLOAT: _("A decimal number, e.g. 22.1468."),
        ColumnType.DATE: _("A date, dd/mm/yyyy (a year alone means 1 January)."),
        ColumnType.BOOL: _("x (or “có”) for yes; empty for no."),
        ColumnType.PLACE: _(
            "The administrative address, of the tree before or after 1 July 2025, e.g. "
            "“Xã Lương Bằng, Huyện Chợ Đồn, Tỉnh Bắc Kạn”."
        ),
    }
    if column.type == ColumnType.CHOICE:
        return _("One of: %(choices)s.") % {"choices": "; ".join(choice_labels(column))}
    return str(hints.get(column.type, ""))
