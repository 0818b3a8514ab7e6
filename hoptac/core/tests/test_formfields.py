"""The shared form fields of dates, money and counts (issue 16 item 3): typed as Vietnamese
write them, whatever the browser's language, read by the officers' spreadsheet readers, each
error naming its field in Vietnamese. Pure: no database."""

import importlib
import inspect
from datetime import date
from decimal import Decimal

import pytest
from django import forms
from django.apps import apps
from django.utils import translation

from hoptac.core import formfields, params
from hoptac.core.widgets import NumberTextInput, VietnameseDateInput
from hoptac.registry.models import Cooperative


class Form(forms.Form):
    on = formfields.DateField(label="Ngày đăng ký", required=False)
    capital = formfields.MoneyField(label="Vốn điều lệ", required=False, max_digits=18)
    members = formfields.CountField(label="Số thành viên", required=False, min_value=0)
    target = formfields.DecimalNumberField(label="Chỉ tiêu", required=False, decimal_places=2)


def _clean(**data):
    form = Form(data)
    assert form.is_valid(), form.errors
    return {name: value for name, value in form.cleaned_data.items() if name in data}


@pytest.mark.parametrize(
    "typed",
    ["5/1/2025", "05/01/2025", "05-01-2025", "5.1.2025", "2025-01-05", " 5/1/2025 ",
     "ngày 5 tháng 1 năm 2025"],
)  # fmt: skip
def test_a_date_is_read_day_first_as_typed(typed):
    assert _clean(on=typed) == {"on": date(2025, 1, 5)}


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_date_is_day_first_in_either_language(language):
    with translation.override(language):
        assert _clean(on="5/1/2025") == {"on": date(2025, 1, 5)}
        assert _clean(on="13/1/2025") == {"on": date(2025, 1, 13)}


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("1/13/2025", "Ngày đăng ký: “1/13/2025” không phải là ngày: hãy ghi theo dạng "
                      "ngày/tháng/năm (dd/mm/yyyy)."),
        ("30/02/2025", "Ngày đăng ký: “30/02/2025” không phải là ngày: hãy ghi theo dạng "
                       "ngày/tháng/năm (dd/mm/yyyy)."),
        ("45658", "Ngày đăng ký: “45658” không phải là ngày: hãy ghi theo dạng "
                  "ngày/tháng/năm (dd/mm/yyyy)."),
        ("2025", "Ngày đăng ký: “2025” chỉ ghi năm: hãy ghi đủ ngày/tháng/năm (dd/mm/yyyy)."),
        ("1/1/1800", "Ngày đăng ký: hãy nhập một ngày từ 01/01/1900 đến 31/12/2100."),
    ],
)  # fmt: skip
def test_a_bad_date_is_refused_naming_the_field_in_vietnamese(typed, message):
    with translation.override("vi"):
        assert Form({"on": typed}).errors == {"on": [message]}


def test_the_date_widget_shows_dd_mm_yyyy_with_the_picker():
    html = Form(initial={"on": date(2025, 1, 5)})["on"].as_widget()
    assert 'type="text"' in html
    assert 'value="05/01/2025"' in html
    assert 'placeholder="dd/mm/yyyy"' in html
    assert 'inputmode="numeric"' in html
    assert "data-datepicker" in html


def test_an_iso_date_from_a_link_is_shown_dd_mm_yyyy():
    assert 'value="05/01/2025"' in Form({"on": "2025-01-05"})["on"].as_widget()
    assert 'value="5/1/2025"' in Form({"on": "5/1/2025"})["on"].as_widget()  # as typed


@pytest.mark.parametrize(
    "typed",
    ["1.500.000", "1,500,000", "1 500 000", "1500000", "1.500.000 đ", "1,5 triệu", "1.500 nghìn"],
)
def test_money_takes_vietnamese_and_english_separators(typed):
    assert _clean(capital=typed) == {"capital": Decimal(1_500_000)}


def test_money_refuses_a_fraction_of_a_dong_naming_the_field():
    with translation.override("vi"):
        assert Form({"capital": "1,5"}).errors == {
            "capital": ["Vốn điều lệ: “1,5” không phải là một số đồng chẵn."]
        }
        assert "capital" in Form({"capital": "nhiều"}).errors


def test_money_is_shown_grouped():
    with translation.override("vi"):
        html = Form(initial={"capital": Decimal(1_500_000)})["capital"].as_widget()
    assert 'value="1.500.000"' in html
    assert 'type="text"' in html


@pytest.mark.parametrize(("typed", "count"), [("1.200", 1200), ("1,200", 1200), ("12", 12)])
def test_a_count_takes_thousands_separators(typed, count):
    assert _clean(members=typed) == {"members": count}


def test_a_count_refuses_a_fraction_and_a_negative():
    with translation.override("vi"):
        assert Form({"members": "1,5"}).errors == {
            "members": ["Số thành viên: “1,5” không phải là số nguyên."]
        }
        assert "members" in Form({"members": "-3"}).errors


@pytest.mark.parametrize(
    ("typed", "value"),
    [("2,5", Decimal("2.5")), ("2.5", Decimal("2.5")), ("1.500.000,5", Decimal("1500000.5")),
     ("1.500.000", Decimal(1500000))],
)  # fmt: skip
def test_a_decimal_number_takes_either_mark(typed, value):
    assert _clean(target=typed) == {"target": value}


def test_a_decimal_number_refuses_text_naming_the_field():
    with translation.override("vi"):
        assert Form({"target": "abc"}).errors == {"target": ["Chỉ tiêu: “abc” không phải là số."]}


class CooperativeForm(formfields.ModelForm):
    class Meta:
        model = Cooperative
        fields = ["name", "registered_on", "charter_capital", "members_count", "sector"]


def test_a_model_form_gets_the_shared_fields():
    fields = CooperativeForm.base_fields
    assert type(fields["registered_on"]) is params.DateField
    assert type(fields["charter_capital"]) is formfields.MoneyField
    assert type(fields["members_count"]) is formfields.CountField
    assert type(fields["name"]) is forms.CharField
    assert type(fields["sector"]) is forms.TypedChoiceField


def _form_classes():
    for app in apps.get_app_configs():
        if not app.name.startswith("hoptac."):
            continue
        try:
            module = importlib.import_module(f"{app.name}.forms")
        except ModuleNotFoundError:
            continue
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                yield cls


def test_every_form_types_dates_and_numbers_the_vietnamese_way():
    """No form of hoptac keeps the browser's date input (mm/dd/yyyy on an English computer)
    or a number input (which refuses "1.500.000") for an amount or a count."""
    found = []
    for cls in _form_classes():
        for name, field in cls.base_fields.items():
            where = f"{cls.__module__}.{cls.__name__}.{name}"
            if isinstance(field, forms.DateField) and not isinstance(field, params.DateField):
                found.append(where)
            elif isinstance(field, forms.DateField):
                assert isinstance(field.widget, VietnameseDateInput), where
            if isinstance(field, forms.DecimalField) and not isinstance(
                field.widget, NumberTextInput | forms.TextInput | forms.HiddenInput
            ):
                found.append(where)
    assert found == []
    assert len(list(_form_classes())) > 20
