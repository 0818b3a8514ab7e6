"""`python manage.py audit_purge [--yes] [--days N]`: delete the audit log's entries older than
the retention time (HOPTAC_AUDIT_RETENTION_DAYS). A dry run unless --yes: it only counts."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hoptac.accounts import audit


class Command(BaseCommand):
    help = (
        "Delete audit log entries older than HOPTAC_AUDIT_RETENTION_DAYS (or --days); without "
        "--yes, only count them."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--yes", action="store_true", help="Delete (else a dry run).")
        parser.add_argument(
            "--days", type=int, default=None, help="Keep this many days instead of the setting."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        days = options["days"] if options["days"] is not None else audit.retention_days()
        if days < 1:
            raise CommandError("--days must be at least 1")
        before = audit.purge_cutoff(days=days)
        if not options["yes"]:
            count = audit.audit_expired(before=before)
            self.stdout.write(
                f"audit log: {count} entries older than {before:%Y-%m-%d %H:%M} ({days} days); "
                "dry run, nothing deleted (--yes deletes them)"
            )
            return
        deleted = audit.audit_purge(before=before)
        self.stdout.write(
            f"audit log: {deleted} entries older than {before:%Y-%m-%d %H:%M} ({days} days) deleted"
        )
