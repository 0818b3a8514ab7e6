"""`python manage.py import_reports FILE [--year YYYY] [--dry-run] [--format json]
[--valid-only --fix-list FILE] [--user USERNAME]`: the report import page's code
(reports.importing.run_import) from the shell.

The flags, the summary (JSON with --format json, the keys of `import_registry`) and the exit
status are those of every import command (hoptac.core.tabular.command), with --year besides:
0 when everything was imported (or, with --dry-run, would be); 1 when a row has an error
(nothing written) or the file cannot be read; with --valid-only --fix-list FILE, the valid rows
are imported, the others written to the fix-list, and the status is 0 only if every row was
accounted for.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from hoptac.accounts import access
from hoptac.core.tabular import Summary
from hoptac.core.tabular.command import ImportCommand
from hoptac.reports import importing


class Command(ImportCommand):
    help = (
        "Import annual reports of many cooperatives from a spreadsheet (.xlsx, .xls, .ods, "
        ".csv), as the report import page does. Exits with 1 when a row has an error, and then "
        "writes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--year",
            type=int,
            help="The year of the reports (needed when the file has no year column).",
        )

    def default_user(self) -> Any:
        return access.SYSTEM  # no --user: the system

    def import_file(self, path: Path, *, user: Any, options: dict[str, Any]) -> Summary:
        return importing.run_import(
            path,
            user=user,
            year=options["year"],
            dry_run=options["dry_run"],
            valid_only=options["valid_only"],
            fix_list=options["fix_list"] if options["valid_only"] else None,
        )
