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
from hoptac.registry import excel
from hoptac.registry.excel import Column
from hoptac.registry.forms import CooperativeForm
from hoptac.registry.models import Cooperative

# --- rows ----------------------------------------------------------------------------------------


@dataclass
class RowError:
    """An error of one row: the row number as the spreadsheet shows it, the column's header
    as the file writes it ("" for the whole row), and the message."""

    row: int
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class Change:
    """One field that an import changes: its label, the old and the new value as shown."""

    label: str
    old: str
    new: str


NEW, CHANGED, UNCHANGED, ERROR = "new", "changed", "unchanged", "error"


@dataclass
class RowPlan:
    """What an import does with one row."""

    row: int
    raw: list[Any]
    action: str = NEW
    name: str = ""
    place: str = ""
    note: str = ""
    errors: list[RowError] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    existing: Cooperative | None = None
    target: Cooperative | None = None
    updates: dict[str, Any] = field(default_factory=dict)
    status: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "action": self.action,
            "name": self.name,
            "place": self.place,
            "note": self.note,
            "cooperative": self.existing.pk if self.existing else None,
            "changes": [[c.label, c.old, c.new] for c in self.changes],
            "errors": [[e.column, e.message] for e in self.errors],
        }


@dataclass
class Summary:
    """The outcome of an import: counts of what the file holds (and, when `written`, of
    what was written), every error, and where the fix-list went."""

    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    error_rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    written: bool = False
    dry_run: bool = False
    fix_list: str = ""
    file_error: str = ""

    @property
    def accounted(self) -> bool:
        """Every row is created, updated, unchanged or in the fix-list."""
        listed = self.error_rows if self.fix_list else 0
        return self.rows == self.created + self.updated + self.unchanged + listed

    def as_dict(self) -> dict[str, Any]:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "errors": [e.as_dict() for e in self.errors],
            "rows": self.rows,
            "error_rows": self.error_rows,
            "written": self.written,
            "dry_run": self.dry_run,
            "fix_list": self.fix_list,
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
