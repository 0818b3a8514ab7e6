"""A cell's value as its column's type: the readers of `cells` chosen by the Column's type.

Pure: no database. An app whose column needs more (the registry's sector, which also gives the
sub-sector) reads that column itself and leaves the others to parse_value.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from hoptac.core.tabular.cells import (
    CellError,
    as_text,
    clean_cell,
    read_amount,
    read_bool,
    read_code,
    read_count,
    read_date,
    read_float,
    read_phone,
)
from hoptac.core.tabular.columns import PARENTHESES, Column, ColumnType, normalize_header

_CHOICE_INDEXES: dict[tuple[str, Any, str], dict[str, str]] = {}


def choice_index(column: Column) -> dict[str, str]:
    """Folded names of each choice of `column`: its code, its labels in both languages (and
    without their parenthesised part), and the column's aliases; built once per column."""
    assert column.choices is not None  # noqa: S101  (only choice columns get here)
    key = (column.key, column.choices, repr(sorted(column.choice_aliases.items())))
    cached = _CHOICE_INDEXES.get(key)
    if cached is not None:
        return cached
    index: dict[str, str] = {}
    for choice in column.choices:
        names = [choice.value, choice.value.replace("_", " ")]
        for language in ("vi", "en"):
            with translation.override(language):
                label = str(choice.label)
            names += [label, PARENTHESES.sub(" ", label)]
        for name in names:
            index.setdefault(normalize_header(name), choice.value)
    for alias, value in column.choice_aliases.items():
        index.setdefault(normalize_header(alias), value)
    _CHOICE_INDEXES[key] = index
    return index


def parse_value(
    column: Column,
    raw: Any,
    scale: int = 1,
    *,
    year_alone: bool = False,
    choices: Mapping[str, str] | None = None,
    choice_key: Callable[[str], str] = normalize_header,
    count_units: frozenset[str] = frozenset(),
) -> Any:
    """The value of one cell as its column's type: None when empty (False for yes/no); money
    and counts times `scale` (the unit of the header: 1 000 000 for "(triệu đồng)"); a date
    column takes a year alone when `year_alone`. CellError, whose message names the value and
    what was expected, when the cell cannot be read. An app may give a choice column's own
    index (`choices`, folded by `choice_key`) and the words a count may carry (`count_units`)."""
    value = clean_cell(raw)
    if value is None:
        return False if column.type == ColumnType.BOOL else None
    kind = column.type
    if kind in (ColumnType.TEXT, ColumnType.PLACE):
        return as_text(value)
    if kind == ColumnType.CODE:
        return read_code(value)
    if kind == ColumnType.PHONE:
        return read_phone(value)
    if kind == ColumnType.BOOL:
        return read_bool(value)
    if kind == ColumnType.CHOICE:
        index = choices if choices is not None else choice_index(column)
        found = index.get(choice_key(as_text(value)))
        if found is None:
            labels = "; ".join(str(choice.label) for choice in column.choices or ())
            raise CellError(
                _("“%(value)s” is not one of: %(choices)s.")
                % {"value": as_text(value), "choices": labels}
            )
        return found
    if kind == ColumnType.DATE:
        return read_date(value, year_alone=year_alone)
    if kind == ColumnType.FLOAT:
        return read_float(value)
    if kind == ColumnType.MONEY:
        return read_amount(value, scale=scale)
    return read_count(value, units=count_units) * scale
