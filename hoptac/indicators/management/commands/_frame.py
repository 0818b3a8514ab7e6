"""The --area / --date / --year arguments shared by the `indicators` and `report` commands."""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from django.core.management.base import CommandError
from django.utils import timezone

from hoptac.areas.models import AdminUnit
from hoptac.indicators import selectors
from hoptac.indicators.sources import Frame

AREA_HELP = (
    "An administrative unit code (06, 065, 02062…); a code of both trees means the tree in force "
    "on the date (before 1 July 2025 the old one, from then the 2025 one); force one with "
    "legacy:CODE or 2025:CODE. Omitted: the whole country."
)


def add_frame_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--area", default="", help=AREA_HELP)
    parser.add_argument("--date", default="", help="YYYY-MM-DD (default: today).")
    parser.add_argument(
        "--year",
        type=int,
        default=None,
        help="Data year of reports and ratings (default: the latest complete year with data).",
    )


def frame_from(options: dict[str, Any]) -> Frame:
    try:
        on = date.fromisoformat(options["date"]) if options["date"] else timezone.localdate()
    except ValueError as error:
        raise CommandError(f"--date: {error}") from None
    area = None
    if options["area"]:
        try:
            area = selectors.resolve_area_code(options["area"], on)
        except AdminUnit.DoesNotExist:
            raise CommandError(f"--area: no administrative unit {options['area']!r}") from None
    return selectors.frame_for(user=None, area=area, on=on, year=options["year"])
