"""Field makers that several apps' models share, so that the same column is declared once."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

NON_NEGATIVE = [MinValueValidator(0)]


def money(label: str, *, null: bool = True) -> models.DecimalField:
    """An amount in VND (whole đồng, never negative); optional unless null=False."""
    return models.DecimalField(
        label, max_digits=18, decimal_places=0, null=null, blank=null, validators=NON_NEGATIVE
    )


def recorded_by() -> models.ForeignKey:
    """The user who recorded the row (kept when the account is deleted: set to empty)."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )


def cooperative(related_name: str) -> models.ForeignKey:
    """The HTX a row belongs to (deleted with it; the registry refuses deleting an HTX with
    data)."""
    return models.ForeignKey(
        "registry.Cooperative",
        models.CASCADE,
        related_name=related_name,
        verbose_name=_("cooperative"),
    )
