"""Rows of an import: errors, changes, plans, the summary, and the form that checks one row."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django import forms as django_forms
from django.utils import formats
from django.utils.translation import gettext as _

from hoptac.areas.models import AdminUnit
from hoptac.core.tabular import (
    CHANGED,
    ERROR,
    NEW,
    UNCHANGED,
    Change,
    RowError,
    Summary,
)
from hoptac.core.tabular import RowPlan as BaseRowPlan
from hoptac.registry import excel
from hoptac.registry.excel import Column
from hoptac.registry.forms import CooperativeForm
from hoptac.registry.models import Cooperative

__all__ = [
    "CHANGED",
    "ERROR",
    "NEW",
    "UNCHANGED",
    "Change",
    "ImportRowForm",
    "RowError",
    "RowPlan",
    "Summary",
    "row_form_class",
]


@dataclass
class RowPlan(BaseRowPlan):
    """What an import does with one registry row: the pipeline's plan, with the place as
    resolved, the organisation matched, the one to write and the status to give it."""

    place: str = ""
    note: str = ""
    name_key: str = ""  # the name folded (rules.name_key), as matched and as stored
    existing: Cooperative | None = None
    target: Cooperative | None = None
    updates: dict[str, Any] = field(default_factory=dict)
    status: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            **super().as_dict(),
            "place": self.place,
            "note": self.note,
            "cooperative": self.existing.pk if self.existing else None,
        }


class ImportRowForm(CooperativeForm):
    """The registry's profile form, without the place picker and the edit version: the place
    comes from the address columns, and an import is matched, not versioned by a form.

    The form checks each field (and its own row rules); the model's full_clean is then run by
    the importer on the organisation with its resolved place (Importer._validate).
    """

    place = None  # type: ignore[assignment]
    version = None  # type: ignore[assignment]

    def _post_clean(self) -> None:
        """The importer validates the model itself, with the place it resolved."""


def row_form_class(fields: Sequence[str]) -> type[ImportRowForm]:
    """The profile form cut down to the fields a file has."""
    return django_forms.modelform_factory(Cooperative, form=ImportRowForm, fields=list(fields))


def _shown(value: Any, column: Column | None = None) -> str:
    if value in (None, ""):
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, AdminUnit):
        return value.full_name
    if column is not None and column.choices is not None:
        return str(dict(column.choices.choices).get(value, value))
    if isinstance(value, date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, Decimal | int | float):
        return str(formats.localize(value, use_l10n=True))
    return str(value)


def _same(old: Any, new: Any) -> bool:
    if isinstance(new, excel.YearOnly):
        return isinstance(old, date) and old.year == new.year
    if old in (None, "") and new in (None, ""):
        return True
    if isinstance(old, Decimal) or isinstance(new, Decimal):
        try:
            return Decimal(str(old)) == Decimal(str(new))
        except (ArithmeticError, ValueError):
            return False
    return bool(old == new)
