"""The groups the tally keeps (grains) and the choice of the grain that answers a question.

A grain is a set of group columns and, per source, the keys its rows are split by. The
commune grains are the base (written from the live tables); the province grains add up the
commune grains of a province pair (2025 province, old province); the country grain adds up
the province grain. The sub-sector grains and the brief commune grain carry fewer keys: only
what the breakdowns by sub-sector and by sub-area and the map read (a test checks it against
selectors.BREAKDOWN and MAP_KEYS).
"""

from __future__ import annotations

from dataclasses import dataclass

# The area columns of a tally row (models.Tally): the commune, district and province of both
# trees. Defined here, not in models.py, so that this module imports no Django.
AREA_COLUMNS = ("province", "province_legacy", "district_legacy", "commune", "commune_legacy")

# The keys of each source's rows, the one definition (sources.KEYS is this dict): what an
# indicator's `where` may name, and what the tally keeps its counts by.
SOURCE_KEYS: dict[str, tuple[str, ...]] = {
    "registry": ("kind", "sector", "status", "high_tech", "value_chain", "model_cooperative"),
    "founded": ("kind", "sector"),
    "ended": ("kind", "sector"),
    "reports": ("kind", "sector"),
    "report_filing": ("kind", "sector", "filed"),
    "ratings": ("kind", "sector", "rank"),
    "support": ("kind", "sector", "supported"),
}
SUB_SECTOR_KEYS: dict[str, tuple[str, ...]] = {
    "registry": ("kind", "sector"),
    "ratings": ("kind", "sector", "rank"),
}
MEASURES: dict[str, tuple[str, ...]] = {
    "registry": ("n", "members", "workers", "n_members", "n_workers"),
    "reports": (
        "n",
        "revenue_total",
        "n_revenue",
        "profit_total",
        "n_profit",
        "income_mass",
        "income_workers",
        "n_income",
    ),
}
# Counts in the live rows: 0, never None.
COUNTS = ("n", "n_revenue", "n_profit", "n_members", "n_workers", "n_income")


def measures_of(source: str) -> tuple[str, ...]:
    return MEASURES.get(source, ("n",))


@dataclass(frozen=True, slots=True)
class Grain:
    name: str
    columns: tuple[str, ...]
    keys: dict[str, tuple[str, ...]]  # per source it holds
    built_from: str | None  # the grain it adds up (None: the live tables)


PROVINCE_PAIR = ("province", "province_legacy")
COMMUNE = Grain("commune", AREA_COLUMNS, SOURCE_KEYS, None)
COMMUNE_SUB_SECTOR = Grain(
    "commune_sub_sector", (*AREA_COLUMNS, "sub_sector"), SUB_SECTOR_KEYS, None
)
# The communes with fewer keys: what a province's breakdown by sub-area and its map read
# (half the commune grain's rows).
# (The ratings' commune rows have these keys already.)
COMMUNE_BRIEF = Grain(
    "commune_brief", AREA_COLUMNS, {"registry": SUB_SECTOR_KEYS["registry"]}, "commune"
)
PROVINCE = Grain("province", PROVINCE_PAIR, SOURCE_KEYS, "commune")
PROVINCE_SUB_SECTOR = Grain(
    "province_sub_sector", (*PROVINCE_PAIR, "sub_sector"), SUB_SECTOR_KEYS, "commune_sub_sector"
)
COUNTRY = Grain("country", (), SOURCE_KEYS, "province")
# In the order they are built, and (reversed where smaller) the order a reader tries them.
GRAINS = (COMMUNE, COMMUNE_SUB_SECTOR, COMMUNE_BRIEF, PROVINCE, PROVINCE_SUB_SECTOR, COUNTRY)
BY_NAME = {g.name: g for g in GRAINS}
SMALLEST_FIRST = (
    COUNTRY,
    PROVINCE,
    PROVINCE_SUB_SECTOR,
    COMMUNE_BRIEF,
    COMMUNE,
    COMMUNE_SUB_SECTOR,
)


def choose(source: str, columns: set[str], keys: set[str]) -> Grain | None:
    """The smallest grain holding `source` with all of `columns` (the area's column and the
    group's) and all of `keys`; None when none does."""
    for grain in SMALLEST_FIRST:
        held = grain.keys.get(source)
        if held is not None and columns <= set(grain.columns) and keys <= set(held):
            return grain
    return None
