"""Plans (Nghị quyết, Đề án, Kế hoạch, Chương trình) of an area, and their targets.

A plan belongs to one administrative unit of either tree (a province, district or commune) and
runs for a period of years; its targets each name an indicator (hoptac/indicators), a
comparison, a value and a date, with optional yearly milestones. Progress is computed, never
stored (selectors.plan_progress).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hoptac.accounts.access import restrict
from hoptac.core.changes import TrackedQuerySet
from hoptac.core.models import TimeStampedModel
from hoptac.plans.choices import Comparison, PlanKind

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from hoptac.accounts.models import User

YEARS = [MinValueValidator(1990), MaxValueValidator(2100)]
DOCUMENT_EXTENSIONS = ["pdf", "doc", "docx", "odt"]


class PlanQuerySet(TrackedQuerySet["Plan"]):  # its writes reach core.changes' watchers
    def visible_to(self, user: User | AnonymousUser) -> PlanQuerySet:
        """The plans of areas inside `user`'s scope (hoptac.accounts.access decides)."""
        return restrict(self, user, legacy="area", current="area")

    def in_force(self, year: int) -> PlanQuerySet:
        """Plans whose period covers `year`."""
        return self.filter(start_year__lte=year, end_year__gte=year)


class Plan(TimeStampedModel):
    """A steering document with targets: its number, issuer, area, period and text."""

    kind = models.CharField(_("kind"), max_length=16, choices=PlanKind.choices)
    number = models.CharField(
        _("number"),
        max_length=60,
        blank=True,
        help_text=_("As written on the document, e.g. 05-NQ/HU."),
    )
    title = models.CharField(_("title"), max_length=300)
    issuer = models.CharField(
        _("issued by"), max_length=200, help_text=_("E.g. Huyện ủy Chợ Mới, UBND tỉnh Bắc Kạn.")
    )
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    area = models.ForeignKey(
        "areas.AdminUnit",
        models.PROTECT,
        related_name="+",
        verbose_name=_("area"),
    )
    start_year = models.PositiveSmallIntegerField(_("first year"), validators=YEARS)
    end_year = models.PositiveSmallIntegerField(_("last year"), validators=YEARS)
    document = models.FileField(
        _("document"),
        upload_to="plans/%Y/",
        blank=True,
        validators=[FileExtensionValidator(DOCUMENT_EXTENSIONS)],
        help_text=_("The signed document (PDF, DOC, DOCX or ODT)."),
    )
    summary = models.TextField(_("summary"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("created by"),
    )

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["-end_year", "-start_year", "title", "pk"]
        indexes = [models.Index(fields=["area", "end_year"], name="plan_area_end_year")]

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip()

    def get_absolute_url(self) -> str:
        return reverse("plans:plan_detail", args=[self.pk])

    @property
    def period(self) -> str:
        return f"{self.start_year}–{self.end_year}"

    def clean(self) -> None:
        if self.start_year and self.end_year and self.end_year < self.start_year:
            raise ValidationError({"end_year": _("The last year cannot be before the first year.")})


class Target(models.Model):
    """One target of a plan: indicator <comparison> value by a date."""

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="targets", verbose_name=_("plan"))
    indicator = models.CharField(_("indicator"), max_length=60)
    comparison = models.CharField(
        _("comparison"), max_length=2, choices=Comparison.choices, default=Comparison.AT_LEAST
    )
    value = models.DecimalField(_("target value"), max_digits=20, decimal_places=2)
    due_on = models.DateField(_("due date"))
    wording = models.CharField(
        _("wording in the plan"),
        max_length=500,
        blank=True,
        help_text=_("The target as the document words it."),
    )
    is_illustrative = models.BooleanField(
        _("illustrative"),
        default=False,
        help_text=_("Not from the document: an example value, marked as such everywhere."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = TrackedQuerySet.as_manager()  # its writes reach core.changes' watchers

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return f"{self.indicator} {self.get_comparison_display()} {self.value}"

    def clean(self) -> None:
        from hoptac.indicators.selectors import definitions

        if self.indicator and self.indicator not in definitions():
            raise ValidationError({"indicator": _("Choose an indicator from the list.")})


class Milestone(models.Model):
    """The value a target expects at the end of one year of the plan."""

    target = models.ForeignKey(
        Target, models.CASCADE, related_name="milestones", verbose_name=_("target")
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEARS)
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=2)

    objects = TrackedQuerySet.as_manager()  # its writes reach core.changes' watchers

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["year"]
        constraints = [
            models.UniqueConstraint(fields=["target", "year"], name="milestone_unique_year")
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.value}"
