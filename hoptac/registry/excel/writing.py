"""The registry's spreadsheets: its columns' headers, widths and number formats for the
writer every app shares (hoptac.core.tabular.writing), and the blank template.

Every cell goes through hoptac.core.spreadsheet_safety: text is never a formula."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
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
from hoptac.core.tabular.writing import column_hint as column_hint  # re-exported
from hoptac.core.tabular.writing import number_format
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
    return tabular_writing.write_columns(
        target,
        rows,
        columns=columns,
        header=header,
        title_rows=title_rows,
        sheet_title=sheet_title or _("Cooperatives"),
    )


def write_xlsx_copied(
    target: Any,
    values: Any,
    *,
    kinds: Sequence[str],
    header: Sequence[str],
    columns: Sequence[Column | None] = (),
    counted: Callable[[int], None] | None = None,
) -> int:
    """write_xlsx for rows PostgreSQL writes (export.xlsx_copy_values gives `values` and
    `kinds`): the same workbook, faster (hoptac.core.tabular.writing.write_columns_by_copy).
    Returns the number of data rows."""
    return tabular_writing.write_columns_by_copy(
        target,
        values,
        kinds=kinds,
        columns=columns,
        header=header,
        sheet_title=_("Cooperatives"),
        counted=counted,
    )


def template_workbook() -> bytes:
    """The blank template: the header row of every exported column, and a second sheet that
    explains each column (required or not, the format, the accepted values)."""
    return xlsx_bytes(_fill_template)


def _fill_template(book: XlsxWorkbook) -> None:
    sheet = book.add_sheet(_("Cooperatives"))
    for index, column in enumerate(EXPORT_COLUMNS):
        sheet.write(0, index, str(column.header), HEADER)
        sheet.column(index, width=column.width, num_format=number_format(column))
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
