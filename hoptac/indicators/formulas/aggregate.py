"""From aggregated rows to an indicator's numerator, denominator and value."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from .definitions import Indicator, Part

Row = Mapping[str, Any]
CENT = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class Figures:
    """An indicator's numbers: value = numerator × scale / denominator (None when the
    denominator is zero), or the numerator itself for a count or total."""

    numerator: Decimal
    denominator: Decimal | None
    value: Decimal | None


def matches(row: Row, where: Mapping[str, tuple[Any, ...]]) -> bool:
    """Does the row's every key named in `where` hold one of the values listed for it?"""
    return all(row.get(key) in values for key, values in where.items())


def total(rows: Iterable[Row], part: Part) -> Decimal:
    """The sum of `part.measure` over the rows `part.where` selects (missing sums count 0)."""
    result = Decimal(0)
    for row in rows:
        if matches(row, part.where):
            result += Decimal(row.get(part.measure) or 0)
    return result


def evaluate(indicator: Indicator, rows: Iterable[Row]) -> Figures:
    """The indicator's figures over the rows of its source."""
    rows = list(rows)
    numerator = total(rows, indicator.numerator)
    if indicator.denominator is None:
        return Figures(numerator, None, numerator)
    denominator = total(rows, indicator.denominator)
    return Figures(numerator, denominator, ratio(numerator, denominator, indicator.scale))


def ratio(
    numerator: Decimal, denominator: Decimal, scale: Decimal = Decimal(100)
) -> Decimal | None:
    """numerator × scale / denominator rounded half-up to hundredths; None over zero."""
    if denominator == 0:
        return None
    return (numerator * scale / denominator).quantize(CENT, rounding=ROUND_HALF_UP)


def group_rows(rows: Iterable[Row], key: str = "group") -> dict[Any, list[Row]]:
    """Rows split by one key (a breakdown's sub-area, sector or year)."""
    groups: dict[Any, list[Row]] = {}
    for row in rows:
        groups.setdefault(row.get(key), []).append(row)
    return groups
