"""The indicator definitions as plain data (loaded from ../data/indicators.yaml).

Each indicator is a numerator, an optional denominator and a scale over the rows of one data
source: value = numerator × scale / denominator (a share in % when scale is 100, an average
when it is 1), or the numerator alone for a count or a total. A part selects rows by equality
on their keys (`where`) and adds up one measure (`n`: the number of organisations, or a sum
such as `members`, `revenue`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "indicators.yaml"

SOURCES = frozenset(
    {"registry", "founded", "ended", "reports", "report_filing", "ratings", "support"}
)
UNITS = frozenset({"org", "people", "vnd", "vnd_per_org", "vnd_per_worker", "percent"})


@dataclass(frozen=True, slots=True)
class Part:
    """Rows whose keys match `where` (each key: one of the listed values), summed by `measure`."""

    where: Mapping[str, tuple[Any, ...]] = field(default_factory=dict)
    measure: str = "n"


@dataclass(frozen=True, slots=True)
class Indicator:
    """One indicator: what it counts, how, from which source, and on whose authority."""

    code: str
    name_vi: str
    name_en: str
    group: str
    unit: str
    source: str
    numerator: Part
    denominator: Part | None
    scale: Decimal
    definition_vi: str
    definition_en: str
    reference: str
    official: bool

    def name(self, language: str) -> str:
        return self.name_vi if language.startswith("vi") else self.name_en

    def definition(self, language: str) -> str:
        return self.definition_vi if language.startswith("vi") else self.definition_en

    @property
    def is_ratio(self) -> bool:
        return self.denominator is not None


def _part(data: Mapping[str, Any] | None) -> Part | None:
    if data is None:
        return None
    where = {
        key: tuple(value) if isinstance(value, list | tuple) else (value,)
        for key, value in (data.get("where") or {}).items()
    }
    return Part(where=where, measure=str(data.get("measure", "n")))


def parse_definitions(items: list[Mapping[str, Any]]) -> dict[str, Indicator]:
    """The indicators of a parsed YAML list, by code, checked for the obvious mistakes."""
    result: dict[str, Indicator] = {}
    for item in items:
        code = str(item["code"])
        if code in result:
            raise ValueError(f"indicator {code}: defined twice")
        if item["source"] not in SOURCES:
            raise ValueError(f"indicator {code}: unknown source {item['source']!r}")
        if item["unit"] not in UNITS:
            raise ValueError(f"indicator {code}: unknown unit {item['unit']!r}")
        numerator = _part(item["numerator"])
        if numerator is None:
            raise ValueError(f"indicator {code}: no numerator")
        denominator = _part(item.get("denominator"))
        default_scale = "100" if item["unit"] == "percent" else "1"
        result[code] = Indicator(
            code=code,
            name_vi=str(item["name_vi"]),
            name_en=str(item["name_en"]),
            group=str(item.get("group", "")),
            unit=str(item["unit"]),
            source=str(item["source"]),
            numerator=numerator,
            denominator=denominator,
            scale=Decimal(str(item.get("scale", default_scale))),
            definition_vi=str(item.get("definition_vi", "")).strip(),
            definition_en=str(item.get("definition_en", "")).strip(),
            reference=str(item.get("reference", "")).strip(),
            official=bool(item.get("official", False)),
        )
    return result


def load_definitions(path: Path = DATA_FILE) -> dict[str, Indicator]:
    """Read the indicator file (a YAML list), in the file's order."""
    with path.open(encoding="utf-8") as handle:
        return parse_definitions(yaml.safe_load(handle)["indicators"])
