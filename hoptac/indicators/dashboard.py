"""What the dashboard of an area shows: headline figures, trend by year, breakdowns by
sub-area and sector (tables and chart data), and the map. Reads only (selectors); the chart
and map specs are plain data the page embeds with json_script."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from hoptac.registry.choices import Sector

from . import selectors, sources
from .sources import Frame

SECTOR_COLOURS = {Sector.AGRICULTURAL: "#2e7d32", Sector.NON_AGRICULTURAL: "#1565c0"}
RANK_COLOURS = {
    "tot": "#2e7d32",
    "kha": "#1e88e5",
    "trung_binh": "#f9a825",
    "yeu": "#c62828",
    "chua_danh_gia": "#757575",
    "": "#9e9e9e",
}
TREND = ("so_htx", "so_htx_thanh_lap_moi", "ty_le_htx_hieu_qua_kha_tot")
PREFETCHED = ("registry", "ratings")  # the sources read by the headline and every breakdown


def rank_labels() -> dict[str, str]:
    return {
        "tot": _("Good"),
        "kha": _("Fair"),
        "trung_binh": _("Average"),
        "yeu": _("Weak"),
        "chua_danh_gia": _("Not rated"),
    }


def _num(value: Any) -> float | int | None:
    if value is None:
        return None
    return int(value) if value == int(value) else float(value)


def trend(frame: Frame) -> dict[str, Any]:
    """HTX at each year end, founded each year, and the effective share (tốt + khá) by year."""
    years = selectors.trend_years(frame.on)
    data = selectors.series(frame=frame, codes=TREND, years=years)
    rows = []
    for index, year in enumerate(years):
        rows.append({"year": year, **{code: data[code][index][1] for code in TREND}})
    chart = {
        "type": "bar",
        "labels": [str(y) for y in years],
        "datasets": [
            {
                "type": "line",
                "label": _("Cooperatives at year end"),
                "data": [_num(r["so_htx"].value) for r in rows],
                "color": "#1b5e20",
            },
            {
                "type": "bar",
                "label": _("Founded in the year"),
                "data": [_num(r["so_htx_thanh_lap_moi"].value) for r in rows],
                "color": "#90caf9",
            },
        ],
    }
    return {"rows": rows, "chart": chart}


def area_chart(rows: list[selectors.BreakdownRow]) -> dict[str, Any]:
    return {
        "type": "bar",
        "stacked": True,
        "horizontal": len(rows) > 12,
        "labels": [row.label for row in rows],
        "datasets": [
            {
                "label": str(Sector.AGRICULTURAL.label),
                "data": [_num(r.results["so_htx_nong_nghiep"].numerator) for r in rows],
                "color": SECTOR_COLOURS[Sector.AGRICULTURAL],
            },
            {
                "label": str(Sector.NON_AGRICULTURAL.label),
                "data": [_num(r.results["so_htx_phi_nong_nghiep"].numerator) for r in rows],
                "color": SECTOR_COLOURS[Sector.NON_AGRICULTURAL],
            },
        ],
    }


def sector_chart(rows: list[selectors.BreakdownRow]) -> dict[str, Any]:
    shown = [r for r in rows if r.results["so_htx"].numerator]
    return {
        "type": "bar",
        "horizontal": True,
        "labels": [r.label for r in shown],
        "datasets": [
            {
                "label": _("Cooperatives"),
                "data": [_num(r.results["so_htx"].numerator) for r in shown],
                "color": "#2e7d32",
            }
        ],
    }


def map_spec(frame: Frame, data: dict[str, Any]) -> dict[str, Any]:
    """The map's data: points coloured by rank (when ratings exist) or sector, and the
    communes' counts at their centroids (gaps flagged)."""
    by_rank = data["rank_year"] is not None
    if by_rank:
        legend = {str(label): RANK_COLOURS[code] for code, label in rank_labels().items()}
    else:
        legend = {str(Sector(k).label): v for k, v in SECTOR_COLOURS.items()}
    points = []
    for p in data["points"]:
        key = p["rank"] if by_rank else p["sector"]
        colours = RANK_COLOURS if by_rank else SECTOR_COLOURS
        points.append({**p, "color": colours.get(key, "#9e9e9e")})
    communes = [
        {
            "name": c.unit.name,
            "lat": c.unit.latitude,
            "lng": c.unit.longitude,
            "total": c.total,
            "agricultural": c.agricultural,
        }
        for c in data["communes"]
        if c.unit.latitude is not None
    ]
    query = {"date": frame.on.isoformat()}
    if frame.area is not None:
        query["area"] = str(frame.area.pk)
    return {
        "points": points,
        # Too many HTX to embed: the points of the visible part, from views.map_points
        # (add &bbox=south,west,north,east).
        "points_url": ""
        if data["points_shown"]
        else f"{reverse('indicators:map_points')}?{urlencode(query)}",
        "points_limit": selectors.MAP_POINT_LIMIT,
        "colours": dict(RANK_COLOURS if by_rank else SECTOR_COLOURS),
        "communes": communes,
        "colour_by": "rank" if by_rank else "sector",
        "legend": legend,
        "tiles": settings.HOPTAC_MAP_TILE_URL,
        "attribution": settings.HOPTAC_MAP_TILE_ATTRIBUTION,
        "labels": {
            "cooperatives": _("cooperatives"),
            "agricultural": _("agricultural"),
            "no_htx": _("No cooperative"),
            "no_agricultural": _("No agricultural cooperative"),
            "communes": _("Communes"),
            "zoom_in": _("Zoom in to see each cooperative on the map."),
        },
    }


def prefetch(frame: Frame) -> None:
    """Within selectors.shared_reads: read the registry and the ratings once each for the
    headline, the breakdowns by sub-area and by sub-sector, and the map's communes (grouped
    by all three fields together), instead of once per use."""
    sub_area, _level = sources.sub_area_field(frame)
    fields = [sub_area, "sub_sector"]
    if frame.area is not None:
        fields.append(sources.commune_field(frame))
    codes = (*selectors.HEADLINE, *selectors.BREAKDOWN)
    asked = selectors.keys_read(selectors.definition(code) for code in codes)
    asked["registry"] = asked.get("registry", set()) | set(selectors.MAP_KEYS)
    sources.prefetch(
        frame, {name: keys for name, keys in asked.items() if name in PREFETCHED}, fields
    )


def dashboard(frame: Frame) -> dict[str, Any]:
    """Everything the dashboard page renders (server-side), and its chart and map specs."""
    prefetch(frame)
    headline = selectors.indicator_values(frame=frame, codes=selectors.HEADLINE)
    by_area = selectors.breakdown_by_area(frame=frame)
    by_sector = selectors.breakdown_by_sector(frame=frame)
    map_data = selectors.map_data(frame=frame)
    return {
        "headline": list(headline.values()),
        "by_area": by_area,
        "by_sector": by_sector,
        "trend": trend(frame),
        "map": map_data,
        "charts": {
            "area": area_chart(by_area),
            "sector": sector_chart(by_sector),
        },
        "map_spec": map_spec(frame, map_data),
    }
