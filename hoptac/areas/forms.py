"""Form fields for choosing an administrative unit; every form that places something uses them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.db.models import Max, Min, QuerySet
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from hoptac.areas.choices import Era, Level
from hoptac.areas.models import AdminUnit, Letterhead
from hoptac.areas.picker import PickerConfig, build_picker, common_root, under_root
from hoptac.core import params

PICKER_TEMPLATE = "areas/widgets/area_picker.html"


class AreaPickerWidget(forms.Widget):
    """The area picker: chained <select>s and a search box that finds units without
    diacritics, re-rendered by HTMX (views.picker); the chosen unit's pk travels in a hidden
    input named after the field, so a plain form POST carries it.

    The units offered are those of the field's queryset (`AreaField(units=...)`): the picker
    starts at the deepest unit holding them all (an officer's area) and the endpoint cuts
    every request down to the requesting user's scope as well.
    """

    use_fieldset = True

    def __init__(
        self, *, levels: Sequence[int], era: str | None, attrs: dict[str, Any] | None = None
    ) -> None:
        self.levels = tuple(levels)
        self.era = era
        self.choices: Any = None  # set by ModelChoiceField: its queryset travels here
        super().__init__(attrs=attrs)

    def id_for_label(self, id_: str) -> str:
        return f"{id_}-search" if id_ else ""

    def _root(self) -> str | None:
        """The deepest root holding the field's units; None when there are none."""
        queryset = getattr(self.choices, "queryset", None)
        if queryset is None:
            return self.era or ""
        bounds = queryset.order_by().aggregate(first=Min("path"), last=Max("path"))
        if bounds["first"] is None:
            return None
        return common_root(bounds["first"], bounds["last"])

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: Any = None,
    ) -> SafeString:
        root = self._root()
        config = PickerConfig(
            name=name,
            id=(attrs or {}).get("id") or self.attrs.get("id") or f"id_{name}",
            levels=self.levels,
            era=self.era or "",
            root=(self.era or Era.LEGACY) if root is None else root,
        )
        units = AdminUnit.objects.none() if root is None else AdminUnit.objects.all()
        units = under_root(units, config.root)
        if config.era:
            units = units.filter(era=config.era)
        picker = build_picker(config=config, units=units, pick=_unit(value))
        return SafeString(render_to_string(PICKER_TEMPLATE, {"picker": picker}))


def _unit(value: Any) -> AdminUnit | None:
    if isinstance(value, AdminUnit):
        return value
    try:
        pk = params.parse_id(str(value))
    except ValueError:
        return None
    return AdminUnit.objects.filter(pk=pk).first()


class AreaField(forms.ModelChoiceField):
    """Choose one administrative unit.

    levels: the levels that may be chosen (e.g. (Level.COMMUNE,) or all three);
    era: restrict to one tree ("legacy" or "2025"), or None for either;
    units: the units the user may choose from (pass `scope_of(user).units(...)`).
    """

    default_error_messages = {
        "invalid_choice": _("Choose an administrative unit from the list."),
    }

    def __init__(
        self,
        *,
        levels: Sequence[int] = (Level.COMMUNE,),
        era: str | None = None,
        units: QuerySet[AdminUnit] | None = None,
        **kwargs: Any,
    ) -> None:
        queryset = units if units is not None else AdminUnit.objects.all()
        queryset = queryset.filter(level__in=levels)
        if era:
            queryset = queryset.filter(era=era)
        kwargs.setdefault("widget", AreaPickerWidget(levels=levels, era=era))
        super().__init__(queryset=queryset, **kwargs)


class UnitFilterForm(forms.Form):
    """The filters of the units page: words (diacritics optional), level, and an area."""

    q = forms.CharField(
        label=_("Name or code"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"type": "search", "autocomplete": "off", "class": "form-control"}
        ),
    )
    level = forms.TypedChoiceField(
        label=_("Level"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=(),
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args: Any, era: str, units: QuerySet[AdminUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        levels = [lvl for lvl in Level if era == Era.LEGACY or lvl != Level.DISTRICT]
        self.fields["level"].choices = [
            ("", _("All levels")),
            *((lv.value, lv.label) for lv in levels),
        ]
        self.fields["within"] = AreaField(
            label=_("Within"),
            levels=tuple(levels),
            era=era,
            units=units,
            required=False,
        )


class LetterheadForm(forms.ModelForm[Letterhead]):
    """Who issues and signs an area's documents (the page of the area's letterhead)."""

    class Meta:
        model = Letterhead
        fields = [
            "parent_body",
            "issuing_body",
            "symbol",
            "place",
            "signer_authority",
            "signer_title",
            "signer_name",
            "recipients",
        ]
        widgets = {
            "signer_authority": forms.Textarea(attrs={"rows": 2}),
            "recipients": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # Bootstrap's full-width controls (no sideways scroll)
            field.widget.attrs.setdefault("class", "form-control")
