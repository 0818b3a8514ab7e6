"""Forms of products and markets: shape and field checks; the services validate the whole row
and save. Every error message names its field (registry LabelledErrorsMixin)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hoptac.accounts import access
from hoptac.areas.choices import Level
from hoptac.core import params
from hoptac.market.choices import (
    OCOP_STARS,
    Category,
    CertificationKind,
    EventKind,
    LinkKind,
    LinkStatus,
    TrademarkKind,
)
from hoptac.market.models import (
    Certification,
    EventParticipation,
    PartnerCompany,
    Product,
    TradeEvent,
    Trademark,
    ValueChainLink,
)
from hoptac.registry.models import Cooperative
from hoptac.support.forms import (
    ALL_LEVELS,
    ANY,
    DATE_WIDGET,
    Form,
    ModelForm,
    bootstrap,
    check_upload_size,
    find_cooperative,
    units_for,
    year_choices,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from hoptac.accounts.models import User

from hoptac.areas.forms import AreaField


class ProductFilterForm(Form):
    q = forms.CharField(label=_("Search"), required=False)
    category = forms.ChoiceField(
        label=_("Category"), choices=ANY + Category.choices, required=False
    )
    certification = forms.ChoiceField(
        label=_("Certification"), choices=ANY + CertificationKind.choices, required=False
    )

    def __init__(self, *args: Any, user: User | AnonymousUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"] = AreaField(
            label=_("Area"), levels=ALL_LEVELS, units=units_for(user), required=False
        )


class ProductForm(ModelForm):
    class Meta:
        model = Product
        fields = ["name", "category", "unit", "season", "description", "photo"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["photo"].widget.attrs["accept"] = "image/*"

    def clean_photo(self) -> Any:
        photo = self.cleaned_data.get("photo")
        if photo:
            check_upload_size(photo)
        return photo


class CertificationForm(ModelForm):
    stars = forms.TypedChoiceField(
        label=_("OCOP stars"),
        choices=[("", "—")] + [(str(s), f"{s}★") for s in OCOP_STARS],
        coerce=int,
        empty_value=None,
        required=False,
    )

    class Meta:
        model = Certification
        fields = ["kind", "stars", "year", "number", "issued_by", "valid_until"]
        widgets = {"valid_until": DATE_WIDGET}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.initial.setdefault("year", timezone.localdate().year)
        bootstrap(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        kind, stars = data.get("kind"), data.get("stars")
        if kind == CertificationKind.OCOP and stars not in OCOP_STARS:
            self.add_error("stars", _("An OCOP rating has 3, 4 or 5 stars."))
        if kind and kind != CertificationKind.OCOP and stars is not None:
            self.add_error("stars", _("Only an OCOP rating has stars."))
        return data


class TrademarkForm(ModelForm):
    class Meta:
        model = Trademark
        fields = ["name", "kind", "product", "number", "granted_on", "note"]
        widgets = {"granted_on": DATE_WIDGET}

    def __init__(self, *args: Any, cooperative: Cooperative, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = cooperative.products.order_by("name")
        self.fields["kind"].initial = TrademarkKind.TRADEMARK


class EventFilterForm(Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, empty_value=None)
    kind = forms.ChoiceField(label=_("Kind"), choices=ANY + EventKind.choices, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = year_choices()


class EventForm(ModelForm):
    class Meta:
        model = TradeEvent
        fields = ["name", "kind", "starts_on", "ends_on", "place", "organiser", "area"]
        widgets = {"starts_on": DATE_WIDGET, "ends_on": DATE_WIDGET}

    def __init__(self, *args: Any, user: User | AnonymousUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"] = AreaField(label=_("Area"), levels=ALL_LEVELS, units=units_for(user))
        bootstrap(self)


class ParticipationForm(ModelForm):
    """An HTX at an event, chosen by its registration code or exact name."""

    cooperative_text = forms.CharField(label=_("Cooperative (registration code or name)"))

    class Meta:
        model = EventParticipation
        fields = ["contracts", "contract_value", "sales", "note"]

    def __init__(self, *args: Any, user: User | AnonymousUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        if self.instance.pk:
            del self.fields["cooperative_text"]
        bootstrap(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if "cooperative_text" in self.fields and data.get("cooperative_text"):
            cooperative = find_cooperative(self.user, data["cooperative_text"])
            if cooperative is None:
                self.add_error(
                    "cooperative_text",
                    _("No cooperative in your area has this registration code or name."),
                )
            data["cooperative"] = cooperative
        return data

    def service_kwargs(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("cooperative_text", None)
        return data


class CompanyFilterForm(Form):
    q = forms.CharField(label=_("Search"), required=False)


class CompanyForm(ModelForm):
    """A partner company. The administrator also chooses the province that keeps it; an
    officer's company is kept by his province (services.company_save)."""

    class Meta:
        model = PartnerCompany
        fields = ["name", "tax_code", "address", "phone", "representative", "province"]

    def __init__(self, *args: Any, user: User | AnonymousUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if access.scope_of(user).everything:
            self.fields["province"] = AreaField(
                label=_("Province that keeps it"),
                help_text=PartnerCompany._meta.get_field("province").help_text,
                levels=(Level.PROVINCE,),
                required=False,
            )
        else:
            del self.fields["province"]


class LinkForm(ModelForm):
    class Meta:
        model = ValueChainLink
        fields = [
            "company",
            "kind",
            "product",
            "product_name",
            "volume",
            "volume_unit",
            "value",
            "starts_on",
            "ends_on",
            "status",
            "note",
        ]
        widgets = {"starts_on": DATE_WIDGET, "ends_on": DATE_WIDGET}

    def __init__(self, *args: Any, cooperative: Cooperative, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = cooperative.products.order_by("name")
        self.fields["company"].queryset = PartnerCompany.objects.order_by("name")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("product") and not (data.get("product_name") or "").strip():
            self.add_error("product_name", _("Name the product or input of the link."))
        return data


class LinkFilterForm(Form):
    status = forms.ChoiceField(label=_("Status"), choices=ANY + LinkStatus.choices, required=False)
    kind = forms.ChoiceField(
        label=_("Kind of link"), choices=ANY + LinkKind.choices, required=False
    )
    on = params.DateField(label=_("In force on"), required=False)

    def __init__(self, *args: Any, user: User | AnonymousUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"] = AreaField(
            label=_("Area"), levels=ALL_LEVELS, units=units_for(user), required=False
        )
