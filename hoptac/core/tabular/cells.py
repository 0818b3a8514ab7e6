"""Generic cell values of officers' spreadsheets: text cleaned, numbers with Vietnamese or
English separators, amounts with units, dates in every way they are written, yes/no, codes.

Pure: no database. Each reader raises CellError with a message (translated) for the officer;
the caller names the row and the column. The rules, as the import guide states them:

Numbers (read_number): spaces are dropped. With both "." and "," the last one is the decimal
mark ("1.500.000,5" and "1,500,000.5"). With one kind of separator written more than once it
groups thousands, in groups of three ("1.500.000", "1,500,000"). Written once, it groups
thousands in a whole-number column (money, counts) when exactly three digits follow it ("1.500"
is 1500 đồng, "1,500" too) and is the decimal mark otherwise ("1,5" and "2.5"); in a column of
fractional numbers (coordinates) it is always the decimal mark ("21.500" is 21.5).

Amounts (read_amount): a currency word is dropped ("1.500.000 đ", "VNĐ"); a unit word in the
cell ("2 tỷ", "1,5 triệu", "300 nghìn", and "đ" itself) scales the number and takes precedence
over the unit of the column's header ("Vốn điều lệ (triệu đồng)", see unit_scale). A money
column is a whole-number column for the separator rule, whatever its unit: "1.500" in a
"(triệu đồng)" column is 1500 triệu, "1,5" is 1.5 triệu.

Dates (read_date): a date or datetime cell; d/m/yyyy, dd-mm-yyyy, dd.mm.yyyy (day first, as
Vietnamese writes dates), yyyy-mm-dd, "ngày 5 tháng 3 năm 2015", each with or without a time;
an Excel day number, as a number or as text (1 January 1950 to 31 December 2099); a year alone
only where the column allows it (a founding year), as a YearOnly. A two-digit year is read only
when one century fits: 00 up to this year's two digits is 20yy, 50–99 is 19yy, the rest is
refused.
"""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from hoptac.core.text import fold


class CellError(ValueError):
    """A cell that cannot be read as its column's type; the message is for the officer."""


class YearOnly(date):
    """A date known only by its year ("Năm thành lập: 2015"), stored as 1 January; an import
    treats it as unchanged when the stored date has the same year."""


TRUE_WORDS = frozenset({"x", "co", "yes", "y", "1", "true", "dung", "v", "c", "\u2713", "\u2714"})
FALSE_WORDS = frozenset({"khong", "no", "n", "0", "false", "sai", "-", "k"})
DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%Y/%m/%d", "%d/%m/%y")
EXCEL_EPOCH = date(1899, 12, 30)
# The Excel day numbers read as dates: 1 January 1950 to 31 December 2099.
FIRST_SERIAL = (date(1950, 1, 1) - EXCEL_EPOCH).days
LAST_SERIAL = (date(2099, 12, 31) - EXCEL_EPOCH).days
FIRST_YEAR, LAST_YEAR = 1900, 2100  # a year alone

# Units written in a header or a cell, folded: the number of đồng per unit written.
MONEY_UNITS: tuple[tuple[re.Pattern[str], int], ...] = (
    (re.compile(r"\b(ty|ti|billion)\b"), 1_000_000_000),
    (re.compile(r"\b(trieu|tr|trd|million)\b"), 1_000_000),
    (re.compile(r"\b(nghin|ngan|ng|k|thousand|1000|1\.000|1,000)\b"), 1_000),
    (re.compile(r"\b(dong|d|vnd)\b"), 1),
)
_AMOUNT = re.compile(r"^(?P<number>.*?\d)\s*(?P<unit>[a-z.]+(\s+[a-z.]+)?)?$")
_SPACES = re.compile(r"[\s\u00a0\u202f]+")
_TIME = re.compile(r"[ t]+\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?(\s*[ap]m)?$")
_DAY_FIRST = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})")
_YEAR_FIRST = re.compile(r"(\d{4})[/.\-](\d{1,2})[/.\-](\d{1,2})")
_IN_WORDS = re.compile(r"ngay\s*(\d{1,2})\s*thang\s*(\d{1,2})\s*nam\s*(\d{4})")
_SERIAL_TEXT = re.compile(r"\d{5}(\.\d+)?")


def clean_cell(value: Any) -> Any:
    """A raw cell as its parsers take it: text stripped and NFC, empty text and NaN as None."""
    if isinstance(value, str):
        value = unicodedata.normalize("NFC", value).strip()
        return value or None
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def is_number(value: Any) -> bool:
    """A numeric cell (a bool is not one)."""
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def number_text(value: Any) -> str:
    """A number as text without a spurious ".0"."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def as_text(value: Any) -> str:
    """A cell as text: dates as dd/mm/yyyy, whole numbers without ".0", a true bool as x."""
    if isinstance(value, datetime):
        value = value.date() if not (value.hour or value.minute or value.second) else value
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, bool):
        return "x" if value else ""
    if is_number(value):
        return number_text(value)
    return str(value)


def display(value: Any) -> str:
    """A raw cell as an officer reads it: dates as dd/mm/yyyy, whole numbers without ".0"."""
    value = clean_cell(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).upper()
    return as_text(value)


# --- numbers -----------------------------------------------------------------------------------


def read_number(text: str, *, whole: bool) -> Decimal:
    """A number written as text, by the separator rules of this module's docstring.

    whole: the column holds whole numbers (money, counts), which decides "1.500" and "1,500".
    Raises InvalidOperation when the text is no number.
    """
    text = _SPACES.sub("", text)
    sign = ""
    if text[:1] in ("+", "-"):
        sign, text = ("-" if text[0] == "-" else ""), text[1:]
    dots, commas = text.count("."), text.count(",")
    if dots and commas:
        decimal_mark = "." if text.rfind(".") > text.rfind(",") else ","
        thousands = "," if decimal_mark == "." else "."
        head, _mark, tail = text.rpartition(decimal_mark)
        if not (re.fullmatch(r"\d{1,3}(" + re.escape(thousands) + r"\d{3})*", head)):
            raise InvalidOperation(text)
        text = head.replace(thousands, "") + "." + tail
    elif dots or commas:
        mark = "." if dots else ","
        head, _mark, tail = text.rpartition(mark)
        if dots + commas > 1:
            if not re.fullmatch(r"\d{1,3}(" + re.escape(mark) + r"\d{3})+", text):
                raise InvalidOperation(text)
            text = text.replace(mark, "")
        elif whole and len(tail) == 3 and re.fullmatch(r"\d{1,3}", head):
            text = head + tail
        else:
            text = head + "." + tail
    if not re.fullmatch(r"\d+(\.\d+)?", text):
        raise InvalidOperation(text)
    return Decimal(sign + text)


def money_unit(text: str) -> int | None:
    """The đồng per unit that a unit text names ("triệu đồng", "tr.đ", "nghìn", "tỷ",
    "1.000 đ", "VNĐ"), or None when it names no amount of money."""
    folded = fold(text).replace("đ", "d")
    folded = re.sub(r"(?<=[a-z])\.(?=[a-z])|(?<=[a-z])\.$", " ", folded)  # "tr.đ" is "tr d"
    folded = re.sub(r"(?<=\d)(?=[a-z])", " ", folded)  # "1000đ" is "1000 d"
    for pattern, scale in MONEY_UNITS:
        if pattern.search(folded):
            return scale
    return None


def unit_scale(header: str) -> int | None:
    """The đồng per unit that a header's unit names: "Vốn điều lệ (triệu đồng)" gives
    1,000,000; "(nghìn đồng)", "(1.000 đ)" 1,000; "(tỷ đồng)" 1,000,000,000; "(đồng)" 1;
    "Vốn điều lệ, đơn vị: triệu đồng" too. None when the header writes no unit."""
    parts = re.findall(r"\(([^)]*)\)|\[([^\]]*)\]", header)
    units = [a or b for a, b in parts]
    folded = fold(header)
    for marker in ("don vi tinh", "don vi", "dvt"):
        if marker in folded:
            units.append(folded.split(marker, 1)[1].lstrip(" :"))
            break
    for unit in units:
        scale = money_unit(unit)
        if scale is not None:
            return scale
    return None


def read_amount(value: Any, *, scale: int = 1) -> Decimal:
    """An amount of money in whole đồng: a number cell times `scale` (the header's unit), or
    text with Vietnamese or English separators, a currency, a unit word of its own.

    Raises CellError for no number, a fraction of a đồng, or an unknown unit word."""
    if isinstance(value, bool):
        raise _not_whole(value)
    if is_number(value):
        number = Decimal(number_text(value)) * scale
    else:
        text = fold(str(value)).replace("đ", "d")
        match = _AMOUNT.fullmatch(_SPACES.sub(" ", text).strip())
        if match is None:
            raise _not_whole(value)
        unit = match.group("unit")
        if unit:
            own = money_unit(unit)
            if own is None:
                raise _not_whole(value)
            scale = own
        try:
            number = read_number(match.group("number"), whole=True) * scale
        except InvalidOperation as error:
            raise _not_whole(value) from error
    if number != number.to_integral_value():
        raise CellError(_("“%(value)s” is not a whole number of đồng.") % {"value": as_text(value)})
    return number.quantize(Decimal(1))


def read_count(value: Any, *, units: frozenset[str] = frozenset()) -> int:
    """A whole number ("1.200", 12.0, "12 người" when "nguoi" is one of `units`)."""
    if isinstance(value, bool):
        raise _not_whole(value)
    try:
        if is_number(value):
            number = Decimal(number_text(value))
        else:
            text = str(value).strip()
            word = re.search(r"[^\d\s.,+-][^\d]*$", text)
            if word and fold(word.group()).strip() in units:
                text = text[: word.start()]
            number = read_number(text, whole=True)
    except InvalidOperation as error:
        raise _not_whole(value) from error
    if number != number.to_integral_value():
        raise _not_whole(value)
    return int(number)


def read_float(value: Any) -> float:
    """A fractional number (a coordinate): a single separator is the decimal mark."""
    if isinstance(value, bool):
        raise CellError(_("“%(value)s” is not a number.") % {"value": as_text(value)})
    if is_number(value):
        return float(value)
    try:
        return float(read_number(str(value), whole=False))
    except InvalidOperation as error:
        raise CellError(_("“%(value)s” is not a number.") % {"value": as_text(value)}) from error


def _not_whole(value: Any) -> CellError:
    return CellError(_("“%(value)s” is not a whole number.") % {"value": as_text(value)})


# --- dates -------------------------------------------------------------------------------------


def two_digit_year(yy: int, *, this_year: int) -> int | None:
    """The year a two-digit year means when only one century fits (module docstring)."""
    if 2000 + yy <= this_year:
        return 2000 + yy
    if yy >= 50:
        return 1900 + yy
    return None


def read_date(value: Any, *, year_alone: bool = False, today: date | None = None) -> date:
    """A date cell as a date, by the rules of this module's docstring; a YearOnly for a year
    alone when `year_alone`. Raises CellError naming the value and what to write."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    shown = as_text(value)
    if isinstance(value, bool):
        raise _not_a_date(shown)
    if is_number(value):
        return _from_number(float(value), shown, year_alone=year_alone)
    text = _TIME.sub("", fold(str(value)).strip())
    if re.fullmatch(r"\d{4}", text):
        return _from_number(float(text), shown, year_alone=year_alone)
    if _SERIAL_TEXT.fullmatch(text):
        return _from_number(float(text), shown, year_alone=year_alone)
    parts: tuple[int, int, int] | None = None
    if match := _DAY_FIRST.fullmatch(text):
        day, month, year = (int(g) for g in match.groups())
        if len(match.group(3)) == 2:
            this_year = (today or timezone.localdate()).year
            full = two_digit_year(year, this_year=this_year)
            if full is None:
                raise CellError(
                    _(
                        "“%(value)s” has a two-digit year that could be of either century: "
                        "write the year in full (dd/mm/yyyy)."
                    )
                    % {"value": shown}
                )
            year = full
        parts = (year, month, day)
    elif match := _YEAR_FIRST.fullmatch(text):
        year, month, day = (int(g) for g in match.groups())
        parts = (year, month, day)
    elif match := _IN_WORDS.fullmatch(text):
        day, month, year = (int(g) for g in match.groups())
        parts = (year, month, day)
    if parts is None:
        raise _not_a_date(shown)
    try:
        return date(*parts)
    except ValueError as error:
        raise _not_a_date(shown) from error


def _from_number(number: float, shown: str, *, year_alone: bool) -> date:
    if number.is_integer() and FIRST_YEAR <= number <= LAST_YEAR:
        if not year_alone:
            raise CellError(
                _("“%(value)s” is a year alone: write the full date (dd/mm/yyyy).")
                % {"value": shown}
            )
        return YearOnly(int(number), 1, 1)
    if FIRST_SERIAL <= number <= LAST_SERIAL + 1:  # an Excel day number (with a time)
        return EXCEL_EPOCH + timedelta(days=int(number))
    raise _not_a_date(shown)


def _not_a_date(shown: str) -> CellError:
    return CellError(_("“%(value)s” is not a date: write it as dd/mm/yyyy.") % {"value": shown})


# --- yes/no and codes --------------------------------------------------------------------------


def read_bool(value: Any) -> bool:
    """x, có, yes, 1, ✓… for yes; không, no, 0, - for no (an empty cell is no)."""
    if isinstance(value, bool):
        return value
    if is_number(value):
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
        % {"value": as_text(value)}
    )


# Registration codes (mã số HTX, which is the tax code): 10 digits, 13 for a branch
# (Luật Quản lý thuế 38/2019/QH14 Điều 30; TT 105/2020/TT-BTC Điều 5). A number cell that is
# one digit short lost its leading zero (the codes of Hà Nội begin with 01).
CODE_LENGTHS = (10, 13)


def read_code(value: Any) -> str:
    """A code as text: text is kept as written (spaces and a leading apostrophe dropped), so
    its leading zeros stay; a number cell gives its digits, with the leading zero a
    10- or 13-digit code lost as a number put back."""
    if is_number(value):
        text = number_text(value)
        if "." in text or "e" in text.lower():
            text = format(Decimal(str(value)), "f").split(".", 1)[0]
        if len(text) + 1 in CODE_LENGTHS:
            return "0" + text
        return text
    return _SPACES.sub("", str(value)).lstrip("'")


def read_phone(value: Any) -> str:
    """A phone number as text; a number cell of 9 or 10 digits lost its leading 0."""
    if is_number(value):
        text = number_text(value)
        return "0" + text if len(text) in (9, 10) and not text.startswith("0") else text
    return str(value).lstrip("'")
