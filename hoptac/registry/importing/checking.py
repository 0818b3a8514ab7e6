"""The checks of one imported row: the registry's profile form, then the model, as the page
and the services check an organisation, without binding a form for each row.

RowChecker runs what `form.is_valid()` and `Cooperative.full_clean()` run, in their order and
with their messages:

1. each field of the profile form (forms.CooperativeForm, cut to the file's fields): its
   widget reads the value, its `clean` checks it (type, length, choices, the registration
   code's validator …), then the form's `clean_<field>` if it has one;
2. the form's own `clean` (models.row_errors: the sub-sector of the sector, the registration
   date not before the founding date), on the form itself;
3. when the form found nothing: the model's `clean` of each of those fields (as
   Model.clean_fields, a blank value skipped where the field allows it), then
   Cooperative.clean (the one-row rules again, and a commune).

Two shortcuts give the same outcome for less work, and a test compares the messages with
`form.is_valid()` and `full_clean()` on the corpus and on bad rows:

- a plain text field of the form (forms.CharField, stripping, with no validator but its
  maximum length and the null character's) takes a value that is text, already stripped,
  not empty, not too long and without a null character as it is, without calling its clean:
  what that clean would return, and all it would check;
- the model's clean of a field is skipped when the form's field already implied it: the
  model field turns such a value into itself (text, date, number, yes/no), has no choices,
  refuses blank only where the form field requires a value, each of its validators is one of
  the form field's, the form has no clean_<field>, and the value on the model is the very
  object the form field returned for this row.

A field's cleaning depends on its value alone (no database, no other field), so its outcome
is remembered by value within one import: a file repeats its kinds, sectors, authorities,
dates and amounts on every row. Each field remembers at most MEMO_LIMIT values, so that a
column whose values are all different (names, codes, phones) costs a dictionary, not memory
growing with the file.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.core import validators
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.utils import ErrorDict
from django.forms.widgets import Widget

from hoptac.registry.models import Cooperative

MEMO_LIMIT = 5_000
_MISSING = object()

Errors = dict[str, list[str]]


class RowChecker:
    """Checks rows with one form instance (`form`, already built for the importing user) and
    the model's fields `fields`; see the module's docstring."""

    def __init__(self, form: Any | None, fields: Sequence[str]) -> None:
        self.form = form
        names = set(fields)
        self.form_fields: list[tuple[str, Any]] = (
            [(name, field) for name, field in form.fields.items() if name in names]
            if form is not None
            else []
        )
        self.clean_methods = {
            name: getattr(form, f"clean_{name}")
            for name, _field in self.form_fields
            if hasattr(form, f"clean_{name}")
        }
        self.model_fields: list[models.Field] = [
            f for f in Cooperative._meta.fields if f.name in names and not f.generated
        ]
        self.saved_fields: list[models.Field] = [
            f
            for f in Cooperative._meta.fields
            if f.name in names and f.editable and not isinstance(f, models.AutoField)
        ]
        self._form_memo: dict[str, dict[Any, tuple[Any, list[str] | None]]] = {
            name: {} for name, _field in self.form_fields
        }
        self._model_memo: dict[str, dict[Any, tuple[Any, list[str] | None]]] = {
            f.name: {} for f in self.model_fields
        }
        # The model fields whose clean the form's field implies (see the module's docstring),
        # and, row by row, the object each of those form fields returned.
        form_field = dict(self.form_fields)
        self.implied = {
            f.name
            for f in self.model_fields
            if f.name in form_field
            and f.name not in self.clean_methods
            and _implies(form_field[f.name], f)
        }
        self._verified: dict[str, Any] = {}
        # Each form field's step: how its widget reads the data (None: the plain Widget's
        # data.get), its memo, its clean_<field> method, the maximum length of a plain text
        # field (None: not one) and whether its model field's clean is implied.
        self._steps = [
            (
                name,
                field,
                None
                if type(field.widget).value_from_datadict is Widget.value_from_datadict
                else field.widget.value_from_datadict,
                self._form_memo[name],
                self.clean_methods.get(name),
                _plain_text_limit(field),
                name in self.implied,
            )
            for name, field in self.form_fields
        ]

    # -- the form

    def check_form(
        self, data: dict[str, Any], target: Cooperative
    ) -> tuple[dict[str, Any], Errors]:
        """The form's cleaned data and errors for `data` about `target` (its instance)."""
        form = self.form
        cleaned: dict[str, Any] = {}
        errors: Errors = {}
        form.data = data
        form.instance = target
        form.cleaned_data = cleaned
        form._errors = ErrorDict()
        verified = self._verified = {}
        for name, field, read, memo, method, limit, implied in self._steps:
            value = data.get(name) if read is None else read(data, None, name)
            outcome: tuple[Any, list[str] | None] | None
            if (
                limit is not None
                and value.__class__ is str
                and 0 < len(value) <= limit
                and not value[0].isspace()
                and not value[-1].isspace()
                and "\x00" not in value
            ):
                outcome = (value, None)  # what field.clean returns, having checked all this
            else:
                try:
                    key = (value.__class__, value)
                    outcome = memo.get(key)
                except TypeError:  # an unhashable value: not remembered
                    key, outcome = None, None
                if outcome is None:
                    outcome = _cleaned(field.clean, value)
                    if key is not None:
                        if len(memo) >= MEMO_LIMIT:
                            memo.clear()
                        memo[key] = outcome
            if outcome[1] is not None:
                errors[name] = list(outcome[1])
                continue
            cleaned[name] = outcome[0]
            if implied:
                verified[name] = outcome[0]
            if method is not None:
                try:
                    cleaned[name] = method()
                except ValidationError as error:
                    del cleaned[name]
                    errors[name] = error.messages
        for name, messages in errors.items():  # what form.clean sees as self.errors
            form._errors[name] = form.error_class(messages)
        try:
            result = form.clean()
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if result is not None:
                cleaned = result
        for name, messages in form._errors.items():
            if name not in errors:
                errors[name] = list(messages)
        return cleaned, errors

    def save_form_data(self, cleaned: dict[str, Any], target: Cooperative) -> None:
        """Put the cleaned values on `target`, as construct_instance does (every field is in
        the data, so none is skipped as omitted)."""
        for field in self.saved_fields:
            if field.name in cleaned:
                field.save_form_data(target, cleaned[field.name])

    # -- the model

    def check_model(self, target: Cooperative) -> Errors:
        """Cooperative.full_clean(exclude=<the other fields>, validate_unique=False,
        validate_constraints=False): each field's clean, then Cooperative.clean."""
        errors: Errors = {}
        values = target.__dict__
        verified, self._verified = self._verified, {}
        for field in self.model_fields:
            raw = values[field.attname]
            if field.blank and raw in field.empty_values:
                continue
            if verified and verified.get(field.name, _MISSING) is raw:
                continue  # the form's field checked this very value for all the model checks
            memo = self._model_memo[field.name]
            try:
                key = (raw.__class__, raw)
                outcome = memo.get(key)
            except TypeError:  # an unhashable value: not remembered
                key, outcome = None, None
            if outcome is None:
                try:
                    outcome = (field.clean(raw, target), None)
                except ValidationError as error:
                    outcome = (None, error.messages)
                if key is not None:
                    if len(memo) >= MEMO_LIMIT:
                        memo.clear()
                    memo[key] = outcome
            if outcome[1] is not None:
                errors[field.name] = list(outcome[1])
            else:
                values[field.attname] = outcome[0]
        try:
            target.clean()
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                errors.setdefault(name, []).extend(messages)
        return errors


def _cleaned(clean: Any, value: Any) -> tuple[Any, list[str] | None]:
    """clean(value) as (cleaned, None) or (None, messages)."""
    try:
        return (clean(value), None)
    except ValidationError as error:
        return (None, error.messages)


# Model fields whose to_python gives back a value of the type their form field cleans to.
_SAME_VALUE = frozenset(
    {
        "CharField",
        "TextField",
        "EmailField",
        "URLField",
        "SlugField",
        "DateField",
        "FloatField",
        "DecimalField",
        "BooleanField",
    }
)


def _implies(form_field: Any, field: models.Field) -> bool:
    """Whether a value that passed `form_field`'s clean passes `field`'s (module docstring)."""
    if field.get_internal_type() not in _SAME_VALUE or field.choices:
        return False
    if not field.blank and not form_field.required:
        return False
    return all(v in form_field.validators for v in field.validators)


def _plain_text_limit(field: Any) -> int | None:
    """The maximum length of a plain forms.CharField (stripping; no validator but its
    maximum length and the null character's), None for any other field."""
    if type(field) is not forms.CharField or not field.strip or field.max_length is None:
        return None
    for validator in field.validators:
        if type(validator) is validators.ProhibitNullCharactersValidator:
            continue
        if (
            type(validator) is validators.MaxLengthValidator
            and validator.limit_value == field.max_length
        ):
            continue
        return None
    return int(field.max_length)
