"""`python manage.py import_registry FILE [--dry-run] [--format json] [--valid-only --fix-list
FILE] [--user USERNAME]`: the import page's code (importing.run_import) from the shell.

The flags, the summary (JSON with --format json) and the exit status are those of every import
command (hoptac.core.tabular.command): 0 when everything was imported (or, with --dry-run,
would be); 1 when a row has an error (nothing written) or the file cannot be read; with
--valid-only --fix-list FILE, the valid rows are imported, the others written to the fix-list,
and the status is 0 only if every row was accounted for.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hoptac.core.tabular import Summary
from hoptac.core.tabular.command import ImportCommand
from hoptac.registry import importing


class Command(ImportCommand):
    help = (
        "Import cooperatives from a spreadsheet (.xlsx, .xls, .ods, .csv), as the import page "
        "does. Exits with 1 when a row has an error, and then writes nothing."
    )

    def import_file(self, path: Path, *, user: Any, options: dict[str, Any]) -> Summary:
        return importing.run_import(
            path,
            user=user,
            dry_run=options["dry_run"],
            valid_only=options["valid_only"],
            fix_list=options["fix_list"] if options["valid_only"] else None,
            filename=path.name,
        )
