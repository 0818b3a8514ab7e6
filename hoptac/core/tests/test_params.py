"""core.params: the one parser of dates, years, ids and text from URLs and query strings."""

from datetime import date

import pytest
from django import forms
from django.http import Http404
from django.test import RequestFactory
from django.utils import translation

from hoptac.core import params

LONG_NUMBER = "1" * 25


@pytest.mark.parametrize(("text", "year"), [("1900", 1900), ("2019", 2019), ("2100", 2100)])
def test_parse_year_in_range(text, year):
    assert params.parse_year(text) == year


@pytest.mark.parametrize(
    "text",
    ["0", "0000", "1899", "2101", "9999", "99999", LONG_NUMBER, "-201", "２０１９", " 2019", ""],
)
def test_parse_year_out_of_range_or_malformed(text):
    with pytest.raises(ValueError):  # noqa: PT011  (the parser's one error)
        params.parse_year(text)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("1900-01-01", date(1900, 1, 1)),
        ("2020-02-29", date(2020, 2, 29)),
        ("2100-12-31", date(2100, 12, 31)),
    ],
)
def test_parse_date_in_range(text, day):
    assert params.parse_date(text) == day


@pytest.mark.parametrize(
    "text",
    [
        "2019-02-30",
        "2019-02-29",
        "2019-13-01",
        "2019-00-10",
        "0001-01-01",
        "1899-12-31",
        "2101-01-01",
        "9999-12-31",
        "2019-1-1",
        "20190101",
        "2019-01-01T00:00",
        "２０１９-０１-０１",
        "",
    ],
)
def test_parse_date_out_of_range_or_malformed(text):
    with pytest.raises(ValueError):  # noqa: PT011
        params.parse_date(text)


@pytest.mark.parametrize(("text", "pk"), [("1", 1), ("007", 7), (str(params.MAX_ID), 2**63 - 1)])
def test_parse_id_in_range(text, pk):
    assert params.parse_id(text) == pk


@pytest.mark.parametrize("text", ["0", "-1", str(params.MAX_ID + 1), LONG_NUMBER, "1e3", "١", ""])
def test_parse_id_out_of_range_or_malformed(text):
    with pytest.raises(ValueError):  # noqa: PT011
        params.parse_id(text)


def test_converters_round_trip():
    assert params.IdConverter().to_url(params.IdConverter().to_python("42")) == "42"
    assert params.YearConverter().to_url(params.YearConverter().to_python("2019")) == "2019"


def test_clean_text_drops_nul_and_cuts():
    assert params.clean_text("a\x00b" + "c" * 200) == "ab" + "c" * 98


# --- query strings ----------------------------------------------------------------------


def _get(**query):
    return RequestFactory().get("/", query)


def test_query_helpers_give_the_default_when_absent_or_empty():
    request = _get(date="", year=" ")
    assert params.query_date(request, "date", date(2020, 1, 1)) == date(2020, 1, 1)
    assert params.query_year(request, "year", 2019) == 2019
    assert params.query_int(request, "page", 1) == 1
    assert params.query_text(request, "q") == ""


def test_query_helpers_read_values_in_range():
    request = _get(date="2019-06-30", year="2019", page="3", q="chè\x00 xanh", sort="name")
    assert params.query_date(request, "date") == date(2019, 6, 30)
    assert params.query_year(request, "year") == 2019
    assert params.query_int(request, "page") == 3
    assert params.query_text(request, "q") == "chè xanh"
    assert params.query_choice(request, "sort", ["name", "code"]) == "name"
    assert params.query_choice(request, "q", ["name"], default="code") == "code"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("date", "0001-01-01"),
        ("date", "2019-02-30"),
        ("year", "0"),
        ("year", LONG_NUMBER),
        ("page", "0"),
        ("page", LONG_NUMBER),
        ("page", "abc"),
    ],
)
def test_query_helpers_answer_404_out_of_range(name, value):
    reader = {"date": params.query_date, "year": params.query_year, "page": params.query_int}
    with pytest.raises(Http404):
        reader[name](_get(**{name: value}), name)


# --- form fields ----------------------------------------------------------------------------


class FilterForm(forms.Form):
    on = params.DateField(label="Figures as of", required=False)
    year = params.YearField(label="Year", required=False, min_value=1990)


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        (
            {"on": "0001-01-01"},
            {"on": ["Figures as of: enter a date from 01/01/1900 to 31/12/2100."]},
        ),
        (
            {"on": "2019-02-30"},
            {"on": ["Figures as of: “2019-02-30” is not a date: write it as dd/mm/yyyy."]},
        ),
        ({"year": LONG_NUMBER}, {"year": ["Year: enter a year of four digits."]}),
        ({"year": "1989"}, {"year": ["Year: enter a year from 1990 to 2100."]}),
        ({"year": "-1"}, {"year": ["Year: enter a year of four digits."]}),
    ],
)
def test_form_fields_name_the_field_in_their_errors(data, errors):
    with translation.override("en"):
        form = FilterForm(data)
        assert form.errors == errors


def test_form_field_errors_are_in_vietnamese():
    form = FilterForm({"on": "9999-12-31", "year": "2101"})
    assert form.errors == {
        "on": ["Figures as of: hãy nhập một ngày từ 01/01/1900 đến 31/12/2100."],
        "year": ["Year: hãy nhập một năm từ 1990 đến 2100."],
    }


def test_form_fields_accept_values_in_range():
    form = FilterForm({"on": "2019-06-30", "year": "2019"})
    assert form.is_valid()
    assert form.cleaned_data == {"on": date(2019, 6, 30), "year": 2019}
    assert FilterForm({"on": "", "year": ""}).is_valid()
