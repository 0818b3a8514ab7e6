"""Form fields for choosing an administrative unit; every form that places something uses them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms

from hoptac.areas.choices import Level
from hoptac.areas.models import AdminUnit


class AreaPickerWidget(forms.TextInput):
    """Placeholder: replaced by the HTMX picker (province → district → commune, searchable
    without diacritics). Renders the unit id for now."""

    def __init__(self, *, levels: Sequence[int], era: str | None, **kwargs: Any) -> None:
        self.levels = tuple(levels)
        self.era = era
        super().__init__(**kwargs)


class AreaField(forms.ModelChoiceField):
    """Choose one administrative unit.

    levels: the levels that may be chosen (e.g. (Level.COMMUNE,) or all three);
    era: restrict to one tree ("legacy" or "2025"), or None for either;
    units: the units the user may choose from (pass `scope_of(user).units(...)`).
    """

    def __init__(
        self,
        *,
        levels: Sequence[int] = (Level.COMMUNE,),
        era: str | None = None,
        units: Any = None,
        **kwargs: Any,
    ) -> None:
        queryset = units if units is not None else AdminUnit.objects.all()
        queryset = queryset.filter(level__in=levels)
        if era:
            queryset = queryset.filter(era=era)
        kwargs.setdefault("widget", AreaPickerWidget(levels=levels, era=era))
        super().__init__(queryset=queryset, **kwargs)
