"""Load both trees of administrative units from the `vietnamadminunits` package.

The package ships the 63-province tree (with districts), the 34-province tree of
1 July 2025 and the mapping of every old commune to the new commune(s) it became,
with official codes and centroids. We copy them into our tables; nothing is typed in.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.metadata import version

from django.db import transaction
from django.db.models import Count

from hoptac.areas.choices import Era, Level, UnitType
from hoptac.areas.models import AdminUnit, Succession
from hoptac.core import fragments
from hoptac.core.text import fold

AREAS_NAMESPACE = "areas"  # core.fragments: bumped when the units change
SOURCE = f"vietnamadminunits {version('vietnamadminunits')}"

_PROVINCE_TYPES = {"Tỉnh": UnitType.TINH, "Thành phố": UnitType.THANH_PHO_TW}
_DISTRICT_TYPES = {
    "Huyện": UnitType.HUYEN,
    "Quận": UnitType.QUAN,
    "Thị xã": UnitType.THI_XA,
    "Thành phố": UnitType.THANH_PHO,
}
_COMMUNE_TYPES = {
    "Xã": UnitType.XA,
    "Phường": UnitType.PHUONG,
    "Thị trấn": UnitType.THI_TRAN,
    "Đặc khu": UnitType.DAC_KHU,
}


@dataclass(frozen=True, slots=True)
class UnitRow:
    era: str
    level: int
    code: str
    name: str
    short_name: str
    unit_type: str
    parent_path: str | None
    path: str
    full_name: str
    latitude: float | None
    longitude: float | None
    key: str  # the package's own key, used to read its old -> new mapping


@dataclass(frozen=True, slots=True)
class SuccessionRow:
    old_key: str
    new_key: str
    is_default: bool
    is_divided: bool


@dataclass(frozen=True, slots=True)
class LoadResult:
    counts: dict[str, dict[str, int]]
    successions: int
    skipped: bool


def _province_type(name: str) -> str:
    return next(t for prefix, t in _PROVINCE_TYPES.items() if name.startswith(prefix + " "))


def read_source() -> tuple[list[UnitRow], list[SuccessionRow]]:
    """Every unit of both trees and every old -> new link, as the package has them."""
    from vietnamadminunits.converter import converter_2025 as conv
    from vietnamadminunits.database import query

    units: dict[str, UnitRow] = {}

    def add(row: UnitRow) -> None:
        units.setdefault(row.path, row)

    for r in query(
        "SELECT * FROM admin_units_legacy ORDER BY provinceCode, districtCode, wardCode"
    ):
        p_path = f"{Era.LEGACY}/{r['provinceCode']}"
        d_path = f"{p_path}/{r['districtCode']}"
        add(
            UnitRow(
                Era.LEGACY,
                Level.PROVINCE,
                r["provinceCode"],
                r["province"],
                r["provinceShort"],
                _province_type(r["province"]),
                None,
                p_path,
                r["province"],
                r["provinceLat"],
                r["provinceLon"],
                r["provinceKey"],
            )
        )
        add(
            UnitRow(
                Era.LEGACY,
                Level.DISTRICT,
                r["districtCode"],
                r["district"],
                r["districtShort"],
                _DISTRICT_TYPES[r["districtType"]],
                p_path,
                d_path,
                f"{r['district']}, {r['province']}",
                r["districtLat"],
                r["districtLon"],
                f"{r['provinceKey']}_{r['districtKey']}_",
            )
        )
        if r["wardCode"]:
            add(
                UnitRow(
                    Era.LEGACY,
                    Level.COMMUNE,
                    r["wardCode"],
                    r["ward"],
                    r["wardShort"],
                    _COMMUNE_TYPES[r["wardType"]],
                    d_path,
                    f"{d_path}/{r['wardCode']}",
                    f"{r['ward']}, {r['district']}, {r['province']}",
                    r["wardLat"],
                    r["wardLon"],
                    f"{r['provinceKey']}_{r['districtKey']}_{r['wardKey']}",
                )
            )

    for r in query("SELECT * FROM admin_units ORDER BY provinceCode, wardCode"):
        p_path = f"{Era.CURRENT}/{r['provinceCode']}"
        add(
            UnitRow(
                Era.CURRENT,
                Level.PROVINCE,
                r["provinceCode"],
                r["province"],
                r["provinceShort"],
                _province_type(r["province"]),
                None,
                p_path,
                r["province"],
                r["provinceLat"],
                r["provinceLon"],
                r["provinceKey"],
            )
        )
        add(
            UnitRow(
                Era.CURRENT,
                Level.COMMUNE,
                r["wardCode"],
                r["ward"],
                r["wardShort"],
                _COMMUNE_TYPES[r["wardType"]],
                p_path,
                f"{p_path}/{r['wardCode']}",
                f"{r['ward']}, {r['province']}",
                r["wardLat"],
                r["wardLon"],
                f"{r['provinceKey']}_{r['wardKey']}",
            )
        )

    links: list[SuccessionRow] = []
    for new_province, wards in conv.DICT_PROVINCE_WARD_NO_DIVIDED.items():
        for new_ward, old_keys in wards.items():
            links.extend(
                SuccessionRow(old, f"{new_province}_{new_ward}", True, False) for old in old_keys
            )
    for new_province, olds in conv.DICT_PROVINCE_WARD_DIVIDED.items():
        for old, parts in olds.items():
            links.extend(
                SuccessionRow(
                    old,
                    f"{new_province}_{part['newWardKey']}",
                    bool(part["isDefaultNewWard"]),
                    True,
                )
                for part in parts
            )
    return list(units.values()), links


def unit_counts() -> dict[str, dict[str, int]]:
    """Units per era and level, as stored: {"legacy": {"province": 63, ...}, "2025": {...}}."""
    counts: dict[str, dict[str, int]] = {era: {} for era in Era.values}
    rows = AdminUnit.objects.values_list("era", "level").order_by("era", "level")
    for era, level, n in rows.annotate(n=Count("id")):
        counts[era][Level(level).name.lower()] = n
    return counts


def _province_path(path: str) -> str:
    era, province_code = path.split("/")[:2]
    return f"{era}/{province_code}"


@transaction.atomic
def areas_load(*, force: bool = False) -> LoadResult:
    """Insert or update every unit and succession; does nothing when all are already there."""
    rows, links = read_source()
    if (
        not force
        and AdminUnit.objects.count() == len(rows)
        and Succession.objects.count() == len(links)
    ):
        return LoadResult(unit_counts(), len(links), skipped=True)

    ids: dict[str, int] = {}
    key_to_path: dict[str, str] = {}
    for level in (Level.PROVINCE, Level.DISTRICT, Level.COMMUNE):
        batch = [r for r in rows if r.level == level]
        objs = [
            AdminUnit(
                era=r.era,
                level=r.level,
                code=r.code,
                name=r.name,
                short_name=r.short_name,
                unit_type=r.unit_type,
                path=r.path,
                full_name=r.full_name,
                search_name=fold(r.full_name),
                latitude=r.latitude,
                longitude=r.longitude,
                parent_id=ids[r.parent_path] if r.parent_path else None,
                province_id=ids[_province_path(r.path)] if r.parent_path else None,
            )
            for r in batch
        ]
        AdminUnit.objects.bulk_create(
            objs,
            batch_size=2000,
            update_conflicts=True,
            unique_fields=["era", "code"],
            update_fields=[
                "level",
                "name",
                "short_name",
                "unit_type",
                "parent",
                "province",
                "path",
                "full_name",
                "search_name",
                "latitude",
                "longitude",
            ],
        )
        ids.update(AdminUnit.objects.filter(level=level).values_list("path", "id").iterator())
        key_to_path.update((f"{r.era}:{r.key}", r.path) for r in batch)

    def unit_id(era: str, key: str) -> int:
        return ids[key_to_path[f"{era}:{key}"]]

    wanted = {
        (unit_id(Era.LEGACY, link.old_key), unit_id(Era.CURRENT, link.new_key)): link
        for link in links
    }
    Succession.objects.bulk_create(
        [
            Succession(
                old_id=old, new_id=new, is_default=link.is_default, is_divided=link.is_divided
            )
            for (old, new), link in wanted.items()
        ],
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["old", "new"],
        update_fields=["is_default", "is_divided"],
    )
    stale = [
        pk
        for pk, old, new in Succession.objects.values_list("pk", "old_id", "new_id").iterator()
        if (old, new) not in wanted
    ]
    Succession.objects.filter(pk__in=stale).delete()
    fragments.bump(AREAS_NAMESPACE)  # cached pages that name units are rendered afresh
    return LoadResult(unit_counts(), len(wanted), skipped=False)
