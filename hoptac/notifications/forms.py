from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from hoptac.notifications.choices import Kind


class PreferenceForm(forms.Form):
    """Which kinds of notification reach the user by e-mail."""

    email_kinds = forms.MultipleChoiceField(
        label=_("Send me an e-mail too when"),
        choices=Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Every notification is shown on the site (the bell). For a background job, this "
            "is the default of the job's own “e-mail me when it ends” box."
        ),
    )
