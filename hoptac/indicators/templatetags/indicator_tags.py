"""Template helpers of the indicator pages: a figure written with its unit, in the page's
language (1.234 / 83,5 % / 1.234,5 triệu đồng in Vietnamese)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.template.defaultfilters import floatformat
from django.utils import formats
from django.utils.translation import gettext as _

register = template.Library()
MILLION = Decimal(1_000_000)


@register.filter
def figure(value: Decimal | int | None, unit: str = "org") -> str:
    """A number with its unit: counts grouped, shares with one decimal and "%", amounts in
    millions of VND."""
    if value is None:
        return "—"
    if unit == "percent":
        return f"{floatformat(value, '-1g')} %"
    if unit in ("vnd", "vnd_per_org", "vnd_per_worker"):
        millions = floatformat(Decimal(value) / MILLION, "-1g")
        return _("%(amount)s million VND") % {"amount": millions}
    if value == int(value):  # the common case, a count: as floatformat(value, "0g") writes it
        return f"{int(value):,}".replace(",", str(formats.get_format("THOUSAND_SEPARATOR")))
    return str(floatformat(value, "0g"))


@register.filter
def result_value(result: Any) -> str:
    """A selectors.Result's value, or "no data"."""
    if result.no_data:
        return _("no data")
    return figure(result.value, result.indicator.unit)


@register.filter
def bar_width(percent: Decimal | None) -> str:
    """A progress bar's width in % (0–100, dot decimal for CSS)."""
    if percent is None:
        return "0"
    return f"{max(Decimal(0), min(Decimal(100), Decimal(percent))):.1f}"
