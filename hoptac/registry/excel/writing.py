"""Writing spreadsheets: .xlsx (write-only) and CSV lines, and the blank template.

Every cell goes through hoptac.core.spreadsheet_safety: text is never a formula."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from hoptac.core import spreadsheet_safety
from hoptac.core.spreadsheet_safety import csv_lines as csv_lines  # re-exported
from hoptac.registry.excel.cells import choice_labels
from hoptac.registry.excel.columns import EXPORT_COLUMNS, Column, ColumnType

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
DATE_FORMAT = "dd/mm/yyyy"
MONEY_FORMAT = "#,##0"
MAX_EXACT_NUMBER = 2**53  # larger whole numbers are written as text, not to lose digits


def headers(columns: Iterable[Column] = EXPORT_COLUMNS) -> list[str]:
    """The headers of `columns` in the active language."""
    return [str(column.header) for column in columns]


def xlsx_cell_value(value: Any) -> Any:
    """A value as an xlsx cell holds it: numbers, dates and booleans typed."""
    if isinstance(value, Decimal):
        return int(value) if abs(value) < MAX_EXACT_NUMBER else str(value)
    return value


# A value as CSV text (ISO dates, plain numbers), text unmarked: csv_lines marks text.
csv_cell_value = spreadsheet_safety.csv_plain


def write_xlsx(
    target: Any,
    rows: Iterable[Sequence[Any]],
    *,
    header: Sequence[str],
    columns: Sequence[Column | None] = (),
    title_rows: Sequence[Sequence[Any]] = (),
    sheet_title: str = "",
) -> int:
    """Write an .xlsx to `target` (a path or binary file) with openpyxl's write-only mode,
    so memory stays flat whatever the number of rows. Returns the number of data rows."""
    from openpyxl.styles import Alignment, Font

    workbook = spreadsheet_safety.new_workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title or _("Cooperatives"))
    for index, column in enumerate(columns):
        if column is not None:
            letter = _column_letter(index + 1)
            sheet.column_dimensions[letter].width = column.width
    if header:
        sheet.freeze_panes = f"A{len(title_rows) + 2}"
    for title in title_rows:
        sheet.append([xlsx_cell_value(v) for v in title])
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    head_cells = []
    for text in header:
        cell = spreadsheet_safety.xlsx_cell(sheet, text)
        cell.font = bold
        cell.alignment = wrap
        head_cells.append(cell)
    sheet.append(head_cells)
    formats = [_number_format(c) for c in columns] + [None] * (len(header) - len(columns))
    count = 0
    for row in rows:
        cells = []
        for index, value in enumerate(row):
            value = xlsx_cell_value(value)
            number_format = formats[index] if index < len(formats) else None
            if number_format is None and isinstance(value, date):
                number_format = DATE_FORMAT
            if number_format and value is not None and not isinstance(value, str):
                cell = spreadsheet_safety.xlsx_cell(sheet, value, number_format=number_format)
                cells.append(cell)
            else:
                cells.append(value)
        sheet.append(cells)  # the workbook's sheets write text as text
        count += 1
    workbook.save(target)
    return count


def _number_format(column: Column | None) -> str | None:
    if column is None:
        return None
    if column.type == ColumnType.DATE:
        return DATE_FORMAT
    if column.type == ColumnType.MONEY:
        return MONEY_FORMAT
    return None


def _column_letter(number: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(number)


def template_workbook() -> bytes:
    """The blank template: the header row of every exported column, and a second sheet that
    explains each column (required or not, the format, the accepted values)."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = spreadsheet_safety.new_workbook()
    sheet = workbook.active
    sheet.title = _("Cooperatives")
    bold = Font(bold=True)
    for index, column in enumerate(EXPORT_COLUMNS, start=1):
        cell = spreadsheet_safety.xlsx_put(sheet, 1, index, str(column.header))
        cell.font = bold
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        letter = _column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        number_format = _number_format(column)
        if column.type == ColumnType.CHOICE:
            values = ",".join(v.replace(",", " ") for v in choice_labels(column))
            if len(values) < 250:  # Excel's limit for a list written in the rule
                rule = DataValidation(type="list", formula1=f'"{values}"', allow_blank=True)
                rule.add(f"{letter}2:{letter}5000")
                sheet.add_data_validation(rule)
        if number_format:
            for row in range(2, 202):
                sheet.cell(row=row, column=index).number_format = number_format
    sheet.freeze_panes = "A2"
    guide = workbook.create_sheet(_("Guide"))
    guide.append([_("Column"), _("Required"), _("How to write it"), _("Also accepted as header")])
    for cell in guide[1]:
        cell.font = bold
    for column in EXPORT_COLUMNS:
        aliases = [a[0] if isinstance(a, tuple) else a for a in column.aliases]
        guide.append(
            [
                str(column.header),
                _("Yes") if column.required else "",
                column_hint(column),
                "; ".join(aliases),
            ]
        )
    for letter, width in zip("ABCD", (34, 10, 70, 60), strict=True):
        guide.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def column_hint(column: Column) -> str:
    """How to write a column's values, for the template's guide."""
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
