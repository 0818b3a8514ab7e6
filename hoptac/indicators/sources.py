"""The data sources of the indicators: one function each, returning aggregated rows.

Every function takes a `Frame` (an area of either tree at any level, or the whole country; a
date; optionally a data year and a breakdown field) and answers with a few aggregated rows
(`values().annotate()`: one query, a handful of rows whatever the number of HTX), which the
pure functions of `formulas/` turn into numbers. Each source also builds the queryset of HTX
behind a number (`drill_*`), from the same filters, so the list and the count agree.

Sources whose app may not have its models yet (reports, ratings, support) find their model
through `django.apps.apps.get_model`; without it they answer `available=False` and no rows,
and the indicators built on them read 0 with "no data". The fields they rely on are listed
in `CONTRACTS` below (docs: README of the indicators app in the lead's report).

Access is checked before a frame is built (selectors.frame_for): an area inside the user's
scope only holds organisations inside it, so the sources filter by the area alone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Count, Exists, ExpressionWrapper, F, Max, OuterRef, Q, Subquery, Sum
from django.utils import timezone

from hoptac.areas.choices import ERA_CHANGE_DATE, Era, Level
from hoptac.areas.models import AdminUnit
from hoptac.registry.choices import ENDED_STATUSES, EXISTING_STATUSES
from hoptac.registry.models import Cooperative, StatusChange
from hoptac.registry.selectors import AREA_FIELDS

from .formulas.definitions import Part

# What each later app's model must offer (field names assumed by the functions below).
CONTRACTS: dict[str, dict[str, Any]] = {
    "reports": {
        "model": ("reports", "AnnualReport"),
        "fields": {
            "cooperative": "FK to registry.Cooperative",
            "year": "int, the reported year",
            "is_current": "bool, the current version of (cooperative, year)",
            "status": "'submitted' or 'approved' count as filed",
            "revenue": "Decimal VND",
            "profit_before_tax": "Decimal VND",
            "workers_count": "int, regular workers at year end",
            "average_worker_income": "Decimal VND per worker per year",
        },
    },
    "ratings": {
        "model": ("ratings", "RatingResult"),
        "fields": {
            "cooperative": "FK to registry.Cooperative",
            "year": "int, the evaluated year",
            "rank": "tot / kha / trung_binh / yeu / chua_danh_gia",
        },
        "optional": {"is_current": "bool; when present only True rows count"},
    },
    "support": {
        "model": ("support", "SupportGrant"),
        "fields": {
            "cooperative": "FK to registry.Cooperative",
            "granted_on": "date the support was given (or `year`: int, when no date)",
        },
        "note": "hoptac.support.models.SupportGrant: one row per support given",
    },
}
REPORTED_STATUSES = ("submitted", "approved")  # hoptac.reports.choices.REPORTED_STATUSES
SUPPORT_DATE_FIELDS = ("granted_on", "decided_on", "given_on", "date")
RANKS = ("tot", "kha", "trung_binh", "yeu", "chua_danh_gia")
ERA_CHANGE = date.fromisoformat(ERA_CHANGE_DATE)


@dataclass(frozen=True, slots=True)
class Frame:
    """Where and when an indicator is computed.

    area: an AdminUnit of either tree at any level, or None for the whole country;
    on: the reference date (stocks at that date, flows from 1 January of its year to it);
    year: the data year of yearly sources (reports, ratings); None: the latest year with data
      up to the last complete year (`complete_year`);
    group_by: a Cooperative field to break the rows down by (a sub-area's FK, "sub_sector").
    """

    area: AdminUnit | None
    on: date
    year: int | None = None
    group_by: str | None = None

    @property
    def era(self) -> str:
        """The tree the frame counts in: the area's, or for the country the one in force."""
        if self.area is not None:
            return self.area.era
        return Era.LEGACY if self.on < ERA_CHANGE else Era.CURRENT

    @property
    def area_field(self) -> str | None:
        if self.area is None:
            return None
        return AREA_FIELDS[(self.area.era, self.area.level)]

    def lookup(self, prefix: str = "") -> dict[str, int]:
        """The filter placing an organisation in the area (on the denormalised columns)."""
        if self.area is None:
            return {}
        return {f"{prefix}{self.area_field}": self.area.pk}

    @property
    def start(self) -> date:
        return date(self.on.year, 1, 1)

    @property
    def complete_year(self) -> int:
        """The last year whose data can be complete on `on`: its own if 31 December."""
        return self.on.year if (self.on.month, self.on.day) == (12, 31) else self.on.year - 1

    def grouped(self, field_name: str | None) -> Frame:
        return replace(self, group_by=field_name)


@dataclass(slots=True)
class SourceData:
    """The rows of one source for one frame, and what they stand for."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    available: bool = True  # the source's app has its model
    has_data: bool = True  # False: a yearly source without any year of data
    year: int | None = None  # the data year used (yearly sources)
    start: date | None = None  # the period (flows)
    end: date | None = None


def optional_model(app_label: str, model_name: str) -> type[models.Model] | None:
    """A later app's model, or None while that app has none."""
    try:
        return apps.get_model(app_label, model_name)
    except LookupError:
        return None


def _has_field(model: type[models.Model], name: str) -> bool:
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


def cooperatives(frame: Frame) -> models.QuerySet[Cooperative]:
    """The organisations placed in the frame's area (any status, any date)."""
    return Cooperative.objects.filter(**frame.lookup()).order_by()


def existing_at(qs: models.QuerySet[Cooperative], on: date) -> models.QuerySet[Cooperative]:
    """`qs` cut to those existing on `on`, annotated with `status_then`, their status that day.

    The status of a past day comes from the dated history (the last StatusChange effective on
    or before it, as registry.selectors.count_at_date counts); on today or later the stored
    status is the one in force (services keep it equal to the last change), which spares the
    history subquery on the default dashboard.
    """
    if on >= timezone.localdate():
        return qs.annotate(status_then=F("status")).filter(status__in=EXISTING_STATUSES)
    then = (
        StatusChange.objects.filter(cooperative=OuterRef("pk"), effective_on__lte=on)
        .order_by("-effective_on", "-pk")
        .values("status")[:1]
    )
    return qs.annotate(status_then=Subquery(then)).filter(status_then__in=EXISTING_STATUSES)


def _grouped_values(
    qs: models.QuerySet[Any], frame: Frame, keys: tuple[str, ...], prefix: str = ""
) -> models.QuerySet[Any]:
    """qs.values(keys…, group=<frame.group_by>), ready for .annotate(aggregates)."""
    expressions: dict[str, Any] = {}
    if frame.group_by:
        expressions["group"] = F(f"{prefix}{frame.group_by}")
    return qs.values(*keys, **expressions)


def _rename(rows: list[dict[str, Any]], old: str, new: str) -> list[dict[str, Any]]:
    for row in rows:
        row[new] = row.pop(old)
    return rows


# --- registry ---------------------------------------------------------------------------


def registry(frame: Frame) -> SourceData:
    """Organisations existing on the date, by kind, sector, status and marks, with their
    number and their members and workers as the registry records them."""
    qs = existing_at(cooperatives(frame), frame.on)
    keys = ("kind", "sector", "status_then", "high_tech", "value_chain", "model_cooperative")
    rows = list(
        _grouped_values(qs, frame, keys).annotate(
            n=Count("pk"), members=Sum("members_count"), workers=Sum("workers_count")
        )
    )
    return SourceData(rows=_rename(rows, "status_then", "status"))


def founded(frame: Frame) -> SourceData:
    """Organisations founded from 1 January of the date's year up to the date."""
    qs = cooperatives(frame).filter(founded_on__gte=frame.start, founded_on__lte=frame.on)
    rows = list(_grouped_values(qs, frame, ("kind", "sector")).annotate(n=Count("pk")))
    return SourceData(rows=rows, start=frame.start, end=frame.on)


def _ended_in(frame: Frame) -> Exists:
    return Exists(
        StatusChange.objects.filter(
            cooperative=OuterRef("pk"),
            status__in=ENDED_STATUSES,
            effective_on__gte=frame.start,
            effective_on__lte=frame.on,
        )
    )


def ended(frame: Frame) -> SourceData:
    """Organisations dissolved or bankrupt from 1 January of the date's year up to the date."""
    qs = cooperatives(frame).filter(_ended_in(frame))
    rows = list(_grouped_values(qs, frame, ("kind", "sector")).annotate(n=Count("pk")))
    return SourceData(rows=rows, start=frame.start, end=frame.on)


# --- annual reports (hoptac.reports) ------------------------------------------------------


def _report_model() -> type[models.Model] | None:
    return optional_model(*CONTRACTS["reports"]["model"])


def _filed_reports(model: type[models.Model]) -> models.QuerySet[Any]:
    return model._default_manager.filter(is_current=True, status__in=REPORTED_STATUSES)


def _data_year(qs: models.QuerySet[Any], frame: Frame) -> int | None:
    """The explicit year, else the latest year with data up to the last complete one."""
    if frame.year is not None:
        return frame.year
    found = qs.filter(year__lte=frame.complete_year, **frame.lookup("cooperative__")).aggregate(
        year=Max("year")
    )
    return found["year"]


def reports(frame: Frame) -> SourceData:
    """Sums over the annual reports filed for the data year, by kind and sector."""
    model = _report_model()
    if model is None:
        return SourceData(available=False, has_data=False)
    year = _data_year(_filed_reports(model), frame)
    if year is None:
        return SourceData(has_data=False)
    both = Q(average_worker_income__isnull=False, workers_count__isnull=False)
    mass = ExpressionWrapper(
        F("average_worker_income") * F("workers_count"),
        output_field=models.DecimalField(max_digits=30, decimal_places=0),
    )
    qs = _filed_reports(model).filter(year=year, **frame.lookup("cooperative__")).order_by()
    rows = list(
        _grouped_values(
            qs.annotate(kind=F("cooperative__kind"), sector=F("cooperative__sector")),
            frame,
            ("kind", "sector"),
            prefix="cooperative__",
        ).annotate(
            n=Count("pk"),
            revenue_total=Sum("revenue"),
            n_revenue=Count("revenue"),
            profit_total=Sum("profit_before_tax"),
            n_profit=Count("profit_before_tax"),
            income_mass=Sum(mass, filter=both),
            income_workers=Sum("workers_count", filter=both),
        )
    )
    return SourceData(rows=rows, year=year)


def _filed_for(model: type[models.Model], year: int) -> Exists:
    return Exists(_filed_reports(model).filter(cooperative=OuterRef("pk"), year=year))


def report_filing(frame: Frame) -> SourceData:
    """Organisations existing on 31 December of the data year, by whether they filed their
    annual report for it."""
    model = _report_model()
    if model is None:
        return SourceData(available=False, has_data=False)
    year = _data_year(_filed_reports(model), frame)
    if year is None:
        return SourceData(has_data=False)
    qs = existing_at(cooperatives(frame), date(year, 12, 31)).annotate(
        filed=_filed_for(model, year)
    )
    rows = list(_grouped_values(qs, frame, ("kind", "sector", "filed")).annotate(n=Count("pk")))
    return SourceData(rows=rows, year=year)


# --- ratings (hoptac.ratings) ---------------------------------------------------------------


def _rating_model() -> type[models.Model] | None:
    return optional_model(*CONTRACTS["ratings"]["model"])


def _results(model: type[models.Model]) -> models.QuerySet[Any]:
    qs = model._default_manager.all()
    if _has_field(model, "is_current"):
        qs = qs.filter(is_current=True)
    return qs


def ratings(frame: Frame) -> SourceData:
    """Rating results of the data year, by kind, sector and rank."""
    model = _rating_model()
    if model is None:
        return SourceData(available=False, has_data=False)
    year = _data_year(_results(model), frame)
    if year is None:
        return SourceData(has_data=False)
    qs = _results(model).filter(year=year, **frame.lookup("cooperative__")).order_by()
    rows = list(
        _grouped_values(
            qs.annotate(kind=F("cooperative__kind"), sector=F("cooperative__sector")),
            frame,
            ("kind", "sector", "rank"),
            prefix="cooperative__",
        ).annotate(n=Count("pk"))
    )
    return SourceData(rows=rows, year=year)


def ranks_of(frame: Frame) -> tuple[int | None, dict[int, str]]:
    """The data year and each organisation's rank that year (for colouring the map)."""
    model = _rating_model()
    if model is None:
        return None, {}
    year = _data_year(_results(model), frame)
    if year is None:
        return None, {}
    qs = _results(model).filter(year=year, **frame.lookup("cooperative__")).order_by()
    return year, dict(qs.values_list("cooperative_id", "rank"))


# --- support (hoptac.support) ---------------------------------------------------------------


def _support_model() -> type[models.Model] | None:
    return optional_model(*CONTRACTS["support"]["model"])


def _supported_in(model: type[models.Model], frame: Frame) -> Exists:
    """Received at least one support dated from 1 January of the date's year to the date
    (the period of hoptac.support.selectors.reached_by_policies)."""
    qs = model._default_manager.filter(cooperative=OuterRef("pk"))
    for name in SUPPORT_DATE_FIELDS:
        if _has_field(model, name):
            return Exists(qs.filter(**{f"{name}__gte": frame.start, f"{name}__lte": frame.on}))
    return Exists(qs.filter(year=frame.on.year))


def support(frame: Frame) -> SourceData:
    """Organisations existing on the date, by whether they received support in the year up
    to it."""
    model = _support_model()
    if model is None:
        return SourceData(available=False, has_data=False)
    qs = existing_at(cooperatives(frame), frame.on).annotate(supported=_supported_in(model, frame))
    rows = list(_grouped_values(qs, frame, ("kind", "sector", "supported")).annotate(n=Count("pk")))
    return SourceData(rows=rows, start=frame.start, end=frame.on)


SOURCES: dict[str, Callable[[Frame], SourceData]] = {
    "registry": registry,
    "founded": founded,
    "ended": ended,
    "reports": reports,
    "report_filing": report_filing,
    "ratings": ratings,
    "support": support,
}


# --- the HTX behind a number ------------------------------------------------------------


def _where(qs: models.QuerySet[Any], part: Part, names: dict[str, str]) -> models.QuerySet[Any]:
    """Apply a part's `where` to a Cooperative queryset (`names`: row key → lookup)."""
    for key, values in part.where.items():
        qs = qs.filter(**{f"{names.get(key, key)}__in": list(values)})
    return qs


REPORT_MEASURE_FILTERS = {
    "revenue_total": Q(revenue__isnull=False),
    "n_revenue": Q(revenue__isnull=False),
    "profit_total": Q(profit_before_tax__isnull=False),
    "n_profit": Q(profit_before_tax__isnull=False),
    "income_mass": Q(average_worker_income__isnull=False, workers_count__isnull=False),
    "income_workers": Q(average_worker_income__isnull=False, workers_count__isnull=False),
}


def drill(source: str, part: Part, frame: Frame, year: int | None) -> models.QuerySet[Any]:
    """The organisations counted by `part` of an indicator of `source` (year: the data year
    the figure used, for yearly sources)."""
    qs = cooperatives(frame)
    if source in ("registry", "support"):
        qs = existing_at(qs, frame.on)
        if source == "support":
            model = _support_model()
            if model is None:
                return qs.none()
            qs = qs.annotate(supported=_supported_in(model, frame))
        return _where(qs, part, {"status": "status_then"})
    if source == "founded":
        qs = qs.filter(founded_on__gte=frame.start, founded_on__lte=frame.on)
        return _where(qs, part, {})
    if source == "ended":
        return _where(qs.filter(_ended_in(frame)), part, {})
    if year is None:
        return qs.none()
    if source == "report_filing":
        model = _report_model()
        if model is None:
            return qs.none()
        qs = existing_at(qs, date(year, 12, 31)).annotate(filed=_filed_for(model, year))
        return _where(qs, part, {})
    if source == "reports":
        model = _report_model()
        if model is None:
            return qs.none()
        extra = REPORT_MEASURE_FILTERS.get(part.measure, Q())
        reports_qs = _filed_reports(model).filter(extra, cooperative=OuterRef("pk"), year=year)
        return _where(qs.filter(Exists(reports_qs)), part, {})
    model = _rating_model()  # ratings
    if model is None:
        return qs.none()
    ranks = part.where.get("rank", RANKS)
    results = _results(model).filter(cooperative=OuterRef("pk"), year=year, rank__in=ranks)
    other = Part(where={k: v for k, v in part.where.items() if k != "rank"}, measure=part.measure)
    return _where(qs.filter(Exists(results)), other, {})


# --- sub-areas ------------------------------------------------------------------------------


def sub_area_field(frame: Frame) -> tuple[str | None, int | None]:
    """The Cooperative field that places an organisation in the sub-areas of the frame's area,
    and the level of those sub-areas: districts of an old province, communes of a district or
    of a 2025 province, provinces of the country; (None, None) under a commune."""
    if frame.area is None:
        return ("province_legacy" if frame.era == Era.LEGACY else "province"), Level.PROVINCE
    level, era = frame.area.level, frame.area.era
    if level == Level.PROVINCE and era == Era.LEGACY:
        return "district_legacy", Level.DISTRICT
    if level == Level.PROVINCE:
        return "commune", Level.COMMUNE
    if level == Level.DISTRICT:
        return "commune_legacy", Level.COMMUNE
    return None, None


def commune_field(frame: Frame) -> str:
    """The Cooperative field of the commune in the frame's tree."""
    return "commune_legacy" if frame.era == Era.LEGACY else "commune"
