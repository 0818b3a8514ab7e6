"""The area-and-date form of the dashboard, the indicator pages and the written report."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hoptac.accounts import access
from hoptac.areas.choices import Level
from hoptac.areas.forms import AreaField
from hoptac.areas.models import AdminUnit
from hoptac.core import params

if TYPE_CHECKING:
    from collections.abc import Mapping

    from django.contrib.auth.models import AnonymousUser

    from hoptac.accounts.models import User


class FrameForm(forms.Form):
    """Choose an area (of the user's scope; empty: his own, or the country for the
    administrator) and a date (empty: today)."""

    area = AreaField(label=_("Area"), required=False)  # rebuilt for the user in __init__
    date = params.DateField(label=_("Figures as of"), required=False)
    year = params.YearField(
        label=_("Data year of reports and ratings"),
        required=False,
        min_value=1990,
        help_text=_("Empty: the latest complete year with data."),
    )

    def __init__(
        self, data: Mapping[str, Any] | None = None, *, user: User | AnonymousUser, **kwargs: Any
    ) -> None:
        super().__init__(data, **kwargs)
        self.fields["area"] = AreaField(
            label=_("Area"),
            levels=(Level.PROVINCE, Level.DISTRICT, Level.COMMUNE),
            units=access.scope_of(user).units(AdminUnit.objects.all()),
            required=False,
        )

    def frame_args(self) -> dict[str, Any]:
        """area, on and year for selectors.frame_for (defaults when the form is invalid)."""
        data = self.cleaned_data if self.is_valid() else {}
        on: date = data.get("date") or timezone.localdate()
        return {"area": data.get("area"), "on": on, "year": data.get("year")}
