"""`manage.py restore DIR [--force]`: put a backup made by `manage.py backup` back, then check
every table's row count and checksum against its manifest (exit status 1 if one differs).
README: "Backup and restore"."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS

from hoptac.core import backup


class Command(BaseCommand):
    help = (
        "Restore a backup directory into the database and the uploaded files, and verify the "
        "row counts and checksums of every table. Refuses a database holding data unless --force."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path, help="A directory written by `backup`.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace the contents of a database that holds data.",
        )
        parser.add_argument(
            "--database", default=DEFAULT_DB_ALIAS, help="The database alias (default: default)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        try:
            report = backup.restore(
                options["directory"], using=options["database"], force=options["force"]
            )
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        for note in report.notes:
            self.stdout.write(f"note: {note}")
        if report.mismatches:
            for mismatch in report.mismatches:
                self.stderr.write(mismatch)
            raise CommandError(
                f"restored, but {len(report.mismatches)} checks differ from the backup's manifest"
            )
        self.stdout.write(
            f"restored and verified: {report.tables} tables, {report.rows} rows, "
            f"{report.media_files} uploaded files, in {time.monotonic() - started:.1f} s"
        )
