"""Pure rules of accounts: which area fits which role, and what changed between two versions
of an account. No database here; values in, values out (tested without a DB)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from hoptac.accounts.choices import ROLE_AREA_ERA, ROLE_AREA_LEVEL, Role
from hoptac.areas.choices import Level

# Why an area does not fit a role: the codes role_area_problem returns. The messages a user
# reads are accounts.messages.AREA_PROBLEMS (translated there, so that this module needs no
# Django).
ADMIN_HAS_AREA = "admin_has_area"
AREA_MISSING = "area_missing"
PROVINCE_EXPECTED = "province_expected"
DISTRICT_EXPECTED = "district_expected"
COMMUNE_EXPECTED = "commune_expected"

_LEVEL_PROBLEM = {
    Level.PROVINCE: PROVINCE_EXPECTED,
    Level.DISTRICT: DISTRICT_EXPECTED,
    Level.COMMUNE: COMMUNE_EXPECTED,
}


def role_area_problem(role: str, level: int | None, era: str | None) -> str | None:
    """Why an area of `level` in tree `era` (None: no area) does not fit `role` (one of the
    codes above), or None.

    An administrator works nationwide and has no area; each officer works for exactly one
    unit of his level (a district only in the old tree); an HTX manager may have an area
    (where his HTX is) or not.
    """
    if role == Role.ADMIN:
        return ADMIN_HAS_AREA if level else None
    expected = ROLE_AREA_LEVEL.get(role)
    if expected is None:
        return None
    if level is None:
        return AREA_MISSING
    if level != expected:
        return _LEVEL_PROBLEM[Level(expected)]
    if ROLE_AREA_ERA.get(role, era) != era:
        return _LEVEL_PROBLEM[Level(expected)]
    return None


# --- history of an account ----------------------------------------------------------------

KIND_CREATED = "+"
KIND_CHANGED = "~"
KIND_DELETED = "-"
EMPTY = (None, "", False)  # a created account lists only the fields given a value
# history_change_reason of a password set by a manager (a label, not a password)
REASON_PASSWORD_SET = "password_set"  # noqa: S105


@dataclass(frozen=True, slots=True)
class Change:
    """One field of an account changed from `old` to `new` (raw stored values)."""

    field: str
    old: Any
    new: Any


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One saved version of an account: when, by whom, and which tracked fields changed."""

    date: datetime
    kind: str  # "+" created, "~" changed, "-" deleted (simple-history's history_type)
    actor_id: int | None
    reason: str
    changes: list[Change] = field(default_factory=list)


def history_entries(rows: Iterable[Mapping[str, Any]], fields: Sequence[str]) -> list[HistoryEntry]:
    """Turn historical rows (oldest first) into entries listing the fields each one changed.

    A row has simple-history's columns (history_date, history_type, history_user_id,
    history_change_reason) and the tracked `fields`. A creation lists the fields that were
    given a value; a later row lists the fields that differ from the row before it.
    """
    entries: list[HistoryEntry] = []
    previous: Mapping[str, Any] | None = None
    for row in rows:
        if previous is None or row["history_type"] == KIND_CREATED:
            changes = [Change(name, None, row[name]) for name in fields if row[name] not in EMPTY]
        else:
            changes = [
                Change(name, previous[name], row[name])
                for name in fields
                if previous[name] != row[name]
            ]
        entries.append(
            HistoryEntry(
                date=row["history_date"],
                kind=row["history_type"],
                actor_id=row["history_user_id"],
                reason=row.get("history_change_reason") or "",
                changes=changes,
            )
        )
        previous = row
    return entries
