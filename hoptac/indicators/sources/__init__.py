"""The data sources of the indicators: one function each, returning aggregated rows.

Every source takes a `Frame` (an area of either tree at any level, or the whole country; a
date; optionally a data year and a breakdown field) and answers with a few aggregated rows
(`values().annotate()`: one query, a handful of rows whatever the number of HTX), which the
pure functions of `formulas/` turn into numbers. The HTX behind a number (`drill`) are
selected by the same filters, so that the list and the count agree.

The package, by concern (callers use the names below, `sources.fetch`, `sources.Frame`…):

- frame.py: `Frame`, `SourceData`, the keys of each source, the sub-area fields;
- cache.py: reads shared within one request (`shared_reads`);
- common.py, organisations.py, annual_reports.py, rating_results.py, support_grants.py: the
  queries, reading the models of registry, reports, ratings and support through plain
  imports, each module declaring what it reads (`READS`);
- catalogue.py: the sources by name, and what they read (the tally's marking uses it);
- choosing.py: the tally or the live tables (`fetch`, `prefetch`, `fetch_years`); the only
  part that imports the tally, which itself reads frame.py, cache.py and the catalogue
  (`.importlinter` keeps it so);
- drilling.py: the organisations behind a number.

Access is checked before a frame is built (selectors.frame_for): an area inside the user's
scope only holds organisations inside it, so the sources filter by the area alone.
"""

from .cache import shared_reads
from .catalogue import ROWS, SOURCES
from .choosing import fetch, fetch_years, prefetch, rank_year
from .common import cooperatives
from .drilling import drill
from .frame import ERA_CHANGE, KEYS, RANKS, Frame, SourceData, commune_field, sub_area_field, within
from .rating_results import rank_then

__all__ = [
    "ERA_CHANGE",
    "KEYS",
    "RANKS",
    "ROWS",
    "SOURCES",
    "Frame",
    "SourceData",
    "commune_field",
    "cooperatives",
    "drill",
    "fetch",
    "fetch_years",
    "prefetch",
    "rank_then",
    "rank_year",
    "shared_reads",
    "sub_area_field",
    "within",
]
