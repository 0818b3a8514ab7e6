"""Vietnamese number and date formats (1.234.567; 21/11/2026), English beside them."""

from datetime import date
from decimal import Decimal

import pytest
from django import forms
from django.template import engines
from django.utils import formats, translation

NOVEMBER_21 = date(2026, 11, 21)
TEMPLATE = "{% load humanize %}{{ n|intcomma }}|{{ n }}|{{ x }}|{{ d|date }}|{{ d }}"


def _render(language: str) -> list[str]:
    template = engines["django"].from_string(TEMPLATE)
    with translation.override(language):
        text = template.render({"n": 1234567, "x": Decimal("1234567.5"), "d": NOVEMBER_21})
    return text.split("|")


def test_vietnamese_groups_thousands_with_dots():
    with translation.override("vi"):
        assert formats.number_format(1234567, force_grouping=True) == "1.234.567"
        assert formats.number_format(Decimal("1234.5"), decimal_pos=2) == "1.234,50"


def test_english_groups_thousands_with_commas():
    with translation.override("en"):
        assert formats.number_format(1234567, force_grouping=True) == "1,234,567"
        assert formats.number_format(Decimal("1234.5"), decimal_pos=2) == "1,234.50"


@pytest.mark.parametrize("language", ["vi", "en"])
def test_dates_are_day_first(language):
    with translation.override(language):
        assert formats.date_format(NOVEMBER_21) == "21/11/2026"
        assert formats.date_format(NOVEMBER_21, "SHORT_DATE_FORMAT") == "21/11/2026"


def test_vietnamese_date_input_is_day_first():
    with translation.override("vi"):
        assert forms.DateField().clean("21/11/2026") == NOVEMBER_21
        assert forms.DateField().clean("01/02/2026") == date(2026, 2, 1)


def test_templates_render_vietnamese_formats():
    assert _render("vi") == ["1.234.567", "1.234.567", "1.234.567,5", "21/11/2026", "21/11/2026"]


def test_templates_render_english_formats():
    assert _render("en") == ["1,234,567", "1,234,567", "1,234,567.5", "21/11/2026", "21/11/2026"]
