"""The registry's rows for the export: typed values read in chunks (export_rows), the CSV
written by PostgreSQL's COPY (csv_copy_chunks), or the values whose .xlsx rows PostgreSQL
writes (xlsx_copy_values)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from hoptac.core import spreadsheet_safety
from hoptac.registry.choices import Kind, Sector, Status, SubSector
from hoptac.registry.excel.columns import EXPORT_COLUMNS, Column, ColumnType
from hoptac.registry.excel.writing import csv_lines

CHOICES_OF = {"kind": Kind, "sector": Sector, "sub_sector": SubSector, "status": Status}
PLACE_VALUES = {"address": "commune_legacy__full_name", "commune_2025": "commune__full_name"}


def export_rows(cooperatives: Any, *, chunk_size: int = 2000) -> Iterator[list[Any]]:
    """The rows of EXPORT_COLUMNS for a queryset of cooperatives, typed (the import reads them
    back unchanged), read as plain values in chunks (no model objects: memory stays flat).

    The address is the commune of the tree the cooperative was recorded in (the old tree
    before 1 July 2025); the next column is the 2025 commune it is in today.
    """
    labels = {
        key: {choice.value: str(choice.label) for choice in choices}
        for key, choices in CHOICES_OF.items()
    }
    names = [c.key for c in EXPORT_COLUMNS if c.key not in PLACE_VALUES]
    values = cooperatives.values(*names, *PLACE_VALUES.values())
    # One list comprehension a row, then the few columns that are not the value as read
    # (labels of codes, the two places) set by position: the export's Python costs less
    # than its query.
    keys = [PLACE_VALUES.get(c.key, c.key) for c in EXPORT_COLUMNS]
    coded = [(i, labels[c.key]) for i, c in enumerate(EXPORT_COLUMNS) if c.key in labels]
    keys_at = [c.key for c in EXPORT_COLUMNS]
    address, commune = keys_at.index("address"), keys_at.index("commune_2025")
    legacy_key, current_key = PLACE_VALUES["address"], PLACE_VALUES["commune_2025"]
    for row in values.iterator(chunk_size=chunk_size):
        out = [row[key] for key in keys]
        for index, label_of in coded:
            code = out[index]
            out[index] = label_of.get(code, code or "")
        current = row[current_key] or ""
        out[address] = row[legacy_key] or current
        out[commune] = current
        yield out


# --- CSV export by PostgreSQL's COPY -------------------------------------------------------------


def _copy_expression(column: Column, labels: dict[str, dict[str, str]]) -> Any:
    """The SQL of one exported column, giving the text csv_lines writes for the value that
    export_rows reads: text marked as spreadsheet_safety.csv_neutralise marks it (NULL where
    that text is empty: COPY writes NULL as nothing, and would quote an empty string)."""
    from django.db.models import Case, F, Func, Q, TextField, Value, When
    from django.db.models.functions import Cast, Coalesce, NullIf

    text = TextField()

    def empty_as_null(expression: Any) -> Any:
        """A text column's value (every text goes through here, marked in SQL)."""
        value = NullIf(expression, Value(""), output_field=text)
        return spreadsheet_safety.sql_csv_neutralise(value)

    key = column.key
    if key == "address":
        legacy = empty_as_null(F("commune_legacy__full_name"))
        return Coalesce(legacy, empty_as_null(F("commune__full_name")), output_field=text)
    if key == "commune_2025":
        return empty_as_null(F("commune__full_name"))
    if key in labels:
        whens = [
            When(Q(**{key: value}), then=Value(spreadsheet_safety.csv_neutralise(label)))
            for value, label in labels[key].items()
        ]
        return Case(*whens, default=empty_as_null(F(key)), output_field=text)
    if column.type == ColumnType.DATE:
        return Func(F(key), Value("YYYY-MM-DD"), function="to_char", output_field=text)
    if column.type == ColumnType.BOOL:
        return Case(
            When(Q(**{key: True}), then=Value("TRUE")), default=Value("FALSE"), output_field=text
        )
    if column.type == ColumnType.FLOAT:
        # Python writes a whole float as "105.0", PostgreSQL as "105".
        return Func(
            F(key),
            template=(
                "CASE WHEN %(expressions)s = trunc(%(expressions)s) "
                "AND abs(%(expressions)s) < 1e15 "
                "THEN %(expressions)s::text || '.0' ELSE %(expressions)s::text END"
            ),
            output_field=text,
        )
    if column.type in (ColumnType.MONEY, ColumnType.INTEGER):
        return Cast(F(key), text)
    return empty_as_null(F(key))


def csv_copy_chunks(cooperatives: Any, *, header: Sequence[str]) -> Iterator[bytes]:
    """The CSV export of `cooperatives` (a PostgreSQL queryset, its filters, order and slice
    kept) as bytes, the rows written by PostgreSQL: `COPY (SELECT …) TO STDOUT WITH CSV`.

    The same bytes as csv_lines(export_rows(…)) encoded in UTF-8: the BOM and header from
    Python, then each row as COPY sends it (one message a row), its line end made "\\r\\n"
    as Python's csv writes it. Labels of codes are those of the active language."""
    labels = {
        key: {choice.value: str(choice.label) for choice in choices}
        for key, choices in CHOICES_OF.items()
    }
    expressions = {
        f"c{index}": _copy_expression(column, labels) for index, column in enumerate(EXPORT_COLUMNS)
    }
    yield "".join(csv_lines((), header=header)).encode()
    yield from spreadsheet_safety.copy_csv_rows(cooperatives.values(**expressions))


# --- .xlsx rows written by PostgreSQL -----------------------------------------------------------

_XLSX_KINDS = {
    ColumnType.DATE: spreadsheet_safety.XLSX_DATE,
    ColumnType.BOOL: spreadsheet_safety.XLSX_BOOL,
    ColumnType.MONEY: spreadsheet_safety.XLSX_NUMBER,
    ColumnType.INTEGER: spreadsheet_safety.XLSX_NUMBER,
    ColumnType.FLOAT: spreadsheet_safety.XLSX_NUMBER,
}


def xlsx_copy_values(cooperatives: Any) -> tuple[Any, list[str]]:
    """The values of EXPORT_COLUMNS that export_rows reads, for PostgreSQL to write the
    .xlsx rows (core.tabular.writing.write_columns_by_copy): `cooperatives` (its filters,
    order and slice kept) as a `values()` queryset, and the kind of each column's cells.
    Labels of codes are those of the active language."""
    from django.db.models import Case, F, Q, TextField, Value, When
    from django.db.models.functions import Coalesce, NullIf

    text = TextField()
    labels = {
        key: {choice.value: str(choice.label) for choice in choices}
        for key, choices in CHOICES_OF.items()
    }
    columns = []
    for column in EXPORT_COLUMNS:
        key = column.key
        kind = _XLSX_KINDS.get(column.type, spreadsheet_safety.XLSX_TEXT)
        value: Any = F(key)
        if key == "address":
            legacy = NullIf(F(PLACE_VALUES["address"]), Value(""), output_field=text)
            value = Coalesce(legacy, F(PLACE_VALUES["commune_2025"]), output_field=text)
        elif key == "commune_2025":
            value = F(PLACE_VALUES["commune_2025"])
        elif key in labels:
            whens = [
                When(Q(**{key: code}), then=Value(label)) for code, label in labels[key].items()
            ]
            value = Case(*whens, default=F(key), output_field=text)
        columns.append((kind, value))
    values = cooperatives.values(**spreadsheet_safety.sql_xlsx_values(columns))
    return values, [kind for kind, _value in columns]
