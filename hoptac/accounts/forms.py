"""Forms of account management: shape and field checks only; the services decide and save."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hoptac.accounts import access, messages
from hoptac.accounts.choices import AuditAction, Role
from hoptac.accounts.models import User
from hoptac.areas.choices import Level
from hoptac.areas.forms import AreaField
from hoptac.areas.models import AdminUnit
from hoptac.core import params

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

ALL_LEVELS = (Level.PROVINCE, Level.DISTRICT, Level.COMMUNE)


class ScopedAreaYearForm(forms.Form):
    """An area inside the user's scope (defaults to his own) and a year (defaults to
    `default_year()`): the filter of the reports' desk and of the ratings. A subclass gives the
    years it offers (`year_choices`) and the one it shows first (`default_year`)."""

    area = AreaField(label=_("Area"), required=False)  # rebuilt for the user in __init__
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False)

    def __init__(
        self, data: Mapping[str, Any] | None = None, *, user: User | AnonymousUser, **kwargs: Any
    ) -> None:
        super().__init__(data, **kwargs)
        self.scope = access.scope_of(user)
        self.fields["area"] = AreaField(
            label=_("Area"),
            levels=ALL_LEVELS,
            units=self.scope.units(AdminUnit.objects.all()),
            required=False,
        )
        cast(forms.TypedChoiceField, self.fields["year"]).choices = self.year_choices()
        self.fields["year"].widget.attrs["class"] = "form-select"
        if self.scope.area is not None:
            self.initial.setdefault("area", self.scope.area.pk)
        self.initial.setdefault("year", self.default_year())

    def year_choices(self) -> list[tuple[int, str]]:
        raise NotImplementedError

    def default_year(self) -> int:
        raise NotImplementedError

    def chosen(self) -> tuple[AdminUnit | None, int]:
        """The area and year to show: the valid choices, else the defaults."""
        area, year = self.scope.area, self.default_year()
        if self.is_bound and self.is_valid():
            area = self.cleaned_data.get("area") or area
            year = self.cleaned_data.get("year") or year
        return area, year


class ManagementForm(forms.Form):
    """Bootstrap classes on plain widgets, and a way to show a service's ValidationError."""

    field_order: list[str] | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields.update(self.extra_fields())
        self.order_fields(self.field_order)
        for field in self.fields.values():
            if isinstance(field, AreaField):
                continue  # the area picker styles itself
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.RadioSelect):
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs.setdefault("class", css)

    def extra_fields(self) -> dict[str, forms.Field]:
        """Fields that depend on who fills the form in (role, area)."""
        return {}

    def add_service_error(self, error: ValidationError) -> None:
        """Put a service's errors on the fields they name (the others above the form)."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for name, errors in error.error_dict.items():
            self.add_error(name if name in self.fields else None, errors)


def _area_field(actor: User, *, required: bool = False) -> AreaField:
    return AreaField(
        levels=ALL_LEVELS,
        era=None,
        units=access.scope_of(actor).units(AdminUnit.objects.all()),
        required=required,
        label=_("Area"),
        help_text=_(
            "Province for a provincial officer, district (before 1 July 2025) for a district "
            "officer, commune for a commune officer; empty for an administrator."
        ),
        error_messages={"invalid_choice": _("Choose an area inside your own area.")},
    )


def _role_field(actor: User, current: str | None = None) -> forms.ChoiceField:
    roles = access.assignable_roles(actor)
    if current and current not in roles:
        roles = [current, *roles]
    return forms.ChoiceField(label=_("Role"), choices=[(r, Role(r).label) for r in roles])


class AccountDetailsMixin(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    title = forms.CharField(label=_("Job title"), max_length=150, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    email = forms.EmailField(label=_("Email"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        role, area = data.get("role"), data.get("area")
        if role and "area" not in self.errors:
            problem = messages.role_area_problem(
                role, area.level if area else None, area.era if area else None
            )
            if problem:
                self.add_error("area", problem)
        return data


class UserCreateForm(AccountDetailsMixin, ManagementForm):
    """A new account, with the initial password its manager gives."""

    username = forms.CharField(
        label=_("User name"),
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text=_("Letters, digits and @ . + - _ only, e.g. xa.luongbang."),
    )
    password = forms.CharField(
        label=_("Initial password"), strip=False, widget=forms.PasswordInput(render_value=True)
    )
    password_again = forms.CharField(
        label=_("Initial password (again)"),
        strip=False,
        widget=forms.PasswordInput(render_value=True),
    )

    field_order = [
        "username",
        "full_name",
        "title",
        "phone",
        "email",
        "role",
        "area",
        "password",
        "password_again",
    ]

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        self.actor = actor
        super().__init__(*args, **kwargs)

    def extra_fields(self) -> dict[str, forms.Field]:
        return {"role": _role_field(self.actor), "area": _area_field(self.actor)}

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError(_("This user name is taken; choose another."))
        return username

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("password") and data.get("password") != data.get("password_again"):
            self.add_error("password_again", _("The two passwords differ."))
        return data


class UserEditForm(AccountDetailsMixin, ManagementForm):
    """Role, area, details and activity of an existing account."""

    is_active = forms.BooleanField(
        label=_("Active (may sign in)"),
        required=False,
        help_text=_("Untick to deactivate the account; accounts are never deleted."),
    )

    field_order = ["full_name", "title", "phone", "email", "role", "area", "is_active"]

    def __init__(self, *args: Any, actor: User, target: User, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "full_name": target.full_name,
                "title": target.title,
                "phone": target.phone,
                "email": target.email,
                "role": target.role,
                "area": target.area_id,
                "is_active": target.is_active,
            },
        )
        self.actor, self.target = actor, target
        super().__init__(*args, **kwargs)

    def extra_fields(self) -> dict[str, forms.Field]:
        return {
            "role": _role_field(self.actor, self.target.role),
            "area": _area_field(self.actor),
        }


class UserPasswordForm(ManagementForm):
    """A new password for someone else's account: typed by the manager, or generated."""

    GENERATE, TYPE = "generate", "type"
    mode = forms.ChoiceField(
        label=_("New password"),
        choices=[(GENERATE, _("Generate one and show it once")), (TYPE, _("Type it"))],
        initial=GENERATE,
        widget=forms.RadioSelect,
    )
    password = forms.CharField(
        label=_("Password"), strip=False, required=False, widget=forms.PasswordInput
    )
    password_again = forms.CharField(
        label=_("Password (again)"), strip=False, required=False, widget=forms.PasswordInput
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("mode") == self.TYPE:
            if not data.get("password"):
                self.add_error("password", _("Type the new password, or choose to generate one."))
            elif data.get("password") != data.get("password_again"):
                self.add_error("password_again", _("The two passwords differ."))
        return data

    @property
    def chosen_password(self) -> str | None:
        """The typed password, or None for a generated one."""
        if self.cleaned_data.get("mode") == self.TYPE:
            return self.cleaned_data["password"]
        return None


class UserFilterForm(forms.Form):
    """The filters of the account list (GET)."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    role = forms.ChoiceField(
        label=_("Role"), required=False, choices=[("", _("All roles")), *Role.choices]
    )
    active = forms.TypedChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), ("1", _("Active")), ("0", _("Deactivated"))],
        coerce=lambda value: value == "1",
        empty_value=None,
    )
    locked = forms.BooleanField(
        label=_("Locked out only"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs.update(
            {"class": "form-control", "placeholder": _("User name or full name")}
        )
        self.fields["role"].widget.attrs["class"] = "form-select"
        self.fields["active"].widget.attrs["class"] = "form-select"


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    """Django's own form (old password, new password twice), styled like the others."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control")


class AuditFilterForm(forms.Form):
    """The filters of the audit log (GET): who, what, from and to which day, and a text."""

    actor = forms.CharField(label=_("User name"), required=False)
    action = forms.ChoiceField(
        label=pgettext_lazy("audit", "Action"),
        required=False,
        choices=[("", _("All actions")), *AuditAction.choices],
    )
    date_from = params.DateField(label=pgettext_lazy("date range", "From"), required=False)
    date_to = params.DateField(label=pgettext_lazy("date range", "To"), required=False)
    q = forms.CharField(label=_("Text"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["actor"].widget.attrs.update({"class": "form-control", "autocomplete": "off"})
        self.fields["action"].widget.attrs["class"] = "form-select"
        self.fields["q"].widget.attrs.update(
            {
                "class": "form-control",
                "type": "search",
                "placeholder": _("Object, address or detail"),
            }
        )

    def clean_actor(self) -> str:
        return params.clean_text(self.cleaned_data["actor"], 150).strip()

    def clean_q(self) -> str:
        return params.clean_text(self.cleaned_data["q"]).strip()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("To: choose a day on or after the first day."))
        return data
