"""Forms of the registry: the list's filters, the organisation's profile, a status change.

Forms shape and check input; the services validate the whole row and save. Every error
message names its field ("Tên: …"), as officers read them in Vietnamese.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from hoptac.accounts.access import scope_of, users_visible_to
from hoptac.accounts.choices import Role
from hoptac.areas.choices import Era, Level
from hoptac.areas.forms import AreaField, AreaPickerWidget
from hoptac.areas.models import AdminUnit
from hoptac.core import formfields, params
from hoptac.core.widgets import VietnameseDateInput
from hoptac.registry import rules
from hoptac.registry.choices import (
    AGRICULTURAL_SUB_SECTORS,
    Flag,
    Kind,
    Problem,
    Sector,
    Sort,
    Status,
    SubSector,
)
from hoptac.registry.models import (
    ROW_RULE_FIELDS,
    Cooperative,
    Member,
    row_errors,
    validate_tax_code,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from hoptac.accounts.models import User

ANY = [("", _("All"))]


def bootstrap(form: forms.BaseForm) -> None:
    """Bootstrap classes on every widget (the area picker and the checkbox lists style
    themselves). The registry's forms and those above it (support, market) use it."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxSelectMultiple | AreaPickerWidget):
            continue
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.Select):
            css = "form-select"
        else:
            css = "form-control"
        widget.attrs.setdefault("class", css)


class LabelledErrorsMixin:
    """Prefix each field's error messages with the field's label, so that every message says
    which field it is about, also in a summary at the top of the page."""

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        errors = self._errors
        if not errors:
            return
        for name, messages in list(errors.items()):
            if name == NON_FIELD_ERRORS or name not in self.fields:
                continue
            label = str(capfirst(self.fields[name].label or name))
            prefix = f"{label}: "
            errors[name] = self.error_class(
                [m if m.startswith(prefix) else prefix + m for m in messages]
            )

    def add_service_error(self, error: ValidationError) -> None:
        """Attach an error raised by a service: to its field when the form has it (the
        communes of both trees are the form's `place`), else to the whole form."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for name, errors in error.error_dict.items():
            target = "place" if name in ("commune", "commune_legacy") else name
            if target not in self.fields:
                target = None
            for item in errors:
                message = " ".join(item.messages)
                if target:
                    label = str(capfirst(self.fields[target].label or target))
                    message = f"{label}: {message}"
                self.add_error(target, message)


def _sub_sector_choices() -> list[Any]:
    agricultural = [(c.value, c.label) for c in SubSector if c in AGRICULTURAL_SUB_SECTORS]
    other = [(c.value, c.label) for c in SubSector if c not in AGRICULTURAL_SUB_SECTORS]
    return [
        ("", "—"),
        (Sector.AGRICULTURAL.label, agricultural),
        (Sector.NON_AGRICULTURAL.label, other),
    ]


def _units_for(user: User | AnonymousUser) -> Any:
    return scope_of(user).units(AdminUnit.objects.all())


DATE_WIDGET = VietnameseDateInput()

PROFILE_FIELDS = [
    "kind",
    "name",
    "short_name",
    "tax_code",
    "registered_on",
    "founded_on",
    "registering_authority",
    "representative_name",
    "representative_title",
    "representative_phone",
    "phone",
    "email",
    "website",
    "street",
    "latitude",
    "longitude",
    "sector",
    "sub_sector",
    "business_lines",
    "charter_capital",
    "members_count",
    "workers_count",
    "high_tech",
    "value_chain",
    "model_cooperative",
    "unions",
    "managers",
    "is_published",
]
# What an HTX's own manager may update: contact, people and figures, not its legal facts.
MANAGER_FIELDS = [
    "short_name",
    "representative_name",
    "representative_title",
    "representative_phone",
    "phone",
    "email",
    "website",
    "street",
    "latitude",
    "longitude",
    "business_lines",
    "charter_capital",
    "members_count",
    "workers_count",
]


class CooperativeForm(LabelledErrorsMixin, formfields.ModelForm):
    """The profile of an organisation, as an officer creates or edits it.

    The commune is one `place` field of either tree (whichever the officer knows); the service
    derives the other tree. `version` carries the version the form was loaded with, so that a
    save over someone else's newer change is refused (services.cooperative_update).
    """

    place = AreaField(label=_("Commune"))  # rebuilt for the user in __init__
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    field_order = [*PROFILE_FIELDS[: PROFILE_FIELDS.index("street") + 1], "place"]

    class Meta:
        model = Cooperative
        fields = PROFILE_FIELDS
        widgets = {
            "registered_on": DATE_WIDGET,
            "founded_on": DATE_WIDGET,
            "business_lines": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, user: User | AnonymousUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        if "place" in self.fields:
            self.fields["place"] = AreaField(
                label=_("Commune"), levels=(Level.COMMUNE,), units=_units_for(user)
            )
            if self.instance.pk:
                unit = self.instance.commune_legacy or self.instance.commune
                self.initial.setdefault("place", unit.pk if unit else None)
        if "sub_sector" in self.fields:
            self.fields["sub_sector"].choices = _sub_sector_choices()
        if "unions" in self.fields:
            unions = Cooperative.objects.visible_to(user).filter(kind=Kind.UNION)
            self.fields["unions"].queryset = unions.exclude(pk=self.instance.pk)
        if "managers" in self.fields:
            from hoptac.accounts.models import User

            managers = User.objects.filter(role=Role.COOP_MANAGER, is_active=True)
            self.fields["managers"].queryset = users_visible_to(user, managers)
        if "tax_code" in self.fields:
            self.fields["tax_code"].validators.append(validate_tax_code)
        self.initial.setdefault("version", self.instance.version)
        bootstrap(self)

    def _post_clean(self) -> None:
        """The whole row (its place, its unique code) is validated by the service when it
        saves; the form checks each field and the one-row rules (clean)."""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        values = {**{f: getattr(self.instance, f) for f in ROW_RULE_FIELDS}, **cleaned}
        for name, message in row_errors(**{f: values.get(f) for f in ROW_RULE_FIELDS}).items():
            if name in self.fields and name not in self.errors:
                self.add_error(name, message)
        return cleaned

    def service_kwargs(self) -> dict[str, Any]:
        """The cleaned values as the services take them (`place` → the commune of its tree)."""
        data = {name: self.cleaned_data[name] for name in self._meta.fields if name in self.fields}
        for name in ("short_name", "tax_code", "email", "website", "street", "business_lines"):
            if name in data and data[name] is None:
                data[name] = ""
        if "place" in self.fields:
            unit = self.cleaned_data["place"]
            if unit.era == Era.LEGACY:
                data["commune_legacy"] = unit
                data["commune"] = None
            else:
                data["commune"] = unit
        if self.instance.pk:
            data["version"] = self.cleaned_data.get("version") or 0
            for name in ("unions", "managers"):
                if name in data:
                    data[name] = [*data[name], *self._unseen(name)]
        return data

    def _unseen(self, name: str) -> list[Any]:
        """The organisation's current `name` (unions, managers) the user may not see: the field
        offers only those inside his scope, so they stay as they are (a save must not drop a
        manager whose account lies in the other tree, or a union outside his area)."""
        offered = self.fields[name].queryset.values("pk")
        return list(getattr(self.instance, name).exclude(pk__in=offered))

    def rebase(self, version: int) -> None:
        """After a refused save: keep the editor's values but carry the current version, so
        that saving again (having seen what changed meanwhile) applies them."""
        self.data = self.data.copy()
        self.data[self.add_prefix("version")] = str(version)


class CooperativeManagerForm(CooperativeForm):
    """The part of the profile an HTX's own manager may update."""

    class Meta(CooperativeForm.Meta):
        fields = MANAGER_FIELDS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["place"]


class StatusChangeForm(LabelledErrorsMixin, forms.Form):
    """A new dated status, among those the current one may move to."""

    status = forms.ChoiceField(label=_("New status"))
    effective_on = params.DateField(label=_("Effective from"))
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args: Any, current: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = rules.allowed_next(current)
        self.fields["status"].choices = [(s.value, s.label) for s in Status if s in allowed]
        bootstrap(self)


class MemberForm(LabelledErrorsMixin, formfields.ModelForm):
    """A member of an HTX's roster: who, since when, until when, with how much capital."""

    class Meta:
        model = Member
        fields = ["kind", "name", "joined_on", "left_on", "capital_contributed", "is_official"]
        widgets = {
            "joined_on": DATE_WIDGET,
            "left_on": DATE_WIDGET,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


class _ScopeAreaPicker(AreaPickerWidget):
    """The area picker of the list's filters, without two of its queries: its root is the
    user's area (or both trees for the administrator), known without reading the bounds of
    the units' paths, and the chosen unit is the one the form already read when cleaning."""

    def __init__(self, *, root: str | None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.root = root
        self.chosen: AdminUnit | None = None

    def _root(self) -> str | None:
        return self.root

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: Any = None,
    ) -> Any:
        if self.chosen is not None and str(value) == str(self.chosen.pk):
            value = self.chosen
        return super().render(name, value, attrs, renderer)


def _picker_root(user: User | AnonymousUser) -> str | None:
    """The root the area picker of `user` starts at: his area's path; "" (both trees) for
    the administrator; None when he may pick no unit (AreaPickerWidget._root's answer for
    the units of his scope, without the query)."""
    scope = scope_of(user)
    if scope.everything:
        return ""
    return scope.area.path if scope.area is not None else None


class CooperativeFilterForm(forms.Form):
    """The list's filters and sort; its cleaned data is selectors.cooperative_list's filters."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    area = AreaField(label=_("Area"), required=False)  # rebuilt for the user in __init__
    kind = forms.ChoiceField(label=_("Kind"), choices=ANY + Kind.choices, required=False)
    sector = forms.ChoiceField(label=_("Sector"), choices=ANY + Sector.choices, required=False)
    sub_sector = forms.ChoiceField(label=_("Sub-sector"), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=ANY + Status.choices, required=False)
    founded_year = params.YearField(label=_("Founding year"), required=False)
    flags = forms.MultipleChoiceField(
        label=_("Marks"),
        choices=Flag.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    problem = forms.ChoiceField(
        label=_("Data check"), choices=ANY + Problem.choices, required=False
    )
    sort = forms.ChoiceField(label=_("Sort by"), choices=Sort.choices, required=False)

    def __init__(
        self, data: Mapping[str, Any] | None = None, *, user: User | AnonymousUser, **kwargs: Any
    ) -> None:
        super().__init__(data, **kwargs)
        levels = (Level.PROVINCE, Level.DISTRICT, Level.COMMUNE)
        self.fields["area"] = AreaField(
            label=_("Area"),
            levels=levels,
            units=_units_for(user),
            required=False,
            widget=_ScopeAreaPicker(root=_picker_root(user), levels=levels, era=None),
        )
        self.fields["sub_sector"].choices = [("", _("All")), *_sub_sector_choices()[1:]]
        self.fields["q"].widget.attrs.update(
            {"placeholder": _("Name, code, representative or address"), "type": "search"}
        )
        bootstrap(self)

    def clean_area(self) -> AdminUnit | None:
        area = self.cleaned_data.get("area")
        self.fields["area"].widget.chosen = area  # the picker shows it without reading it again
        return area
