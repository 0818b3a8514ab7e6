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
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.http import Http404
from django.urls import get_urlconf, reverse
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
MAP_POINT_LIMIT = 2000  # beyond this the page embeds counts per commune only
MAP_KEYS = ("kind", "sector")


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
    has_data: bool  # the source answered with rows
    year: int | None  # the data year (reports, ratings)
    start: date | None  # the period (flows)
    end: date | None
    frame: Frame  # where the organisations behind the number are listed

    @property
    def drill_url(self) -> str:
        """The list of the HTX behind the number (built when shown: a page computes far more
        figures than it links)."""
        return drill_url(self.indicator.code, self.frame)

    @property
    def code(self) -> str:
        return self.indicator.code

    @property
    def name(self) -> str:
        return self.indicator.name(get_language() or "vi")

    @property
    def no_data(self) -> bool:
        return not self.has_data

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
    return f"{_drill_path(code, get_language(), get_urlconf())}?{urlencode(query)}"


@lru_cache(maxsize=256)
def _drill_path(code: str, language: str | None, urlconf: str | None) -> str:
    """The drill-down's path (a page links hundreds: reversed once per language)."""
    return reverse("indicators:drilldown", args=[code])


def _result(indicator: Indicator, data: SourceData, frame: Frame) -> Result:
    figures = aggregate.evaluate(indicator, data.rows)
    no_data = not data.has_data
    value = Decimal(0) if no_data else figures.value
    return Result(
        indicator=indicator,
        numerator=figures.numerator,
        denominator=figures.denominator,
        value=value,
        has_data=data.has_data,
        year=data.year,
        start=data.start,
        end=data.end,
        frame=frame,
    )


def keys_read(chosen: Iterable[Indicator]) -> dict[str, set[str]]:
    """For each source the indicators read, the row keys their parts select on."""
    keys: dict[str, set[str]] = {}
    for indicator in chosen:
        found = keys.setdefault(indicator.source, set())
        for part in (indicator.numerator, indicator.denominator):
            if part is not None:
                found.update(part.where)
    return keys


def _fetch(frame: Frame, chosen: Iterable[Indicator]) -> dict[str, SourceData]:
    return {name: sources.fetch(name, frame, keys) for name, keys in keys_read(chosen).items()}


shared_reads = sources.shared_reads


def indicator_values(*, frame: Frame, codes: Sequence[str] | None = None) -> dict[str, Result]:
    """The indicators `codes` (default: all) for the frame, one query (or two) per source."""
    chosen = [definition(c) for c in codes] if codes else list(definitions().values())
    with shared_reads():
        data = _fetch(frame, chosen)
    return {d.code: _result(d, data[d.source], frame) for d in chosen}


def indicator_payload(*, frame: Frame, codes: Sequence[str] | None = None) -> dict[str, Any]:
    """The indicators of the frame as JSON data: the area, the date and each indicator's
    numerator, denominator, value and data year (`manage.py indicators --format json`, and
    the API's /indicators)."""
    results = indicator_values(frame=frame, codes=codes)
    area = frame.area
    return {
        "area": ({"code": area.code, "era": area.era, "name": area.full_name} if area else None),
        "date": frame.on.isoformat(),
        "indicators": {code: r.as_json() for code, r in results.items()},
    }


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
    data = _fetch(grouped, chosen)
    by_group = {name: aggregate.group_rows(d.rows) for name, d in data.items()}
    rows = []
    for key, label, unit in labels:
        results = {}
        # A sub-area's figures list the sub-area's HTX; a sub-sector's, the frame's.
        at = frame if unit is None else Frame(area=unit, on=frame.on, year=frame.year)
        for d in chosen:
            source = data[d.source]
            part = SourceData(
                rows=by_group[d.source].get(key, []),
                has_data=source.has_data,
                year=source.year,
                start=source.start,
                end=source.end,
            )
            results[d.code] = _result(d, part, at)
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


# --- trend by year --------------------------------------------------------------------------


def year_end(year: int, on: date) -> date:
    """31 December of `year`, or `on` for the year of `on`."""
    return on if year == on.year else date(year, 12, 31)


def series(
    *, frame: Frame, codes: Sequence[str], years: Sequence[int]
) -> dict[str, list[tuple[int, Result]]]:
    """Each indicator at the end of each year (the frame's date for its own year); yearly
    sources use that year's data. The whole past years are read together, one query per
    source (sources.fetch_years); the frame's own year is the frame's date."""
    chosen = [definition(c) for c in codes]
    today = timezone.localdate()
    frames = {}
    for year in years:
        on = year_end(year, frame.on)
        whole = (on.month, on.day) == (12, 31)
        frames[year] = Frame(area=frame.area, on=on, year=year if whole else None)
    closed = [y for y, at in frames.items() if at.year is not None and at.on < today]
    data: dict[int, dict[str, SourceData]] = {year: {} for year in years}
    for name, keys in keys_read(chosen).items():
        for year, found in sources.fetch_years(name, frame, closed, keys).items():
            data[year][name] = found
        for year, at in frames.items():
            if name not in data[year]:
                data[year][name] = sources.fetch(name, at, keys)
    result: dict[str, list[tuple[int, Result]]] = {c: [] for c in codes}
    for year in years:
        for d in chosen:
            result[d.code].append((year, _result(d, data[year][d.source], frames[year])))
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


def _htx_counts(rows: Iterable[dict[str, Any]]) -> tuple[int, int]:
    """(HTX, agricultural HTX) in registry rows."""
    total = agricultural = 0
    for row in rows:
        if row["kind"] == "hop_tac_xa":
            total += row["n"]
            if row["sector"] == Sector.AGRICULTURAL:
                agricultural += row["n"]
    return total, agricultural


def map_points(
    *, frame: Frame, bbox: tuple[float, float, float, float] | None = None, limit: int
) -> list[dict[str, Any]]:
    """The HTX existing at the frame's date that have coordinates (inside `bbox`, given as
    south, west, north, east), at most `limit`, by name, with their rank of the map's
    rating year."""
    qs = sources.cooperatives(frame).existing_on(frame.on)
    qs = qs.filter(kind="hop_tac_xa", latitude__isnull=False, longitude__isnull=False)
    if bbox is not None:
        south, west, north, east = bbox
        qs = qs.filter(
            latitude__gte=south, latitude__lte=north, longitude__gte=west, longitude__lte=east
        )
    fields = ["pk", "name", "latitude", "longitude", "sector", "sub_sector"]
    rank = sources.rank_then(sources.rank_year(frame))
    if rank is not None:
        qs = qs.annotate(rank=rank)
        fields.append("rank")
    points = []
    for row in qs.order_by("name", "pk").values(*fields)[:limit]:
        points.append(
            {
                "id": row["pk"],
                "name": row["name"],
                "lat": row["latitude"],
                "lng": row["longitude"],
                "sector": row["sector"],
                "sub_sector": row["sub_sector"],
                "rank": row.get("rank") or "",
                "url": reverse("registry:cooperative_detail", args=[row["pk"]]),
            }
        )
    return points


def map_data(*, frame: Frame) -> dict[str, Any]:
    """What the map shows: HTX points (when at most MAP_POINT_LIMIT), each commune's counts
    at its centroid, and the gaps (communes with no HTX, or no agricultural HTX).

    The counts come from the registry's rows by commune (the same read as the breakdown by
    sub-area when the sub-areas are communes); above the limit the points are not embedded
    (the page loads those of the visible part of the map, views.map_points)."""
    communes: list[CommuneCount] = []
    if frame.area is not None:
        field = sources.commune_field(frame)
        by_commune = aggregate.group_rows(
            sources.fetch("registry", frame.grouped(field), MAP_KEYS).rows
        )
        units = (
            AdminUnit.objects.filter(
                era=frame.era, level=Level.COMMUNE, path__startswith=frame.area.path
            )
            .only("name", "latitude", "longitude", "path")  # what the map and its table show
            .order_by("path")
        )
        for unit in units:
            total, agricultural = _htx_counts(by_commune.get(unit.pk, []))
            communes.append(CommuneCount(unit, total, agricultural))
    total, _agricultural = _htx_counts(sources.fetch("registry", frame, MAP_KEYS).rows)
    year = sources.rank_year(frame)
    points = map_points(frame=frame, limit=MAP_POINT_LIMIT) if total <= MAP_POINT_LIMIT else []
    return {
        "points": points,
        "points_shown": len(points) == total,
        "total": total,
        "communes": communes,
        "no_htx": [c for c in communes if c.total == 0],
        "no_agricultural": [c for c in communes if c.total and c.agricultural == 0],
        "rank_year": year,
    }


def cooperative_names(*, frame: Frame, model_only: bool = True) -> list[Cooperative]:
    """The model (điển hình tiên tiến) HTX existing at the date, for the written report."""
    qs = (
        sources.cooperatives(frame)
        .existing_on(frame.on, with_status=True)
        .filter(kind="hop_tac_xa")
    )
    if model_only:
        qs = qs.filter(model_cooperative=True)
    return list(
        qs.select_related("district_legacy", "commune_legacy", "commune", "province").order_by(
            "name", "pk"
        )
    )
