"""`python manage.py report --area 065 --date 2019-12-31 --format docx --output bao-cao.docx`:
the written report of an area at a date, in Vietnamese administrative style."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hoptac.indicators import exporting, writing
from hoptac.indicators.management.commands._frame import add_frame_arguments, frame_from


class Command(BaseCommand):
    help = "Write the report of an area at a date as text, DOCX, PDF or XLSX (tables)."

    def add_arguments(self, parser: CommandParser) -> None:
        add_frame_arguments(parser)
        parser.add_argument("--format", choices=list(exporting.CONTENT_TYPES), default="txt")
        parser.add_argument(
            "--output", default="", help="File to write (default: standard output, txt only)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        frame = frame_from(options)
        document = writing.build_report(frame=frame)
        data = exporting.render(document, options["format"])
        if not options["output"]:
            if options["format"] != "txt":
                raise CommandError("--output FILE is needed for docx, pdf and xlsx")
            self.stdout.write(data.decode("utf-8"), ending="")
            return
        Path(options["output"]).write_bytes(data)
        self.stdout.write(f"{options['output']}: {len(data)} bytes")
