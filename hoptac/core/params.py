"""The one parser of dates, years, ids and text that come in a URL or a query string.

Every view reads its input through this module, so that out-of-range input gives a 404 (a path
segment, or a query value of a page without a form) or a form error in Vietnamese that names
the field (a filter form), never a server error.

Supported ranges, in one place:

- years: MIN_YEAR to MAX_YEAR (1900 to 2100), four digits. The app computes back from a year
  (five years of history, twenty years of the tally, "the year before") and forward (a report's
  deadline falls in the next year); inside this range every such date exists.
- dates: MIN_DATE (1 January 1900) to MAX_DATE (31 December 2100), written YYYY-MM-DD.
- ids: 1 to MAX_ID, the largest value of the database's bigint primary keys (a larger number
  would overflow in the query).
- text: NUL characters are dropped (PostgreSQL refuses them) and the length is capped.

Path converters, registered once by CoreConfig.ready(): `<id:pk>` and `<year:year>`, used by
every urls.py instead of `<int:…>`. A value out of range does not match, so the URL answers 404
before any view runs.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import register_converter
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from hoptac.core.tabular.cells import CellError, read_date
from hoptac.core.widgets import VietnameseDateInput

if TYPE_CHECKING:
    from collections.abc import Iterable

    from django.http import HttpRequest

MIN_YEAR = 1900
MAX_YEAR = 2100
MIN_DATE = date(MIN_YEAR, 1, 1)
MAX_DATE = date(MAX_YEAR, 12, 31)
MAX_ID = 2**63 - 1  # PostgreSQL's and SQLite's bigint
MAX_TEXT = 100  # a search or filter value longer than this is cut

_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


# --- pure parsing: ValueError on anything malformed or out of range ---------------------------


def parse_year(text: str) -> int:
    """A year of four digits between MIN_YEAR and MAX_YEAR."""
    if not (len(text) == 4 and text.isascii() and text.isdigit()):
        raise ValueError(f"not a year: {text!r}")
    year = int(text)
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(f"year out of range: {year}")
    return year


def _real_date(text: str) -> date:
    """A day that exists, written YYYY-MM-DD (not 2019-02-30, not 2019-13-01)."""
    match = _DATE.fullmatch(text.strip())
    if match is None or not match.group(0).isascii():
        raise ValueError(f"not a date: {text!r}")
    return date(*(int(part) for part in match.groups()))


def parse_date(text: str) -> date:
    """A date YYYY-MM-DD that exists, between MIN_DATE and MAX_DATE."""
    value = _real_date(text)
    if not MIN_DATE <= value <= MAX_DATE:
        raise ValueError(f"date out of range: {value}")
    return value


def parse_id(text: str) -> int:
    """A positive database id, at most MAX_ID."""
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(MAX_ID)):
        raise ValueError(f"not an id: {text!r}")
    value = int(text)
    if not 1 <= value <= MAX_ID:
        raise ValueError(f"id out of range: {value}")
    return value


def parse_floats(text: str, *, count: int) -> list[float]:
    """`count` finite numbers separated by commas ("21.5,105.2,22,106"): no NaN, no infinity."""
    parts = text.split(",")
    if len(parts) != count or len(text) > 40 * count:
        raise ValueError(f"not {count} numbers: {text[:100]!r}")
    numbers = [float(part) for part in parts]
    if not all(math.isfinite(number) for number in numbers):
        raise ValueError(f"not finite: {text[:100]!r}")
    return numbers


def clean_text(text: str, max_length: int = MAX_TEXT) -> str:
    """Text without NUL characters, cut to `max_length`."""
    return text.replace("\x00", "")[:max_length]


# --- path converters ---------------------------------------------------------------------


class IdConverter:
    """`<id:pk>`: a database id (1 to MAX_ID); anything else does not match (404)."""

    regex = r"[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        return parse_id(value)

    def to_url(self, value: int | str) -> str:
        return str(int(value))


class YearConverter:
    """`<year:year>`: a year of four digits from MIN_YEAR to MAX_YEAR; else no match (404)."""

    regex = r"[0-9]{4}"

    def to_python(self, value: str) -> int:
        return parse_year(value)

    def to_url(self, value: int | str) -> str:
        return f"{int(value):04d}"


def register_converters() -> None:
    """Called once, by CoreConfig.ready(), before any URLconf is read."""
    register_converter(IdConverter, "id")
    register_converter(YearConverter, "year")


# --- query strings of pages without a form: 404 on a bad value ------------------------------


def _given(request: HttpRequest, name: str) -> str | None:
    value = request.GET.get(name)
    return None if value is None or value.strip() == "" else value


def query_date(request: HttpRequest, name: str, default: date | None = None) -> date | None:
    """?name=YYYY-MM-DD in the supported range; `default` when absent or empty; 404 else."""
    value = _given(request, name)
    if value is None:
        return default
    try:
        return parse_date(value)
    except ValueError as error:
        raise Http404(name) from error


def query_year(request: HttpRequest, name: str, default: int | None = None) -> int | None:
    """?name=YYYY in the supported range; `default` when absent or empty; 404 else."""
    value = _given(request, name)
    if value is None:
        return default
    try:
        return parse_year(value.strip())
    except ValueError as error:
        raise Http404(name) from error


def query_int(
    request: HttpRequest,
    name: str,
    default: int | None = None,
    *,
    min_value: int = 1,
    max_value: int = MAX_ID,
) -> int | None:
    """?name=N, an integer from `min_value` to `max_value` (an id by default); `default` when
    absent or empty; 404 else."""
    value = _given(request, name)
    if value is None:
        return default
    text = value.strip()
    digits = text.removeprefix("-")
    if not (digits.isascii() and digits.isdigit()) or len(digits) > len(str(MAX_ID)):
        raise Http404(name)
    number = int(text)
    if not min_value <= number <= max_value:
        raise Http404(name)
    return number


def query_text(request: HttpRequest, name: str, max_length: int = MAX_TEXT) -> str:
    """?name=…, without NUL characters and cut to `max_length` ("" when absent)."""
    return clean_text(request.GET.get(name, ""), max_length)


def query_choice(request: HttpRequest, name: str, choices: Iterable[str], default: str = "") -> str:
    """?name=… when it is one of `choices`, else `default` (an unknown value is ignored)."""
    value = request.GET.get(name, "")
    return value if value in set(choices) else default


# --- form fields of filter forms: a form error in Vietnamese that names the field ------------


def _named(field: forms.Field, message: Any) -> str:
    label = capfirst(field.label) if field.label else ""
    return f"{label}: {message}" if label else str(message)


class DateField(forms.DateField):
    """A date as Vietnamese write it, whatever the browser's language: shown dd/mm/yyyy (with
    the Vietnamese date picker), typed 5/1/2025, 05-01-2025, 5.1.2025 or the yyyy-mm-dd of a
    link, all read by the one date reader of officers' files (core.tabular.cells.read_date);
    in the supported range. A bad or out-of-range value is a form error that names the field.

    The date field of every form: filter forms declare it, model forms get it for each model
    date through core.formfields.formfield."""

    default_error_messages = {
        "invalid": _("“%(value)s” is not a date: write it as dd/mm/yyyy."),
        "out_of_range": _("enter a date from %(min)s to %(max)s."),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", VietnameseDateInput(attrs={"class": "form-control"}))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> date | None:
        if isinstance(value, datetime):
            value = value.date()
        if isinstance(value, date):
            day = value
        else:
            text = "" if value is None else str(value).strip()
            if not text:
                return None
            if text.isdigit() and len(text) != 4:  # a spreadsheet's day number is no typed date
                message = self.error_messages["invalid"] % {"value": text}
                raise ValidationError(_named(self, message), code="invalid")
            try:
                day = read_date(text)  # "2025" alone: the reader asks for the full date
            except CellError as error:
                raise ValidationError(_named(self, str(error)), code="invalid") from None
        if not MIN_DATE <= day <= MAX_DATE:
            raise self._out_of_range()
        return day

    def _out_of_range(self) -> ValidationError:
        message = self.error_messages["out_of_range"] % {
            "min": date_format(MIN_DATE, "SHORT_DATE_FORMAT"),
            "max": date_format(MAX_DATE, "SHORT_DATE_FORMAT"),
        }
        return ValidationError(_named(self, message), code="out_of_range")


class YearField(forms.IntegerField):
    """A year from `min_value` to `max_value` (by default the supported range); a bad value
    is a form error that names the field."""

    default_error_messages = {
        "invalid": _("enter a year of four digits."),
        "out_of_range": _("enter a year from %(min)s to %(max)s."),
    }

    def __init__(self, *, min_value: int = MIN_YEAR, max_value: int = MAX_YEAR, **kwargs: Any):
        kwargs.setdefault("widget", forms.NumberInput(attrs={"class": "form-control"}))
        super().__init__(**kwargs)
        self.min_year, self.max_year = max(min_value, MIN_YEAR), min(max_value, MAX_YEAR)
        self.widget.attrs.setdefault("min", self.min_year)
        self.widget.attrs.setdefault("max", self.max_year)

    def to_python(self, value: Any) -> int | None:
        if isinstance(value, int) and not isinstance(value, bool):
            year = value
        else:
            text = "" if value is None else str(value).strip()
            if text == "":
                return None
            if not (text.isascii() and text.isdigit() and len(text) <= 4):
                message = _named(self, self.error_messages["invalid"])
                raise ValidationError(message, code="invalid")
            year = int(text)
        if not self.min_year <= year <= self.max_year:
            message = self.error_messages["out_of_range"] % {
                "min": self.min_year,
                "max": self.max_year,
            }
            raise ValidationError(_named(self, message), code="out_of_range")
        return year
