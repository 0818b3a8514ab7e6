"""Writing a table as .xlsx: title rows, a bold header, typed rows; the list exports of every
app (the registry, annual reports, support) and their blank templates.

The workbook is made by hoptac.core.spreadsheet_safety (text is never a formula). The sheet is
written in constant-memory mode, to a file, in batches of rows (XlsxSheet.write_rows): memory
stays flat in the number of rows. Measured in bench/README.md ("Export"): rvgsrust-xlsxwriter
writes the registry's national list several times faster than openpyxl or XlsxWriter.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from hoptac.core.spreadsheet_safety import (
    DATE_FORMAT,
    HEADER,
    MAX_EXACT_NUMBER,
    MONEY_FORMAT,
    XlsxWorkbook,
)

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

__all__ = [
    "DATE_FORMAT",
    "MAX_EXACT_NUMBER",
    "MONEY_FORMAT",
    "XLSX_CONTENT_TYPE",
    "write_xlsx",
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
