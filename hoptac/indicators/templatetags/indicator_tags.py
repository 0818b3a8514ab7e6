"""Template helpers of the indicator pages: a figure written with its unit, in the page's
language (1.234 / 83,5 % / 1.234,5 triệu đồng in Vietnamese)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any

from django import template
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import formats
from django.utils.formats import localize
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
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
        return _grouped(int(value), get_language())
    return str(floatformat(value, "0g"))


@lru_cache(maxsize=4096)
def _grouped(value: int, language: str | None) -> str:
    return f"{value:,}".replace(",", str(formats.get_format("THOUSAND_SEPARATOR")))


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


# The dashboard's long tables, joined in Python: a province has hundreds of communes, and a
# template loop costs about ten times as much per row (bench/DASHBOARD.md).

AREA_ROW = (
    '<tr><th scope="row" class="fw-normal"><a href="{}?area={}&amp;date={}">{}</a></th>'
    '<td class="text-end"><a href="{}">{}</a></td>' + '<td class="text-end">{}</td>' * 5 + "</tr>"
)
AREA_COUNTS = ("so_htx_nong_nghiep", "so_htx_phi_nong_nghiep", "so_thanh_vien",
               "so_lao_dong_thuong_xuyen")  # fmt: skip


@register.simple_tag
def area_rows(rows: list[Any], on: date) -> SafeString:
    """The rows of the table by administrative unit (selectors.BreakdownRow)."""
    dashboard = reverse("indicators:dashboard")
    return format_html_join(
        "",
        AREA_ROW,
        (
            (
                dashboard,
                row.unit.pk,
                on.isoformat(),
                row.label,
                row.results["so_htx"].drill_url,
                figure(row.results["so_htx"].numerator),
                *(figure(row.results[code].numerator) for code in AREA_COUNTS),
                result_value(row.results["ty_le_htx_hieu_qua_kha_tot"]),
            )
            for row in rows
        ),
    )


@register.simple_tag
def commune_rows(communes: list[Any]) -> SafeString:
    """The rows of the table of HTX per commune (selectors.CommuneCount); communes without
    any are highlighted."""
    warning = mark_safe(' class="table-warning"')
    return format_html_join(
        "",
        '<tr{}><td>{}</td><td class="text-end">{}</td><td class="text-end">{}</td></tr>',
        (
            ("" if c.total else warning, c.unit.name, localize(c.total), localize(c.agricultural))
            for c in communes
        ),
    )


@register.simple_tag
def commune_items(communes: list[Any], with_total: bool = False) -> SafeString:
    """List items naming communes (with their number of HTX), or "None"."""
    if not communes:
        return format_html("<li>{}</li>", _("None"))
    if with_total:
        return format_html_join(
            "", "<li>{} ({})</li>", ((c.unit.name, localize(c.total)) for c in communes)
        )
    return format_html_join("", "<li>{}</li>", ((c.unit.name,) for c in communes))
