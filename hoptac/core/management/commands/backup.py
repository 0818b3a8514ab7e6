"""`manage.py backup --output DIR`: the database and the uploaded files, with a manifest of
row counts and checksums per table (hoptac.core.backup). README: "Backup and restore"."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS

from hoptac.core import backup


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump on PostgreSQL, the online backup API on SQLite) and the "
        "uploaded files into a new directory, with a manifest (manifest.json)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output", required=True, type=Path, help="A new directory for the backup."
        )
        parser.add_argument(
            "--database", default=DEFAULT_DB_ALIAS, help="The database alias (default: default)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        try:
            manifest = backup.backup(options["output"], using=options["database"])
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        rows = sum(table["rows"] for table in manifest["tables"].values())
        size = sum(
            (options["output"] / name).stat().st_size
            for name in (manifest["database"]["file"], manifest["media"]["file"])
        )
        self.stdout.write(
            f"backup written to {options['output']}: {manifest['engine']}, "
            f"{len(manifest['tables'])} tables, {rows} rows, "
            f"{manifest['media']['files']} uploaded files, {size / 1e6:.1f} MB "
            f"in {time.monotonic() - started:.1f} s"
        )
