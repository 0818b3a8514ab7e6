"""`manage.py worker`: run background jobs, whatever queue HOPTAC_TASKS_BACKEND chose.

    manage.py worker            run jobs until stopped (SIGTERM/Ctrl+C end the current job first)
    manage.py worker --batch    run the jobs waiting now, then exit
    manage.py worker --sweep    only the housekeeping (dead workers' jobs, lost ones, old ones)

Before it starts it fails the jobs of workers that died (hoptac.jobs.services.job_sweep).
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from hoptac.jobs import services


class Command(BaseCommand):
    help = "Run the background jobs (imports, exports, reports, the tally, reminders)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", action="store_true", help="Run the waiting jobs, then exit.")
        parser.add_argument("--sweep", action="store_true", help="Only the housekeeping.")
        parser.add_argument(
            "--interval", type=float, default=0.5, help="Seconds between looks at the queue."
        )

    def handle(self, *args: Any, batch: bool, sweep: bool, interval: float, **options: Any) -> None:
        swept = services.job_sweep()
        if sweep:
            self.stdout.write(json.dumps(swept))
            return
        backend = settings.HOPTAC_TASKS_BACKEND
        if backend == "database":
            extra = ["--batch"] if batch else []
            call_command(
                "db_worker", "--queue-name", "default", "--interval", str(interval), *extra
            )
        elif backend == "rq":
            extra = ["--burst"] if batch else []
            call_command("rqworker", "default", "--job-class", "django_tasks_rq.Job", *extra)
        else:
            raise CommandError(
                "HOPTAC_TASKS_BACKEND=immediate runs jobs inside the caller: there is no queue "
                "for a worker."
            )
