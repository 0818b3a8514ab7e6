"""The form of the API tokens page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hoptac.accounts import access
from hoptac.api.choices import Scope
from hoptac.api.services import DEFAULT_DAYS, MAX_DAYS


class TokenForm(forms.Form):
    """A new token: its name, scope, lifetime and (for the administrator) its user."""

    name = forms.CharField(label=_("Name"), max_length=100)
    scope = forms.ChoiceField(label=_("Scope"), choices=Scope.choices, initial=Scope.READ)
    days = forms.IntegerField(
        label=_("Valid for (days)"), min_value=1, max_value=MAX_DAYS, initial=DEFAULT_DAYS
    )
    user = forms.ModelChoiceField(label=_("For the account"), queryset=None, required=False)

    def __init__(self, *args: Any, by: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from hoptac.accounts.models import User

        if access.scope_of(by).everything:
            self.fields["user"].queryset = User.objects.filter(is_active=True).order_by("username")
            self.fields["user"].help_text = _("Empty: yourself. A service account's token.")
        else:
            del self.fields["user"]
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)

    def full_clean(self) -> None:
        super().full_clean()
        for name, messages in list(self._errors.items()):
            if name in self.fields:
                label = str(self.fields[name].label)
                self._errors[name] = self.error_class(
                    [m if m.startswith(f"{label}: ") else f"{label}: {m}" for m in messages]
                )
