"""The one input of two-factor sign-in: a code."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from hoptac.accounts.forms import ManagementForm
from hoptac.accounts.two_factor.services import RECOVERY_CODE, TOTP_CODE, normalise_code


class CodeForm(ManagementForm):
    """Six digits from the authenticator app or, where `recovery`, a recovery code too."""

    code = forms.CharField(label=_("Verification code"), max_length=32)

    def __init__(self, *args: Any, recovery: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.recovery = recovery
        field = self.fields["code"]
        field.widget.attrs.update(
            {"autocomplete": "one-time-code", "autocapitalize": "off", "spellcheck": "false"}
        )
        if recovery:
            field.help_text = _(
                "The 6-digit code your authenticator app shows, or one of your recovery codes."
            )
        else:
            field.widget.attrs["inputmode"] = "numeric"
            field.help_text = _("The 6-digit code your authenticator app shows.")

    def clean_code(self) -> str:
        code = normalise_code(self.cleaned_data["code"])
        if TOTP_CODE.fullmatch(code) or (self.recovery and RECOVERY_CODE.fullmatch(code)):
            return code
        if self.recovery:
            raise ValidationError(
                _("Enter the 6 digits from your authenticator app, or a recovery code.")
            )
        raise ValidationError(_("Enter the 6 digits from your authenticator app."))
