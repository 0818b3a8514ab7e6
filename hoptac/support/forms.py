"""Forms of the support programmes: they shape and check input; the services validate the
whole row and save. Every error message names its field (registry LabelledErrorsMixin)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hoptac.accounts import access
from hoptac.accounts.choices import OFFICER_ROLES
from hoptac.areas.choices import Level
from hoptac.areas.forms import AreaField
from hoptac.areas.models import AdminUnit
from hoptac.core import formfields, params
from hoptac.core.text import fold
from hoptac.core.widgets import VietnameseDateInput
from hoptac.registry.forms import LabelledErrorsMixin, bootstrap
from hoptac.registry.models import Cooperative
from hoptac.support import selectors
from hoptac.support.choices import (
    CaseOutcome,
    CaseStatus,
    CourseTopic,
    FundingSource,
    ParticipantRole,
    PolicyKind,
    ProductSupport,
)
from hoptac.support.messages import CRITERION_LABELS
from hoptac.support.models import (
    Course,
    Participant,
    Policy,
    PolicyBudget,
    RemediationAction,
    RemediationCase,
    SupportGrant,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from hoptac.accounts.models import User

ANY = [("", _("All"))]
DATE_WIDGET = VietnameseDateInput()
ALL_LEVELS = (Level.PROVINCE, Level.DISTRICT, Level.COMMUNE)


def units_for(user: User | AnonymousUser) -> QuerySet[AdminUnit]:
    return access.scope_of(user).units(AdminUnit.objects.all())


def year_choices() -> list[tuple[str, str]]:
    this_year = timezone.localdate().year
    return [("", _("All"))] + [(str(y), str(y)) for y in range(this_year + 1, 2009, -1)]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


def max_upload_bytes() -> int:
    """The largest attachment or photo accepted (HOPTAC_MAX_UPLOAD_MB, as for form data)."""
    return int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)


def check_upload_size(upload: Any) -> None:
    """Refuse a file larger than max_upload_bytes(), naming it."""
    if upload is not None and getattr(upload, "size", 0) > max_upload_bytes():
        raise ValidationError(
            _("“%(name)s” is %(size)s MB; files of up to %(limit)s MB are accepted.")
            % {
                "name": upload.name,
                "size": f"{upload.size / 1024 / 1024:.1f}",
                "limit": max_upload_bytes() // (1024 * 1024),
            }
        )


class MultipleFileField(forms.FileField):
    """Several files at once (attachments), each within the size limit."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        cleaned = [single(item, initial) for item in files]
        for upload in cleaned:
            check_upload_size(upload)
        return cleaned


class Form(LabelledErrorsMixin, forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


class ModelForm(LabelledErrorsMixin, formfields.ModelForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)

    def _post_clean(self) -> None:
        """The model's own checks run in the service (full_clean), which names the field."""

    def service_kwargs(self) -> dict[str, Any]:
        """The form's values as the service's keyword arguments."""
        return dict(self.cleaned_data)


# --- policies and budgets ---------------------------------------------------------------------


class PolicyFilterForm(Form):
    q = forms.CharField(label=_("Search"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=ANY + PolicyKind.choices, required=False)
    scope = forms.ChoiceField(
        label=_("Scope"),
        required=False,
        choices=[*ANY, ("national", _("The State's")), ("local", _("Local"))],
    )


class PolicyForm(ModelForm):
    """A local policy of an officer's area."""

    criteria = forms.MultipleChoiceField(
        label=_("Eligibility criteria"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("A cooperative is eligible when it meets any one of them."),
    )

    class Meta:
        model = Policy
        fields = [
            "name",
            "kind",
            "area",
            "legal_basis",
            "content",
            "criteria",
            "criteria_basis",
            "criteria_from",
            "valid_from",
            "valid_to",
            "is_active",
            "source",
        ]
        widgets = {
            "criteria_from": DATE_WIDGET,
            "valid_from": DATE_WIDGET,
            "valid_to": DATE_WIDGET,
            "content": forms.Textarea(attrs={"rows": 3}),
            "source": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, user: User | AnonymousUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"] = AreaField(
            label=_("Area"), levels=ALL_LEVELS, units=units_for(user), required=True
        )
        self.fields["criteria"].choices = list(CRITERION_LABELS.items())
        if self.instance.pk:
            self.initial["criteria"] = list(self.instance.criteria or [])
        bootstrap(self)


class BudgetForm(ModelForm):
    class Meta:
        model = PolicyBudget
        fields = ["policy", "year", "area", "source", "amount", "note"]

    def __init__(self, *args: Any, user: User | AnonymousUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["policy"].queryset = selectors.policy_list(user=user, filters={"active": True})
        self.fields["area"] = AreaField(label=_("Area"), levels=ALL_LEVELS, units=units_for(user))
        bootstrap(self)


class BudgetFilterForm(Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, empty_value=None)
    source = forms.ChoiceField(
        label=_("Funding source"), choices=ANY + FundingSource.choices, required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = year_choices()


# --- support given ----------------------------------------------------------------------------


class GrantForm(ModelForm):
    """Support given to one HTX (also each row of an import)."""

    files = MultipleFileField(label=_("Attachments"), required=False)

    class Meta:
        model = SupportGrant
        fields = [
            "policy",
            "granted_on",
            "amount",
            "in_kind",
            "source",
            "product_support",
            "note",
            "override_reason",
        ]
        widgets = {
            "granted_on": DATE_WIDGET,
            "note": forms.Textarea(attrs={"rows": 2}),
            "override_reason": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, cooperative: Cooperative, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cooperative = cooperative
        policies = selectors.policies_for_cooperative(cooperative=cooperative)
        if self.instance.policy_id:  # a policy no longer in use stays on its old supports
            policies = policies | Policy.objects.filter(pk=self.instance.policy_id)
        self.fields["policy"].queryset = policies
        self.fields["override_reason"].help_text = _(
            "Needed only when the records do not show the cooperative eligible."
        )
        if not self.instance.pk:
            self.initial.setdefault("granted_on", timezone.localdate())

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("amount") is None and not (data.get("in_kind") or "").strip():
            self.add_error("amount", _("Give the amount, or describe the support given in kind."))
        return data

    def service_kwargs(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class GrantFilterForm(Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, empty_value=None)
    kind = forms.ChoiceField(label=_("Kind"), choices=ANY + PolicyKind.choices, required=False)
    source = forms.ChoiceField(
        label=_("Funding source"), choices=ANY + FundingSource.choices, required=False
    )
    product_support = forms.ChoiceField(
        label=_("Product support"), choices=ANY + ProductSupport.choices, required=False
    )
    policy = forms.ModelChoiceField(
        label=_("Policy"), queryset=Policy.objects.none(), required=False
    )

    def __init__(self, *args: Any, user: User | AnonymousUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = year_choices()
        self.fields["policy"].queryset = selectors.policy_list(user=user)
        self.fields["area"] = AreaField(
            label=_("Area"), levels=ALL_LEVELS, units=units_for(user), required=False
        )


class TotalsForm(GrantFilterForm):
    by = forms.ChoiceField(
        label=_("Totals by"),
        required=False,
        choices=[
            ("policy", _("Policy")),
            ("year", _("Year")),
            ("source", _("Funding source")),
            ("kind", _("Kind of policy")),
            ("area", _("Area")),
        ],
    )


class ReachForm(Form):
    """The share of HTX reached by policies: an area and a year."""

    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args: Any, user: User | AnonymousUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = year_choices()[1:]
        self.fields["area"] = AreaField(
            label=_("Area"), levels=ALL_LEVELS, units=units_for(user), required=False
        )


# --- training ---------------------------------------------------------------------------------


class CourseForm(ModelForm):
    class Meta:
        model = Course
        fields = [
            "title",
            "topic",
            "starts_on",
            "ends_on",
            "organiser",
            "place",
            "cost",
            "area",
            "policy",
        ]
        widgets = {"starts_on": DATE_WIDGET, "ends_on": DATE_WIDGET}

    def __init__(self, *args: Any, user: User | AnonymousUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"] = AreaField(label=_("Area"), levels=ALL_LEVELS, units=units_for(user))
        self.fields["policy"].queryset = selectors.policy_list(user=user)
        bootstrap(self)


class CourseFilterForm(Form):
    q = forms.CharField(label=_("Search"), required=False)
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, empty_value=None)
    topic = forms.ChoiceField(label=_("Topic"), choices=ANY + CourseTopic.choices, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = year_choices()


class TrainedForm(CourseFilterForm):
    by = forms.ChoiceField(
        label=_("Counts by"),
        required=False,
        choices=[("year", _("Year")), ("topic", _("Topic")), ("area", _("Area"))],
    )

    def __init__(self, *args: Any, user: User | AnonymousUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["q"]
        self.fields["area"] = AreaField(
            label=_("Area"), levels=ALL_LEVELS, units=units_for(user), required=False
        )


def find_cooperative(user: User | AnonymousUser, text: str) -> Cooperative | None:
    """The HTX the user may see whose registration code is `text`, or whose name is `text`
    (without diacritics, one match only)."""
    text = (text or "").strip()
    if not text:
        return None
    visible = Cooperative.objects.visible_to(user)
    by_code = visible.filter(tax_code=text).first()
    if by_code is not None:
        return by_code
    words = fold(text)
    named = [c for c in visible.filter(search_text__contains=words)[:20] if fold(c.name) == words]
    return named[0] if len(named) == 1 else None


class ParticipantForm(ModelForm):
    """A person of a course; an HTX is chosen by its registration code or exact name. Both the
    HTX and the officer's unit must lie in the user's area (find_cooperative, units_for)."""

    cooperative_text = forms.CharField(
        label=_("Cooperative (registration code or name)"), required=False
    )

    class Meta:
        model = Participant
        fields = ["name", "role", "area", "attended", "certificate"]

    def __init__(self, *args: Any, user: User | AnonymousUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["area"] = AreaField(
            label=_("Area of the officer"),
            levels=ALL_LEVELS,
            units=units_for(user),
            required=False,
            error_messages={"invalid_choice": _("Choose a unit in your area.")},
        )
        if self.instance.cooperative_id:
            self.initial["cooperative_text"] = self.instance.cooperative.tax_code or str(
                self.instance.cooperative
            )
        bootstrap(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        role = data.get("role")
        if role == ParticipantRole.OFFICER:
            if not data.get("area") and "area" not in self.errors:
                self.add_error("area", _("Choose the area the officer works for."))
            data["cooperative"] = None
        elif role:
            cooperative = find_cooperative(self.user, data.get("cooperative_text", ""))
            if cooperative is None:
                self.add_error(
                    "cooperative_text",
                    _("No cooperative in your area has this registration code or name."),
                )
            data["cooperative"] = cooperative
            data["area"] = None
        return data

    def service_kwargs(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("cooperative_text", None)
        return data


# --- weak HTX ---------------------------------------------------------------------------------


def _officers(user: User | AnonymousUser) -> QuerySet[Any]:
    from hoptac.accounts.models import User as UserModel

    users = access.users_visible_to(user, UserModel.objects.filter(is_active=True))
    return users.filter(role__in=OFFICER_ROLES).order_by("full_name", "username")


class CaseForm(ModelForm):
    class Meta:
        model = RemediationCase
        fields = ["year", "causes", "responsible", "deadline"]
        widgets = {"deadline": DATE_WIDGET, "causes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, user: User | AnonymousUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = _officers(user)
        self.fields["responsible"].label_from_instance = lambda u: u.display_name
        if not self.instance.pk:
            self.initial.setdefault("year", timezone.localdate().year - 1)


class CaseCloseForm(Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=CaseOutcome.choices)
    outcome_note = forms.CharField(
        label=_("Outcome note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    closed_on = params.DateField(label=_("Closed on"), initial=timezone.localdate)


class ActionForm(ModelForm):
    class Meta:
        model = RemediationAction
        fields = ["description", "responsible", "deadline", "done_on"]
        widgets = {"deadline": DATE_WIDGET, "done_on": DATE_WIDGET}


class NoteForm(Form):
    text = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}))
    written_on = params.DateField(label=_("Date"), required=False)


class CaseFilterForm(Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=ANY + CaseStatus.choices, required=False, initial="open"
    )
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args: Any, user: User | AnonymousUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = year_choices()
        self.fields["area"] = AreaField(
            label=_("Area"), levels=ALL_LEVELS, units=units_for(user), required=False
        )


class DissolutionForm(ReachForm):
    """The candidates for dissolution: an area and a year, chosen as for the reach."""


class ImportForm(Form):
    """The file of a list to import (kept in the database, then checked by a job)."""

    file = forms.FileField(
        label=_("Spreadsheet (.xlsx, .xls, .ods or .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xls,.ods,.csv,.txt"}),
    )
