"""The registry's spreadsheets: its columns' headers, widths and number formats for the
writer every app shares (hoptac.core.tabular.writing), and the blank template.

Every cell goes through hoptac.core.spreadsheet_safety: text is never a formula."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.utils.translation import gettext as _

from hoptac.core import spreadsheet_safety
from hoptac.core.spreadsheet_safety import BOLD, HEADER, XlsxWorkbook, xlsx_bytes
from hoptac.core.spreadsheet_safety import csv_lines as csv_lines  # re-exported
from hoptac.core.tabular import writing as tabular_writing
from hoptac.core.tabular.writing import DATE_FORMAT as DATE_FORMAT  # re-exported
from hoptac.core.tabular.writing import MAX_EXACT_NUMBER as MAX_EXACT_NUMBER
from hoptac.core.tabular.writing import MONEY_FORMAT as MONEY_FORMAT
from hoptac.core.tabular.writing import XLSX_CONTENT_TYPE as XLSX_CONTENT_TYPE
from hoptac.registry.excel.cells import choice_labels
from hoptac.registry.excel.columns import EXPORT_COLUMNS, Column, ColumnType

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
TEMPLATE_ROWS = 5000  # rows of the template that carry the drop-downs and number formats


def headers(columns: Iterable[Column] = EXPORT_COLUMNS) -> list[str]:
    """The headers of `columns` in the active language."""
    return [str(column.header) for column in columns]


# A value as an .xlsx cell holds it: numbers, dates and booleans typed, text as text.
xlsx_cell_value = spreadsheet_safety.xlsx_value

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
    """Write an .xlsx of `rows` under `header` to `target` (a path or binary file), each
    column typed, formatted and as wide as its Column says (hoptac.core.tabular.writing;
    memory stays flat whatever the number of rows). Returns the number of data rows."""
    return tabular_writing.write_xlsx(
        target,
        rows,
        header=header,
        formats=[_number_format(column) for column in columns],
        widths=[column.width if column is not None else None for column in columns],
        title_rows=title_rows,
        sheet_title=sheet_title or _("Cooperatives"),
    )


def _number_format(column: Column | None) -> str | None:
    if column is None:
        return None
    if column.type == ColumnType.DATE:
        return DATE_FORMAT
    if column.type == ColumnType.MONEY:
        return MONEY_FORMAT
    return None


def template_workbook() -> bytes:
    """The blank template: the header row of every exported column, and a second sheet that
    explains each column (required or not, the format, the accepted values)."""
    return xlsx_bytes(_fill_template)


def _fill_template(book: XlsxWorkbook) -> None:
    sheet = book.add_sheet(_("Cooperatives"))
    for index, column in enumerate(EXPORT_COLUMNS):
        sheet.write(0, index, str(column.header), HEADER)
        sheet.column(index, width=column.width, num_format=_number_format(column))
        if column.type == ColumnType.CHOICE:
            # Excel holds a list of at most 255 characters in the rule: longer, no drop-down.
            labels = [label.replace(",", " ") for label in choice_labels(column)]
            sheet.choice_list(1, TEMPLATE_ROWS - 1, index, labels)
    sheet.freeze(1)
    guide = book.add_sheet(_("Guide"))
    guide.write_row(
        0, [_("Column"), _("Required"), _("How to write it"), _("Also accepted as header")], BOLD
    )
    for row, column in enumerate(EXPORT_COLUMNS, start=1):
        aliases = [a[0] if isinstance(a, tuple) else a for a in column.aliases]
        guide.write_row(
            row,
            [
                str(column.header),
                _("Yes") if column.required else "",
                column_hint(column),
                "; ".join(aliases),
            ],
        )
    for index, width in enumerate((34, 10, 70, 60)):
        guide.column(index, width=width)


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
