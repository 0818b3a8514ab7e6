"""What every spreadsheet import command shares (`import_registry`, `import_reports`): the
flags, the user it imports as, the summary printed (JSON with --format json) and the exit code.

Flags: FILE, --dry-run, --format text|json, --valid-only (needs --fix-list FILE), --fix-list
FILE, --user USERNAME. The JSON is Summary.as_dict(): {"created", "updated", "unchanged",
"errors": [{"row", "column", "message"}], "rows", "error_rows", "written", "dry_run",
"fix_list"}. Exit status: 0 when everything was imported (or, with --dry-run, would be); 1
when a row has an error (nothing written) or the file cannot be read; with --valid-only, 0
only if the valid rows were written and every row is accounted for.

An app's command subclasses ImportCommand and gives `import_file` (its pipeline run) and, if
an import without --user is not the app's default, `default_user`.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from hoptac.core.tabular.reading import ImportFileError
from hoptac.core.tabular.rows import Summary


class ImportCommand(BaseCommand):
    """A command importing one spreadsheet through an app's pipeline run (see the module)."""

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

    def import_file(self, path: Path, *, user: Any, options: dict[str, Any]) -> Summary:
        """Run the app's import of the file at `path` (options: the command's own)."""
        raise NotImplementedError

    def default_user(self) -> Any:
        """Whom the import runs as without --user."""
        return None

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(settings.LANGUAGE_CODE):
            if options["valid_only"] and not options["fix_list"]:
                raise CommandError(_("--valid-only needs --fix-list FILE for the rows left out."))
            user = self._user(options["user"])
            if user is None:
                user = self.default_user()
            path: Path = options["file"]
            if not path.is_file():
                raise CommandError(_("No such file: %(path)s") % {"path": path})
            try:
                summary = self.import_file(path, user=user, options=options)
            except ImportFileError as error:
                summary = Summary.of_file_error(error.message, dry_run=options["dry_run"])
            self._print(summary, options["format"])
        if failed(summary, valid_only=options["valid_only"]):
            sys.exit(1)

    def _user(self, username: str | None) -> Any:
        if not username:
            return None
        users = get_user_model()
        try:
            return users.objects.get(username=username, is_active=True)
        except users.DoesNotExist as error:
            raise CommandError(_("No active user “%(name)s”.") % {"name": username}) from error

    def _print(self, summary: Summary, fmt: str) -> None:
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


def failed(summary: Summary, *, valid_only: bool) -> bool:
    """Whether the command exits with 1 (see the module)."""
    if summary.file_error:
        return True
    if valid_only:
        return not (summary.written and summary.accounted)
    return bool(summary.error_rows)
