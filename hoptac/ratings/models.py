"""Yearly ratings of cooperatives (tốt / khá / trung bình / yếu / chưa đánh giá).

A `Rating` is the rating of one organisation for one evaluated year (one row per pair): the
scores given per scoring unit (the HTX's self-scores and the officer's verified scores, as the
circulars prescribe), and what the engine (hoptac/ratings/rules, docs/rules.md) made of them and
of the approved annual reports of that year and the year before: points per criterion, total,
rank and reason. The officer may override the rank with a note; approval locks the rating and
publishing shows it. django-simple-history keeps every state.

A `RatingRound` is the rating of an area for a year as officers run it: who proposed it, when,
and whether all its ratings are approved or published. The ratings of an HTX belong to the
round that first proposed them; the list of an area shows every rating of its HTX, whichever
round made it.

Which report a rating used is kept (`report`, `previous_report` and their versions): when a
newer approved version exists, the rating is stale (selectors.stale_ids) and proposing again
re-rates it (services.rating_repropose).
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from hoptac.core.models import TimeStampedModel
from hoptac.ratings.choices import Rank, RatingStatus, RoundStatus
from hoptac.ratings.logic import decimals
from hoptac.registry.querysets import OfCooperativeQuerySet

if TYPE_CHECKING:
    pass


class RatingRound(TimeStampedModel):
    """The rating of the organisations of an area (any level, either tree) for one year."""

    area = models.ForeignKey(
        "areas.AdminUnit", models.PROTECT, related_name="+", verbose_name=_("area")
    )
    year = models.PositiveSmallIntegerField(_("evaluated year"))
    rules_ids = models.JSONField(
        _("rule files"), default=list, blank=True, help_text=_("The rule files used.")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=RoundStatus.choices, default=RoundStatus.PROPOSED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    proposed_at = models.DateTimeField(_("last proposed at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rating round")
        verbose_name_plural = _("rating rounds")
        ordering = ["-year", "area__path"]
        constraints = [
            models.UniqueConstraint(fields=["area", "year"], name="ratinground_unique_area_year")
        ]

    def __str__(self) -> str:
        return f"{self.area} – {self.year}"


class RatingQuerySet(OfCooperativeQuerySet["Rating"]):
    """visible_to: officers see the ratings of organisations in their area, HTX managers
    their own HTX's (hoptac.accounts.querysets)."""


class Rating(TimeStampedModel):
    """The rating of one organisation for one evaluated year (see the module docstring)."""

    round = models.ForeignKey(
        RatingRound,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="ratings",
        verbose_name=_("rating round"),
    )
    cooperative = models.ForeignKey(
        "registry.Cooperative",
        models.CASCADE,
        related_name="ratings",
        verbose_name=_("cooperative"),
        db_index=False,  # led by the (cooperative, year) constraint's index
    )
    year = models.PositiveSmallIntegerField(_("evaluated year"))
    rules_id = models.CharField(
        _("rule file"), max_length=40, blank=True, help_text=_("Empty: no rule applies.")
    )

    # --- the inputs ---------------------------------------------------------------------
    self_scores = models.JSONField(_("self-scores"), default=dict, blank=True)
    verified_scores = models.JSONField(_("verified scores"), default=dict, blank=True)
    sanctioned = models.BooleanField(
        _("administratively sanctioned in the year"),
        default=False,
        help_text=_("Under Circular 09/2017/TT-BNNPTNT such an HTX is rated weak."),
    )
    months_stopped = models.DecimalField(
        _("months not operating in the year"),
        max_digits=4,
        decimal_places=2,
        default=Decimal(0),
        help_text=_("From the registry's dated status history."),
    )
    report = models.ForeignKey(
        "reports.AnnualReport",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("report of the year used"),
    )
    report_version = models.PositiveSmallIntegerField(
        _("version of the report used"), null=True, blank=True
    )
    previous_report = models.ForeignKey(
        "reports.AnnualReport",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("report of the previous year used"),
    )
    previous_report_version = models.PositiveSmallIntegerField(
        _("version of the previous report used"), null=True, blank=True
    )
    report_data = models.JSONField(
        _("report figures used"),
        default=dict,
        blank=True,
        help_text=_('{"report": {indicator: value}, "previous_report": {...}}'),
    )

    # --- what the engine made of them -----------------------------------------------------
    points = models.JSONField(_("points per criterion"), default=dict, blank=True)
    total = models.DecimalField(
        _("total points"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    engine_rank = models.CharField(
        _("rank by the rules"), max_length=16, choices=Rank.choices, blank=True
    )
    reason = models.TextField(_("reason"), blank=True)
    reason_code = models.CharField(
        _("reason code"),
        max_length=40,
        blank=True,
        help_text=_("The exclusion or override that decided the rank, if any."),
    )
    errors = models.JSONField(_("problems"), default=list, blank=True)

    # --- the officer's decision ---------------------------------------------------------------
    override_rank = models.CharField(
        _("rank set by the officer"), max_length=16, choices=Rank.choices, blank=True
    )
    override_note = models.TextField(_("override notes"), blank=True)
    rank = models.CharField(_("rank"), max_length=16, choices=Rank.choices, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=RatingStatus.choices, default=RatingStatus.PROPOSED
    )
    proposed_at = models.DateTimeField(_("proposed at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    history = HistoricalRecords()
    objects = RatingQuerySet.as_manager()

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        ordering = ["-year", "cooperative__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["cooperative", "year"],
                name="rating_unique_cooperative_year",
                violation_error_message=_("This cooperative already has a rating for this year."),
            )
        ]
        indexes = [
            models.Index(fields=["year", "status", "rank"], name="rating_year_status_rank"),
            # The indicators join an area's organisations to their rating of a year: covered
            # (PostgreSQL INCLUDE; other databases get the plain index).
            models.Index(
                fields=["cooperative", "year"],
                include=["id", "status", "rank"],
                name="rating_coop_year_covering",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cooperative} – {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("ratings:rating_detail", args=[self.pk])

    def self_decimals(self) -> dict[str, Decimal]:
        return decimals(self.self_scores)

    def verified_decimals(self) -> dict[str, Decimal]:
        return decimals(self.verified_scores)


class ApprovedRatingManager(models.Manager.from_queryset(RatingQuerySet)):
    """RatingResult's rows: the approved ratings, with Rating's queryset (its writes told to
    core.changes)."""

    def get_queryset(self) -> models.QuerySet[RatingResult]:
        return super().get_queryset().filter(status=RatingStatus.APPROVED)


class RatingResult(Rating):
    """The approved ratings only: the results other apps count (indicators, support), with
    `cooperative`, `year` and `rank` (tot / kha / trung_binh / yeu / chua_danh_gia)."""

    objects = ApprovedRatingManager()

    class Meta:
        proxy = True
        verbose_name = _("rating result")
        verbose_name_plural = _("rating results")
