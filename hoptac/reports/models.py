"""Annual reports of cooperatives: one report per organisation and year, in versions.

What an HTX reports each year (Nghị định 193/2013/NĐ-CP as amended by Nghị định 107/2017/NĐ-CP:
members, workers, business results, assets, capital and investment; the figures of Công văn
9371/BKHĐT-HTX and the ones the rating circulars read) is kept as typed columns, amounts in VND
(Decimal, no fractions), counts as integers. The list of indicators, their codes and legal
sources is `hoptac.reports.indicators.INDICATORS`; the ratings read them through `as_rating_data()`.

Versions: `version` numbers the corrections of one (cooperative, year) report, 1, 2, …; exactly
one of them is current (`is_current`). An approved version is locked; correcting it makes a new
draft version, and both stay (with django-simple-history recording every save of each).
`revision` grows on every save of a version, so that an edit made on an out-of-date form is
refused (services.report_update), as the registry does with Cooperative.version.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from hoptac.core.models import TimeStampedModel
from hoptac.registry.querysets import OfCooperativeQuerySet
from hoptac.reports import messages, rules
from hoptac.reports.choices import ReminderChannel, ReportStatus
from hoptac.reports.indicators import INDICATORS, RATING_KEYS

if TYPE_CHECKING:
    pass

NON_NEGATIVE = [MinValueValidator(0)]


def _money(label: str, help_text: str = "", *, signed: bool = False) -> models.DecimalField:
    """An amount in VND (no fractions); negative only where the figure can be a loss."""
    return models.DecimalField(
        label,
        max_digits=18,
        decimal_places=0,
        null=True,
        blank=True,
        validators=[] if signed else NON_NEGATIVE,
        help_text=help_text,
    )


def _count(label: str, help_text: str = "") -> models.PositiveIntegerField:
    return models.PositiveIntegerField(label, null=True, blank=True, help_text=help_text)


class AnnualReportQuerySet(OfCooperativeQuerySet["AnnualReport"]):
    """visible_to: officers see the reports of HTX placed in their area, HTX managers those
    of their own HTX, the public none (hoptac.accounts.querysets)."""

    def current(self) -> AnnualReportQuerySet:
        """Only the current version of each (cooperative, year)."""
        return self.filter(is_current=True)


class AnnualReport(TimeStampedModel):
    """The report an organisation makes for one year, in one version (see the module doc)."""

    cooperative = models.ForeignKey(
        "registry.Cooperative",
        models.CASCADE,
        related_name="annual_reports",
        verbose_name=_("cooperative"),
        db_index=False,  # led by the (cooperative, year, version) constraint's index
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(1990), MaxValueValidator(2100)]
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1, editable=False)
    is_current = models.BooleanField(_("current version"), default=True, editable=False)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ReportStatus.choices,
        default=ReportStatus.DRAFT,
        editable=False,
    )
    revision = models.PositiveIntegerField(_("revision"), default=1, editable=False)

    # --- members and labour (ND 193/2013 annual report contents; CV 9371/BKHĐT-HTX) -------
    members_count = _count(
        _("members at year end"),
        _("Official members on 31 December (for a union: its member cooperatives)."),
    )
    members_joined = _count(_("members who joined in the year"))
    members_left = _count(_("members who left in the year"))
    workers_count = _count(
        _("regular workers at year end"),
        _("Workers engaged regularly (indefinite term); short-term and seasonal workers excluded."),
    )
    workers_members = _count(_("regular workers who are members"))
    managers_count = _count(_("number of managers"))
    managers_higher_education = _count(_("managers with college or university education"))
    managers_vocational = _count(_("managers with elementary or secondary vocational training"))
    average_worker_income = _money(
        _("average income of a regular worker (VND per year)"),
    )

    # --- capital and assets -------------------------------------------------------------
    charter_capital = _money(_("charter capital (VND)"))
    operating_capital = _money(_("operating capital (VND)"))
    equity = _money(_("owners' equity (VND)"), signed=True)
    liabilities = _money(_("liabilities (VND)"), _("Debts the cooperative owes at year end."))
    borrowed_capital = _money(_("borrowed capital (VND)"), _("Loans, part of the liabilities."))
    total_capital = _money(
        _("total capital (VND)"), _("Owners' equity plus liabilities (tổng nguồn vốn).")
    )
    total_assets = _money(_("total assets (VND)"))
    indivisible_assets = _money(_("indivisible common assets (VND)"))
    investment = _money(_("investment in the year (VND)"))

    # --- business results -----------------------------------------------------------------
    revenue = _money(_("revenue (VND)"))
    revenue_planned = _money(_("planned revenue (VND)"))
    revenue_from_members = _money(_("revenue from services to members (VND)"))
    costs = _money(_("costs (VND)"))
    profit_before_tax = _money(_("profit before tax (VND)"), signed=True)
    profit_after_tax = _money(_("profit after tax (VND)"), signed=True)

    # --- distribution ---------------------------------------------------------------------
    development_fund = _money(_("set aside for the development investment fund (VND)"))
    reserve_fund = _money(_("set aside for the financial reserve fund (VND)"))
    other_funds = _money(_("set aside for other funds (VND)"))
    returned_to_members = _money(
        _("income paid back to members by their use of services (VND)"),
    )
    dividends = _money(_("dividends on contributed capital (VND)"))

    # --- other --------------------------------------------------------------------------
    ocop_products = _count(_("OCOP products"))
    notes = models.TextField(_("notes"), blank=True)

    # --- workflow -----------------------------------------------------------------------
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("created by"),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, editable=False)
    first_submitted_at = models.DateTimeField(
        _("first submitted at"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When the report for this year was first sent (counts for timeliness)."),
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True, editable=False)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("returned by"),
    )
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True, editable=False)
    return_comment = models.TextField(_("reason for return"), blank=True, editable=False)

    history = HistoricalRecords()
    objects = AnnualReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("annual report")
        verbose_name_plural = _("annual reports")
        ordering = ["cooperative", "-year", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["cooperative", "year", "version"], name="report_unique_version"
            ),
            models.UniqueConstraint(
                fields=["cooperative", "year"],
                condition=Q(is_current=True),
                name="report_one_current_version",
                violation_error_message=_("This cooperative already has a report for this year."),
            ),
        ]
        indexes = [
            models.Index(fields=["year", "status"], name="report_year_status"),
        ]

    def __str__(self) -> str:
        return f"{self.cooperative} – {self.year} (v{self.version})"

    def get_absolute_url(self) -> str:
        return reverse("reports:report_detail", args=[self.pk])

    def clean(self) -> None:
        """One-row invariants of the figures (rules.report_errors, translated by messages)."""
        errors = messages.report_errors(self.values())
        if errors:
            raise ValidationError(errors)

    def values(self) -> dict[str, Decimal | int | None]:
        """The indicator values by field name, in the order of INDICATORS."""
        return {spec.field: getattr(self, spec.field) for spec in INDICATORS}

    def missing_fields(self) -> list[str]:
        """The required indicators still empty (rules.missing_required)."""
        return rules.missing_required(self.values())

    def as_rating_data(self) -> dict[str, Decimal]:
        """The figures the rating rules read, under their domain keys (tong_nguon_von,
        doanh_thu, so_thanh_vien, …; see indicators.RATING_KEYS); empty ones are left out."""
        data: dict[str, Decimal] = {}
        for key, field in RATING_KEYS.items():
            value = getattr(self, field)
            if value is not None:
                data[key] = Decimal(value)
        return data


class ReportReminder(models.Model):
    """A reminder sent to an organisation that its report for `year` is due or late: an
    e-mail through Django's mail backend, or a printed letter."""

    cooperative = models.ForeignKey(
        "registry.Cooperative",
        models.CASCADE,
        related_name="report_reminders",
        verbose_name=_("cooperative"),
        db_index=False,  # led by the (cooperative, year) index
    )
    year = models.PositiveSmallIntegerField(_("year"))
    channel = models.CharField(_("channel"), max_length=8, choices=ReminderChannel.choices)
    sent_to = models.CharField(_("sent to"), max_length=255, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sent by"),
    )
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("report reminder")
        verbose_name_plural = _("report reminders")
        ordering = ["-sent_at", "-pk"]
        indexes = [models.Index(fields=["cooperative", "year"], name="reminder_coop_year")]

    def __str__(self) -> str:
        return f"{self.cooperative} – {self.year} ({self.get_channel_display()})"
