"""The values of the registry's cells: raw cells parsed as their column's type (parse_cell),
and a row's cells together (parse_row), where the sector cell may also give the sub-sector.

The generic readers (numbers, amounts, dates, yes/no, codes) are hoptac.core.tabular.cells,
re-exported here; the registry's choice columns are read here, the sector and sub-sector by
hoptac.registry.vocabulary. Pure: no database.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from hoptac.core.tabular.cells import (
    DATE_FORMATS,
    EXCEL_EPOCH,
    FALSE_WORDS,
    TRUE_WORDS,
    CellError,
    YearOnly,
    as_text,
    clean_cell,
    display,
)
from hoptac.core.tabular.columns import PARENTHESES
from hoptac.core.tabular.values import parse_value
from hoptac.registry import vocabulary
from hoptac.registry.choices import Sector, SubSector, label_of
from hoptac.registry.excel.columns import (
    COLUMNS_BY_KEY,
    Column,
    ColumnType,
    normalize_header,
)

__all__ = [
    "DATE_FORMATS",
    "EXCEL_EPOCH",
    "FALSE_WORDS",
    "TRUE_WORDS",
    "CellError",
    "ParsedRow",
    "RowParser",
    "YearOnly",
    "choice_labels",
    "clean_cell",
    "display",
    "parse_cell",
    "parse_row",
]

SECTOR_KEYS = ("sector", "sub_sector")
# Date columns where a year alone is a value: the founding year ("Năm thành lập: 2015"); a
# registration date is a day on a certificate, never a year alone.
YEAR_ALONE_KEYS = frozenset({"founded_on"})
# Words after a count that say what is counted ("12 người", "25 thành viên").
COUNT_UNITS = frozenset(
    {"nguoi", "thanh vien", "tv", "xa vien", "lao dong", "ld", "ho", "ho thanh vien"}
)


def _choice_key(text: str) -> str:
    """A choice as compared: abbreviations spelled out, folded, words only."""
    return normalize_header(vocabulary.normalize(text))


@functools.cache
def _choice_index(key: str) -> dict[str, str]:
    """Folded names of each choice of column `key`: its code, its labels in English and
    Vietnamese (the part in parentheses too), and the column's aliases."""
    column = COLUMNS_BY_KEY[key]
    assert column.choices is not None  # noqa: S101  (only choice columns get here)
    index: dict[str, str] = {}
    for choice in column.choices:
        names = [choice.value, choice.value.replace("_", " ")]
        for language in ("vi", "en"):
            with translation.override(language):
                label = str(choice.label)
            names.append(label)
            names += re.findall(r"\(([^)]*)\)", label)
            names.append(PARENTHESES.sub(" ", label))
        for name in names:
            index.setdefault(_choice_key(name), choice.value)
    for alias, value in column.choice_aliases.items():
        index.setdefault(_choice_key(alias), value)
    return index


def choice_labels(column: Column) -> list[str]:
    """The labels a choice column accepts, in the active language."""
    assert column.choices is not None  # noqa: S101
    return [str(choice.label) for choice in column.choices]


def read_sector_cell(raw: Any) -> vocabulary.SectorReading | None:
    """The sector and sub-sector a cell names (None when empty), or CellError."""
    value = clean_cell(raw)
    if value is None:
        return None
    text = as_text(value)
    try:
        reading = vocabulary.read_sector(text)
    except vocabulary.AmbiguousSector as error:
        raise CellError(
            _("“%(value)s” may mean %(options)s: write one of them.")
            % {
                "value": text,
                "options": _(" or ").join(
                    f"“{label_of(SubSector, option)}”" for option in error.options
                ),
            }
        ) from error
    except vocabulary.ConflictingSector as error:
        raise CellError(
            _("“%(value)s”: %(sub_sector)s is not part of the sector %(sector)s.")
            % {
                "value": text,
                "sub_sector": label_of(SubSector, error.sub_sector),
                "sector": label_of(Sector, error.sector),
            }
        ) from error
    if reading is None:
        raise CellError(
            _("“%(value)s” is neither a sector (%(sectors)s) nor a sub-sector (%(sub_sectors)s).")
            % {
                "value": text,
                "sectors": "; ".join(str(c.label) for c in Sector),
                "sub_sectors": "; ".join(str(c.label) for c in SubSector),
            }
        )
    return reading


def parse_cell(column: Column, raw: Any, scale: int = 1) -> Any:
    """The value of one cell as its column's type, or None when empty.

    Raises CellError with a message naming the value and what was expected. A sector cell
    gives the sector even when it names a sub-sector ("Trồng trọt" is agricultural); a
    sub-sector cell gives the sub-sector (None when it names a sector alone): parse_row also
    carries the sub-sector of a sector cell.
    """
    if column.key in SECTOR_KEYS:
        reading = read_sector_cell(raw)
        if reading is None:
            return None
        return reading.sector if column.key == "sector" else reading.sub_sector
    return parse_value(
        column,
        raw,
        scale,
        year_alone=column.key in YEAR_ALONE_KEYS,
        choices=_choice_index(column.key) if column.type == ColumnType.CHOICE else None,
        choice_key=_choice_key,
        count_units=COUNT_UNITS,
    )


@dataclass
class ParsedRow:
    """A row's values by column key, and its cells that could not be read: (the file
    column's index, the message). A failed cell's key holds None and is in `failed`."""

    values: dict[str, Any] = field(default_factory=dict)
    errors: list[tuple[int, str]] = field(default_factory=list)
    failed: set[str] = field(default_factory=set)


def parse_row(columns: Sequence[tuple[int, Column, int]], raw: Sequence[Any]) -> ParsedRow:
    """The values of a row's cells: `columns` gives each mapped file column's index, its
    Column and its scale. One message per cell that cannot be read.

    The sector and sub-sector are read together: a sector cell naming a sub-sector ("Trồng
    trọt", "NN - Trồng trọt") gives both, unless the row's sub-sector cell names one (then
    they must agree); a sub-sector cell naming a sector alone gives the sector.
    """
    steps = [
        (index, column, functools.partial(_read, column, scale)) for index, column, scale in columns
    ]
    return _row_of(steps, raw)


# Column types whose cells repeat from row to row (kinds, dates, amounts, yes/no), so that
# RowParser remembers their outcome by raw value; text, codes and coordinates are mostly all
# different.
_REPEATING = frozenset(
    {ColumnType.INTEGER, ColumnType.MONEY, ColumnType.DATE, ColumnType.BOOL, ColumnType.CHOICE}
)
# Text written the one way that needs no rule of core.tabular.cells: a fractional number
# with a point ("21.214175", read_float's outcome is float() of it) and an ISO date
# ("2002-12-03", read_date's is date.fromisoformat's; a day that does not exist is left to
# read_date, for its message).
_PLAIN_FLOAT = re.compile(r"[+-]?\d+(\.\d+)?", re.ASCII)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
MEMO_LIMIT = 5_000  # values remembered per column (then forgotten, and remembered again)


class RowParser:
    """parse_row for the rows of one file (one import, one language): a cell's outcome
    depends on its raw value alone, so the columns whose values repeat (choices, the sector,
    dates, amounts, counts, yes/no) remember it by value, at most MEMO_LIMIT values a column;
    a text cell is cleaned directly. The same values and messages as parse_row (tested)."""

    def __init__(self, columns: Sequence[tuple[int, Column, int]]) -> None:
        self.steps = [(index, column, _reader(column, scale)) for index, column, scale in columns]

    def parse(self, raw: Sequence[Any]) -> ParsedRow:
        """The row's values and the messages of its cells that cannot be read."""
        return _row_of(self.steps, raw)


def _read(column: Column, scale: int, cell: Any) -> Any:
    """A cell's value (for the sector columns, its SectorReading or None); CellError."""
    if column.key in SECTOR_KEYS:
        return read_sector_cell(cell)
    return parse_cell(column, cell, scale)


def _reader(column: Column, scale: int) -> Callable[[Any], Any]:
    read: Callable[[Any], Any] = functools.partial(_read, column, scale)
    if column.type in (ColumnType.TEXT, ColumnType.PLACE) and column.key not in SECTOR_KEYS:

        def text(cell: Any) -> Any:
            if cell.__class__ is str:  # what clean_cell and as_text make of text
                return unicodedata.normalize("NFC", cell).strip() or None
            return read(cell)

        return text
    if column.type == ColumnType.FLOAT:

        def number(cell: Any) -> Any:
            if cell.__class__ is str and _PLAIN_FLOAT.fullmatch(cell):
                return float(cell)
            return read(cell)

        return number
    if column.type not in _REPEATING and column.key not in SECTOR_KEYS:
        return read
    if column.type == ColumnType.DATE:
        read = _iso_first(read)
    memo: dict[Any, tuple[Any, str | None]] = {}

    def remembered(cell: Any) -> Any:
        try:
            key = (cell.__class__, cell)
            outcome = memo.get(key)
        except TypeError:  # an unhashable value: not remembered
            return read(cell)
        if outcome is None:
            try:
                outcome = (read(cell), None)
            except CellError as error:
                outcome = (None, str(error))
            if len(memo) >= MEMO_LIMIT:
                memo.clear()
            memo[key] = outcome
        if outcome[1] is not None:
            raise CellError(outcome[1])
        return outcome[0]

    return remembered


def _iso_first(read: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def iso(cell: Any) -> Any:
        if cell.__class__ is str and _ISO_DATE.fullmatch(cell):
            try:
                return date.fromisoformat(cell)
            except ValueError:
                pass
        return read(cell)

    return iso


def _row_of(
    steps: Sequence[tuple[int, Column, Callable[[Any], Any]]], raw: Sequence[Any]
) -> ParsedRow:
    row = ParsedRow()
    readings: dict[str, tuple[int, vocabulary.SectorReading | None]] = {}
    width = len(raw)
    for index, column, read in steps:
        cell = raw[index] if index < width else None
        try:
            value = read(cell)
        except CellError as error:
            row.errors.append((index, str(error)))
            row.values[column.key] = None
            row.failed.add(column.key)
            continue
        if column.key in SECTOR_KEYS:
            readings[column.key] = (index, value)
        else:
            row.values[column.key] = value
    if readings:
        _sector_values(row, readings)
    return row


def _sector_values(
    row: ParsedRow, readings: dict[str, tuple[int, vocabulary.SectorReading | None]]
) -> None:
    _index, of_sector = readings.get("sector", (-1, None))
    sub_index, of_sub = readings.get("sub_sector", (-1, None))
    sector = of_sector.sector if of_sector else None
    sub_sector = of_sub.sub_sector if of_sub else None
    if of_sector and of_sector.sub_sector:
        if sub_sector and sub_sector != of_sector.sub_sector:
            row.errors.append(
                (
                    sub_index,
                    _("“%(value)s” differs from the sub-sector that the sector says (%(other)s).")
                    % {
                        "value": label_of(SubSector, sub_sector),
                        "other": label_of(SubSector, of_sector.sub_sector),
                    },
                )
            )
            row.failed.add("sub_sector")
            sub_sector = None
        else:
            sub_sector = of_sector.sub_sector
    if sector is None and of_sub is not None and "sector" not in row.failed:
        sector = of_sub.sector
    if "sector" in readings or sector is not None:
        row.values.setdefault("sector", sector)
    if "sub_sector" in readings or sub_sector is not None:
        row.values.setdefault("sub_sector", sub_sector)
