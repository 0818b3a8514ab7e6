"""Widgets that show dates and numbers as Vietnamese offices write them, whatever the
browser's language: the native date input follows the browser (mm/dd/yyyy on a computer set
to English), and a number input refuses the thousands dots of "1.500.000".

Each is a text input; the form fields of hoptac.core.formfields read what is typed.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django import forms

DATE_FORMAT = "%d/%m/%Y"
DATE_PLACEHOLDER = "dd/mm/yyyy"
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")


class VietnameseDateInput(forms.DateInput):
    """A date typed or picked as dd/mm/yyyy. `data-datepicker` asks static/js/datepicker.js
    to attach the Vietnamese calendar (vanillajs-datepicker, `vi` locale)."""

    input_type = "text"

    def __init__(self, attrs: dict[str, Any] | None = None, format: str | None = None) -> None:
        defaults = {
            "inputmode": "numeric",
            "placeholder": DATE_PLACEHOLDER,
            "autocomplete": "off",
            "data-datepicker": "",
        }
        super().__init__(attrs={**defaults, **(attrs or {})}, format=format or DATE_FORMAT)

    def format_value(self, value: Any) -> str | None:
        """A date as dd/mm/yyyy; a date that came back in a query string as yyyy-mm-dd (links
        are built with ISO dates) shown as dd/mm/yyyy too; anything else as it was typed."""
        if isinstance(value, str):
            if not _ISO.fullmatch(value.strip()):
                return value
            try:
                value = date.fromisoformat(value.strip())
            except ValueError:
                return value
        if isinstance(value, date):
            return value.strftime(self.format or DATE_FORMAT)
        return super().format_value(value)


class NumberTextInput(forms.TextInput):
    """A number typed with Vietnamese or English separators (1.500.000 or 1,500,000): a text
    input, since the browser's number input refuses the dots, and the phone's digit keyboard."""

    def __init__(self, attrs: dict[str, Any] | None = None, *, whole: bool = True) -> None:
        defaults = {"inputmode": "numeric" if whole else "decimal", "autocomplete": "off"}
        super().__init__(attrs={**defaults, **(attrs or {})})
