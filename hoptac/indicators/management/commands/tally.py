"""`python manage.py tally`: keep the indicators' tally (figures added up in advance) up to
date. Run it after deploying, after writing data outside the application, and once a night
(a new year needs a new build).

    manage.py tally            build if never built or built in an earlier year, else
                               rewrite the communes marked changed
    manage.py tally --rebuild  rewrite everything
    manage.py tally --status   print what the tally holds (JSON)
    manage.py tally --check [--area CODE] [--date YYYY-MM-DD]
                               compare every indicator read from the tally with the live
                               tables; exit status 1 when one differs
"""

from __future__ import annotations

import json
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from hoptac.indicators import selectors
from hoptac.indicators.management.commands._frame import add_frame_arguments, frame_from
from hoptac.indicators.models import Tally, TallyMark, TallyState
from hoptac.indicators.tally import building, reading


class Command(BaseCommand):
    help = "Build or refresh the indicators' tally (figures added up in advance), or check it."

    def add_arguments(self, parser: CommandParser) -> None:
        action = parser.add_mutually_exclusive_group()
        action.add_argument("--rebuild", action="store_true", help="Rewrite the whole tally.")
        action.add_argument("--status", action="store_true", help="Print what it holds (JSON).")
        action.add_argument("--check", action="store_true", help="Compare it with the live tables.")
        add_frame_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["status"]:
            self.stdout.write(json.dumps(status(), ensure_ascii=False, indent=2))
        elif options["check"]:
            self.check_tally(options)
        else:
            state = TallyState.objects.first()
            started = time.monotonic()
            if options["rebuild"] or state is None or state.last_year != timezone.localdate().year:
                state = building.build()
                self.stdout.write(
                    f"tally built: {state.first_year}–{state.last_year}, "
                    f"{Tally.objects.count()} rows in {state.build_seconds:.1f} s"
                )
            else:
                communes = building.refresh()
                seconds = time.monotonic() - started
                self.stdout.write(f"tally refreshed: {communes} communes in {seconds:.1f} s")

    def check_tally(self, options: dict[str, Any]) -> None:
        frame = frame_from(options)
        tallied = selectors.indicator_values(frame=frame)
        with reading.live_only():
            live = selectors.indicator_values(frame=frame)
        differ = [
            code
            for code, result in live.items()
            if (result.numerator, result.denominator, result.year)
            != (tallied[code].numerator, tallied[code].denominator, tallied[code].year)
        ]
        for code in differ:
            self.stderr.write(
                f"{code}: tally {tallied[code].numerator}/{tallied[code].denominator}, "
                f"live {live[code].numerator}/{live[code].denominator}"
            )
        if differ:
            raise CommandError(f"{len(differ)} indicators differ from the live tables")
        self.stdout.write(f"tally ok: {len(live)} indicators equal to the live tables")


def status() -> dict[str, Any]:
    state = TallyState.objects.first()
    return {
        "built": state is not None,
        "first_year": state.first_year if state else None,
        "last_year": state.last_year if state else None,
        "built_at": state.built_at.isoformat() if state else None,
        "build_seconds": state.build_seconds if state else None,
        "rows": Tally.objects.count(),
        "marks": TallyMark.objects.count(),
    }
