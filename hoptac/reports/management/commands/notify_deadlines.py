"""`python manage.py notify_deadlines [--days N] [--date YYYY-MM-DD]`: notify the managers of
each HTX whose annual report is not yet submitted when its deadline is exactly N days away
(reports.services.deadline_notify). Run it every night (README, "Nightly work"); a second run
on the same day tells no one again.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from hoptac.reports import rules, services


class Command(BaseCommand):
    help = (
        "Notify HTX managers whose annual report is not yet submitted that its deadline is N "
        "days away (default: the setting HOPTAC_DEADLINE_NOTICE_DAYS, e.g. 14,3). Idempotent."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days",
            help="Days before the deadline, one number or several separated by commas "
            "(default: HOPTAC_DEADLINE_NOTICE_DAYS).",
        )
        parser.add_argument("--date", help="Take this day (YYYY-MM-DD) as today (default: today).")

    def handle(self, *args: Any, **options: Any) -> None:
        text = options["days"] or settings.HOPTAC_DEADLINE_NOTICE_DAYS
        try:
            days = rules.parse_notice_days(str(text))
        except ValueError as error:
            raise CommandError(
                f"--days must be whole numbers from 0 to 366 separated by commas, not {text!r}"
            ) from error
        try:
            today = date.fromisoformat(options["date"]) if options["date"] else None
        except ValueError as error:
            raise CommandError(f"--date must be YYYY-MM-DD, not {options['date']!r}") from error
        today = today or timezone.localdate()
        results = services.deadline_notify(today=today, days=days)
        if not results:
            self.stdout.write(f"{today.isoformat()}: no deadline is {text} days away.")
        for year, n, told in results:
            self.stdout.write(f"{year} report, deadline in {n} days: {told} managers notified.")
