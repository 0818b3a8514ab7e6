"""The form fields of dates, money and counts that every form uses, so that they are typed and
shown as Vietnamese offices write them whatever the browser's language (issue 16 item 3):

- dates: core.params.DateField, dd/mm/yyyy with the Vietnamese date picker;
- money (whole đồng): MoneyField, "1.500.000", "1,500,000", "1 500 000 đ", "1,5 triệu";
- counts: CountField, "1.200" as well as "1200";
- other decimal numbers (a target value, a volume): DecimalNumberField, "1.500.000,5".

The numbers are read by the rules of the officers' spreadsheets (core.tabular.cells: the same
reader for a file and a form). Model forms get these fields through `formfield`, their Meta's
formfield_callback. Each error message names its field, in Vietnamese.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from hoptac.core.params import DateField, _named
from hoptac.core.tabular.cells import CellError, read_amount, read_count, read_number
from hoptac.core.widgets import NumberTextInput

__all__ = ["CountField", "DateField", "DecimalNumberField", "MoneyField", "formfield"]


def _grouped(value: Any, decimal_pos: int | None = None) -> Any:
    """A stored number shown grouped as the active language writes it (1.500.000)."""
    if isinstance(value, Decimal | int) and not isinstance(value, bool):
        return formats.number_format(
            value, decimal_pos=decimal_pos, use_l10n=True, force_grouping=True
        )
    return value


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


class MoneyField(forms.DecimalField):
    """A whole number of đồng (cells.read_amount): separators of either language, a currency
    word, a unit word ("1,5 triệu" is 1.500.000)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", NumberTextInput)
        kwargs.setdefault("decimal_places", 0)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if isinstance(value, Decimal | int) and not isinstance(value, bool):
            return Decimal(value)
        text = _text(value)
        if not text:
            return None
        try:
            return read_amount(text)
        except CellError as error:
            raise ValidationError(_named(self, str(error)), code="invalid") from None

    def prepare_value(self, value: Any) -> Any:
        return _grouped(value, decimal_pos=0)


class CountField(forms.IntegerField):
    """A whole number (cells.read_count): "1.200" and "1,200" are 1200."""

    widget = NumberTextInput

    def to_python(self, value: Any) -> int | None:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        text = _text(value)
        if not text:
            return None
        try:
            return read_count(text)
        except CellError as error:
            raise ValidationError(_named(self, str(error)), code="invalid") from None

    def prepare_value(self, value: Any) -> Any:
        return _grouped(value)


class DecimalNumberField(forms.DecimalField):
    """A number that may have decimals (cells.read_number over a fractional column): "2,5" and
    "2.5" are 2.5, "1.500.000,5" is 1500000.5; a single separator is the decimal mark."""

    default_error_messages = {"invalid": _("“%(value)s” is not a number.")}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", NumberTextInput(whole=False))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if isinstance(value, Decimal | int) and not isinstance(value, bool):
            return Decimal(value)
        text = _text(value)
        if not text:
            return None
        try:
            return read_number(text, whole=False)
        except InvalidOperation:
            message = self.error_messages["invalid"] % {"value": text}
            raise ValidationError(_named(self, message), code="invalid") from None

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Decimal) and value == value.to_integral_value():
            value = value.quantize(Decimal(1))  # 1500000.00 shown as 1.500.000
        return _grouped(value)


def _is_year(field: models.Field) -> bool:
    return "year" in field.name


def formfield(field: models.Field, **kwargs: Any) -> forms.Field | None:
    """A ModelForm's formfield_callback: the shared field for each model date, amount of money
    (a DecimalField of whole units), other decimal and count; Django's own for the rest (and
    for a field with choices, a year, or a form class the Meta names)."""
    if field.choices or isinstance(field, models.DateTimeField | models.AutoField):
        return field.formfield(**kwargs)
    if isinstance(field, models.DateField):
        kwargs.setdefault("form_class", DateField)
    elif isinstance(field, models.DecimalField):
        whole = field.decimal_places == 0
        kwargs.setdefault("form_class", MoneyField if whole else DecimalNumberField)
    elif isinstance(field, models.IntegerField) and not _is_year(field):
        kwargs.setdefault("form_class", CountField)
    return field.formfield(**kwargs)


class _ModelFormMetaclass(forms.models.ModelFormMetaclass):
    """Gives a model form's Meta the shared `formfield` callback unless it names its own."""

    def __new__(mcs, name: str, bases: tuple[type, ...], attrs: dict[str, Any]) -> Any:
        meta = attrs.get("Meta")
        if meta is not None and not hasattr(meta, "formfield_callback"):
            meta.formfield_callback = staticmethod(formfield)
        return super().__new__(mcs, name, bases, attrs)


class ModelForm(forms.ModelForm, metaclass=_ModelFormMetaclass):
    """The base of every model form of hoptac: its dates, money and counts are the shared
    fields above (typed and shown as Vietnamese write them)."""
