"""`python manage.py rating_summary --area 065 --year 2019 [--sector nong_nghiep] [--format json]`.

Prints the sentence officers write about the approved ratings of an area for a year, one line
per sector a rule covered that year (or the sector asked for); `--format json` prints the
counts per sector and rank as well. Read-only.
"""

from __future__ import annotations

import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hoptac.areas.choices import ERA_CHANGE_DATE, Era
from hoptac.areas.models import AdminUnit
from hoptac.ratings import selectors
from hoptac.registry.choices import Sector


def resolve_area(text: str, year: int) -> AdminUnit:
    """An area code ("065"), or "legacy:CODE" / "2025:CODE"; a code of both trees means the
    tree in force at the end of `year`."""
    era, _sep, code = text.rpartition(":")
    units = list(AdminUnit.objects.filter(code=code, **({"era": era} if era else {})))
    if len(units) > 1:
        in_force = (
            Era.LEGACY if date(year, 12, 31) < date.fromisoformat(ERA_CHANGE_DATE) else Era.CURRENT
        )
        units = [u for u in units if u.era == in_force]
    if len(units) != 1:
        raise CommandError(f"--area: không có đơn vị hành chính mã {text!r}")
    return units[0]


class Command(BaseCommand):
    help = (
        "Print the officers' sentence on the approved ratings of an area for a year "
        "(--format json: with the counts per sector and rank)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--area", required=True, help="Unit code (06, 065, 02062); legacy:CODE or 2025:CODE."
        )
        parser.add_argument("--year", type=int, required=True, help="The evaluated year.")
        parser.add_argument(
            "--sector",
            choices=Sector.values,
            default=None,
            help="Only this sector (default: every sector a rule covered that year).",
        )
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args: object, **options: object) -> None:
        year = int(options["year"])  # type: ignore[call-overload]
        area = resolve_area(str(options["area"]), year)
        summary = selectors.rating_summary(area=area, year=year)
        sector = options["sector"]
        if options["format"] == "json":
            data = summary.as_json()
            if sector:
                data["sectors"] = {sector: data["sectors"][sector]}
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        if sector:
            lines = [s.sentence for s in summary.sectors if s.sector == sector]
        else:
            lines = summary.sentences()
        if not lines:
            raise CommandError(f"{area.full_name}: năm {year} không có lĩnh vực nào được xếp loại.")
        for line in lines:
            self.stdout.write(line)
