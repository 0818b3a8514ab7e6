"""Pure helpers of the ratings app (no Django, no database, no clock): how an organisation of
the registry becomes a case of the engine, how long it stood still in a year, which rule file
applies, and whether a verified score overrides what the engine would take otherwise.

The engine itself is hoptac/ratings/rules/ (docs/rules.md); this module only prepares its input.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_UP, Decimal, InvalidOperation
from functools import lru_cache

from hoptac.ratings.rules import RuleSet, load_all, rules_for
from hoptac.ratings.rules.model import SECTOR_NAMES_VI
from hoptac.ratings.rules.numbers import format_vi

# Registry codes (hoptac.registry.choices), repeated here so this module stays pure.
KIND_COOPERATIVE = "hop_tac_xa"
KIND_UNION = "lien_hiep_hop_tac_xa"
SUB_SECTOR_CREDIT = "tin_dung_qtdnd"
STATUS_ACTIVE = "dang_hoat_dong"


def engine_kind(kind: str, sub_sector: str) -> str | None:
    """The engine's kind of a registry organisation: an HTX ("htx"), a people's credit fund
    (an HTX of the credit sub-sector, "qtdnd"), a union ("lien_hiep"); None for a tổ hợp tác,
    which the circulars do not rate."""
    if kind == KIND_UNION:
        return "lien_hiep"
    if kind == KIND_COOPERATIVE:
        return "qtdnd" if sub_sector == SUB_SECTOR_CREDIT else "htx"
    return None


def months_stopped(history: Iterable[tuple[date, str]], year: int) -> Decimal:
    """How many months of `year` the organisation was not operating, by its dated status
    history ((effective_on, status) in recording order): every status but "đang hoạt động"
    (suspended, not at its address, being dissolved …) counts as stopped. Months are days × 12
    / days of the year, rounded up to 0.01 so that "more than 3 months" holds from the first
    day beyond three months' share of the year. Days before the first status (the organisation
    did not exist) do not count."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    entries = sorted(enumerate(history), key=lambda e: (e[1][0], e[0]))
    status_at_start: str | None = None
    changes: list[tuple[date, str]] = []
    for _index, (on, status) in entries:
        if on <= start:
            status_at_start = status
        elif on <= end:
            changes.append((on, status))
    stopped_days = 0
    day, status = start, status_at_start
    for on, new_status in [*changes, (end + timedelta(days=1), "")]:
        if status is not None and status != STATUS_ACTIVE:
            stopped_days += (on - day).days
        day, status = on, new_status
    days_in_year = 366 if calendar.isleap(year) else 365
    months = Decimal(stopped_days * 12) / Decimal(days_in_year)
    return min(months.quantize(Decimal("0.01"), rounding=ROUND_UP), Decimal(12))


@lru_cache(maxsize=1)
def rule_sets() -> tuple[RuleSet, ...]:
    """Every rule file of hoptac/ratings/rules/data/, loaded once per process."""
    return tuple(load_all())


def rules_applying(year: int, sector: str) -> RuleSet | None:
    """The rule set for an evaluation year and a sector (rules.rules_for), or None."""
    return rules_for(rule_sets(), year=year, sector=sector)


def no_rules_reason(year: int, sector: str, sets: Iterable[RuleSet] | None = None) -> str:
    """Why an organisation of `sector` is not rated for `year` when no rule file applies; names
    the next document that will apply to the sector, when there is one."""
    sector_vi = SECTOR_NAMES_VI.get(sector, sector)
    text = (
        f"Chưa có quy định đánh giá, phân loại hợp tác xã lĩnh vực {sector_vi}"
        f" áp dụng cho năm {year}"
    )
    later = sorted(
        (
            r
            for r in (rule_sets() if sets is None else sets)
            if sector in r.sectors and r.first_year > year
        ),
        key=lambda r: r.first_year,
    )
    if later:
        text += f" ({later[0].name_vi} áp dụng từ năm đánh giá {later[0].first_year})"
    return text


def to_decimal(value: object) -> Decimal | None:
    """A stored or typed score as a Decimal; None for empty; ValueError for anything else."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation as error:
        raise ValueError(value) from error
    if not number.is_finite():
        raise ValueError(value)
    return number


def as_text(value: Decimal) -> str:
    """A Decimal as stored in JSON: "5", "2.5" (no exponent, no trailing zeros)."""
    normal = value.normalize()
    return f"{normal:f}" if normal != normal.to_integral_value() else str(int(normal))


def shown(value: Decimal | None) -> str:
    """A number as Vietnamese write it (1.200.000; 2,5), or "—"."""
    return "—" if value is None else format_vi(value)


def decimals(values: Mapping[str, object]) -> dict[str, Decimal]:
    """A stored {key: "n"} mapping as Decimals, empty values left out."""
    result = {}
    for key, value in values.items():
        number = to_decimal(value)
        if number is not None:
            result[key] = number
    return result


@dataclass(frozen=True, slots=True)
class Override:
    """A verified score that differs from the points the engine would take without it: the
    points the reports decide, else the HTX's self-score."""

    key: str
    verified: Decimal
    instead_of: Decimal
    origin: str  # "data" | "self"


def overrides(
    verified: Mapping[str, Decimal],
    self_scores: Mapping[str, Decimal],
    proposals: Mapping[str, Decimal],
) -> list[Override]:
    """The verified scores that change a score (TT01 Điều 9, TT09: the officer verifies the
    HTX's self-scoring; a change needs a reason): those that differ from the data proposal of
    their unit, else from its self-score. A verified score where neither exists changes
    nothing: it is the only score."""
    found = []
    for key, value in verified.items():
        if key in proposals:
            if value != proposals[key]:
                found.append(Override(key, value, proposals[key], "data"))
        elif key in self_scores and value != self_scores[key]:
            found.append(Override(key, value, self_scores[key], "self"))
    return found
