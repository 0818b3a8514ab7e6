"""importing.RowChecker checks a row as the profile form's is_valid() and the model's
full_clean() do: the same messages for the same fields, remembered values included."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from hoptac.registry.choices import Kind, Sector, Status, SubSector
from hoptac.registry.importing.checking import MEMO_LIMIT, RowChecker
from hoptac.registry.importing.rows import row_form_class
from hoptac.registry.models import Cooperative
from hoptac.registry.tests.factories import legacy_unit

pytestmark = pytest.mark.django_db

FIELDS = [
    "kind",
    "name",
    "tax_code",
    "registered_on",
    "founded_on",
    "email",
    "website",
    "sector",
    "sub_sector",
    "charter_capital",
    "members_count",
    "high_tech",
]
GOOD = {
    "kind": Kind.COOPERATIVE,
    "name": "HTX Chè Mỹ Phương",
    "tax_code": "4700123456",
    "registered_on": date(2015, 3, 20),
    "founded_on": date(2015, 3, 15),
    "email": "che@example.vn",
    "website": "che.example.vn",
    "sector": Sector.AGRICULTURAL,
    "sub_sector": SubSector.CROPS,
    "charter_capital": Decimal(1_500_000_000),
    "members_count": 12,
    "high_tech": True,
}
BAD_ROWS = [
    {"name": "", "email": "không phải thư"},  # required; not an address
    {"name": "x" * 300, "tax_code": "12345"},  # too long; not 10 digits
    {"sub_sector": SubSector.TRADE},  # not of the agricultural sector
    {"registered_on": date(2015, 3, 1)},  # before the founding date
    {"members_count": -3, "website": "not a site"},
    {"kind": "khong_co"},  # not a choice
]


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


def reference(data: dict, fields: list[str]) -> dict[str, list[str]]:
    """What the importer did before RowChecker: a bound form's errors (without the label
    prefix LabelledErrorsMixin adds), else full_clean's on the instance."""
    form_class = row_form_class(fields)
    target = Cooperative(commune_legacy=legacy_unit("02062"))
    form = form_class(data=data, instance=target, user=None)
    if not form.is_valid():
        errors = {}
        for name, messages in form.errors.items():
            label = str(form.fields[name].label) if name in form.fields else ""
            prefix = f"{label[:1].upper()}{label[1:]}: "
            errors[name] = [m[len(prefix) :] if m.startswith(prefix) else m for m in messages]
        return errors
    for name in fields:
        setattr(target, name, form.cleaned_data[name])
    unchecked = [f.name for f in Cooperative._meta.fields if f.name not in fields]
    try:
        target.full_clean(exclude=unchecked, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        return error.message_dict
    return {}


def checked(checker: RowChecker, data: dict) -> dict[str, list[str]]:
    target = Cooperative(commune_legacy=legacy_unit("02062"))
    cleaned, errors = checker.check_form(data, target)
    if errors:
        return errors
    checker.save_form_data(cleaned, target)
    return checker.check_model(target)


def make_checker(fields: list[str]) -> RowChecker:
    return RowChecker(row_form_class(fields)(data={}, user=None), fields)


def test_a_good_row_passes_and_its_values_are_set():
    checker = make_checker(FIELDS)
    target = Cooperative(commune_legacy=legacy_unit("02062"), status=Status.ACTIVE)
    cleaned, errors = checker.check_form(dict(GOOD), target)
    assert errors == {}
    checker.save_form_data(cleaned, target)
    assert checker.check_model(target) == {}
    assert (target.name, target.members_count, target.website) == (
        "HTX Chè Mỹ Phương",
        12,
        "https://che.example.vn",  # the form's URL field adds the scheme, as on the page
    )


@pytest.mark.parametrize("bad", BAD_ROWS)
def test_bad_rows_get_the_messages_of_the_form_and_the_model(bad):
    data = {**GOOD, **bad}
    expected = reference(data, FIELDS)
    assert expected  # each of these rows is refused
    checker = make_checker(FIELDS)
    assert checked(checker, data) == expected
    assert checked(checker, data) == expected  # the second time from what it remembers


def test_remembered_outcomes_do_not_leak_between_rows():
    """A value's messages are copied into each row's errors: a later row adding to them
    (Cooperative.clean on the same field) does not change what is remembered."""
    checker = make_checker(FIELDS)
    rows = [{**GOOD, **bad} for bad in BAD_ROWS] * 2 + [dict(GOOD)]
    for data in rows:
        assert checked(checker, data) == reference(data, FIELDS)


def test_memory_is_bounded_per_field():
    checker = make_checker(["name"])
    for n in range(MEMO_LIMIT + 10):
        checked(checker, {"name": f"HTX số {n}"})
    assert len(checker._form_memo["name"]) <= MEMO_LIMIT
    assert len(checker._model_memo["name"]) <= MEMO_LIMIT


def test_without_form_fields_the_model_rules_still_run():
    checker = RowChecker(None, [])
    target = Cooperative(sector=Sector.AGRICULTURAL, sub_sector=SubSector.TRADE)
    errors = checker.check_model(target)
    assert set(errors) == {"sub_sector", "commune"}


# The two shortcuts of RowChecker (a plain text value taken as it is; the model's clean of a
# field skipped when the form's field implied it) give the messages of is_valid() and
# full_clean() on text that is padded, too long, empty or holds a null character.
TEXT_ROWS = [
    {"name": "  HTX Chè  "},
    {"name": "x" * 255, "short_name": "y" * 120},
    {"name": "x" * 256},
    {"name": "HTX\x00Chè"},
    {"name": "\u00a0"},
    {"short_name": "z" * 121, "street": "Thôn\x00Bản"},
    {"email": "che@example.vn ", "representative_phone": "0912 345 678"},
    {"representative_phone": "0" * 21, "latitude": 22.1, "charter_capital": Decimal("1.5")},
]
TEXT_FIELDS = [*FIELDS, "short_name", "street", "representative_phone", "latitude"]


@pytest.mark.parametrize("changes", TEXT_ROWS)
def test_the_shortcuts_give_the_messages_of_the_form_and_the_model(changes):
    data = {**GOOD, "short_name": "", "street": "", "representative_phone": "", "latitude": None}
    data.update(changes)
    checker = make_checker(TEXT_FIELDS)
    expected = reference(data, TEXT_FIELDS)
    assert checked(checker, data) == expected
    assert checked(checker, data) == expected


def test_the_shortcuts_are_taken():
    """A good row's name is neither cleaned by its form field nor by its model field (nothing
    remembered of it), and the model's checks skipped are those the form's fields imply."""
    checker = make_checker(TEXT_FIELDS)
    assert checked(checker, dict(GOOD)) == {}
    assert checker._form_memo["name"] == {}
    assert checker._model_memo["name"] == {}
    assert {"name", "short_name", "street", "email", "latitude", "charter_capital"} <= (
        checker.implied
    )
    # a choice, a count (the model's range validators) and a website (the model's maximum
    # length, which the form's URL field has not) are checked again by the model
    assert not {"kind", "members_count", "website"} & checker.implied
