"""Forms of the ratings: the area and year to work on, the score sheet, the rank override.

Forms shape and check input; the services check the scores against the rules (bounds, keys)
and decide whether a note is needed, with messages in Vietnamese that name the criterion.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hoptac.accounts.forms import ScopedAreaYearForm
from hoptac.ratings.choices import Rank
from hoptac.registry.forms import LabelledErrorsMixin

if TYPE_CHECKING:
    from hoptac.ratings.selectors import Sheet

FIRST_YEAR = 2017  # the first evaluation year of the rule files (TT09: 2017–2019)


def year_choices(today: Any = None) -> list[tuple[int, str]]:
    """The evaluated years offered: from 2017 to last year, newest first."""
    last = (today or timezone.localdate()).year - 1
    return [(y, str(y)) for y in range(last, FIRST_YEAR - 1, -1)]


def default_year(today: Any = None) -> int:
    """The year rated now: last year."""
    return (today or timezone.localdate()).year - 1


class AreaYearForm(ScopedAreaYearForm):
    """Which area (inside the user's scope; defaults to his own) and which year to rate."""

    def year_choices(self) -> list[tuple[int, str]]:
        return year_choices()

    def default_year(self) -> int:
        return default_year()


def field_key(key: str) -> str:
    """A form field name for a score key ("1.1" → "1_1", "2.x" → "2_x")."""
    return key.replace(".", "_")


class ScoresForm(LabelledErrorsMixin, forms.Form):
    """The score sheet of one rating: a self-score and (for officers) a verified score per
    scoring unit of its rules, the sanction, and the note an override needs."""

    sanctioned = forms.BooleanField(
        label=_("Administratively sanctioned in the year"), required=False
    )
    note = forms.CharField(
        label=_("Reason for changing a score"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
        help_text=_("Needed when a verified score differs from the data or the self-score."),
    )

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        sheet: Sheet,
        verify: bool,
        initial_scores: Mapping[str, Mapping[str, Any]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(data, **kwargs)
        self.verify = verify
        self.keys = sheet.item_ids()
        scores = initial_scores or {}
        for key in self.keys:
            for kind, label in (("self", _("Self-score")), ("verified", _("Verified score"))):
                if kind == "verified" and not verify:
                    continue
                name = f"{kind}_{field_key(key)}"
                self.fields[name] = forms.DecimalField(
                    label=f"{label} {key}",
                    required=False,
                    min_value=0,
                    decimal_places=2,
                    localize=True,
                    widget=forms.TextInput(
                        attrs={
                            "class": "form-control form-control-sm",
                            "inputmode": "decimal",
                            "size": 4,
                            "aria-label": f"{label} {key}",
                        }
                    ),
                )
                self.initial.setdefault(name, scores.get(kind, {}).get(key))
        if not verify:
            del self.fields["sanctioned"]
            del self.fields["note"]

    def scores(self, kind: str) -> dict[str, Any]:
        """The cleaned scores of one kind ("self" or "verified"), by score key."""
        return {key: self.cleaned_data.get(f"{kind}_{field_key(key)}") for key in self.keys}

    def bound_rows(self) -> dict[str, tuple[Any, Any]]:
        """For the template: score key → (self field, verified field or None)."""
        return {
            key: (
                self[f"self_{field_key(key)}"],
                self[f"verified_{field_key(key)}"] if self.verify else None,
            )
            for key in self.keys
        }

    def add_service_error(self, error: ValidationError) -> None:
        """Attach a service's error to the score it names (verified first), else to the form."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for key, errors in error.error_dict.items():
            target = None
            for kind in ("verified", "self"):
                if f"{kind}_{field_key(key)}" in self.fields:
                    target = f"{kind}_{field_key(key)}"
                    break
            if key in self.fields:
                target = key
            for item in errors:
                self.add_error(target, " ".join(item.messages))


class OverrideForm(LabelledErrorsMixin, forms.Form):
    """The officer sets the rank himself, saying why; "by the rules" gives it back."""

    rank = forms.ChoiceField(
        label=_("Rank"),
        required=False,
        choices=[("", _("As the rules give it")), *Rank.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    note = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )

    def add_service_error(self, error: ValidationError) -> None:
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for name, errors in error.error_dict.items():
            for item in errors:
                self.add_error(name if name in self.fields else None, " ".join(item.messages))
