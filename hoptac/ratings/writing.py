"""The ratings paragraph of the written report of an area (hoptac/indicators/writing.py calls
`ratings_paragraph`): the officers' sentence of each sector a rule covered that year, e.g.

    "Qua rà soát đánh giá phân loại HTX trên lĩnh vực nông nghiệp: 02 HTX xếp loại khá; …"
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from hoptac.ratings import selectors

if TYPE_CHECKING:
    from hoptac.areas.models import AdminUnit


def ratings_paragraph(
    *, area: AdminUnit | None, year: int | None = None, on: date | None = None
) -> str:
    """The sentences of the approved ratings of `area` (None: the country) for `year`; without
    a year, the latest year with approved ratings up to `on`'s year. "" when there is none."""
    if year is None:
        year = selectors.latest_rated_year(area=area, until=on.year if on else None)
        if year is None:
            return ""
    summary = selectors.rating_summary(area=area, year=year)
    if not any(s.rated or s.counts.get("chua_danh_gia") for s in summary.reviewed()):
        return ""
    return " ".join(summary.sentences())
