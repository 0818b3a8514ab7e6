"""The administrative units of Vietnam in both trees, and how old units became new ones."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from hoptac.areas.choices import Era, Level, UnitType


class AdminUnitQuerySet(models.QuerySet["AdminUnit"]):
    def search(self, query: str) -> AdminUnitQuerySet:
        """Units whose name contains every word of `query`, with or without diacritics."""
        from hoptac.core.text import fold

        result = self
        for word in fold(query).split():
            result = result.filter(search_name__contains=word)
        return result


class AdminUnit(models.Model):
    """A province, district or commune of one tree (era), with its official code.

    `path` lists the codes from the province down ("legacy/06/064/02062"), so that
    everything under a unit is one indexed prefix query in either tree.
    """

    era = models.CharField(_("era"), max_length=8, choices=Era.choices)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    code = models.CharField(_("code"), max_length=10)
    name = models.CharField(_("name"), max_length=120)
    short_name = models.CharField(_("short name"), max_length=100)
    unit_type = models.CharField(_("type"), max_length=16, choices=UnitType.choices)
    parent = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )
    province = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("province"),
    )
    path = models.CharField(_("path"), max_length=40, unique=True)
    full_name = models.CharField(_("full name"), max_length=300)
    search_name = models.CharField(_("search name"), max_length=300, db_index=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)

    objects = AdminUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")
        ordering = ["era", "path"]
        constraints = [
            models.UniqueConstraint(fields=["era", "code"], name="adminunit_unique_era_code"),
        ]
        indexes = [models.Index(fields=["era", "level", "parent"])]

    def __str__(self) -> str:
        return self.full_name


class Succession(models.Model):
    """An old unit (commune, or island district without communes) and a new commune it went into.

    Most old communes went whole into one new commune; 471 were divided among several,
    of which one is the default (where an address gives nothing more precise).
    """

    old = models.ForeignKey(
        AdminUnit, models.CASCADE, related_name="successions", verbose_name=_("old unit")
    )
    new = models.ForeignKey(
        AdminUnit, models.CASCADE, related_name="predecessions", verbose_name=_("new unit")
    )
    is_default = models.BooleanField(_("default successor"), default=True)
    is_divided = models.BooleanField(_("divided among several"), default=False)

    class Meta:
        verbose_name = _("succession")
        verbose_name_plural = _("successions")
        constraints = [
            models.UniqueConstraint(fields=["old", "new"], name="succession_unique_pair"),
        ]

    def __str__(self) -> str:
        return f"{self.old} → {self.new}"


class Letterhead(models.Model):
    """Who issues and signs an area's documents (Nghị định 30/2020/NĐ-CP, Phụ lục I): the
    issuing body under its parent body, the symbol of its documents, the place name of the date
    line, the signer's authority, title and name, and the recipients. An area without a row
    gets the defaults of `core.officialdoc.frame.default_issuer` (areas/letterheads.py)."""

    area = models.OneToOneField(
        AdminUnit, models.CASCADE, related_name="letterhead", verbose_name=_("area")
    )
    parent_body = models.CharField(
        _("parent body"), max_length=200, blank=True, help_text=_("e.g. UBND TỈNH BẮC KẠN")
    )
    issuing_body = models.CharField(
        _("issuing body"), max_length=200, help_text=_("e.g. SỞ TÀI CHÍNH")
    )
    symbol = models.CharField(
        _("document symbol"),
        max_length=30,
        help_text=_(
            "The issuing body's abbreviation (STC, UBND): a report is numbered Số: …/BC-STC."
        ),
    )
    place = models.CharField(_("place name"), max_length=100, help_text=_("e.g. Bắc Kạn"))
    signer_authority = models.TextField(
        _("signer's authority"),
        blank=True,
        help_text=_("One line each, e.g. TM. ỦY BAN NHÂN DÂN, then KT. CHỦ TỊCH."),
    )
    signer_title = models.CharField(
        _("signer's title"), max_length=100, blank=True, help_text=_("e.g. PHÓ CHỦ TỊCH")
    )
    signer_name = models.CharField(_("signer's name"), max_length=100, blank=True)
    recipients = models.TextField(
        _("recipients"),
        blank=True,
        help_text=_("One line each, e.g. Như trên; the last is the archive: Lưu: VT."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("letterhead")
        verbose_name_plural = _("letterheads")

    def __str__(self) -> str:
        return f"{self.issuing_body} ({self.area})"
