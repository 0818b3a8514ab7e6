"""Support programmes: the policies (the State's catalogue and local ones), their yearly budgets,
the support each HTX received, training courses and who attended, and the remediation of weak
HTX. Every model keeps its change history (django-simple-history).

Who sees what is decided in hoptac.accounts.access: support given, remediation cases and HTX
people of courses follow the HTX's place; policies and courses apply below the area that made
them (`restrict_applicable`); budgets follow their area.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Self

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from hoptac.accounts.access import restrict_either
from hoptac.accounts.querysets import AppliesInAreaQuerySet
from hoptac.core.fields import money, recorded_by
from hoptac.core.models import DatedActivity, TimeStampedModel
from hoptac.registry.querysets import OfCooperativeQuerySet, cooperative_placement
from hoptac.support.choices import (
    COOPERATIVE_ROLES,
    CaseOutcome,
    CaseStatus,
    CourseTopic,
    Eligibility,
    FundingSource,
    ParticipantRole,
    PolicyKind,
    ProductSupport,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from hoptac.accounts.models import User


class Policy(TimeStampedModel):
    """A support policy: one of the State's catalogue (no area; loaded from data/policies.yaml
    with its legal basis and sources) or a local one an officer adds for his area.

    criteria: codes of rules.CRITERIA; an HTX meets the policy's conditions when it meets any
    one (Điều 6 Nghị định 113/2024/NĐ-CP), from `criteria_from` on.
    """

    code = models.SlugField(_("code"), max_length=64, blank=True)
    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=24, choices=PolicyKind.choices)
    legal_basis = models.CharField(_("legal basis"), max_length=255, blank=True)
    content = models.TextField(_("content"), blank=True)
    area = models.ForeignKey(
        "areas.AdminUnit",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("area"),
        help_text=_("The area whose policy this is; empty for the State's policies."),
    )
    criteria = models.JSONField(_("eligibility criteria"), default=list, blank=True)
    criteria_basis = models.CharField(_("basis of the criteria"), max_length=255, blank=True)
    criteria_from = models.DateField(_("criteria in force from"), null=True, blank=True)
    source = models.TextField(_("source"), blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    is_active = models.BooleanField(_("in use"), default=True)
    created_by = recorded_by()

    history = HistoricalRecords()
    objects = AppliesInAreaQuerySet.as_manager()

    class Meta:
        verbose_name = _("support policy")
        verbose_name_plural = _("support policies")
        ordering = ["area__path", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=~Q(code=""), name="policy_unique_code"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("support:policy_detail", args=[self.pk])

    def clean(self) -> None:
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("The end cannot be before the start.")})

    def applies_to_path(self, path: str) -> bool:
        """Does this policy apply to the unit at `path` (national, or of an area holding it)?"""
        return self.area is None or path.startswith(self.area.path)


class PolicyBudget(TimeStampedModel):
    """The money set aside for a policy in one year, area and funding source."""

    policy = models.ForeignKey(
        Policy, models.CASCADE, related_name="budgets", verbose_name=_("policy")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    area = models.ForeignKey(
        "areas.AdminUnit", models.PROTECT, related_name="+", verbose_name=_("area")
    )
    source = models.CharField(_("funding source"), max_length=16, choices=FundingSource.choices)
    amount = money(_("amount (VND)"), null=False)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_by = recorded_by()

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("policy budget")
        verbose_name_plural = _("policy budgets")
        ordering = ["-year", "policy__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["policy", "year", "area", "source"],
                name="policybudget_unique",
                violation_error_message=_(
                    "This policy already has a budget for this year, area and source."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.policy} · {self.year} · {self.area}"


class SupportGrant(TimeStampedModel):
    """Support an HTX received under a policy: money and/or something in kind, from a source.

    The eligibility check against the policy's criteria is stored as it was when recorded
    (`eligibility`, `eligibility_detail`); when it did not show the HTX eligible, the officer
    recorded it anyway with `override_reason`.
    """

    cooperative = models.ForeignKey(
        "registry.Cooperative",
        models.CASCADE,
        related_name="support_grants",
        verbose_name=_("cooperative"),
    )
    policy = models.ForeignKey(
        Policy, models.PROTECT, related_name="grants", verbose_name=_("policy")
    )
    granted_on = models.DateField(_("date"))
    amount = money(_("amount (VND)"))
    in_kind = models.CharField(_("in kind"), max_length=500, blank=True)
    source = models.CharField(_("funding source"), max_length=16, choices=FundingSource.choices)
    product_support = models.CharField(
        _("product support"),
        max_length=16,
        choices=ProductSupport.choices,
        blank=True,
        help_text=_("Packaging, label or traceability support for the HTX's products."),
    )
    note = models.TextField(_("note"), blank=True)
    eligibility = models.CharField(
        _("eligibility"),
        max_length=16,
        choices=Eligibility.choices,
        default=Eligibility.NOT_CHECKED,
    )
    eligibility_detail = models.JSONField(_("eligibility check"), default=dict, blank=True)
    override_reason = models.TextField(_("reason for supporting anyway"), blank=True)
    created_by = recorded_by()

    history = HistoricalRecords()
    objects = OfCooperativeQuerySet.as_manager()

    class Meta:
        verbose_name = _("support given")
        verbose_name_plural = _("support given")
        ordering = ["-granted_on", "-pk"]
        indexes = [
            models.Index(fields=["cooperative", "granted_on"], name="grant_coop_date"),
            models.Index(fields=["granted_on"], name="grant_date"),
        ]

    def __str__(self) -> str:
        return f"{self.policy} → {self.cooperative} ({self.granted_on:%d/%m/%Y})"

    def get_absolute_url(self) -> str:
        return reverse("support:grant_detail", args=[self.pk])

    def clean(self) -> None:
        if self.amount is None and not self.in_kind.strip():
            raise ValidationError(
                {"amount": _("Give the amount, or describe the support given in kind.")}
            )


class GrantAttachment(models.Model):
    """A document of a support given (decision, contract, acceptance record)."""

    grant = models.ForeignKey(
        SupportGrant, models.CASCADE, related_name="attachments", verbose_name=_("support given")
    )
    file = models.FileField(_("file"), upload_to="support/grants/%Y/")
    name = models.CharField(_("name"), max_length=255)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    uploaded_by = recorded_by()

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.name


# --- training ---------------------------------------------------------------------------------


class Course(DatedActivity):
    """A training course for officers and HTX managers and members."""

    title = models.CharField(_("course title"), max_length=255)
    topic = models.CharField(_("topic"), max_length=24, choices=CourseTopic.choices)
    ends_on = models.DateField(_("end date"))  # required for a course
    organiser = models.CharField(_("organiser"), max_length=255)
    place = models.CharField(_("place"), max_length=255, blank=True)
    cost = money(_("cost (VND)"))
    area = models.ForeignKey(
        "areas.AdminUnit",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("area"),
        help_text=_("The area the course was organised for."),
    )
    policy = models.ForeignKey(
        Policy,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="courses",
        verbose_name=_("policy"),
    )
    created_by = recorded_by()

    history = HistoricalRecords()
    objects = AppliesInAreaQuerySet.as_manager()

    class Meta:
        verbose_name = _("training course")
        verbose_name_plural = _("training courses")
        ordering = ["-starts_on", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("support:course_detail", args=[self.pk])


class ParticipantQuerySet(models.QuerySet["Participant"]):
    def visible_to(self, user: User | AnonymousUser) -> Self:
        """People the user may see: managers and members of the HTX he may see (an HTX
        manager: his own HTX's), and officers of the units in his area (the participant's
        `area`). A course he may see can hold people of other areas; they stay hidden."""
        return restrict_either(
            self, user, cooperative_placement(), {"legacy": "area", "current": "area"}
        )


class Participant(models.Model):
    """A person who took part in a course: an officer of an area, or a manager or member of an
    HTX; whether they attended and got a certificate."""

    course = models.ForeignKey(
        Course, models.CASCADE, related_name="participants", verbose_name=_("course")
    )
    name = models.CharField(_("name"), max_length=150)
    role = models.CharField(_("role"), max_length=12, choices=ParticipantRole.choices)
    area = models.ForeignKey(
        "areas.AdminUnit",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("area of the officer"),
    )
    cooperative = models.ForeignKey(
        "registry.Cooperative",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="trainees",
        verbose_name=_("cooperative"),
    )
    attended = models.BooleanField(_("attended"), default=True)
    certificate = models.CharField(_("certificate number"), max_length=64, blank=True)

    history = HistoricalRecords()
    objects = ParticipantQuerySet.as_manager()

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.role == ParticipantRole.OFFICER and self.area_id is None:
            raise ValidationError({"area": _("Choose the area the officer works for.")})
        if self.role in COOPERATIVE_ROLES and self.cooperative_id is None:
            raise ValidationError({"cooperative": _("Choose the participant's cooperative.")})
        if self.role == ParticipantRole.OFFICER:
            self.cooperative = None
        elif self.role in COOPERATIVE_ROLES:
            self.area = None


# --- weak HTX ---------------------------------------------------------------------------------


class RemediationCase(TimeStampedModel):
    """The consolidation of an HTX rated weak (yếu) in `year`: causes, the actions planned with
    their deadlines, progress notes, and the outcome at the next rating."""

    cooperative = models.ForeignKey(
        "registry.Cooperative",
        models.CASCADE,
        related_name="remediation_cases",
        verbose_name=_("cooperative"),
    )
    year = models.PositiveSmallIntegerField(_("year rated weak"))
    status = models.CharField(
        _("status"), max_length=8, choices=CaseStatus.choices, default=CaseStatus.OPEN
    )
    causes = models.TextField(_("causes"), blank=True)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible officer"),
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=12, choices=CaseOutcome.choices, blank=True)
    outcome_note = models.TextField(_("outcome note"), blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    created_by = recorded_by()

    history = HistoricalRecords()
    objects = OfCooperativeQuerySet.as_manager()

    class Meta:
        verbose_name = _("remediation case")
        verbose_name_plural = _("remediation cases")
        ordering = ["-year", "cooperative__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cooperative", "year"],
                name="remediationcase_unique_year",
                violation_error_message=_("This cooperative already has a case for this year."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cooperative} ({self.year})"

    def get_absolute_url(self) -> str:
        return reverse("support:case_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == CaseStatus.OPEN


class RemediationAction(models.Model):
    """One action of a remediation case: what, who, by when, and when it was done."""

    case = models.ForeignKey(
        RemediationCase, models.CASCADE, related_name="actions", verbose_name=_("case")
    )
    description = models.CharField(_("action"), max_length=500)
    responsible = models.CharField(_("responsible"), max_length=150, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("remediation action")
        verbose_name_plural = _("remediation actions")
        ordering = ["deadline", "pk"]

    def __str__(self) -> str:
        return self.description


class ProgressNote(models.Model):
    """A dated note on how a remediation case is going."""

    case = models.ForeignKey(
        RemediationCase, models.CASCADE, related_name="notes", verbose_name=_("case")
    )
    written_on = models.DateField(_("date"))
    text = models.TextField(_("note"))
    by = recorded_by()

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("progress note")
        verbose_name_plural = _("progress notes")
        ordering = ["-written_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.written_on:%d/%m/%Y}"
