"""`python manage.py indicators --area 06 --date 2019-04-30 --format json`: every indicator of
an area at a date, with its numerator, denominator, value and data year."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from hoptac.indicators import selectors
from hoptac.indicators.management.commands._frame import add_frame_arguments, frame_from


class Command(BaseCommand):
    help = "Print the indicators of an area at a date (JSON or a text table)."

    def add_arguments(self, parser: CommandParser) -> None:
        add_frame_arguments(parser)
        parser.add_argument("--format", choices=["json", "text"], default="json")
        parser.add_argument(
            "--code", action="append", default=[], help="Only this indicator (repeatable)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        frame = frame_from(options)
        codes = options["code"] or None
        if options["format"] == "text":
            for result in selectors.indicator_values(frame=frame, codes=codes).values():
                value = "no data" if result.no_data else result.value
                self.stdout.write(f"{result.code:32} {value}")
            return
        payload = selectors.indicator_payload(frame=frame, codes=codes)
        self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
