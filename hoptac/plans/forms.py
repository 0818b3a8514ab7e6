"""Forms of plans and targets; officers only place plans inside their own area."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django import forms
from django.forms import inlineformset_factory
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from hoptac.accounts import access
from hoptac.areas.choices import Level
from hoptac.areas.forms import AreaField
from hoptac.areas.models import AdminUnit
from hoptac.core import formfields, params
from hoptac.indicators.selectors import definitions
from hoptac.plans.models import Milestone, Plan, Target

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from hoptac.accounts.models import User


def _css(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        elif not isinstance(widget, forms.HiddenInput) and field.__class__ is not AreaField:
            widget.attrs.setdefault("class", "form-control")


class PlanForm(formfields.ModelForm):
    """A plan: kind, number, title, issuer, date, area (of the user's scope), period,
    document and summary."""

    class Meta:
        model = Plan
        fields = [
            "kind",
            "number",
            "title",
            "issuer",
            "issued_on",
            "area",
            "start_year",
            "end_year",
            "document",
            "summary",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, user: User | AnonymousUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"] = AreaField(
            label=_("Area"),
            levels=(Level.PROVINCE, Level.DISTRICT, Level.COMMUNE),
            units=access.scope_of(user).units(AdminUnit.objects.all()),
        )
        _css(self)

    def service_kwargs(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


def indicator_choices() -> list[tuple[str, str]]:
    language = get_language() or "vi"
    return [(code, d.name(language)) for code, d in definitions().items()]


class TargetForm(formfields.ModelForm):
    """A target: which indicator, how it compares, the value and the date."""

    indicator = forms.ChoiceField(label=_("Indicator"), choices=())

    class Meta:
        model = Target
        fields = [
            "indicator",
            "comparison",
            "value",
            "due_on",
            "wording",
            "is_illustrative",
            "order",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = indicator_choices()
        _css(self)

    def service_kwargs(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class MilestoneForm(formfields.ModelForm):
    class Meta:
        model = Milestone
        fields = ["year", "value"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _css(self)


MilestoneFormSet = inlineformset_factory(
    Target, Milestone, form=MilestoneForm, extra=3, can_delete=True, max_num=20
)


def milestones_of(formset: Any) -> list[tuple[int, Decimal]]:
    """The (year, value) pairs a valid milestone formset holds (deleted rows left out)."""
    pairs = []
    for form in formset.forms:
        data = form.cleaned_data
        if data and not data.get("DELETE") and data.get("year") and data.get("value") is not None:
            pairs.append((data["year"], data["value"]))
    return sorted(pairs)


class AsOfForm(forms.Form):
    """The date a plan's progress is shown on (empty or invalid: the default date)."""

    date = params.DateField(label=_("Progress as of"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        attrs = self.fields["date"].widget.attrs
        attrs.update({"id": "progress-date", "class": "form-control form-control-sm"})

    def as_of(self, default: date) -> date:
        """The date asked for when it is valid, else `default`."""
        return (self.cleaned_data.get("date") if self.is_valid() else None) or default
