"""The rating engine: rules + one case → points, group sums, total and rank. Pure: no I/O, no
clock, no Django; the rating date comes from the rule set or the case.

Which score counts for each scoring unit (sub-item, or criterion without sub-items):
the officer's verified score; else the score the reports decide (the unit's data rule); else
the HTX's self-score; else the score is missing (an error naming the key). Every score given is
checked against the unit's maximum, or, where the law's maximum is NOT_FOUND, against the
nearest maximum that is known (criterion, then group).
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from .model import (
    KIND_NAMES_VI,
    KINDS,
    NOT_FOUND,
    NOT_RATED,
    SECTOR_NAMES_VI,
    SECTORS,
    Condition,
    Criterion,
    DataRule,
    Group,
    Item,
    RuleSet,
    Value,
)
from .numbers import format_vi

NOT_IN_SCOPE = "ngoai_pham_vi"


@dataclass(frozen=True, slots=True)
class Score:
    """What was given for one scoring unit: the HTX's own score and/or the officer's."""

    self_score: Decimal | None = None
    verified: Decimal | None = None


@dataclass(frozen=True, slots=True)
class Case:
    """One organisation and year to rate.

    kind: htx | lien_hiep | qtdnd. months_stopped: months without activity in the year.
    sanctioned: an administrative sanction in the year. report / previous_report: indicator
    values of this year's and last year's annual report (keys as the rule file's `indicators`).
    sector (nong_nghiep | phi_nong_nghiep) and rated_on are optional.
    """

    id: str | int
    kind: str
    founded: date
    year: int
    months_stopped: Decimal = Decimal(0)
    sanctioned: bool = False
    scores: Mapping[str, Score] = field(default_factory=dict)
    report: Mapping[str, Decimal] | None = None
    previous_report: Mapping[str, Decimal] | None = None
    sector: str | None = None
    rated_on: date | None = None


@dataclass(frozen=True, slots=True)
class ItemPoints:
    """The points of one scoring unit and where they come from (verified | data | self)."""

    id: str
    points: Decimal
    origin: str
    reason_vi: str


@dataclass(frozen=True, slots=True)
class CriterionPoints:
    """The points of one criterion: the sum of its units, within its maximum."""

    id: str
    name_vi: str
    points: Decimal
    max_points: Decimal | None
    items: tuple[ItemPoints, ...]
    reason_vi: str


@dataclass(frozen=True, slots=True)
class GroupPoints:
    """The sum of a group's criteria, within the group's maximum."""

    id: str
    name_vi: str
    points: Decimal
    max_points: Decimal
    heading_vi: str  # "Nhóm I (Nhóm tiêu chí về tài chính)", or the name of a synthetic group


@dataclass(frozen=True, slots=True)
class Result:
    """The rating of one case. With errors, rank and total are None (criteria and groups hold
    the points that could be found, for review).

    rank: tot | kha | trung_binh | yeu | chua_danh_gia. reason_code: the exclusion or override
    id that decided the rank ("ngoai_pham_vi" out of the document's scope), None when the
    total's band did.
    """

    case_id: str | int | None  # None only for an unreadable case without a usable id
    rules_id: str
    rank: str | None
    total: Decimal | None = None
    criteria: tuple[CriterionPoints, ...] = ()
    groups: tuple[GroupPoints, ...] = ()
    reason_vi: str = ""
    reason_code: str | None = None
    errors: tuple[str, ...] = ()

    @property
    def points(self) -> dict[str, Decimal]:
        """Points per criterion id."""
        return {criterion.id: criterion.points for criterion in self.criteria}


class AmbiguousRulesError(ValueError):
    """Two rule files claim the same year and sector equally."""


def rules_for(rule_sets: Iterable[RuleSet], *, year: int, sector: str) -> RuleSet | None:
    """The rule set that applies to an evaluation year and a sector, or None.

    A rule set applies when the year is one of its evaluation years and the sector is in its
    scope; of several, the one with the narrower scope wins (TT09 for agriculture only over a
    document for all sectors)."""
    matching = [r for r in rule_sets if r.covers_year(year) and sector in r.sectors]
    if not matching:
        return None
    matching.sort(key=lambda r: len(r.sectors))
    if len(matching) > 1 and len(matching[0].sectors) == len(matching[1].sectors):
        raise AmbiguousRulesError(
            f"{matching[0].id} and {matching[1].id} both apply to {year}, {sector}"
        )
    return matching[0]


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it has no such day."""
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def operated_months(founded: date, through: date) -> int:
    """Whole months of activity from `founded` to the end of `through`, both days included
    (founded 2019-01-01, through 2019-12-31: 12 months)."""
    end = through + timedelta(days=1)
    if founded >= end:
        return 0
    months = (end.year - founded.year) * 12 + end.month - founded.month
    while months > 0 and add_months(founded, months) > end:
        months -= 1
    return months


def rate(rules: RuleSet, case: Case) -> Result:
    """Rate one case by one rule set."""
    errors = _check_case(rules, case)
    if errors:
        return Result(case.id, rules.id, None, errors=tuple(errors))
    not_rated = _not_rated(rules, case)
    if not_rated:
        return Result(
            case.id, rules.id, NOT_RATED, reason_vi=not_rated[1], reason_code=not_rated[0]
        )

    errors = _check_keys(rules, case)
    criteria: list[CriterionPoints] = []
    groups: list[GroupPoints] = []
    for group in rules.groups:
        before = len(errors)
        group_criteria = [
            _criterion(rules, criterion, case, errors) for criterion in group.criteria
        ]
        criteria += group_criteria
        # A sum is checked only when its scores are valid: one wrong score, one message.
        groups.append(_group(rules, group, group_criteria, errors, check=len(errors) == before))
    if errors:  # the points found so far stay, for review; no total, no rank
        return Result(
            case.id, rules.id, None, None, tuple(criteria), tuple(groups), errors=tuple(errors)
        )

    total = sum((g.points for g in groups), Decimal(0))
    band = next(rank for rank in rules.ranks if rank.interval.contains(total))
    reason = (
        f"Tổng {format_vi(total)} điểm, {band.interval.describe_vi()} điểm: xếp loại"
        f" {band.name_vi} ({_cite(rules, band.article)})"
    )
    rank, code = band.code, None
    for override in rules.overrides:
        if _holds(override.when, rules, case):
            rank, code = override.rank, override.id
            reason = (
                f"{override.reason_vi} (tổng {format_vi(total)} điểm;"
                f" {_cite(rules, override.article)})"
            )
            break
    return Result(case.id, rules.id, rank, total, tuple(criteria), tuple(groups), reason, code)


def propose_item(rules: RuleSet, item: Item, case: Case) -> tuple[Decimal, str] | None:
    """The points the reports decide for one scoring unit, with the explanation; None when the
    unit has no data rule or no band holds (what `rate` takes when no verified score is given).
    """
    return _propose(rules, item.rule, case) if item.rule else None


def _cite(rules: RuleSet, article: str) -> str:
    """Cite the circular and the article ("Thông tư 01/2020/TT-BKHĐT, Điều 8 khoản 2"), or the
    circular alone when the article is NOT_FOUND."""
    return rules.name_vi if article == NOT_FOUND else f"{rules.name_vi}, {article}"


def _check_case(rules: RuleSet, case: Case) -> list[str]:
    errors = []
    if case.kind not in KINDS:
        errors.append(
            f"Loại tổ chức (kind) {case.kind!r} không hợp lệ: dùng htx, lien_hiep hoặc qtdnd"
        )
    if case.sector is not None and case.sector not in SECTORS:
        errors.append(
            f"Lĩnh vực (sector) {case.sector!r} không hợp lệ: dùng nong_nghiep hoặc phi_nong_nghiep"
        )
    if not rules.covers_year(case.year):
        errors.append(
            f"Năm đánh giá (year) {case.year} nằm ngoài các năm áp dụng {rules.name_vi}"
            f" ({rules.first_year}–{rules.last_year})"
        )
    if not Decimal(0) <= case.months_stopped <= Decimal(12):
        errors.append(
            f"Số tháng ngừng hoạt động (months_stopped) {format_vi(case.months_stopped)}"
            " phải từ 0 đến 12"
        )
    return errors


def _holds(condition: Condition, rules: RuleSet, case: Case) -> bool:
    if condition.op == "kind_in":
        return case.kind in condition.kinds
    if condition.op == "operated_months_below":
        rated_on = case.rated_on or rules.rating_date(case.year)
        return operated_months(case.founded, rated_on) < condition.number
    if condition.op == "months_stopped_above":
        return case.months_stopped > condition.number
    if condition.op == "sanctioned":
        return case.sanctioned == condition.flag
    raise ValueError(condition.op)  # the loader admits no other


def _not_rated(rules: RuleSet, case: Case) -> tuple[str, str] | None:
    """The exclusion that holds (file order), else out of the document's scope, else None."""
    for exclusion in rules.exclusions:
        if _holds(exclusion.when, rules, case):
            reason = f"{exclusion.reason_vi} ({_cite(rules, exclusion.article)})"
            return exclusion.id, reason
    if case.kind not in rules.kinds:
        kinds = ", ".join(KIND_NAMES_VI[k] for k in KINDS if k in rules.kinds)
        return NOT_IN_SCOPE, (
            f"{rules.name_vi} không áp dụng cho {KIND_NAMES_VI[case.kind]}"
            f" (chỉ áp dụng cho {kinds})"
        )
    if case.sector is not None and case.sector not in rules.sectors:
        sectors = ", ".join(SECTOR_NAMES_VI[s] for s in SECTORS if s in rules.sectors)
        return NOT_IN_SCOPE, (
            f"{rules.name_vi} không áp dụng cho lĩnh vực {SECTOR_NAMES_VI[case.sector]}"
            f" (chỉ áp dụng cho lĩnh vực {sectors})"
        )
    return None


def _check_keys(rules: RuleSet, case: Case) -> list[str]:
    """Score keys must be scoring units of the rule set."""
    units = set(rules.item_ids())
    parents = {c.id: c for c in rules.criteria() if c.has_sub_items}
    errors = []
    for key in case.scores:
        if key in parents:
            subs = ", ".join(item.id for item in parents[key].items)
            errors.append(
                f"Điểm '{key}': tiêu chí {key} được chấm qua các tiêu chí thành phần {subs},"
                " hãy cho điểm từng tiêu chí thành phần"
            )
        elif key not in units:
            errors.append(f"Điểm '{key}': không có tiêu chí mã '{key}' trong {rules.name_vi}")
    return errors


def _bound_text(item: Item) -> str:
    if item.max_points is not None:
        return f"mức tối đa {format_vi(item.bound)} điểm"
    return (
        f"mức tối đa {format_vi(item.bound)} điểm của {item.bound_of}"
        f" (chưa tìm thấy mức tối đa riêng của tiêu chí {item.id})"
    )


def _given_errors(item: Item, score: Score) -> list[str]:
    errors = []
    for label, value in (("tự chấm", score.self_score), ("thẩm định", score.verified)):
        if value is None:
            continue
        what = f"Điểm '{item.id}' ({item.name_vi}; {label}) là {format_vi(value)}"
        if value < 0:
            errors.append(f"{what}: điểm không được âm")
        elif value > item.bound:
            errors.append(f"{what}, vượt {_bound_text(item)}")
    return errors


def _item(rules: RuleSet, item: Item, case: Case, errors: list[str]) -> ItemPoints | None:
    score = case.scores.get(item.id, Score())
    found = _given_errors(item, score)
    errors += found
    proposal = _propose(rules, item.rule, case) if item.rule else None
    if score.verified is not None:
        note = _differs(score.self_score, "tự chấm") + _differs(
            proposal[0] if proposal else None, "số liệu đề xuất"
        )
        return ItemPoints(
            item.id, score.verified, "verified",
            f"{item.id}: {format_vi(score.verified)} điểm thẩm định{_paren(note, score.verified)}",
        )  # fmt: skip
    if proposal is not None:
        points, why = proposal
        note = _differs(score.self_score, "tự chấm")
        return ItemPoints(
            item.id, points, "data",
            f"{item.id}: {format_vi(points)} điểm theo số liệu ({why}){_paren(note, points)}",
        )  # fmt: skip
    if score.self_score is not None:
        return ItemPoints(
            item.id,
            score.self_score,
            "self",
            f"{item.id}: {format_vi(score.self_score)} điểm tự chấm",
        )
    if not found:
        hint = ""
        if item.rule:
            needed = ", ".join(dict.fromkeys(_indicators(item.rule)))
            hint = f"; hoặc cung cấp số liệu báo cáo để tính: {needed}"
        errors.append(f"Thiếu điểm '{item.id}' ({item.name_vi}){hint}")
    return None


def _differs(value: Decimal | None, label: str) -> list[tuple[Decimal, str]]:
    return [] if value is None else [(value, label)]


def _paren(notes: list[tuple[Decimal, str]], chosen: Decimal) -> str:
    shown = [f"{label} {format_vi(value)}" for value, label in notes if value != chosen]
    return f" ({', '.join(shown)})" if shown else ""


def _indicators(rule: DataRule) -> list[str]:
    names = list(rule.value.indicators)
    for case in rule.cases:
        if case.value:
            names += case.value.indicators
    return names


def _measure(rules: RuleSet, value: Value, case: Case) -> tuple[Decimal, str] | None:
    """The value a data rule reads, with its explanation; None when not computable."""
    report = case.report or {}
    names = [rules.indicators[n].name_vi for n in value.indicators]
    first = report.get(value.indicators[0])
    if first is None:
        return None
    if value.op == "indicator":
        return first, f"{names[0]} {format_vi(first)}"
    if value.op == "change":
        before = (case.previous_report or {}).get(value.indicators[0])
        if before is None:
            return None
        return first - before, (
            f"{names[0]} {format_vi(first)} năm nay so với {format_vi(before)} năm trước"
        )
    denominator = report.get(value.indicators[1])
    if denominator is None or denominator <= 0:
        return None
    ratio = first / denominator
    return ratio, (
        f"{names[0]} / {names[1]} = {format_vi(first)} / {format_vi(denominator)}"
        f" = {format_vi(ratio.quantize(Decimal('0.0001')).normalize())}"
    )


def _propose(rules: RuleSet, rule: DataRule, case: Case) -> tuple[Decimal, str] | None:
    """The points the reports decide: the first case whose value lies in its band."""
    for data_case in rule.cases:
        measured = _measure(rules, data_case.value or rule.value, case)
        if measured is not None and data_case.interval.contains(measured[0]):
            return data_case.points, f"{measured[1]}: {data_case.label_vi}"
    return None


def _criterion(
    rules: RuleSet, criterion: Criterion, case: Case, errors: list[str]
) -> CriterionPoints:
    before = len(errors)
    scored = [_item(rules, item, case, errors) for item in criterion.items]
    items = tuple(i for i in scored if i is not None)
    points = sum((i.points for i in items), Decimal(0))
    reason = "; ".join(i.reason_vi for i in items)
    valid = len(errors) == before
    if valid and criterion.max_points is not None and points > criterion.max_points:
        points, note = _over(
            rules, f"tiêu chí {criterion.id}", points, criterion.max_points, errors
        )
        reason += note
    return CriterionPoints(
        criterion.id, criterion.name_vi, points, criterion.max_points, items, reason
    )


def _group(
    rules: RuleSet,
    group: Group,
    criteria: list[CriterionPoints],
    errors: list[str],
    *,
    check: bool,
) -> GroupPoints:
    points = sum((c.points for c in criteria), Decimal(0))
    if check and points > group.max_points:
        keys = ", ".join(c.id for c in criteria)
        points, _ = _over(
            rules, f"{group.label_vi} (tiêu chí {keys})", points, group.max_points, errors
        )
    heading = group.name_vi if group.synthetic else f"Nhóm {group.id} ({group.name_vi})"
    return GroupPoints(group.id, group.name_vi, points, group.max_points, heading)


def _over(
    rules: RuleSet, what: str, points: Decimal, max_points: Decimal, errors: list[str]
) -> tuple[Decimal, str]:
    """A sum above its maximum: an error, or capped, as the rule file says (sum_over_max)."""
    if rules.sum_over_max == "cap":
        return max_points, (
            f" (tổng {format_vi(points)} điểm, giới hạn ở mức tối đa {format_vi(max_points)})"
        )
    errors.append(
        f"Tổng điểm {what} là {format_vi(points)}, vượt mức tối đa {format_vi(max_points)} điểm"
    )
    return points, ""
