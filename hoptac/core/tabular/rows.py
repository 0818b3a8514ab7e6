"""The rows of an import: what is done with each (new / changed / unchanged / error), its
errors and changes, and the summary of a run (what the commands print as JSON)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

NEW, CHANGED, UNCHANGED, ERROR = "new", "changed", "unchanged", "error"
ACTIONS = (ERROR, NEW, CHANGED, UNCHANGED)


@dataclass
class RowError:
    """An error of one row: the row number as the spreadsheet shows it, the column's header
    as the file writes it ("" for the whole row), and the message."""

    row: int
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class Change:
    """One field that an import changes: its label, the old and the new value as shown."""

    label: str
    old: str
    new: str


@dataclass
class RowPlan:
    """What an import does with one row: the fields every app's plan has. An app's plan
    subclasses it with what its writer needs (the record matched, the values to write).

    raw: the row's cells as read (the fix-list writes them back); name: what the preview
    shows of the row."""

    row: int
    raw: list[Any]
    action: str = NEW
    name: str = ""
    errors: list[RowError] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """The row as the preview stores it (JSON)."""
        return {
            "row": self.row,
            "action": self.action,
            "name": self.name,
            "changes": [[c.label, c.old, c.new] for c in self.changes],
            "errors": [[e.column, e.message] for e in self.errors],
        }


@dataclass
class Summary:
    """The outcome of an import: counts of what the file holds (and, when `written`, of
    what was written), every error, and where the fix-list went."""

    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    error_rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    written: bool = False
    dry_run: bool = False
    fix_list: str = ""
    file_error: str = ""

    @property
    def accounted(self) -> bool:
        """Every row is created, updated, unchanged or in the fix-list."""
        listed = self.error_rows if self.fix_list else 0
        return self.rows == self.created + self.updated + self.unchanged + listed

    def count(self, plan: RowPlan) -> None:
        """Count one planned row."""
        self.rows += 1
        if plan.action == ERROR:
            self.error_rows += 1
            self.errors.extend(plan.errors)
        elif plan.action == NEW:
            self.created += 1
        elif plan.action == CHANGED:
            self.updated += 1
        else:
            self.unchanged += 1

    def as_dict(self) -> dict[str, Any]:
        """The summary as the commands print it with --format json."""
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "errors": [e.as_dict() for e in self.errors],
            "rows": self.rows,
            "error_rows": self.error_rows,
            "written": self.written,
            "dry_run": self.dry_run,
            "fix_list": self.fix_list,
        }

    @classmethod
    def of_file_error(cls, message: str, *, dry_run: bool = False) -> Summary:
        """The summary of a file that could not be read at all."""
        summary = cls(dry_run=dry_run, file_error=message)
        summary.errors.append(RowError(0, "", message))
        return summary
