"""Pure rules of the market app: no database, no clock; values in, values out."""

from __future__ import annotations

from datetime import date

from hoptac.core.text import fold
from hoptac.market.choices import LinkStatus


def link_active_on(*, status: str, starts_on: date, ends_on: date | None, day: date) -> bool:
    """Is a value-chain link in force on `day`: its status is "in force", it has started, and
    it has not ended (the end day included)?"""
    return status == LinkStatus.ACTIVE and starts_on <= day and (ends_on is None or ends_on >= day)


def search_text(*parts: str) -> str:
    """The folded words a list is searched by (hoptac.core.text.fold: no diacritics)."""
    return " ".join(fold(part) for part in parts if part)


def search_words(query: str) -> list[str]:
    """The words of a search, folded, as matched against `search_text`."""
    return fold(query).split()
