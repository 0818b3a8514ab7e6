"""The indicators' own tables: figures added up in advance (the tally), so that the dashboard
of a province or of the whole country reads a few hundred rows instead of every HTX.

The tally is a cache of what the `sources` package computes: every row is one source's
aggregated row for a year and a group of organisations (a commune of both trees, a province
pair, the country; see tally/grains.py), written by tally/building.py from the same queries the live
path runs, and read by tally/reading.py when it can answer exactly. Nothing else writes it.
"""

from django.db import models
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _

KEY_COLUMNS = (
    "kind",
    "sector",
    "sub_sector",
    "status",
    "high_tech",
    "value_chain",
    "model_cooperative",
    "rank",
    "filed",
    "supported",
)
MEASURE_COLUMNS = (
    "n",
    "members",
    "workers",
    "revenue_total",
    "n_revenue",
    "profit_total",
    "n_profit",
    "income_mass",
    "income_workers",
    "n_members",
    "n_workers",
    "n_income",
)
# A sum and the count of the values it adds: the sum is None when the count is 0.
SUM_COUNTS = {
    "members": "n_members",
    "workers": "n_workers",
    "revenue_total": "n_revenue",
    "profit_total": "n_profit",
    "income_mass": "n_income",
    "income_workers": "n_income",
}


def _amount(label: str) -> models.DecimalField:
    return models.DecimalField(label, max_digits=30, decimal_places=0, null=True)


class Tally(models.Model):
    """One aggregated row of a source (registry, ratings…) for a year and a group.

    `grain` names the group's columns (tally/grains.py); the area columns hold AdminUnit ids
    (plain integers: the rows are rebuilt, never edited, and a unit is never deleted); the key
    columns hold what the source groups by ("" or None where the grain or the source has no
    such key); the measures are the source's sums.
    """

    grain = models.CharField(_("grain"), max_length=24)
    source = models.CharField(_("source"), max_length=16)
    year = models.SmallIntegerField(_("year"))

    province = models.IntegerField(null=True)
    province_legacy = models.IntegerField(null=True)
    district_legacy = models.IntegerField(null=True)
    commune = models.IntegerField(null=True)
    commune_legacy = models.IntegerField(null=True)

    kind = models.CharField(max_length=32, blank=True, default="", db_default="")
    sector = models.CharField(max_length=32, blank=True, default="", db_default="")
    sub_sector = models.CharField(max_length=32, blank=True, default="", db_default="")
    status = models.CharField(max_length=32, blank=True, default="", db_default="")
    high_tech = models.BooleanField(null=True)
    value_chain = models.BooleanField(null=True)
    model_cooperative = models.BooleanField(null=True)
    rank = models.CharField(max_length=16, blank=True, default="", db_default="")
    filed = models.BooleanField(null=True)
    supported = models.BooleanField(null=True)

    n = models.BigIntegerField(default=0, db_default=0)
    members = models.BigIntegerField(null=True)
    workers = models.BigIntegerField(null=True)
    revenue_total = _amount(_("revenue"))
    n_revenue = models.BigIntegerField(null=True)
    profit_total = _amount(_("profit before tax"))
    n_profit = models.BigIntegerField(null=True)
    income_mass = _amount(_("income of workers"))
    income_workers = models.BigIntegerField(null=True)
    n_members = models.BigIntegerField(null=True)
    n_workers = models.BigIntegerField(null=True)
    n_income = models.BigIntegerField(null=True)

    class Meta:
        verbose_name = _("tally row")
        verbose_name_plural = _("tally rows")
        indexes = [
            # Reads: one grain, source and year of an area of either tree.
            models.Index(fields=["grain", "source", "year", "province"], name="tally_province"),
            models.Index(
                fields=["grain", "source", "year", "province_legacy"], name="tally_province_legacy"
            ),
            models.Index(
                fields=["grain", "source", "year", "district_legacy"], name="tally_district_legacy"
            ),
            models.Index(fields=["grain", "source", "year", "commune"], name="tally_commune"),
            models.Index(
                fields=["grain", "source", "year", "commune_legacy"], name="tally_commune_legacy"
            ),
            # Refresh: the rows of a few communes, every source and year.
            models.Index(fields=["commune", "grain"], name="tally_refresh"),
        ]

    def __str__(self) -> str:
        return f"{self.grain} {self.source} {self.year}: {self.n}"


class TallyMark(models.Model):
    """A 2025 commune whose organisations changed since its tally rows were written (None: the
    organisations without a 2025 commune). Written in the changing transaction; removed by
    the refresh that rewrites the commune's rows. While any mark is left, the indicators
    read the live data."""

    commune = models.IntegerField(null=True)
    since = models.SmallIntegerField(default=0)  # the first year whose figures changed
    sources = models.CharField(max_length=200, blank=True)  # comma-separated; "": all
    # When the mark was written: how long the tally has been behind the data (/readyz).
    marked_at = models.DateTimeField(_("marked at"), db_default=Now())

    class Meta:
        verbose_name = _("tally mark")
        verbose_name_plural = _("tally marks")

    def __str__(self) -> str:
        return f"commune {self.commune}"


class TallyState(models.Model):
    """The one row saying which years the tally holds (none: the tally was never built)."""

    first_year = models.SmallIntegerField()
    last_year = models.SmallIntegerField()
    built_at = models.DateTimeField()
    build_seconds = models.FloatField(default=0)
    # The last build or refresh that rewrote rows (/readyz reports it).
    refreshed_at = models.DateTimeField(_("refreshed at"), null=True)

    class Meta:
        verbose_name = _("tally state")
        verbose_name_plural = _("tally state")

    def __str__(self) -> str:
        return f"{self.first_year}–{self.last_year}"
