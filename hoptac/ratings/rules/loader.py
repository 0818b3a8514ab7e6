"""Read a rule file (data/<id>.yaml) into a RuleSet, checking its structure.

A bad file fails loudly: RulesError names the file and the key ("tt01-2020.yaml:
groups[0].criteria[1].sub_items[0].max: ..."). Adding a circular means adding a file here; the
checks below are what such a file must satisfy (docs/rules.md describes the format).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, NoReturn

import yaml

from .model import (
    KINDS,
    NOT_FOUND,
    RANKS,
    SECTORS,
    Condition,
    Criterion,
    DataCase,
    DataRule,
    Exclusion,
    Group,
    Indicator,
    Interval,
    Item,
    Override,
    Rank,
    RuleSet,
    Value,
)

DATA_DIR = Path(__file__).resolve().parent / "data"
SCHEMA = 1
ID_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
KEY_RE = re.compile(r"[a-z][a-z0-9_]*")
CONDITIONS = ("kind_in", "operated_months_below", "months_stopped_above", "sanctioned")
SUM_POLICIES = ("error", "cap")
CONFIDENCES = ("high", "medium", "low")


class RulesError(ValueError):
    """A rule file that cannot be used; the message names the file and the key."""


class _Node:
    """A mapping of the file with its path, for error messages that point at the key."""

    def __init__(self, file: str, where: str, data: object) -> None:
        self.file = file
        self.where = where
        if not isinstance(data, Mapping):
            self.fail(f"expected a mapping, got {_shown(data)}")
        self.data: Mapping[str, Any] = data

    def fail(self, message: str, key: str | None = None) -> NoReturn:
        where = f"{self.where}.{key}" if key and self.where else (key or self.where or "(top)")
        raise RulesError(f"{self.file}: {where}: {message}")

    def allow(self, required: set[str], optional: frozenset[str] | set[str] = frozenset()) -> None:
        for key in self.data:
            if key not in required | optional:
                self.fail(
                    f"unknown key (expected one of {', '.join(sorted(required | optional))})", key
                )
        for key in sorted(required):
            if key not in self.data:
                self.fail("missing", key)

    def sub(self, key: str) -> _Node:
        return _Node(self.file, self._path(key), self.data[key])

    def items(self, key: str, *, allow_empty: bool = False) -> list[_Node]:
        value = self.data[key]
        if not isinstance(value, list) or (not value and not allow_empty):
            self.fail(
                f"expected a {'' if allow_empty else 'non-empty '}list, got {_shown(value)}", key
            )
        return [_Node(self.file, f"{self._path(key)}[{i}]", v) for i, v in enumerate(value)]

    def _path(self, key: str) -> str:
        return f"{self.where}.{key}" if self.where else key

    def text(self, key: str, default: str | None = None) -> str:
        value = self.data.get(key, default)
        if not isinstance(value, str) or not value.strip():
            self.fail(f"expected text, got {_shown(value)}", key)
        return " ".join(value.split())

    def ident(self, key: str) -> str:
        value = self.data.get(key)
        if isinstance(value, bool | float):
            self.fail(f"quote the id (YAML read {_shown(value)} as a number)", key)
        value = str(value) if isinstance(value, int) else value
        if not isinstance(value, str) or not ID_RE.fullmatch(value):
            self.fail(
                f"expected an id of letters, digits, '.', '_' or '-', got {_shown(value)}", key
            )
        return value

    def number(self, key: str) -> Decimal:
        """A required number, not negative."""
        value = self.data.get(key)
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.fail(f"expected a number, got {_shown(value)}", key)
        result = Decimal(str(value))
        if result < 0:
            self.fail(f"must not be negative, got {value}", key)
        return result

    def number_or_not_found(self, key: str) -> Decimal | None:
        """A number, or None for NOT_FOUND."""
        if self.data.get(key) == NOT_FOUND:
            return None
        if isinstance(self.data.get(key), str):
            self.fail(f"expected a number or NOT_FOUND, got {_shown(self.data.get(key))}", key)
        return self.number(key)

    def year(self, value: object, key: str) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not 1900 <= value <= 2100:
            self.fail(f"expected a year, got {_shown(value)}", key)
        return value

    def day(self, key: str, *, not_found: bool = False) -> date | None:
        value = self.data.get(key)
        if not_found and value == NOT_FOUND:
            return None
        if not isinstance(value, date):
            expected = "a date (YYYY-MM-DD) or NOT_FOUND" if not_found else "a date (YYYY-MM-DD)"
            self.fail(f"expected {expected}, got {_shown(value)}", key)
        return value

    def flag(self, key: str, default: bool = False) -> bool:
        value = self.data.get(key, default)
        if not isinstance(value, bool):
            self.fail(f"expected true or false, got {_shown(value)}", key)
        return value


def _shown(value: object) -> str:
    return "nothing" if value is None else repr(value)


def available() -> list[str]:
    """The ids of the rule files in DATA_DIR (each file's name is its id)."""
    return sorted(path.stem for path in DATA_DIR.glob("*.yaml"))


def load_rules(rules_id: str, directory: Path = DATA_DIR) -> RuleSet:
    """The rule set of one document, by id (the file data/<id>.yaml)."""
    if not ID_RE.fullmatch(rules_id):
        raise RulesError(f"{rules_id!r}: not a rules id")
    path = directory / f"{rules_id}.yaml"
    if not path.is_file():
        known = ", ".join(sorted(p.stem for p in directory.glob("*.yaml")))
        raise RulesError(f"{path.name}: no such rule file (available: {known})")
    return load_file(path)


def load_all(directory: Path = DATA_DIR) -> list[RuleSet]:
    """Every rule set of the directory, in file-name order."""
    return [load_file(path) for path in sorted(directory.glob("*.yaml"))]


def load_file(path: Path) -> RuleSet:
    """Read and check one rule file."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise RulesError(f"{path.name}: not valid YAML: {error}") from error
    return parse(data, path.name)


def parse(data: object, file: str) -> RuleSet:
    """Build a RuleSet from the loaded YAML of `file` (its name is used in messages)."""
    top = _Node(file, "", data)
    top.allow(
        {"schema", "id", "document", "validity", "scope", "rating_date", "total_max",
         "sum_over_max", "groups", "ranks", "extra_conditions", "exclusions", "overrides"},
        {"indicators"},
    )  # fmt: skip
    if top.data["schema"] != SCHEMA:
        top.fail(f"this loader reads schema {SCHEMA}, got {_shown(top.data['schema'])}", "schema")
    rules_id = top.ident("id")
    if file.endswith(".yaml") and file[: -len(".yaml")] != rules_id:
        top.fail(f"must equal the file name without .yaml ({file[: -len('.yaml')]!r})", "id")

    document = top.sub("document")
    document.allow({"number", "title_vi", "issuer", "source"}, {"issued"})
    validity = top.sub("validity")
    validity.allow(
        {"valid_from", "repealed_on", "evaluation_years", "source"}, {"repealed_by", "note"}
    )
    years = validity.data["evaluation_years"]
    if not isinstance(years, list) or len(years) != 2:
        validity.fail("expected [first year, last year]", "evaluation_years")
    first_year = validity.year(years[0], "evaluation_years")
    last_year = validity.year(years[1], "evaluation_years")
    if first_year > last_year:
        validity.fail("the first year is after the last", "evaluation_years")
    valid_from = validity.day("valid_from", not_found=True)
    repealed_on = validity.day("repealed_on", not_found=True)
    if valid_from and repealed_on and repealed_on <= valid_from:
        validity.fail("repealed before it took effect", "repealed_on")
    repealed_by = validity.data.get("repealed_by")
    if repealed_by is not None and repealed_by != NOT_FOUND:
        repealed_by = validity.text("repealed_by")
    else:
        repealed_by = None
    validity.text("source")

    scope = top.sub("scope")
    scope.allow({"kinds", "sectors", "source"})
    kinds = _codes(scope, "kinds", KINDS)
    sectors = _codes(scope, "sectors", SECTORS)
    scope.text("source")

    rating = top.sub("rating_date")
    rating.allow({"month", "day", "source"}, {"note"})
    month, day = rating.data["month"], rating.data["day"]
    try:
        if isinstance(month, bool) or isinstance(day, bool):
            raise TypeError
        date(2001, month, day)  # not a leap year: 29/2 is refused, it is not a day of every year
    except (TypeError, ValueError):
        rating.fail(f"not a day of every year: month {month!r}, day {day!r}")
    rating.text("source")

    total_max = top.number("total_max")
    policy = top.data["sum_over_max"]
    if policy not in SUM_POLICIES:
        top.fail(f"expected one of {', '.join(SUM_POLICIES)}, got {_shown(policy)}", "sum_over_max")

    indicators = _indicators(top)
    groups = tuple(_group(node, indicators) for node in top.items("groups"))
    _check_ids(top, groups)
    group_sum = sum((g.max_points for g in groups), Decimal(0))
    if group_sum != total_max:
        top.fail(f"the groups' maxima add up to {group_sum}, not total_max {total_max}", "groups")

    ranks = tuple(_rank(node) for node in top.items("ranks"))
    _check_ranks(top, ranks, total_max)
    extra = top.sub("extra_conditions")
    extra.allow({"found", "source"}, {"note"})
    extra.flag("found")
    extra.text("source")

    exclusions = tuple(_exclusion(node) for node in top.items("exclusions", allow_empty=True))
    rank_codes = {rank.code for rank in ranks}
    overrides = tuple(
        _override(node, rank_codes) for node in top.items("overrides", allow_empty=True)
    )
    return RuleSet(
        id=rules_id,
        path=file,
        number=document.text("number"),
        title_vi=document.text("title_vi"),
        issuer=document.text("issuer"),
        issued=document.day("issued", not_found=True) if "issued" in document.data else None,
        valid_from=valid_from,
        repealed_on=repealed_on,
        repealed_by=repealed_by,
        first_year=first_year,
        last_year=last_year,
        kinds=kinds,
        sectors=sectors,
        rating_month=month,
        rating_day=day,
        total_max=total_max,
        sum_over_max=policy,
        indicators=indicators,
        groups=groups,
        ranks=ranks,
        exclusions=exclusions,
        overrides=overrides,
    )


def _codes(node: _Node, key: str, allowed: tuple[str, ...]) -> frozenset[str]:
    value = node.data[key]
    if not isinstance(value, list) or not value:
        node.fail(f"expected a non-empty list of {', '.join(allowed)}", key)
    for code in value:
        if code not in allowed:
            node.fail(f"unknown code {_shown(code)} (expected {', '.join(allowed)})", key)
    return frozenset(value)


def _indicators(top: _Node) -> dict[str, Indicator]:
    if "indicators" not in top.data:
        return {}
    node = top.sub("indicators")
    result = {}
    for key in node.data:
        if not isinstance(key, str) or not KEY_RE.fullmatch(key):
            node.fail("an indicator key is lower_case_with_underscores", str(key))
        entry = node.sub(key)
        entry.allow({"name_vi", "unit", "source"}, {"note"})
        result[key] = Indicator(
            key, entry.text("name_vi"), entry.text("unit"), entry.text("source")
        )
    return result


def _group(node: _Node, indicators: Mapping[str, Indicator]) -> Group:
    node.allow({"id", "name_vi", "max", "article", "source", "criteria"}, {"synthetic", "note"})
    group_id = node.ident("id")
    max_points = node.number("max")
    name = node.text("name_vi")
    synthetic = node.flag("synthetic")
    label = f"các {name[0].lower()}{name[1:]}" if synthetic else f"nhóm {group_id}"
    criteria = tuple(_criterion(c, indicators, max_points, label) for c in node.items("criteria"))
    known = [c.max_points for c in criteria if c.max_points is not None]
    _check_sum(node, "criteria", known, len(known) == len(criteria), max_points)
    return Group(
        id=group_id,
        name_vi=name,
        label_vi=label,
        max_points=max_points,
        article=node.text("article"),
        source=node.text("source"),
        criteria=criteria,
        synthetic=synthetic,
        note=node.text("note") if "note" in node.data else "",
    )


def _check_sum(
    node: _Node, key: str, known: list[Decimal], complete: bool, max_points: Decimal
) -> None:
    total = sum(known, Decimal(0))
    if complete and total != max_points:
        node.fail(f"the maxima add up to {total}, not this node's max {max_points}", key)
    if not complete and total > max_points:
        node.fail(f"the known maxima add up to {total}, above this node's max {max_points}", key)


def _criterion(
    node: _Node, indicators: Mapping[str, Indicator], group_max: Decimal, group_name: str
) -> Criterion:
    node.allow({"id", "name_vi", "max", "article", "source"}, {"sub_items", "rule", "note"})
    criterion_id = node.ident("id")
    max_points = node.number_or_not_found("max")
    if max_points is not None and max_points > group_max:
        node.fail(f"above the group's max {group_max}", "max")
    bound, bound_of = (
        (max_points, f"tiêu chí {criterion_id}")
        if max_points is not None
        else (group_max, group_name)
    )
    if ("sub_items" in node.data) == ("rule" in node.data):
        node.fail("give either sub_items or rule (the criterion scored as a whole)")
    if "sub_items" in node.data:
        items = tuple(_item(n, indicators, bound, bound_of) for n in node.items("sub_items"))
        known = [i.max_points for i in items if i.max_points is not None]
        if max_points is not None:
            _check_sum(node, "sub_items", known, len(known) == len(items), max_points)
    else:
        items = (_item_fields(node, criterion_id, max_points, bound, bound_of, indicators),)
    return Criterion(
        id=criterion_id,
        name_vi=node.text("name_vi"),
        max_points=max_points,
        article=node.text("article"),
        source=node.text("source"),
        items=items,
        has_sub_items="sub_items" in node.data,
    )


def _item(
    node: _Node, indicators: Mapping[str, Indicator], parent_bound: Decimal, parent_of: str
) -> Item:
    node.allow({"id", "name_vi", "max", "source", "rule"}, {"note"})
    item_id = node.ident("id")
    max_points = node.number_or_not_found("max")
    if max_points is not None and max_points > parent_bound:
        node.fail(f"above the max {parent_bound} of {parent_of}", "max")
    return _item_fields(node, item_id, max_points, parent_bound, parent_of, indicators)


def _item_fields(
    node: _Node,
    item_id: str,
    max_points: Decimal | None,
    parent_bound: Decimal,
    parent_of: str,
    indicators: Mapping[str, Indicator],
) -> Item:
    bound, bound_of = (
        (max_points, f"tiêu chí {item_id}") if max_points is not None else (parent_bound, parent_of)
    )
    rule = None
    if node.data["rule"] != NOT_FOUND:
        rule = _data_rule(node.sub("rule"), indicators, bound)
    return Item(
        id=item_id,
        name_vi=node.text("name_vi"),
        max_points=max_points,
        bound=bound,
        bound_of=bound_of,
        rule=rule,
        source=node.text("source"),
        note=node.text("note") if "note" in node.data else "",
    )


def _data_rule(node: _Node, indicators: Mapping[str, Indicator], bound: Decimal) -> DataRule:
    node.allow({"confidence", "source", "value", "cases"}, {"note"})
    confidence = node.data["confidence"]
    if confidence not in CONFIDENCES:
        node.fail(
            f"expected one of {', '.join(CONFIDENCES)}, got {_shown(confidence)}", "confidence"
        )
    value = _value(node, "value", indicators)
    cases = []
    for case in node.items("cases"):
        case.allow({"points", "label_vi"}, {"value", "from", "above", "below", "to"})
        points = case.number("points")
        if points > bound:
            case.fail(f"{points} points is above the max {bound}", "points")
        own = _value(case, "value", indicators) if "value" in case.data else None
        cases.append(DataCase(_interval(case), points, case.text("label_vi"), own))
    return DataRule(
        value=value,
        cases=tuple(cases),
        confidence=confidence,
        source=node.text("source"),
        note=node.text("note") if "note" in node.data else "",
    )


def _value(node: _Node, key: str, indicators: Mapping[str, Indicator]) -> Value:
    spec = node.sub(key)
    if len(spec.data) != 1:
        spec.fail("expected one of {indicator: K}, {change: K}, {ratio: [K, K]}")
    op, args = next(iter(spec.data.items()))
    if op in ("indicator", "change"):
        names = (args,)
    elif op == "ratio":
        if not isinstance(args, list) or len(args) != 2:
            spec.fail("expected [numerator, denominator]", "ratio")
        names = tuple(args)
    else:
        spec.fail("expected one of indicator, change, ratio", str(op))
    for name in names:
        if name not in indicators:
            spec.fail(f"indicator {_shown(name)} is not declared under `indicators`", str(op))
    return Value(op, names)


def _bound(node: _Node, key: str) -> Decimal | None:
    if key not in node.data:
        return None
    value = node.data[key]
    if isinstance(value, bool) or not isinstance(value, int | float):
        node.fail(f"expected a number, got {_shown(value)}", key)
    return Decimal(str(value))


def _interval(node: _Node) -> Interval:
    """`from` (inclusive) or `above` (exclusive); `below` (exclusive) or `to` (inclusive)."""
    if "from" in node.data and "above" in node.data:
        node.fail("give `from` (inclusive) or `above` (exclusive), not both")
    if "below" in node.data and "to" in node.data:
        node.fail("give `below` (exclusive) or `to` (inclusive), not both")
    above, to = _bound(node, "above"), _bound(node, "to")
    lower = above if above is not None else _bound(node, "from")
    upper = to if to is not None else _bound(node, "below")
    band = Interval(lower, above is None, upper, to is not None)
    if (
        lower is not None
        and upper is not None
        and (
            lower > upper
            or (lower == upper and not (band.lower_inclusive and band.upper_inclusive))
        )
    ):
        node.fail("the band is empty (its lower bound is not below its upper bound)")
    return band


def _rank(node: _Node) -> Rank:
    node.allow({"code", "name_vi", "article", "source"}, {"from", "above", "below", "to"})
    code = node.data["code"]
    if code not in RANKS:
        node.fail(f"expected one of {', '.join(RANKS)}, got {_shown(code)}", "code")
    return Rank(
        code, node.text("name_vi"), _interval(node), node.text("article"), node.text("source")
    )


def _check_ranks(top: _Node, ranks: tuple[Rank, ...], total_max: Decimal) -> None:
    """The bands must cover 0..total_max exactly once: sorted, each starts where the last ended."""
    codes = [rank.code for rank in ranks]
    if len(set(codes)) != len(codes):
        top.fail("a rank code appears twice", "ranks")
    ordered = sorted(ranks, key=lambda r: r.interval.lower if r.interval.lower is not None else -1)
    edge, edge_included = Decimal(0), False  # covered so far: [0, edge) or [0, edge]
    for rank in ordered:
        band = rank.interval
        if band.lower != edge or band.lower_inclusive == edge_included:
            top.fail(
                f"rank {rank.code} must start where the previous band ends ({edge}) without"
                " a gap or an overlap",
                "ranks",
            )
        if band.upper is None:
            top.fail(f"rank {rank.code} needs an upper bound (`below` or `to`)", "ranks")
        edge, edge_included = band.upper, band.upper_inclusive
    if edge != total_max or not edge_included:
        top.fail(f"the bands must end at `to: {total_max}` (inclusive)", "ranks")


def _condition(node: _Node) -> Condition:
    when = node.sub("when")
    if len(when.data) != 1:
        when.fail(f"expected exactly one of {', '.join(CONDITIONS)}")
    op = next(iter(when.data))
    if op == "kind_in":
        return Condition(op, kinds=_codes(when, op, KINDS))
    if op in ("operated_months_below", "months_stopped_above"):
        return Condition(op, number=when.number(op))
    if op == "sanctioned":
        return Condition(op, flag=when.flag(op))
    return when.fail(f"unknown condition (expected one of {', '.join(CONDITIONS)})", str(op))


def _exclusion(node: _Node) -> Exclusion:
    node.allow({"id", "when", "reason_vi", "article", "source"})
    return Exclusion(
        node.ident("id"), _condition(node), node.text("reason_vi"),
        node.text("article"), node.text("source"),
    )  # fmt: skip


def _override(node: _Node, rank_codes: set[str]) -> Override:
    node.allow({"id", "when", "rank", "reason_vi", "article", "source"})
    rank = node.data["rank"]
    if rank not in rank_codes:
        node.fail(f"not a rank of this file: {_shown(rank)}", "rank")
    return Override(
        node.ident("id"), _condition(node), rank, node.text("reason_vi"),
        node.text("article"), node.text("source"),
    )  # fmt: skip


def _check_ids(top: _Node, groups: tuple[Group, ...]) -> None:
    """Criterion and item ids are score keys and must be unique across the file."""
    group_ids = [group.id for group in groups]
    if len(set(group_ids)) != len(group_ids):
        top.fail("a group id appears twice", "groups")
    seen: set[str] = set()
    for group in groups:
        for criterion in group.criteria:
            ids = [criterion.id] + [i.id for i in criterion.items if criterion.has_sub_items]
            for key in ids:
                if key in seen:
                    top.fail(f"the id {key!r} appears twice", "groups")
                seen.add(key)
