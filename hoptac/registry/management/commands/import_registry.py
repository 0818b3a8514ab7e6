"""`python manage.py import_registry FILE [--dry-run] [--format json] [--valid-only --fix-list
FILE] [--user USERNAME]`: the import page's code (importing.run_import) from the shell.

Prints a summary (JSON with --format json: {"created", "updated", "unchanged", "errors":
[{"row", "column", "message"}], ...}). Exit status: 0 when everything was imported (or, with
--dry-run, would be); 1 when a row has an error (nothing written) or the file cannot be read;
with --valid-only --fix-list FILE, the valid rows are imported, the others written to the
fix-list, and the status is 0 only if every row was accounted for.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from hoptac.registry import importing
from hoptac.registry.excel import ImportFileError


class Command(BaseCommand):
    help = (
        "Import cooperatives from a spreadsheet (.xlsx, .xls, .ods, .csv), as the import page "
        "does. Exits with 1 when a row has an error, and then writes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The spreadsheet to import.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and classify every row; write nothing."
        )
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument(
            "--valid-only",
            action="store_true",
            help="Import the valid rows even if others have errors (needs --fix-list).",
        )
        parser.add_argument(
            "--fix-list",
            type=Path,
            help="Where to write the rows not imported, with an error column.",
        )
        parser.add_argument(
            "--user",
            help="Import as this user (his area limits what may be imported; recorded in the "
            "history). Default: the system, without limits.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(settings.LANGUAGE_CODE):
            if options["valid_only"] and not options["fix_list"]:
                raise CommandError(_("--valid-only needs --fix-list FILE for the rows left out."))
            user = self._user(options["user"])
            path: Path = options["file"]
            if not path.is_file():
                raise CommandError(_("No such file: %(path)s") % {"path": path})
            try:
                summary = importing.run_import(
                    path,
                    user=user,
                    dry_run=options["dry_run"],
                    valid_only=options["valid_only"],
                    fix_list=options["fix_list"] if options["valid_only"] else None,
                    filename=path.name,
                )
            except ImportFileError as error:
                summary = importing.Summary(dry_run=options["dry_run"], file_error=error.message)
                summary.errors.append(importing.RowError(0, "", error.message))
            self._print(summary, options["format"])
        if self._failed(summary, options["valid_only"]):
            sys.exit(1)

    def _user(self, username: str | None) -> Any:
        if not username:
            return None
        from hoptac.accounts.models import User

        try:
            return User.objects.get(username=username, is_active=True)
        except User.DoesNotExist as error:
            raise CommandError(_("No active user “%(name)s”.") % {"name": username}) from error

    @staticmethod
    def _failed(summary: importing.Summary, valid_only: bool) -> bool:
        if summary.file_error:
            return True
        if valid_only:
            return not (summary.written and summary.accounted)
        return bool(summary.error_rows)

    def _print(self, summary: importing.Summary, fmt: str) -> None:
        if fmt == "json":
            self.stdout.write(json.dumps(summary.as_dict(), ensure_ascii=False, indent=2))
            return
        if summary.file_error:
            self.stderr.write(summary.file_error)
            return
        if summary.dry_run:
            self.stdout.write(_("Dry run: nothing was written."))
        elif not summary.written:
            self.stdout.write(_("Nothing was written: correct the rows with errors below."))
        self.stdout.write(
            _("%(rows)s rows: %(created)s new, %(updated)s changed, %(unchanged)s unchanged, ")
            % {
                "rows": summary.rows,
                "created": summary.created,
                "updated": summary.updated,
                "unchanged": summary.unchanged,
            }
            + _("%(errors)s with errors.") % {"errors": summary.error_rows}
        )
        for error in summary.errors:
            where = _("Row %(row)s") % {"row": error.row}
            if error.column:
                where += f", “{error.column}”"
            self.stdout.write(f"{where}: {error.message}")
        if summary.fix_list:
            self.stdout.write(_("Rows not imported: %(path)s") % {"path": summary.fix_list})
