"""The rule set of one legal document, as plain frozen dataclasses (built by loader.py)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .numbers import format_vi

NOT_FOUND = "NOT_FOUND"
KINDS = ("htx", "lien_hiep", "qtdnd")
KIND_NAMES_VI = {
    "htx": "hợp tác xã",
    "lien_hiep": "liên hiệp hợp tác xã",
    "qtdnd": "quỹ tín dụng nhân dân",
}
SECTORS = ("nong_nghiep", "phi_nong_nghiep")
SECTOR_NAMES_VI = {"nong_nghiep": "nông nghiệp", "phi_nong_nghiep": "phi nông nghiệp"}
RANKS = ("tot", "kha", "trung_binh", "yeu")
NOT_RATED = "chua_danh_gia"


@dataclass(frozen=True, slots=True)
class Interval:
    """A range of numbers; a missing bound is open. Bands of the law are [from, below)."""

    lower: Decimal | None = None
    lower_inclusive: bool = True
    upper: Decimal | None = None
    upper_inclusive: bool = False

    def contains(self, x: Decimal) -> bool:
        if self.lower is not None and (
            x < self.lower or (x == self.lower and not self.lower_inclusive)
        ):
            return False
        return not (
            self.upper is not None
            and (x > self.upper or (x == self.upper and not self.upper_inclusive))
        )

    def describe_vi(self) -> str:
        """The band in words: "từ 65 đến dưới 80", "trên 0", "đến 0"."""
        parts = []
        if self.lower is not None:
            parts.append(("từ " if self.lower_inclusive else "trên ") + format_vi(self.lower))
        if self.upper is not None:
            word = "đến" if self.upper_inclusive else "dưới"
            word = f"đến {word}" if self.lower is not None and word == "dưới" else word
            parts.append(f"{word} {format_vi(self.upper)}")
        return " ".join(parts) if parts else "mọi giá trị"


@dataclass(frozen=True, slots=True)
class Value:
    """What a data rule measures in the reports.

    op "indicator": report[a]; "change": report[a] - previous_report[a]; "ratio": report[a] /
    report[b] (computable only when report[b] > 0).
    """

    op: str
    indicators: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class DataCase:
    """One band of a data rule: when the value lies in `interval`, give `points`.

    `value` None means the rule's own value; a case with its own value is a guard (TT09 1.3:
    "no after-tax profit" gives 0 whatever the income per member)."""

    interval: Interval
    points: Decimal
    label_vi: str
    value: Value | None = None


@dataclass(frozen=True, slots=True)
class DataRule:
    """Points the reports decide: the first case that holds wins; none holds, no proposal."""

    value: Value
    cases: tuple[DataCase, ...]
    confidence: str
    source: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class Item:
    """A scoring unit, whose id is a score key: a sub-item, or a criterion without sub-items.

    `max_points` None is NOT_FOUND; `bound` is then the nearest maximum that is known (the
    criterion's, else the group's) and `bound_of` names it. `rule` None is NOT_FOUND: the
    verified score is taken."""

    id: str
    name_vi: str
    max_points: Decimal | None
    bound: Decimal
    bound_of: str
    rule: DataRule | None
    source: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class Criterion:
    """A criterion of the law; scored through its sub-items, or as one item of its own id."""

    id: str
    name_vi: str
    max_points: Decimal | None
    article: str
    source: str
    items: tuple[Item, ...]
    has_sub_items: bool


@dataclass(frozen=True, slots=True)
class Group:
    """A group of criteria with a known maximum (synthetic when the law has no groups)."""

    id: str
    name_vi: str
    label_vi: str  # "nhóm III", or "các tiêu chí 2 đến 6" for a synthetic group
    max_points: Decimal
    article: str
    source: str
    criteria: tuple[Criterion, ...]
    synthetic: bool = False
    note: str = ""


@dataclass(frozen=True, slots=True)
class Rank:
    """A rank band: code tot/kha/trung_binh/yeu and the totals it covers."""

    code: str
    name_vi: str
    interval: Interval
    article: str
    source: str


@dataclass(frozen=True, slots=True)
class Condition:
    """A test on a case. op: kind_in (kinds), operated_months_below / months_stopped_above
    (number), sanctioned (flag)."""

    op: str
    kinds: frozenset[str] = frozenset()
    number: Decimal = Decimal(0)
    flag: bool = False


@dataclass(frozen=True, slots=True)
class Exclusion:
    """Who is not rated: the case is "chưa đánh giá" with this reason (id is the reason code)."""

    id: str
    when: Condition
    reason_vi: str
    article: str
    source: str


@dataclass(frozen=True, slots=True)
class Override:
    """A rank forced whatever the score (TT09: an administrative sanction means yếu)."""

    id: str
    when: Condition
    rank: str
    reason_vi: str
    article: str
    source: str


@dataclass(frozen=True, slots=True)
class Indicator:
    """A value a data rule reads from the annual report (key as in the report dicts)."""

    key: str
    name_vi: str
    unit: str
    source: str


@dataclass(frozen=True, slots=True)
class RuleSet:
    """Everything one legal document says about rating, with where each fact comes from."""

    id: str
    path: str
    number: str
    title_vi: str
    issuer: str
    issued: date | None
    valid_from: date | None
    repealed_on: date | None
    repealed_by: str | None
    first_year: int
    last_year: int
    kinds: frozenset[str]
    sectors: frozenset[str]
    rating_month: int
    rating_day: int
    total_max: Decimal
    sum_over_max: str  # "error" | "cap"
    indicators: Mapping[str, Indicator]
    groups: tuple[Group, ...]
    ranks: tuple[Rank, ...]
    exclusions: tuple[Exclusion, ...]
    overrides: tuple[Override, ...]

    @property
    def name_vi(self) -> str:
        return f"Thông tư {self.number}"

    def covers_year(self, year: int) -> bool:
        return self.first_year <= year <= self.last_year

    def rating_date(self, year: int) -> date:
        return date(year, self.rating_month, self.rating_day)

    def criteria(self) -> Iterator[Criterion]:
        for group in self.groups:
            yield from group.criteria

    def items(self) -> Iterator[Item]:
        for criterion in self.criteria():
            yield from criterion.items

    def item_ids(self) -> tuple[str, ...]:
        return tuple(item.id for item in self.items())
