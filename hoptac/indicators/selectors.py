"""Reads of the indicators, for the dashboard, the written report, the commands and the API.

A selector builds a `Frame` (area and date) after checking access (`frame_for`), asks each
needed source once (sources.py: one aggregated query each), and turns the rows into figures
with the pure functions of formulas/. Query counts do not grow with the number of HTX.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language

from hoptac.accounts import access
from hoptac.areas.choices import Era, Level
from hoptac.areas.models import AdminUnit
from hoptac.registry.choices import AGRICULTURAL_SUB_SECTORS, Sector, SubSector
from hoptac.registry.models import Cooperative

from . import sources
from .formulas import aggregate
from .formulas.definitions import Indicator, Part, load_definitions
from .sources import Frame, SourceData

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from hoptac.accounts.models import User

HEADLINE = (
    "so_htx",
    "so_htx_nong_nghiep",
    "so_htx_phi_nong_nghiep",
    "so_tht",
    "so_lhhtx",
    "so_thanh_vien",
    "so_lao_dong_thuong_xuyen",
    "so_htx_thanh_lap_moi",
    "ty_le_htx_hieu_qua_kha_tot",
    "ty_le_htx_hieu_qua_tot",
    "ty_le_htx_chuoi_gia_tri",
    "ty_le_htx_ung_dung_cnc",
    "ty_le_htx_tiep_can_ho_tro",
)
BREAKDOWN = (
    "so_htx",
    "so_htx_nong_nghiep",
    "so_htx_phi_nong_nghiep",
    "so_thanh_vien",
    "so_lao_dong_thuong_xuyen",
    "ty_le_htx_hieu_qua_kha_tot",
)
MAP_POINT_LIMIT = 5000  # beyond this the map shows counts per commune only


@cache
def definitions() -> dict[str, Indicator]:
    """Every indicator, by code, in the order of data/indicators.yaml."""
    return load_definitions()


def definition(code: str) -> Indicator:
    try:
        return definitions()[code]
    except KeyError:
        raise Http404(code) from None


# --- access and frames ----------------------------------------------------------------------


def area_for_user(user: User | AnonymousUser, area: AdminUnit | None) -> AdminUnit | None:
    """The area `user` asks for, or his own when none is asked; 404 outside his scope.

    None stands for the whole country and only the administrator may ask for it.
    """
    scope = access.scope_of(user)
    if area is None:
        if scope.everything:
            return None
        if scope.area is None:
            raise Http404
        return scope.area
    if not scope.covers_unit(area):
        raise Http404
    return area


def frame_for(
    *,
    user: User | AnonymousUser | None,
    area: AdminUnit | None,
    on: date | None = None,
    year: int | None = None,
) -> Frame:
    """The frame of an area and date after the access check (user None: a command, which
    runs with the operator's full rights)."""
    if user is not None:
        area = area_for_user(user, area)
    return Frame(area=area, on=on or timezone.localdate(), year=year)


def resolve_area_code(code: str, on: date) -> AdminUnit:
    """An AdminUnit from a command's --area: "06", "legacy:06" or "2025:19".

    A bare code that exists in both trees means the tree in force on `on` (the old one before
    1 July 2025, the 2025 one from then). Raises AdminUnit.DoesNotExist.
    """
    era, _, bare = code.rpartition(":")
    units = AdminUnit.objects.filter(code=bare)
    if era:
        return units.get(era=era)
    found = list(units)
    if len(found) == 1:
        return found[0]
    preferred = Era.LEGACY if on < sources.ERA_CHANGE else Era.CURRENT
    for unit in found:
        if unit.era == preferred:
            return unit
    raise AdminUnit.DoesNotExist(code)


# --- figures --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Result:
    """One indicator computed for one frame: its numbers and where they come from."""

    indicator: Indicator
    numerator: Decimal
    denominator: Decimal | None
    value: Decimal | None
    available: bool  # the source's app has its model
    has_data: bool  # the source answered with rows
    year: int | None  # the data year (reports, ratings)
    start: date | None  # the period (flows)
    end: date | None
    drill_url: str

    @property
    def code(self) -> str:
        return self.indicator.code

    @property
    def name(self) -> str:
        return self.indicator.name(get_language() or "vi")

    @property
    def no_data(self) -> bool:
        return not (self.available and self.has_data)

    def as_json(self) -> dict[str, Any]:
        def num(x: Decimal | None) -> int | float | None:
            if x is None:
                return None
            return int(x) if x == x.to_integral_value() else float(x)

        return {
            "code": self.code,
            "name_vi": self.indicator.name_vi,
            "name_en": self.indicator.name_en,
            "unit": self.indicator.unit,
            "source": self.indicator.source,
            "numerator": num(self.numerator),
            "denominator": num(self.denominator),
            "value": num(self.value),
            "data_year": self.year,
            "period": [self.start.isoformat(), self.end.isoformat()] if self.start else None,
            "no_data": self.no_data,
            "official_definition": self.indicator.official,
            "reference": self.indicator.reference,
            "drill_down": self.drill_url,
        }


def drill_url(code: str, frame: Frame, part: str = "numerator") -> str:
    query = {"date": frame.on.isoformat()}
    if frame.area is not None:
        query["area"] = str(frame.area.pk)
    if frame.year is not None:
        query["year"] = str(frame.year)
    if part != "numerator":
        query["part"] = part
    return f"{reverse('indicators:drilldown', args=[code])}?{urlencode(query)}"


def _result(indicator: Indicator, data: SourceData, frame: Frame) -> Result:
    figures = aggregate.evaluate(indicator, data.rows)
    no_data = not (data.available and data.has_data)
    value = Decimal(0) if no_data else figures.value
    return Result(
        indicator=indicator,
        numerator=figures.numerator,
        denominator=figures.denominator,
        value=value,
        available=data.available,
        has_data=data.has_data,
        year=data.year,
        start=data.start,
        end=data.end,
        drill_url=drill_url(indicator.code, frame),
    )


def _fetch(frame: Frame, needed: Iterable[str]) -> dict[str, SourceData]:
    return {name: sources.SOURCES[name](frame) for name in dict.fromkeys(needed)}


def indicator_values(*, frame: Frame, codes: Sequence[str] | None = None) -> dict[str, Result]:
    """The indicators `codes` (default: all) for the frame, one query (or two) per source."""
    chosen = [definition(c) for c in codes] if codes else list(definitions().values())
    data = _fetch(frame, (d.source for d in chosen))
    return {d.code: _result(d, data[d.source], frame) for d in chosen}


# --- breakdowns -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BreakdownRow:
    key: Any
    label: str
    unit: AdminUnit | None
    results: dict[str, Result]


def _breakdown(
    frame: Frame, field: str, codes: Sequence[str], labels: list[tuple[Any, str, Any]]
) -> list[BreakdownRow]:
    grouped = frame.grouped(field)
    chosen = [definition(c) for c in codes]
    data = _fetch(grouped, (d.source for d in chosen))
    by_group = {name: aggregate.group_rows(d.rows) for name, d in data.items()}
    rows = []
    for key, label, unit in labels:
        results = {}
        for d in chosen:
            source = data[d.source]
            part = SourceData(
                rows=by_group[d.source].get(key, []),
                available=source.available,
                has_data=source.has_data,
                year=source.year,
                start=source.start,
                end=source.end,
            )
            results[d.code] = _result(d, part, frame)
        rows.append(BreakdownRow(key=key, label=label, unit=unit, results=results))
    return rows


def sub_areas(frame: Frame) -> QuerySet[AdminUnit]:
    """The units one level below the frame's area (provinces for the country)."""
    _field, level = sources.sub_area_field(frame)
    if level is None:
        return AdminUnit.objects.none()
    units = AdminUnit.objects.filter(era=frame.era, level=level)
    if frame.area is not None:
        units = units.filter(path__startswith=frame.area.path + "/")
    return units.order_by("code")


def breakdown_by_area(*, frame: Frame, codes: Sequence[str] = BREAKDOWN) -> list[BreakdownRow]:
    """The indicators for each sub-area of the frame's area (empty under a commune)."""
    field, _level = sources.sub_area_field(frame)
    if field is None:
        return []
    labels = [(unit.pk, unit.name, unit) for unit in sub_areas(frame)]
    return _breakdown(frame, field, codes, labels)


def breakdown_by_sector(
    *, frame: Frame, codes: Sequence[str] = BREAKDOWN[:1] + BREAKDOWN[3:]
) -> list[BreakdownRow]:
    """The indicators for each sub-sector that has cooperatives (agricultural ones first),
    then "none given"."""
    agricultural = [s for s in SubSector if s in AGRICULTURAL_SUB_SECTORS]
    other = [s for s in SubSector if s not in AGRICULTURAL_SUB_SECTORS]
    labels = [(s.value, str(s.label), None) for s in (*agricultural, *other)]
    labels.append(("", "—", None))
    rows = _breakdown(frame, "sub_sector", codes, labels)
    return [row for row in rows if row.results[codes[0]].numerator]


def sector_shares(*, frame: Frame) -> list[tuple[str, str, Result]]:
    """HTX by sector (agricultural / non-agricultural), for the sector chart."""
    values = indicator_values(frame=frame, codes=["so_htx_nong_nghiep", "so_htx_phi_nong_nghiep"])
    return [
        (Sector.AGRICULTURAL.value, str(Sector.AGRICULTURAL.label), values["so_htx_nong_nghiep"]),
        (
            Sector.NON_AGRICULTURAL.value,
            str(Sector.NON_AGRICULTURAL.label),
            values["so_htx_phi_nong_nghiep"],
        ),
    ]


# --- trend by year --------------------------------------------------------------------------


def year_end(year: int, on: date) -> date:
    """31 December of `year`, or `on` for the year of `on`."""
    return on if year == on.year else date(year, 12, 31)


def series(
    *, frame: Frame, codes: Sequence[str], years: Sequence[int]
) -> dict[str, list[tuple[int, Result]]]:
    """Each indicator at the end of each year (the frame's date for its own year); yearly
    sources use that year's data. One query per source and year."""
    result: dict[str, list[tuple[int, Result]]] = {c: [] for c in codes}
    for year in years:
        on = year_end(year, frame.on)
        at = Frame(area=frame.area, on=on, year=year if on.month == 12 and on.day == 31 else None)
        for code, value in indicator_values(frame=at, codes=codes).items():
            result[code].append((year, value))
    return result


def trend_years(on: date, count: int = 10) -> list[int]:
    return list(range(on.year - count + 1, on.year + 1))


# --- the HTX behind a number -----------------------------------------------------------------


def drilldown(*, frame: Frame, code: str, part: str = "numerator") -> tuple[Result, QuerySet[Any]]:
    """An indicator's figure and the organisations behind its numerator (or denominator)."""
    indicator = definition(code)
    result = indicator_values(frame=frame, codes=[code])[code]
    chosen: Part | None = indicator.numerator
    if part == "denominator" and indicator.denominator is not None:
        chosen = indicator.denominator
    qs = sources.drill(indicator.source, chosen, frame, result.year)
    qs = qs.select_related("commune_legacy", "district_legacy", "commune", "province")
    return result, qs.order_by("name", "pk")


# --- map ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CommuneCount:
    unit: AdminUnit
    total: int
    agricultural: int


def map_data(*, frame: Frame) -> dict[str, Any]:
    """What the map shows: HTX points (at most MAP_POINT_LIMIT), each commune's counts at
    its centroid, and the gaps (communes with no HTX, or no agricultural HTX)."""
    existing = sources.existing_at(sources.cooperatives(frame), frame.on).filter(kind="hop_tac_xa")
    field = sources.commune_field(frame)
    counts = {
        row[field]: row
        for row in existing.values(field).annotate(
            total=Count("pk"), agricultural=Count("pk", filter=Q(sector=Sector.AGRICULTURAL))
        )
    }
    communes: list[CommuneCount] = []
    if frame.area is not None:
        units = AdminUnit.objects.filter(
            era=frame.era, level=Level.COMMUNE, path__startswith=frame.area.path
        ).order_by("path")
        for unit in units:
            row = counts.get(unit.pk, {})
            communes.append(CommuneCount(unit, row.get("total", 0), row.get("agricultural", 0)))
    year, ranks = sources.ranks_of(frame)
    points = []
    total = sum(row["total"] for row in counts.values())
    if total <= MAP_POINT_LIMIT:
        rows = existing.filter(latitude__isnull=False, longitude__isnull=False).values_list(
            "pk", "name", "latitude", "longitude", "sector", "sub_sector"
        )
        for pk, name, lat, lng, sector, sub_sector in rows.order_by("name", "pk"):
            points.append(
                {
                    "id": pk,
                    "name": name,
                    "lat": lat,
                    "lng": lng,
                    "sector": sector,
                    "sub_sector": sub_sector,
                    "rank": ranks.get(pk, ""),
                    "url": reverse("registry:cooperative_detail", args=[pk]),
                }
            )
    return {
        "points": points,
        "points_shown": len(points) == total,
        "total": total,
        "communes": communes,
        "no_htx": [c for c in communes if c.total == 0],
        "no_agricultural": [c for c in communes if c.total and c.agricultural == 0],
        "rank_year": year if ranks else None,
    }


def cooperative_names(*, frame: Frame, model_only: bool = True) -> list[Cooperative]:
    """The model (điển hình tiên tiến) HTX existing at the date, for the written report."""
    qs = sources.existing_at(sources.cooperatives(frame), frame.on).filter(kind="hop_tac_xa")
    if model_only:
        qs = qs.filter(model_cooperative=True)
    return list(
        qs.select_related("district_legacy", "commune_legacy", "commune", "province").order_by(
            "name", "pk"
        )
    )
