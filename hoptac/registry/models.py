"""The cooperative registry: organisations (THT, HTX, LHHTX), their dated statuses and members.

Sized for a national registry (a million organisations, many millions of members): what the
list filters and counts on is a plain indexed column; the place of an organisation is kept
both as its commune and, denormalised, as its province and district of each tree.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from hoptac.accounts.access import restrict
from hoptac.areas.choices import Era, Level
from hoptac.core.changes import TrackedQuerySet
from hoptac.core.models import TimeStampedModel
from hoptac.registry import rules
from hoptac.registry.choices import (
    ENDED_STATUSES,
    EXISTING_STATUSES,
    Kind,
    MemberKind,
    Sector,
    Status,
    SubSector,
    label_of,
    sector_of,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from hoptac.accounts.models import User


def validate_tax_code(value: str) -> None:
    """Refuse anything but the 10-digit identification number (rules.is_valid_tax_code)."""
    if value and not rules.is_valid_tax_code(value):
        raise ValidationError(
            _("The registration code (tax code) must have exactly 10 digits."),
            code="tax_code",
        )


ROW_RULE_FIELDS = ("sector", "sub_sector", "founded_on", "registered_on")


def row_errors(
    *,
    sector: str | None,
    sub_sector: str | None,
    founded_on: date | None,
    registered_on: date | None,
) -> dict[str, str]:
    """The one-row rules of an organisation's own fields (shared by the model and its forms):
    the sub-sector belongs to the sector; registration does not precede founding."""
    errors: dict[str, str] = {}
    if sub_sector and sector and sector_of(sub_sector) != sector:
        errors["sub_sector"] = _("This sub-sector does not belong to the chosen sector.")
    if founded_on and registered_on and registered_on < founded_on:
        errors["registered_on"] = _("The registration date cannot be before the founding date.")
    return errors


# The field that places an organisation at each (era, level) of an area: its commune of each
# tree, and the province / district kept denormalised beside it (services._place).
AREA_FIELDS: dict[tuple[str, int], str] = {
    (Era.LEGACY, Level.PROVINCE): "province_legacy",
    (Era.LEGACY, Level.DISTRICT): "district_legacy",
    (Era.LEGACY, Level.COMMUNE): "commune_legacy",
    (Era.CURRENT, Level.PROVINCE): "province",
    (Era.CURRENT, Level.COMMUNE): "commune",
}


def cooperative_area_fields(prefix: str = "") -> dict[tuple[str, int], str]:
    """AREA_FIELDS reached through a relation, e.g. prefix "cooperative__" for the rows of an
    HTX: what `access.restrict(..., area_fields=...)` takes to scope them without a join to the
    administrative units."""
    return {key: f"{prefix}{name}" for key, name in AREA_FIELDS.items()}


# What the indicators of an area group and sum by (hoptac.indicators.sources), carried in the
# area indexes so that a province's figures are read from the index alone.
DASHBOARD_COLUMNS = (
    "id",
    "kind",
    "sub_sector",
    "members_count",
    "workers_count",
    "high_tech",
    "value_chain",
    "model_cooperative",
    "founded_on",
)


class CooperativeQuerySet(TrackedQuerySet["Cooperative"]):
    def visible_to(self, user: User | AnonymousUser) -> CooperativeQuerySet:
        """The organisations `user` may see; decided by hoptac.accounts.access, nowhere else.

        Officers: those placed in their area (by the commune of their own tree); HTX managers:
        the HTX bound to them; the public: nothing here (the portal publishes through its own
        selectors).
        """
        return restrict(
            self,
            user,
            legacy="commune_legacy",
            current="commune",
            owner="managers",
            published=None,
            area_fields=AREA_FIELDS,
        )

    def existing_on(self, on: date, *, with_status: bool = False) -> CooperativeQuerySet:
        """The organisations that existed on `on`: the one definition, used by the registry,
        support, market, indicators (live and tally alike) and the portal.

        An organisation exists on a day when its status that day, the last StatusChange
        effective on or before it (rules.status_at), is one of choices.EXISTING_STATUSES: no
        change yet, it did not exist; dissolved or bankrupt, it no longer does.

        with_status=True also annotates `status_then`, that status (for grouping by it).

        The forms below select the same set, each the fastest for its case:
        - today or later: the stored status, which the services keep equal to the last change
          (a change may not be dated in the future); no history subquery on the default
          dashboard and the portal;
        - a past day, without the status: a change on or before it, and no dissolution or
          bankruptcy on or before it (two EXISTS on the history's index, tuned for a million
          organisations). It is the same set because the services keep the history in date
          order and along the state machine, where dissolved and bankrupt are final: the last
          change up to the day is an ended one exactly when an ended change is up to the day;
          and an organisation not ended now never ended, so only the others are searched;
        - a past day, with the status: the last change up to the day, read by a subquery.
        """
        if on >= timezone.localdate():
            qs = self.annotate(status_then=F("status")) if with_status else self
            return qs.filter(status__in=EXISTING_STATUSES)
        changes = StatusChange.objects.filter(cooperative=OuterRef("pk"), effective_on__lte=on)
        if not with_status:
            ended_by_then = changes.filter(status__in=ENDED_STATUSES)
            return self.filter(Exists(changes)).filter(
                Q(status__in=EXISTING_STATUSES) | ~Exists(ended_by_then)
            )
        then = changes.order_by("-effective_on", "-pk").values("status")[:1]
        return self.annotate(status_then=Subquery(then)).filter(status_then__in=EXISTING_STATUSES)

    def existed_in(self, year: int) -> CooperativeQuerySet:
        """The organisations that existed at some time in `year`: begun by 31 December (by
        their registration, else their founding) and not dissolved or bankrupt before 1 January
        (by the dated status history). The one definition of those that owe a report for the
        year (reports.selectors.expected_cooperatives) and are rated for it
        (ratings.selectors.rating_population)."""
        last_day = date(year, 12, 31)
        before = (
            StatusChange.objects.filter(
                cooperative=OuterRef("pk"), effective_on__lt=date(year, 1, 1)
            )
            .order_by("-effective_on", "-pk")
            .values("status")[:1]
        )
        return (
            self.exclude(registered_on__gt=last_day)
            .exclude(registered_on__isnull=True, founded_on__gt=last_day)
            .annotate(status_before=Subquery(before))
            .filter(Q(status_before__isnull=True) | ~Q(status_before__in=ENDED_STATUSES))
        )


class Cooperative(TimeStampedModel):
    """An organisation of the Cooperative Law 2023: a tổ hợp tác, hợp tác xã or liên hiệp HTX.

    Placed by its commune in the tree in force when it was recorded (`commune_legacy` before
    1 July 2025, `commune` from then); the other tree's commune is derived where the law allows
    (old → new by the default succession), and province / district are kept denormalised for
    fast counting. `status` is the status in force today; `StatusChange` rows are its dated
    history. `version` grows on every save, so that an edit made on an out-of-date form is
    detected and refused (services.cooperative_update).
    """

    kind = models.CharField(
        _("kind"), max_length=24, choices=Kind.choices, default=Kind.COOPERATIVE
    )
    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=120, blank=True)
    search_text = models.TextField(_("search text"), blank=True, editable=False)
    # The name folded (rules.name_key), by which an import finds an HTX of a commune.
    name_key = models.TextField(_("name key"), blank=True, editable=False)
    tax_code = models.CharField(
        _("registration code"),
        max_length=10,
        blank=True,
        validators=[validate_tax_code],
        help_text=_("The 10-digit HTX / enterprise code, which is also the tax code."),
    )
    registered_on = models.DateField(_("registration date"), null=True, blank=True)
    founded_on = models.DateField(_("founding date"), null=True, blank=True)
    registering_authority = models.CharField(_("registering authority"), max_length=255, blank=True)

    representative_name = models.CharField(_("legal representative"), max_length=150, blank=True)
    representative_title = models.CharField(_("representative's title"), max_length=100, blank=True)
    representative_phone = models.CharField(_("representative's phone"), max_length=20, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)

    street = models.CharField(_("street address"), max_length=255, blank=True)
    commune_legacy = models.ForeignKey(
        "areas.AdminUnit",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("commune (before 1 July 2025)"),
        limit_choices_to={"era": "legacy", "level": 3},
    )
    commune = models.ForeignKey(
        "areas.AdminUnit",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("commune"),
        limit_choices_to={"era": "2025", "level": 3},
    )
    province_legacy = models.ForeignKey(
        "areas.AdminUnit",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("province (before 1 July 2025)"),
    )
    district_legacy = models.ForeignKey(
        "areas.AdminUnit",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("district (before 1 July 2025)"),
    )
    province = models.ForeignKey(
        "areas.AdminUnit",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("province"),
    )
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)

    sector = models.CharField(
        _("sector"), max_length=16, choices=Sector.choices, default=Sector.AGRICULTURAL
    )
    sub_sector = models.CharField(
        _("sub-sector"), max_length=24, choices=SubSector.choices, blank=True
    )
    business_lines = models.TextField(_("business lines"), blank=True)
    charter_capital = models.DecimalField(
        _("charter capital (VND)"), max_digits=18, decimal_places=0, null=True, blank=True
    )
    members_count = models.PositiveIntegerField(_("members"), null=True, blank=True)
    workers_count = models.PositiveIntegerField(_("workers"), null=True, blank=True)

    high_tech = models.BooleanField(_("applies high technology"), default=False)
    value_chain = models.BooleanField(_("takes part in a value chain"), default=False)
    model_cooperative = models.BooleanField(_("advanced model cooperative"), default=False)

    unions = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="member_cooperatives",
        limit_choices_to={"kind": Kind.UNION},
        verbose_name=_("member of unions"),
    )
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="managed_cooperatives",
        verbose_name=_("managers"),
        help_text=_("Accounts of the HTX's own managers, who may see and update it."),
    )
    is_published = models.BooleanField(_("published on the portal"), default=False)
    status = models.CharField(
        _("status"), max_length=32, choices=Status.choices, default=Status.ACTIVE
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    history = HistoricalRecords(m2m_fields=[unions, managers])
    objects = CooperativeQuerySet.as_manager()

    class Meta:
        verbose_name = _("cooperative")
        verbose_name_plural = _("cooperatives")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["tax_code"],
                condition=~Q(tax_code=""),
                name="cooperative_unique_tax_code",
                violation_error_code="unique",  # reported on the tax_code field
                violation_error_message=_("Another cooperative already has this code."),
            ),
        ]
        indexes = [
            # Lists of an area sorted by name, in either tree (FK columns get their own index).
            models.Index(fields=["province_legacy", "name"], name="coop_prov_legacy_name"),
            models.Index(fields=["district_legacy", "name"], name="coop_district_name"),
            models.Index(fields=["province", "name"], name="coop_province_name"),
            models.Index(fields=["name"], name="coop_name"),
            # Counts by area and category: the list's total and the indicators of a province
            # read these alone (PostgreSQL INCLUDE; other databases get the plain index).
            models.Index(
                fields=["province", "status", "sector"],
                include=[*DASHBOARD_COLUMNS, "commune"],
                name="coop_prov_status_sector_cov",
            ),
            models.Index(
                fields=["province_legacy", "status", "sector"],
                include=[*DASHBOARD_COLUMNS, "district_legacy", "commune_legacy"],
                name="coop_provl_status_sect_cov",
            ),
            models.Index(fields=["founded_on"], name="coop_founded_on"),
            models.Index(fields=["kind", "status"], name="coop_kind_status"),
            # An import's match by name in a commune of either tree.
            models.Index(fields=["commune", "name_key"], name="coop_commune_name_key"),
            models.Index(fields=["commune_legacy", "name_key"], name="coop_communel_name_key"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("registry:cooperative_detail", args=[self.pk])

    def clean(self) -> None:
        """One-row invariants: a place, a sub-sector of the sector, dates in order."""
        errors = row_errors(**{name: getattr(self, name) for name in ROW_RULE_FIELDS})
        if self.commune_legacy_id is None and self.commune_id is None:
            errors["commune"] = _("Choose the commune where the cooperative is registered.")
        if errors:
            raise ValidationError(errors)

    # The labels of its codes, for long lists (cheaper than get_FOO_display on every row).
    @property
    def kind_label(self) -> object:
        return label_of(Kind, self.kind)

    @property
    def sector_label(self) -> object:
        return label_of(Sector, self.sector)

    @property
    def sub_sector_label(self) -> object:
        return label_of(SubSector, self.sub_sector)

    @property
    def status_label(self) -> object:
        return label_of(Status, self.status)

    @property
    def start_date(self) -> date | None:
        """The day the organisation began to exist for counting: registration, else founding."""
        return self.registered_on or self.founded_on


class StatusChange(models.Model):
    """One dated entry of an organisation's status history: from `effective_on`, `status`.

    The status at any date is that of the last change effective on or before it
    (rules.status_at), which is how "HTX at a date" is counted.
    """

    cooperative = models.ForeignKey(
        Cooperative,
        models.CASCADE,
        related_name="status_changes",
        verbose_name=_("cooperative"),
        db_index=False,  # led by the (cooperative, effective_on) index
    )
    status = models.CharField(_("status"), max_length=32, choices=Status.choices)
    effective_on = models.DateField(_("effective from"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    history = HistoricalRecords()
    objects = TrackedQuerySet["StatusChange"].as_manager()  # writes told to core.changes

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["effective_on", "pk"]
        indexes = [
            models.Index(fields=["cooperative", "effective_on"], name="statuschange_coop_date"),
            models.Index(fields=["effective_on", "status"], name="statuschange_date_status"),
        ]

    def __str__(self) -> str:
        return f"{self.get_status_display()} ({self.effective_on:%d/%m/%Y})"


class Member(models.Model):
    """A member of an HTX: a person, household or legal entity, with the dates of joining and
    leaving and the capital contributed. Optional per HTX; where a roster exists, the HTX's
    member count derives from it. Millions of rows nationally: indexed by HTX and dates."""

    cooperative = models.ForeignKey(
        Cooperative,
        models.CASCADE,
        related_name="members",
        verbose_name=_("cooperative"),
        db_index=False,  # led by the (cooperative, joined_on) index
    )
    kind = models.CharField(
        _("kind of member"), max_length=12, choices=MemberKind.choices, default=MemberKind.PERSON
    )
    name = models.CharField(_("name"), max_length=255)
    joined_on = models.DateField(_("joined on"), null=True, blank=True)
    left_on = models.DateField(_("left on"), null=True, blank=True)
    capital_contributed = models.DecimalField(
        _("capital contributed (VND)"), max_digits=18, decimal_places=0, null=True, blank=True
    )
    is_official = models.BooleanField(
        _("official member"),
        default=True,
        help_text=_(
            "Contributes capital and uses the HTX's services and/or works for it "
            "(Cooperative Law 2023, Article 4.17); only official members count for size."
        ),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["name", "pk"]
        indexes = [
            models.Index(fields=["cooperative", "joined_on"], name="member_coop_joined"),
            models.Index(fields=["cooperative", "left_on"], name="member_coop_left"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.joined_on and self.left_on and self.left_on < self.joined_on:
            raise ValidationError(
                {"left_on": _("The leaving date cannot be before the joining date.")}
            )

    def is_member_on(self, day: date) -> bool:
        """Was this a member on `day`?"""
        return (self.joined_on is None or self.joined_on <= day) and (
            self.left_on is None or self.left_on > day
        )
