"""Where an import file's table is (header detection below title blocks, two-row and merged
headers), what its columns are (the officer's column map), and the size limit."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from hoptac.core.tabular.cells import display, unit_scale
from hoptac.core.tabular.columns import Column, HeaderMatch, HeaderMatcher
from hoptac.core.tabular.reading import ImportFileError, Merge, Sheet, Spreadsheet, open_spreadsheet
from hoptac.core.tabular.reading import too_large as _too_large

HEADER_SCAN_ROWS = 30
CHUNK_SIZE = 500
MIN_HEADER_MATCHES = 2

Progress = Callable[[str, int, int], None]
"""progress(phase, done, total): phase is "check" or "write"; it may raise to stop the run."""


def max_import_bytes() -> int:
    """The largest file accepted (HOPTAC_MAX_IMPORT_MB)."""
    return int(settings.HOPTAC_MAX_IMPORT_MB) * 1024 * 1024


def check_size(size: int) -> None:
    """Refuse a file larger than HOPTAC_MAX_IMPORT_MB."""
    if size > max_import_bytes():
        raise _too_large(size, settings.HOPTAC_MAX_IMPORT_MB)


@dataclass
class Layout:
    """Where the table sits in the file and what its columns are.

    headers: each file column's header as the file writes it (merged cells take the value of
    their top-left cell); proposed: the column key each header names (None: not imported).
    """

    format: str
    sheet: int
    sheet_name: str
    header_rows: list[int]
    first_data_row: int
    headers: list[str]
    proposed: list[str | None]
    scales: list[int]
    title_rows: list[list[Any]] = field(default_factory=list)
    header_values: list[list[Any]] = field(default_factory=list)
    samples: list[list[Any]] = field(default_factory=list)  # the first data rows
    csv_dialect: tuple[str, str] | None = None

    def label(self, index: int) -> str:
        """A file column as the officer knows it: its header, else its letter."""
        from openpyxl.utils import get_column_letter

        header = self.headers[index] if index < len(self.headers) else ""
        return header or _("column %(letter)s") % {"letter": get_column_letter(index + 1)}

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["title_rows"] = [[_jsonable(v) for v in row] for row in self.title_rows]
        data["header_values"] = [[_jsonable(v) for v in row] for row in self.header_values]
        data["samples"] = [[_jsonable(v) for v in row] for row in self.samples]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Layout:
        data = dict(data)
        if data.get("csv_dialect"):
            data["csv_dialect"] = tuple(data["csv_dialect"])
        return cls(**data)


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _filled_grid(rows: list[list[Any]], merges: Iterable[Merge]) -> list[list[Any]]:
    """The first rows with every merged cell holding its range's top-left value."""
    grid = [list(row) for row in rows]
    for merge in merges:
        if merge.first_row > len(grid):
            continue
        top = grid[merge.first_row - 1]
        value = top[merge.first_col - 1] if merge.first_col - 1 < len(top) else None
        for r in range(merge.first_row - 1, min(merge.last_row, len(grid))):
            row = grid[r]
            if len(row) < merge.last_col:
                row.extend([None] * (merge.last_col - len(row)))
            for c in range(merge.first_col - 1, merge.last_col):
                row[c] = value
    return grid


def _matches(row: Sequence[Any], match: HeaderMatcher) -> list[HeaderMatch | None]:
    return [match(v) if v not in (None, "") else None for v in row]


def _score(matches: Sequence[HeaderMatch | None]) -> int:
    return len({m.key for m in matches if m is not None and m.key is not None})


def _is_numbering_row(row: Sequence[Any]) -> bool:
    """A row under the header that numbers the columns: 1 2 3… or (1) (2) (3)…"""
    values = [str(v).strip().strip("()") for v in row if v not in (None, "")]
    return len(values) >= 3 and all(v.isdigit() for v in values) and values[0] in ("1", "A")


def _sheet_layout(
    sheet: Sheet, index: int, fmt: str, match: HeaderMatcher
) -> tuple[int, Layout] | None:
    head: list[tuple[int, list[Any]]] = []
    for number, values in sheet.rows():
        head.append((number, values))
        if len(head) >= HEADER_SCAN_ROWS + 2:
            break
    if not head:
        return None
    numbers = [n for n, _v in head]
    offset = numbers[0] - 1  # rows before the first one read (an .ods starting lower)
    raw: list[list[Any]] = [[] for _ in range(offset)] + [list(v) for _n, v in head]
    grid = _filled_grid(raw, sheet.merges)
    width = max(len(row) for row in grid)
    grid = [row + [None] * (width - len(row)) for row in grid]
    matches = [_matches(row, match) for row in grid]
    scan = range(offset, min(len(grid), offset + HEADER_SCAN_ROWS))
    best = max(scan, key=lambda r: (_score(matches[r]), -r))
    score = _score(matches[best])
    if score < MIN_HEADER_MATCHES:
        return None
    chosen: list[HeaderMatch | None] = list(matches[best])
    headers = [_text(v) for v in grid[best]]
    header_rows = [best]
    used = {m.key for m in chosen if m is not None and m.key}
    for neighbour in (best - 1, best + 1):  # a two-row header: groups above, parts below
        if not offset <= neighbour < len(grid):
            continue
        taken = {
            c: found
            for c, found in enumerate(matches[neighbour])
            if found is not None and found.key and found.key not in used and chosen[c] is None
        }
        unknown = sum(
            1
            for c, value in enumerate(grid[neighbour])
            if value not in (None, "") and matches[neighbour][c] is None and value != grid[best][c]
        )
        if not taken or unknown > len(taken):  # a data row, not a header
            continue
        for c, found in taken.items():
            chosen[c], headers[c] = found, _text(grid[neighbour][c])
            used.add(found.key)  # type: ignore[arg-type]
        header_rows.append(neighbour)
    last = max(header_rows)
    first_data = last + 1
    if first_data < len(grid) and _is_numbering_row(grid[first_data]):
        first_data += 1
    proposed: list[str | None] = []
    scales: list[int] = []
    seen: set[str] = set()
    for found in chosen:
        key = found.key if found is not None and found.key not in seen else None
        if key:
            seen.add(key)
        proposed.append(key)
        scales.append(found.scale if found is not None and key else 1)
    layout = Layout(
        format=fmt,
        sheet=index,
        sheet_name=sheet.name,
        header_rows=[r + 1 for r in sorted(header_rows)],
        first_data_row=first_data + 1,
        headers=headers,
        proposed=proposed,
        scales=scales,
        title_rows=raw[: min(header_rows)],
        header_values=[raw[r] for r in sorted(header_rows)],
        samples=[
            [display(v) for v in row]
            for row in raw[first_data : first_data + 3]
            if any(v not in (None, "") for v in row)
        ],
    )
    return score, layout


def _text(value: Any) -> str:
    if value is None:
        return ""
    return " ".join(str(value).split())


def read_layout(path: Path, *, match: HeaderMatcher) -> Layout:
    """Open the file at `path` and find its table: the sheet and header row that name the
    most known columns (among the first sheets and rows). ImportFileError if none does.

    match: what a header names (each app passes the matcher of its own columns)."""
    check_size(path.stat().st_size)
    with open_spreadsheet(path) as book:
        return layout_of(book, match)


def layout_of(book: Spreadsheet, match: HeaderMatcher) -> Layout:
    """The layout of an open spreadsheet (read_layout)."""
    found = [
        result
        for index, sheet in enumerate(book.sheets)
        if (result := _sheet_layout(sheet, index, book.format, match)) is not None
    ]
    if not found:
        raise ImportFileError(
            _(
                "No header row was found in the first %(rows)s rows: the file must have a "
                "row of column names such as “Tên HTX”, “Mã số HTX”, “Địa chỉ”."
            )
            % {"rows": HEADER_SCAN_ROWS}
        )
    layout = max(found, key=lambda pair: pair[0])[1]
    layout.csv_dialect = book.csv_dialect
    return layout


@dataclass(frozen=True)
class ColumnMap:
    """The officer's choice: which key each file column feeds (None: not imported)."""

    keys: tuple[str | None, ...]
    scales: tuple[int, ...]

    @classmethod
    def proposed(cls, layout: Layout) -> ColumnMap:
        return cls(tuple(layout.proposed), tuple(layout.scales))

    @classmethod
    def chosen(cls, layout: Layout, keys: Sequence[str | None]) -> ColumnMap:
        """A map from the officer's choices: a column that feeds the column its header names
        keeps the scale found with it; one mapped by hand keeps the unit its header writes
        ("Vốn (tr.đ)" mapped to the charter capital is read in millions), else 1."""
        scales = tuple(
            scale if key == proposed else (unit_scale(header) or 1)
            for key, proposed, scale, header in zip(
                keys, layout.proposed, layout.scales, layout.headers, strict=True
            )
        )
        return cls(tuple(keys), scales)

    def index_of(self, key: str) -> int | None:
        return self.keys.index(key) if key in self.keys else None

    def mapped(self) -> set[str]:
        return {k for k in self.keys if k}


def duplicate_errors(
    layout: Layout, mapping: ColumnMap, columns: Mapping[str, Column]
) -> tuple[list[str], dict[str, int]]:
    """What makes a mapping unusable whatever the app: a key that is not one of `columns`, a
    key fed by two file columns. Also the file column of each key."""
    errors = []
    seen: dict[str, int] = {}
    for index, key in enumerate(mapping.keys):
        if not key:
            continue
        if key not in columns:
            errors.append(_("Unknown column key “%(key)s”.") % {"key": key})
        elif key in seen:
            errors.append(
                _("The columns “%(first)s” and “%(second)s” are both read as “%(column)s”.")
                % {
                    "first": layout.label(seen[key]),
                    "second": layout.label(index),
                    "column": columns[key].header,
                }
            )
        else:
            seen[key] = index
    return errors, seen
