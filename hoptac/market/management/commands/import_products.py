"""`python manage.py import_products FILE [--dry-run] [--format json | --json] [--valid-only
--fix-list FILE] [--user USERNAME]`: the products import page's code (market.importing's kind
on hoptac.core.tabular's run) from the shell.

The flags, the summary (JSON with --format json, the keys of `import_registry`) and the exit
status are those of every import command (hoptac.core.tabular.command), with --json as a short
form of --format json: 0 when everything was imported (or, with --dry-run, would be); 1 when a
row has an error (nothing written) or the file cannot be read; with --valid-only --fix-list
FILE, the valid rows are imported, the others written to the fix-list, and the status is 0 only
if every row was accounted for. Without --user the import runs as the system (every HTX);
with --user, only for the HTX whose products that user may change.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from hoptac.accounts import access
from hoptac.core.tabular import Summary, run_import
from hoptac.core.tabular.command import ImportCommand
from hoptac.market.importing import PRODUCT_KIND


class Command(ImportCommand):
    help = (
        "Import products of cooperatives (with their OCOP rating) from a spreadsheet (.xlsx, "
        ".xls, .ods, .csv), as the products import page does. Exits with 1 when a row has an "
        "error, and then writes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--json",
            action="store_const",
            const="json",
            dest="format",
            help="The same as --format json.",
        )

    def default_user(self) -> Any:
        return access.SYSTEM  # no --user: the system

    def import_file(self, path: Path, *, user: Any, options: dict[str, Any]) -> Summary:
        return run_import(
            path,
            PRODUCT_KIND,
            user=user,
            dry_run=options["dry_run"],
            valid_only=options["valid_only"],
            fix_list=options["fix_list"] if options["valid_only"] else None,
        )
