"""Products and markets of HTX: products with their certifications and trademarks, trade
promotion events and who took part, partner companies and value-chain links. Every model keeps
its change history (django-simple-history).

Who sees what is decided in hoptac.accounts.access: what belongs to an HTX follows the HTX's
place (and its managers); events apply below the area that organised them; the directory of
partner companies is read by everyone signed in and changed by the province that keeps each.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from hoptac.accounts.querysets import AppliesInAreaQuerySet
from hoptac.core.fields import NON_NEGATIVE, money, recorded_by
from hoptac.core.fields import cooperative as cooperative_fk
from hoptac.core.models import DatedActivity, TimeStampedModel
from hoptac.market.choices import (
    OCOP_STARS,
    Category,
    CertificationKind,
    EventKind,
    LinkKind,
    LinkStatus,
    TrademarkKind,
)
from hoptac.registry.querysets import OfCooperativeQuerySet

if TYPE_CHECKING:
    pass


class Product(TimeStampedModel):
    """A product (or service) an HTX sells, with an optional photo."""

    cooperative = cooperative_fk("products")
    name = models.CharField(_("name"), max_length=255)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    season = models.CharField(_("season"), max_length=120, blank=True)
    description = models.TextField(_("description"), blank=True)
    photo = models.ImageField(_("photo"), upload_to="market/products/%Y/", blank=True)
    search_text = models.TextField(_("search text"), blank=True, editable=False)
    created_by = recorded_by()

    history = HistoricalRecords(excluded_fields=["search_text"])
    objects = OfCooperativeQuerySet.as_manager()

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["category", "name"], name="product_category_name")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("market:product_detail", args=[self.pk])


class Certification(models.Model):
    """A certification of a product: VietGAP, GlobalGAP, organic, or OCOP with its stars."""

    product = models.ForeignKey(
        Product, models.CASCADE, related_name="certifications", verbose_name=_("product")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=CertificationKind.choices)
    stars = models.PositiveSmallIntegerField(_("OCOP stars"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.CharField(_("certificate number"), max_length=80, blank=True)
    issued_by = models.CharField(_("issued by"), max_length=255, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("certification")
        verbose_name_plural = _("certifications")
        ordering = ["-year", "kind", "pk"]

    def __str__(self) -> str:
        if self.kind == CertificationKind.OCOP and self.stars:
            return f"OCOP {self.stars}★ ({self.year})"
        return f"{self.get_kind_display()} ({self.year})"

    def clean(self) -> None:
        """OCOP needs 3 to 5 stars; the other certifications have none."""
        if self.kind == CertificationKind.OCOP and self.stars not in OCOP_STARS:
            raise ValidationError({"stars": _("An OCOP rating has 3, 4 or 5 stars.")})
        if self.kind != CertificationKind.OCOP and self.stars is not None:
            raise ValidationError({"stars": _("Only an OCOP rating has stars.")})


class Trademark(TimeStampedModel):
    """A trademark or collective mark an HTX holds or uses, with its registration number."""

    cooperative = cooperative_fk("trademarks")
    product = models.ForeignKey(
        Product,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="trademarks",
        verbose_name=_("product"),
    )
    name = models.CharField(_("mark"), max_length=255)
    kind = models.CharField(_("kind"), max_length=12, choices=TrademarkKind.choices)
    number = models.CharField(_("registration number"), max_length=80, blank=True)
    granted_on = models.DateField(_("registration date"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_by = recorded_by()

    history = HistoricalRecords()
    objects = OfCooperativeQuerySet.as_manager()

    class Meta:
        verbose_name = _("trademark")
        verbose_name_plural = _("trademarks")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


# --- trade promotion --------------------------------------------------------------------------


class TradeEvent(DatedActivity):
    """A trade promotion event: a fair, a market, or an online platform campaign."""

    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=8, choices=EventKind.choices)
    place = models.CharField(_("place or platform"), max_length=255, blank=True)
    organiser = models.CharField(_("organiser"), max_length=255, blank=True)
    area = models.ForeignKey(
        "areas.AdminUnit",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("area"),
        help_text=_("The area whose cooperatives the event is for; empty: nationwide."),
    )
    created_by = recorded_by()

    history = HistoricalRecords()
    objects = AppliesInAreaQuerySet.as_manager()

    class Meta:
        verbose_name = _("trade promotion event")
        verbose_name_plural = _("trade promotion events")
        ordering = ["-starts_on", "pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("market:event_detail", args=[self.pk])


class EventParticipation(models.Model):
    """An HTX that took part in an event, with its results where known."""

    event = models.ForeignKey(
        TradeEvent, models.CASCADE, related_name="participations", verbose_name=_("event")
    )
    cooperative = cooperative_fk("event_participations")
    contracts = models.PositiveIntegerField(_("contracts signed"), null=True, blank=True)
    contract_value = money(_("value of the contracts (VND)"))
    sales = money(_("sales at the event (VND)"))
    note = models.CharField(_("note"), max_length=500, blank=True)

    history = HistoricalRecords()
    objects = OfCooperativeQuerySet.as_manager()

    class Meta:
        verbose_name = _("participation in an event")
        verbose_name_plural = _("participations in events")
        ordering = ["cooperative__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "cooperative"],
                name="eventparticipation_unique",
                violation_error_message=_("This cooperative is already recorded at this event."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cooperative} @ {self.event}"


# --- value chains -----------------------------------------------------------------------------


class PartnerCompany(TimeStampedModel):
    """A company HTX link with for inputs or outputs: one national directory that every
    signed-in user reads; the province that recorded a company keeps it (its officers and the
    administrator change it: access.may_change_province_record)."""

    name = models.CharField(_("name"), max_length=255)
    tax_code = models.CharField(_("tax code"), max_length=14, blank=True)
    address = models.CharField(_("address"), max_length=500, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    representative = models.CharField(_("representative"), max_length=150, blank=True)
    province = models.ForeignKey(
        "areas.AdminUnit",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("province that keeps it"),
        help_text=_("Its officers may change the company; empty: only the administrator."),
    )
    search_text = models.TextField(_("search text"), blank=True, editable=False)
    created_by = recorded_by()

    history = HistoricalRecords(excluded_fields=["search_text"])

    class Meta:
        verbose_name = _("partner company")
        verbose_name_plural = _("partner companies")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["tax_code"],
                condition=~Q(tax_code=""),
                name="partnercompany_unique_tax_code",
                violation_error_message=_("Another company already has this tax code."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("market:company_detail", args=[self.pk])


class ValueChainLink(TimeStampedModel):
    """A link contract between an HTX and a company: the company supplies inputs, buys the
    output, or both; for a product, a volume and value, from a start to an end, in a status."""

    cooperative = cooperative_fk("value_chain_links")
    company = models.ForeignKey(
        PartnerCompany, models.PROTECT, related_name="links", verbose_name=_("company")
    )
    kind = models.CharField(_("kind of link"), max_length=8, choices=LinkKind.choices)
    product = models.ForeignKey(
        Product,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="links",
        verbose_name=_("product"),
    )
    product_name = models.CharField(_("product or input"), max_length=255, blank=True)
    volume = models.DecimalField(
        _("volume"), max_digits=14, decimal_places=2, null=True, blank=True, validators=NON_NEGATIVE
    )
    volume_unit = models.CharField(_("unit of volume"), max_length=40, blank=True)
    value = money(_("value (VND)"))
    starts_on = models.DateField(_("start date"))
    ends_on = models.DateField(_("end date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=LinkStatus.choices, default=LinkStatus.ACTIVE
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_by = recorded_by()

    history = HistoricalRecords()
    objects = OfCooperativeQuerySet.as_manager()

    class Meta:
        verbose_name = _("value-chain link")
        verbose_name_plural = _("value-chain links")
        ordering = ["-starts_on", "pk"]
        indexes = [models.Index(fields=["starts_on", "ends_on"], name="link_dates")]

    def __str__(self) -> str:
        return f"{self.cooperative} – {self.company}"

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The end cannot be before the start.")})
        if self.product_id is None and not self.product_name.strip():
            raise ValidationError({"product_name": _("Name the product or input of the link.")})

    @property
    def subject(self) -> str:
        return self.product.name if self.product_id else self.product_name
