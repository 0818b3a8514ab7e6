"""The values of cells: raw cells cleaned and parsed as their column's type (parse_cell).

Pure: no database.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from hoptac.core.text import fold
from hoptac.registry.excel.columns import (
    _PARENTHESES,
    COLUMNS_BY_KEY,
    Column,
    ColumnType,
    normalize_header,
)


class CellError(ValueError):
    """A cell that cannot be read as its column's type; the message is for the officer."""


class YearOnly(date):
    """A date known only by its year ("Năm thành lập: 2015"), stored as 1 January; an import
    treats it as unchanged when the stored date has the same year."""


TRUE_WORDS = frozenset({"x", "co", "yes", "y", "1", "true", "dung", "v", "c", "\u2713", "\u2714"})
FALSE_WORDS = frozenset({"khong", "no", "n", "0", "false", "sai", "-", "k"})
DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%Y/%m/%d", "%d/%m/%y")
EXCEL_EPOCH = date(1899, 12, 30)
_SPACES = re.compile(r"[\s\u00a0\u202f]+")
_CURRENCY = re.compile(r"(vnd|vnđ|đồng|dong|đ)$", re.IGNORECASE)


def clean_cell(value: Any) -> Any:
    """A raw cell as its parsers take it: text stripped and NFC, empty text and NaN as None."""
    if isinstance(value, str):
        value = unicodedata.normalize("NFC", value).strip()
        return value or None
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _number_text(value: Any) -> str:
    """A number as text without a spurious ".0"."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _as_text(value: Any) -> str:
    if isinstance(value, datetime):
        value = value.date() if not (value.hour or value.minute or value.second) else value
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, bool):
        return "x" if value else ""
    if isinstance(value, int | float | Decimal):
        return _number_text(value)
    return str(value)


def display(value: Any) -> str:
    """A raw cell as an officer reads it: dates as dd/mm/yyyy, whole numbers without ".0"."""
    value = clean_cell(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).upper()
    return _as_text(value)


def _digits_number(text: str, *, whole: bool) -> Decimal:
    """Read "1.500.000", "1,500,000", "1 500 000", "2,5" or "2.5" as a Decimal.

    With both separators, the last one is the decimal mark; a single kind that repeats, or
    that is followed by exactly three digits in a whole-number column, groups thousands.
    """
    text = _CURRENCY.sub("", _SPACES.sub("", text)).strip()
    if text.startswith("+"):
        text = text[1:]
    dots, commas = text.count("."), text.count(",")
    if dots and commas:
        decimal_mark = "." if text.rfind(".") > text.rfind(",") else ","
        thousands = "," if decimal_mark == "." else "."
        text = text.replace(thousands, "").replace(decimal_mark, ".")
    elif dots or commas:
        mark = "." if dots else ","
        count = dots or commas
        tail = text.rsplit(mark, 1)[1]
        if count > 1 or (whole and len(tail) == 3):
            text = text.replace(mark, "")
        else:
            text = text.replace(mark, ".")
    if not re.fullmatch(r"-?\d+(\.\d+)?", text):
        raise InvalidOperation(text)
    return Decimal(text)


def _parse_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if float(value).is_integer() and 1900 <= value <= 2100:
            return YearOnly(int(value), 1, 1)
        if 0 < value < 2958466:  # an Excel serial day number
            return EXCEL_EPOCH + timedelta(days=int(value))
        raise ValueError(value)
    text = str(value).strip()
    if re.fullmatch(r"\d{4}", text) and 1900 <= int(text) <= 2100:
        return YearOnly(int(text), 1, 1)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?", text):
        text = text[:10]
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()  # noqa: DTZ007  (a date, no time)
        except ValueError:
            continue
    raise ValueError(text)


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
            names.append(_PARENTHESES.sub(" ", label))
        for name in names:
            index.setdefault(normalize_header(name), choice.value)
    for alias, value in column.choice_aliases.items():
        index.setdefault(normalize_header(alias), value)
    return index


def choice_labels(column: Column) -> list[str]:
    """The labels a choice column accepts, in the active language."""
    assert column.choices is not None  # noqa: S101
    return [str(choice.label) for choice in column.choices]


def parse_cell(column: Column, raw: Any, scale: int = 1) -> Any:
    """The value of one cell as its column's type, or None when empty.

    Raises CellError with a message naming the value and what was expected.
    """
    value = clean_cell(raw)
    if value is None:
        return False if column.type == ColumnType.BOOL else None
    kind = column.type
    if kind in (ColumnType.TEXT, ColumnType.PLACE):
        return _as_text(value)
    if kind == ColumnType.CODE:
        if isinstance(value, int | float) and not isinstance(value, bool):
            text = _number_text(value)
            return text.zfill(10) if len(text) == 9 else text  # a lost leading zero
        return _SPACES.sub("", str(value)).lstrip("'")
    if kind == ColumnType.PHONE:
        if isinstance(value, int | float) and not isinstance(value, bool):
            text = _number_text(value)
            return "0" + text if len(text) in (9, 10) and not text.startswith("0") else text
        return str(value).lstrip("'")
    if kind == ColumnType.BOOL:
        if isinstance(value, bool):
            return value
        if isinstance(value, int | float):
            if value in (0, 1):
                return bool(value)
        else:
            word = fold(str(value))
            if word in TRUE_WORDS:
                return True
            if word in FALSE_WORDS:
                return False
        raise CellError(
            _("“%(value)s” is not yes or no: write x (or “có”) for yes, leave it empty for no.")
            % {"value": _as_text(value)}
        )
    if kind == ColumnType.CHOICE:
        found = _choice_index(column.key).get(normalize_header(_as_text(value)))
        if found is None:
            raise CellError(
                _("“%(value)s” is not one of: %(choices)s.")
                % {"value": _as_text(value), "choices": "; ".join(choice_labels(column))}
            )
        return found
    if kind == ColumnType.DATE:
        try:
            return _parse_date(value)
        except (ValueError, OverflowError) as error:
            raise CellError(
                _("“%(value)s” is not a date: write it as dd/mm/yyyy.") % {"value": _as_text(value)}
            ) from error
    if kind == ColumnType.FLOAT:
        try:
            if isinstance(value, int | float) and not isinstance(value, bool):
                return float(value)
            return float(_digits_number(str(value), whole=False))
        except (InvalidOperation, ValueError) as error:
            raise CellError(
                _("“%(value)s” is not a number.") % {"value": _as_text(value)}
            ) from error
    # INTEGER and MONEY
    try:
        if isinstance(value, bool):
            raise InvalidOperation(value)
        if isinstance(value, int | float | Decimal):
            number = Decimal(_number_text(value))
        else:
            number = _digits_number(str(value), whole=True)
    except (InvalidOperation, ValueError) as error:
        raise CellError(
            _("“%(value)s” is not a whole number.") % {"value": _as_text(value)}
        ) from error
    number *= scale
    if number != number.to_integral_value():
        raise CellError(_("“%(value)s” is not a whole number.") % {"value": _as_text(value)})
    return int(number) if kind == ColumnType.INTEGER else number.quantize(Decimal(1))
