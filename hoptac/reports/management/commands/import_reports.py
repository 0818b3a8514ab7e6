"""`python manage.py import_reports FILE [--year YYYY] [--dry-run] [--format json]
[--valid-only --fix-list FILE] [--user USERNAME]`: the report import page's code
(reports.importing.run_import) from the shell.

Prints a summary with the keys of `import_registry` (JSON with --format json: {"created",
"updated", "unchanged", "errors": [{"row", "column", "message"}], "rows", "error_rows",
"written", "dry_run", "fix_list"}). Exit status: 0 when everything was imported (or, with
--dry-run, would be); 1 when a row has an error (nothing written) or the file cannot be read;
with --valid-only --fix-list FILE, the valid rows are imported, the others written to the
fix-list, and the status is 0 only if every row was accounted for.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from hoptac.accounts import access
from hoptac.core.tabular import ImportFileError, RowError, Summary
from hoptac.registry.management.commands.import_registry import Command as RegistryCommand
from hoptac.reports import importing


class Command(RegistryCommand):
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

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(settings.LANGUAGE_CODE):
            if options["valid_only"] and not options["fix_list"]:
                raise CommandError(_("--valid-only needs --fix-list FILE for the rows left out."))
            user = self._user(options["user"]) or access.SYSTEM  # no --user: the system
            path: Path = options["file"]
            if not path.is_file():
                raise CommandError(_("No such file: %(path)s") % {"path": path})
            try:
                summary = importing.run_import(
                    path,
                    user=user,
                    year=options["year"],
                    dry_run=options["dry_run"],
                    valid_only=options["valid_only"],
                    fix_list=options["fix_list"] if options["valid_only"] else None,
                )
            except ImportFileError as error:
                summary = Summary(dry_run=options["dry_run"], file_error=error.message)
                summary.errors.append(RowError(0, "", error.message))
            self._print(summary, options["format"])
        if self._failed(summary, options["valid_only"]):
            sys.exit(1)
