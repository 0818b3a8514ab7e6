"""`python manage.py areas load|stats|convert`."""

import json
import time

from django.core.management.base import BaseCommand, CommandParser

from hoptac.areas import loader


class Command(BaseCommand):
    help = "Administrative units: load both trees, print counts, convert an old address."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load", help="Load or update both trees (idempotent).")
        load.add_argument("--force", action="store_true", help="Rewrite even if up to date.")
        stats = sub.add_parser("stats", help="Counts per era and level.")
        stats.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args: object, **options: object) -> None:
        if options["action"] == "load":
            started = time.monotonic()
            result = loader.areas_load(force=bool(options["force"]))
            state = "up to date" if result.skipped else "loaded"
            self.stdout.write(
                f"areas {state} from {loader.SOURCE} in {time.monotonic() - started:.1f} s: "
                f"{json.dumps(result.counts)}, {result.successions} successions"
            )
        elif options["action"] == "stats":
            counts = loader.unit_counts()
            if options["format"] == "json":
                self.stdout.write(json.dumps(counts, ensure_ascii=False))
            else:
                for era, levels in counts.items():
                    self.stdout.write(f"{era}: " + ", ".join(f"{k} {v}" for k, v in levels.items()))
