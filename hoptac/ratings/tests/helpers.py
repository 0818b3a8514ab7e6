"""Score sheets and cases for the engine tests (plain data, no database).

The full sheets give every scoring unit its maximum, from the domain files:
TT01 (classification_tt01_2020.yaml `evaluation`): group I 1a 6 + 1b 1 + 2a 5 + 2b 1 + 3a 4 + 3b 3
+ 3c 4 + 4a 2 + 4b 2 + 4c 2 = 30; group II 5: 8 + 6: 6 + 7a 2 + 7b 2 + 7c 2 + 8: 6 + 9: 4 = 30;
group III: only the total 40 is known, so criteria 10–15 get 8 + 8 + 8 + 6 + 6 + 4 = 40.
Total 100.
TT09 (classification_tt09_2017_agri.yaml `evaluation`): criterion 1: 1.1 8 + 1.2 10 + 1.3 10
+ 1.4 5 + 1.5 5 = 38; criteria 2–6 share the remaining 62: 2.1 8 + 2.x 12 + 3: 12 + 4: 10 + 5: 8
+ 6: 12 = 62. Total 100.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hoptac.ratings.rules import Case, Score

TT01_FULL = {
    "1a": 6, "1b": 1, "2a": 5, "2b": 1, "3a": 4, "3b": 3, "3c": 4, "4a": 2, "4b": 2, "4c": 2,
    "5": 8, "6": 6, "7a": 2, "7b": 2, "7c": 2, "8": 6, "9": 4,
    "10": 8, "11": 8, "12": 8, "13": 6, "14": 6, "15": 4,
}  # fmt: skip
TT01_ZERO = dict.fromkeys(TT01_FULL, 0)

TT09_FULL = {
    "1.1": 8, "1.2": 10, "1.3": 10, "1.4": 5, "1.5": 5,
    "2.1": 8, "2.x": 12, "3": 12, "4": 10, "5": 8, "6": 12,
}  # fmt: skip
TT09_ZERO = dict.fromkeys(TT09_FULL, 0)


def scores(sheet: dict[str, object]) -> dict[str, Score]:
    """Plain numbers are self-scores; a Score passes through."""
    return {
        key: value if isinstance(value, Score) else Score(self_score=Decimal(str(value)))
        for key, value in sheet.items()
    }


def case(sheet: dict[str, object] | None = None, **fields: object) -> Case:
    """A case of an HTX founded long ago, for 2021 unless told; fields override."""
    values: dict[str, object] = {
        "id": "t",
        "kind": "htx",
        "founded": date(2010, 1, 1),
        "year": 2021,
        "scores": scores(sheet or {}),
    }
    values.update(fields)
    return Case(**values)  # type: ignore[arg-type]


def decimals(report: dict[str, object]) -> dict[str, Decimal]:
    return {key: Decimal(str(value)) for key, value in report.items()}
