"""The print-only line on top of printed pages (#16 item 6): the area and date the view gives,
else the page's title; always the printing day; in Vietnamese."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

from django.template import Context, Template
from django.test import RequestFactory
from django.utils import translation

from hoptac.core.templatetags.hoptac_print import heading_parts

TODAY = datetime.date(2026, 1, 5)
AREA = SimpleNamespace(full_name="Tỉnh Bắc Kạn", name="Bắc Kạn")


def test_the_area_and_the_date_of_the_view_come_first():
    with translation.override("vi"):
        parts = heading_parts(
            title="Tổng quan", area=AREA, year=None, on=datetime.date(2019, 12, 31), today=TODAY
        )
    assert parts == ["Tỉnh Bắc Kạn", "Tính đến ngày 31/12/2019", "In ngày 05/01/2026"]


def test_a_year_when_the_view_gives_no_date():
    with translation.override("vi"):
        parts = heading_parts(title="Xếp loại", area=AREA, year=2019, on=None, today=TODAY)
    assert parts == ["Tỉnh Bắc Kạn", "Năm 2019", "In ngày 05/01/2026"]


def test_the_title_when_the_view_gives_no_area():
    """A form's raw value named `area` (a pk) is not an area."""
    with translation.override("vi"):
        parts = heading_parts(title=" HTX Chè ", area="12", year="2019", on=None, today=TODAY)
    assert parts == ["HTX Chè", "In ngày 05/01/2026"]


def test_the_tag_renders_the_pages_title_block_as_text():
    """The child's title block, once in <title> and again in the line, escaped once."""
    from django.template import engines

    engine = engines["django"].engine  # type: ignore[attr-defined]
    base = engine.from_string(
        "{% load hoptac_print %}<title>{% block title %}base{% endblock %}</title>"
        "<p>{% print_heading %}</p>"
    )
    child = Template("{% extends base %}{% block title %}{{ name }}{% endblock %}", engine=engine)
    request = RequestFactory().get("/")
    with translation.override("vi"):
        html = child.render(Context({"base": base, "request": request, "name": 'HTX "A" & B'}))
    assert "<title>HTX &quot;A&quot; &amp; B</title>" in html
    assert "<p>HTX &quot;A&quot; &amp; B · In ngày " in html
