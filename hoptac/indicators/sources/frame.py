"""Where and when a source is read (`Frame`), what it answers (`SourceData`), and the areas'
fields: the plain values every other part of the sources (and the tally) shares."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from django.db.models import Q

from hoptac.areas.choices import ERA_CHANGE_DATE, Era, Level
from hoptac.areas.models import AdminUnit
from hoptac.indicators.tally.grains import SOURCE_KEYS
from hoptac.registry.selectors import AREA_FIELDS

# The keys of each source's rows (what an indicator's `where` may name): defined with the
# tally's grains, in a module without Django, and read by the sources from there.
KEYS: dict[str, tuple[str, ...]] = SOURCE_KEYS
RANKS = ("tot", "kha", "trung_binh", "yeu", "chua_danh_gia")
ERA_CHANGE = date.fromisoformat(ERA_CHANGE_DATE)


def within(lookup: str, values: Iterable[int | None]) -> Q:
    """`lookup` among `values`, None among them meaning NULL."""
    values = set(values)
    found = Q(**{f"{lookup}__in": sorted(v for v in values if v is not None)})
    if None in values:
        found |= Q(**{f"{lookup}__isnull": True})
    return found


@dataclass(frozen=True, slots=True)
class Frame:
    """Where and when an indicator is computed.

    area: an AdminUnit of either tree at any level, or None for the whole country;
    on: the reference date (stocks at that date, flows from 1 January of its year to it);
    year: the data year of yearly sources (reports, ratings); None: the latest year with data
      up to the last complete year (`complete_year`);
    group_by: a Cooperative field to break the rows down by (a sub-area's FK, "sub_sector"),
      the rows' "group"; or several (a tuple), the rows' "group_0", "group_1"… (prefetch);
    communes: only the organisations of these 2025 communes (None among them: those without
      one), for the tally's refresh (tally/building.py).
    """

    area: AdminUnit | None
    on: date
    year: int | None = None
    group_by: str | tuple[str, ...] | None = None
    communes: tuple[int | None, ...] | None = None

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

    def place(self, prefix: str = "") -> Q:
        """The filter placing an organisation in the area (on the denormalised columns), and
        in `communes` when given."""
        found = Q()
        if self.area is not None:
            found &= Q(**{f"{prefix}{self.area_field}": self.area.pk})
        if self.communes is not None:
            found &= within(f"{prefix}commune", self.communes)
        return found

    @property
    def start(self) -> date:
        return date(self.on.year, 1, 1)

    @property
    def complete_year(self) -> int:
        """The last year whose data can be complete on `on`: its own if 31 December."""
        return self.on.year if (self.on.month, self.on.day) == (12, 31) else self.on.year - 1

    def grouped(self, field_name: str | tuple[str, ...] | None) -> Frame:
        return replace(self, group_by=field_name)


@dataclass(slots=True)
class SourceData:
    """The rows of one source for one frame, and what they stand for."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    has_data: bool = True  # False: a yearly source without any year of data
    year: int | None = None  # the data year used (yearly sources)
    start: date | None = None  # the period (flows)
    end: date | None = None


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
