"""Forms of the annual reports: the report's figures, the return comment, the desk's filters.

Forms shape and check input; the services validate the whole report and save. Every error
message names its field, as officers read them in Vietnamese.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hoptac.accounts.forms import ScopedAreaYearForm
from hoptac.core import formfields
from hoptac.registry.forms import LabelledErrorsMixin
from hoptac.reports import messages
from hoptac.reports.indicators import GROUPS, INDICATORS
from hoptac.reports.models import AnnualReport

VALUE_FIELDS = [spec.field for spec in INDICATORS]


class ReportForm(LabelledErrorsMixin, formfields.ModelForm):
    """The figures of a report. `revision` carries the revision the form was loaded with, so
    that a save over someone else's newer one is refused (services.report_update)."""

    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = AnnualReport
        fields = [*VALUE_FIELDS, "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("revision", self.instance.revision)
        for field in self.fields.values():
            if not isinstance(field.widget, forms.HiddenInput):
                field.widget.attrs.setdefault("class", "form-control")
        for spec in INDICATORS:
            if spec.required:
                self.fields[spec.field].widget.attrs["aria-required"] = "true"

    def _post_clean(self) -> None:
        """The service validates the whole report when it saves; the form checks each field
        and the one-report rules (clean)."""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for name, message in messages.report_errors(cleaned).items():
            if name in self.fields and name not in self.errors:
                self.add_error(name, message)
        return cleaned

    def values(self) -> dict[str, Any]:
        """The cleaned figures and notes, as the services take them."""
        data = {name: self.cleaned_data.get(name) for name in [*VALUE_FIELDS, "notes"]}
        data["notes"] = data["notes"] or ""
        return data

    def groups(self) -> list[tuple[Any, list[forms.BoundField]]]:
        """The bound fields by indicator group, for the template."""
        grouped = [
            (label, [self[spec.field] for spec in INDICATORS if spec.group == key])
            for key, label in GROUPS.items()
        ]
        return [(label, fields) for label, fields in grouped if fields]

    def required_fields(self) -> set[str]:
        return {spec.field for spec in INDICATORS if spec.required}

    def rebase(self, revision: int) -> None:
        """After a refused save: keep the editor's values, carry the current revision."""
        self.data = self.data.copy()
        self.data[self.add_prefix("revision")] = str(revision)


class ReturnForm(LabelledErrorsMixin, forms.Form):
    comment = forms.CharField(
        label=_("What must be corrected"),
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        max_length=2000,
    )


def year_choices(today: Any = None) -> list[tuple[int, str]]:
    """The years offered: from 2015 to the current one, newest first."""
    year = (today or timezone.localdate()).year
    return [(y, str(y)) for y in range(year, 2014, -1)]


def default_year(today: Any = None) -> int:
    """The year whose report is due now: last year's."""
    return (today or timezone.localdate()).year - 1


class DeskForm(ScopedAreaYearForm):
    """The desk's area (defaults to the user's own) and year (defaults to last year)."""

    def year_choices(self) -> list[tuple[int, str]]:
        return year_choices()

    def default_year(self) -> int:
        return default_year()

    @property
    def picks_area(self) -> bool:
        """Officers and admins pick an area; an HTX manager sees his own HTX only."""
        return bool(self.scope.everything or self.scope.area)
