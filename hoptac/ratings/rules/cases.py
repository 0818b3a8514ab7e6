"""Cases and results as JSON-shaped data (the `rate` command's format, docs/rules.md).

Input case: {"id", "kind", "founded": "YYYY-MM-DD", "year", "months_stopped", "sanctioned",
"scores": {key: n | {"self": n, "verified": n}}, "report": {...}, "previous_report": {...}}
(optional: "sector", "rated_on"). Output: {"id", "points": {criterion id: n}, "total", "rank",
"reason"}, or {"id", "error"} for a case that cannot be rated. Numbers may be Decimal (read
JSON with parse_float=Decimal to keep 49.99 exact), int or float; bools are not numbers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from .engine import Case, Result, Score, rate
from .model import RuleSet
from .numbers import format_vi, json_number

FIELDS = {
    "id", "kind", "founded", "year", "months_stopped", "sanctioned", "scores", "report",
    "previous_report", "sector", "rated_on",
}  # fmt: skip
REQUIRED = ("id", "kind", "founded", "year")


class CaseInputError(ValueError):
    """A case that cannot be read; `messages` are in Vietnamese and name the field."""

    def __init__(self, case_id: str | int | None, messages: list[str]) -> None:
        super().__init__("; ".join(messages))
        self.case_id = case_id
        self.messages = messages


def _number(value: object) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return None
    result = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    return result if result.is_finite() else None


def _day(value: object) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value) if len(value) == 10 else None
    except ValueError:
        return None


def _scores(value: object, errors: list[str]) -> dict[str, Score]:
    if not isinstance(value, Mapping):
        errors.append("Trường 'scores' phải là một đối tượng {mã tiêu chí: điểm}")
        return {}
    scores = {}
    for key, given in value.items():
        if isinstance(given, Mapping):
            unknown = set(given) - {"self", "verified"}
            parts = {k: _number(given[k]) for k in ("self", "verified") if given.get(k) is not None}
            if unknown or not parts or None in parts.values():
                errors.append(f'Điểm \'{key}\' phải là một số, hoặc {{"self": số, "verified": số}}')
                continue
            scores[key] = Score(parts.get("self"), parts.get("verified"))
        else:
            number = _number(given)
            if number is None:
                errors.append(f"Điểm '{key}' phải là một số, nhận được {given!r}")
                continue
            scores[key] = Score(self_score=number)
    return scores


def _report(name: str, value: object, errors: list[str]) -> dict[str, Decimal] | None:
    if value is None:
        return None
    if not isinstance(value, Mapping):
        errors.append(f"Trường '{name}' phải là một đối tượng {{chỉ tiêu: số}}")
        return None
    report = {}
    for key, given in value.items():
        if given is None:
            continue
        number = _number(given)
        if number is None:
            errors.append(f"Chỉ tiêu '{name}.{key}' phải là một số, nhận được {given!r}")
        else:
            report[key] = number
    return report


def case_from_json(data: object) -> Case:
    """Read one case; CaseInputError lists everything wrong with it."""
    if not isinstance(data, Mapping):
        raise CaseInputError(None, ['Mỗi hồ sơ phải là một đối tượng JSON {"id": ..., ...}'])
    case_id = data.get("id")
    errors = [f"Thiếu trường '{key}'" for key in REQUIRED if data.get(key) is None]
    errors += [f"Trường '{key}' không được hỗ trợ" for key in data if key not in FIELDS]
    if case_id is not None and (isinstance(case_id, bool) or not isinstance(case_id, str | int)):
        errors.append("Trường 'id' phải là chuỗi hoặc số nguyên")
        case_id = None
    kind = data.get("kind")
    if kind is not None and not isinstance(kind, str):
        errors.append("Trường 'kind' phải là htx, lien_hiep hoặc qtdnd")
    founded = _day(data.get("founded"))
    if data.get("founded") is not None and founded is None:
        errors.append("Trường 'founded' phải là ngày dạng YYYY-MM-DD")
    year = data.get("year")
    if year is not None and (isinstance(year, bool) or not isinstance(year, int)):
        errors.append("Trường 'year' phải là một năm, ví dụ 2019")
    stopped = _number(data.get("months_stopped", 0))
    if stopped is None:
        errors.append("Trường 'months_stopped' phải là số tháng")
    sanctioned = data.get("sanctioned", False)
    if not isinstance(sanctioned, bool):
        errors.append("Trường 'sanctioned' phải là true hoặc false")
    sector = data.get("sector")
    if sector is not None and not isinstance(sector, str):
        errors.append("Trường 'sector' phải là nong_nghiep hoặc phi_nong_nghiep")
    rated_on = _day(data.get("rated_on"))
    if data.get("rated_on") is not None and rated_on is None:
        errors.append("Trường 'rated_on' phải là ngày dạng YYYY-MM-DD")
    scores = _scores(data.get("scores", {}), errors)
    report = _report("report", data.get("report"), errors)
    previous = _report("previous_report", data.get("previous_report"), errors)
    if errors:
        raise CaseInputError(case_id, errors)
    return Case(
        id=case_id,  # type: ignore[arg-type]
        kind=kind,  # type: ignore[arg-type]
        founded=founded,  # type: ignore[arg-type]
        year=year,  # type: ignore[arg-type]
        months_stopped=stopped,  # type: ignore[arg-type]
        sanctioned=sanctioned,
        scores=scores,
        report=report,
        previous_report=previous,
        sector=sector,
        rated_on=rated_on,
    )


def result_to_json(result: Result) -> dict[str, Any]:
    """The output object of one rated case."""
    if result.errors:
        return {"id": result.case_id, "error": "; ".join(result.errors)}
    return {
        "id": result.case_id,
        "points": {c.id: json_number(c.points) for c in result.criteria},
        "total": None if result.total is None else json_number(result.total),
        "rank": result.rank,
        "reason": result.reason_vi,
    }


def rate_one(rules: RuleSet, data: object) -> Result:
    """Rate one JSON case; a case that cannot be read gives a Result carrying the errors."""
    try:
        case = case_from_json(data)
    except CaseInputError as error:
        return Result(error.case_id, rules.id, None, errors=tuple(error.messages))
    return rate(rules, case)


def rate_json(rules: RuleSet, cases: Iterable[object]) -> list[dict[str, Any]]:
    """Rate a list of JSON cases; a bad case gets "error" and the others are still rated."""
    return [result_to_json(rate_one(rules, data)) for data in cases]


def result_to_text(result: Result) -> str:
    """A readable account of one result: rank, total, each criterion with its reason."""
    if result.errors:
        return f"{result.case_id}: LỖI\n" + "".join(f"  - {e}\n" for e in result.errors)
    lines = [f"{result.case_id}: {result.rank} — {result.reason_vi}"]
    for group in result.groups:
        lines.append(
            f"  {group.heading_vi}: {format_vi(group.points)}/{format_vi(group.max_points)}"
        )
    for criterion in result.criteria:
        most = "?" if criterion.max_points is None else format_vi(criterion.max_points)
        lines.append(
            f"    {criterion.id}. {format_vi(criterion.points)}/{most}: {criterion.reason_vi}"
        )
    return "\n".join(lines) + "\n"
