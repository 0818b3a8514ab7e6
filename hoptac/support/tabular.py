"""Spreadsheets of the lists officers keep (support given, course participants, products…):
read through the pipeline of hoptac.core.tabular.

Taken from the pipeline: the size limit (HOPTAC_MAX_IMPORT_MB), the format told from
the content (.xlsx through defusedxml, .xls, .ods, CSV in any of Excel's encodings), refusal of
encrypted files, zip and XML bombs, the cell parsers (dates, money, codes, yes/no) and the typed
.xlsx / CSV writers. Added here: a column spec per list (`excel.Column`), the header row found
among the first rows by the list's own names, choice cells read by the choices' labels, and the
uploaded file kept for the officer between "check" and "import".

The import itself belongs to each list: every row is checked with the same form the page uses,
and rows are written in one transaction only when no row has an error.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.http import FileResponse, Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from hoptac.core import tabular
from hoptac.core.tabular import Column, ColumnType, ImportFileError, check_size
from hoptac.core.tabular.cells import CellError, clean_cell
from hoptac.registry import excel  # writing the lists (.xlsx) only

if TYPE_CHECKING:
    from hoptac.accounts.models import User

HEADER_SCAN_ROWS = 30
MAX_ROWS = 10_000

__all__ = [
    "CellError",
    "Column",
    "ColumnType",
    "ImportFileError",
    "Table",
    "parse",
    "read_table",
]


def _names(column: Column) -> list[tuple[str, int]]:
    names = [(column.key.replace("_", " "), 1)]
    for language in ("en", "vi"):
        with translation.override(language):
            names.append((str(column.header), 1))
    names += [a if isinstance(a, tuple) else (a, 1) for a in column.aliases]
    return names


def header_index(columns: Sequence[Column]) -> dict[str, tuple[str, int]]:
    """Every accepted header of `columns`, normalized (tabular.normalize_header) → the
    column's key and the scale of the unit the header names (1 000 000 for "(triệu đồng)")."""
    index: dict[str, tuple[str, int]] = {}
    for column in columns:
        for name, scale in _names(column):
            index.setdefault(tabular.normalize_header(name), (column.key, scale))
    return index


@dataclass
class Table:
    """A list read from a file: the header row, which file column feeds which key, and the
    data rows (row number as the spreadsheet shows it, raw values by key)."""

    header_row: int
    positions: dict[str, int]
    scales: dict[str, int] = field(default_factory=dict)
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)


def _find_header(
    head: list[tuple[int, list[Any]]], index: dict[str, tuple[str, int]]
) -> Table | None:
    """The row naming the most columns: a header written in full first, else without its
    parenthesised part ("Số thành viên (người)")."""
    best: Table | None = None
    for number, values in head[:HEADER_SCAN_ROWS]:
        found = Table(number, {})
        for position, value in enumerate(values):
            if value in (None, ""):
                continue
            match = index.get(tabular.normalize_header(value))
            if match is None:
                match = index.get(tabular.normalize_header(re.sub(r"\([^)]*\)", " ", str(value))))
            if match is not None and match[0] not in found.positions:
                found.positions[match[0]] = position
                found.scales[match[0]] = match[1]
        if found.positions and (best is None or len(found.positions) > len(best.positions)):
            best = found
    return best


def read_table(path: Path, columns: Sequence[Column]) -> Table:
    """Read the list in the file at `path`: the first sheet whose header row (among the first
    30 rows) names the required columns, and every non-empty row under it.

    ImportFileError when the file is unsafe or unreadable, has no such header, or holds more
    than MAX_ROWS rows.
    """
    check_size(path.stat().st_size)
    index = header_index(columns)
    required = [c for c in columns if c.required]
    with tabular.open_spreadsheet(path) as book:
        for sheet in book.sheets:
            rows = sheet.rows()
            head: list[tuple[int, list[Any]]] = []
            for item in rows:
                head.append(item)
                if len(head) >= HEADER_SCAN_ROWS:
                    break
            table = _find_header(head, index)
            if table is None or any(c.key not in table.positions for c in required):
                continue
            for row_number, values in _chain(head, rows):
                if row_number <= table.header_row:
                    continue
                raw = {
                    key: values[position] if position < len(values) else None
                    for key, position in table.positions.items()
                }
                if all(clean_cell(v) is None for v in raw.values()):
                    continue
                table.rows.append((row_number, raw))
                if len(table.rows) > MAX_ROWS:
                    raise ImportFileError(
                        _("The file has more than %(count)s rows; split it into smaller files.")
                        % {"count": MAX_ROWS}
                    )
            return table
    raise ImportFileError(
        _("No header row naming these columns was found: %(columns)s.")
        % {"columns": ", ".join(f"“{c.header}”" for c in required)}
    )


def _chain(
    head: list[tuple[int, list[Any]]], rest: Iterator[tuple[int, list[Any]]]
) -> Iterator[tuple[int, list[Any]]]:
    yield from head
    yield from rest


def parse(column: Column, raw: Any, scale: int = 1) -> Any:
    """A cell's value as its column's type (None or "" when empty), times `scale` for money
    written in larger units; CellError, whose message names the value and what was expected,
    when it cannot be read (hoptac.core.tabular.parse_value)."""
    value = tabular.parse_value(column, raw, scale)
    if column.type == ColumnType.CHOICE and value is None:
        return ""
    return value


def cell_error(number: int, column: Column, message: str) -> str:
    """An error of one cell, for the officer: the row, the column and what is wrong."""
    return _("Row %(row)s, column “%(column)s”: %(message)s") % {
        "row": number,
        "column": column.header,
        "message": message,
    }


def row_error(number: int, message: str) -> str:
    return _("Row %(row)s: %(message)s") % {"row": number, "message": message}


# --- writing ----------------------------------------------------------------------------------


def export_response(
    rows: Iterable[Sequence[Any]], *, columns: Sequence[Column], filename: str, sheet: str
) -> FileResponse:
    """An .xlsx of `rows` under `columns`' headers (active language), typed cells, written by
    a constant-memory sheet to a temporary file and streamed."""
    handle = tempfile.TemporaryFile()  # noqa: SIM115  (closed by FileResponse)
    excel.write_xlsx(
        handle, rows, header=excel.headers(columns), columns=columns, sheet_title=sheet
    )
    handle.seek(0)
    return FileResponse(
        handle, as_attachment=True, filename=filename, content_type=excel.XLSX_CONTENT_TYPE
    )


def template_response(*, columns: Sequence[Column], filename: str, sheet: str) -> FileResponse:
    """The blank list: the header row alone."""
    return export_response([], columns=columns, filename=filename, sheet=sheet)


# --- the uploaded file between the page's steps -----------------------------------------------


def uploads_root() -> Path:
    """Where uploaded lists wait between "check" and "import" (never under MEDIA_ROOT)."""
    return Path(settings.VAR_DIR) / "imports-lists"


def upload_store(*, user: User, name: str, chunks: Iterable[bytes], size: int) -> str:
    """Keep an uploaded file for its owner; returns its token. Files older than a day go."""
    check_size(size)
    _sweep()
    token = uuid.uuid4().hex
    folder = uploads_root() / token
    folder.mkdir(parents=True)
    suffix = Path(name).suffix.lower()[:8]
    stored = "source" + (suffix if suffix.isascii() and suffix[1:].isalnum() else "")
    with (folder / stored).open("wb") as handle:  # openpyxl goes by the suffix
        for chunk in chunks:
            handle.write(chunk)
    meta = {"owner": user.pk, "filename": Path(name).name[:200], "stored": stored}
    (folder / "meta.json").write_text(json.dumps(meta, ensure_ascii=False))
    return token


def upload_path(*, user: User, token: str) -> Path:
    """The user's own stored file; 404 for anyone else's or a missing one."""
    if not token.isalnum():
        raise Http404
    folder = uploads_root() / token
    try:
        meta = json.loads((folder / "meta.json").read_text())
    except (OSError, ValueError) as error:
        raise Http404 from error
    if meta.get("owner") != user.pk:
        raise Http404
    return folder / str(meta.get("stored", "source"))


def upload_discard(token: str) -> None:
    if token.isalnum():
        shutil.rmtree(uploads_root() / token, ignore_errors=True)


def _sweep(max_age: timedelta = timedelta(days=1)) -> None:
    root = uploads_root()
    if not root.exists():
        return
    limit = (timezone.now() - max_age).timestamp()
    for folder in root.iterdir():
        if folder.is_dir() and folder.stat().st_mtime < limit:
            shutil.rmtree(folder, ignore_errors=True)
