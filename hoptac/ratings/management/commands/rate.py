"""`python manage.py rate --rules tt01-2020 --input cases.json --format json`.

Rates a JSON list of cases by the rules of one legal document (hoptac/ratings/rules/data/) and
prints a JSON list of results; a case that cannot be rated gets "error" (in Vietnamese) and the
others are still rated, and the exit code is then 1. Format: docs/rules.md, "The rate command".
"""

import json
import sys
from decimal import Decimal
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hoptac.ratings import rules


class Command(BaseCommand):
    help = (
        "Rate cooperatives: read a JSON list of cases, print a JSON list of points, total, rank "
        "and reason per case (exit code 1 if any case has an error)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--rules",
            required=True,
            choices=rules.available(),
            help="Rule file id: the legal document to rate by.",
        )
        parser.add_argument(
            "--input", required=True, help="JSON file holding a list of cases; '-' reads stdin."
        )
        parser.add_argument(
            "--format",
            choices=["json", "text"],
            default="json",
            help="json (default): the list of results; text: each criterion with its reason.",
        )

    def handle(self, *args: object, **options: object) -> None:
        try:
            rule_set = rules.load_rules(str(options["rules"]))
        except rules.RulesError as error:
            raise CommandError(str(error)) from error
        cases = self._read(str(options["input"]))
        results = [rules.rate_one(rule_set, data) for data in cases]
        if options["format"] == "text":
            self.stdout.write("".join(rules.result_to_text(r) for r in results), ending="")
        else:
            output = [rules.result_to_json(r) for r in results]
            self.stdout.write(json.dumps(output, ensure_ascii=False, indent=2))
        failures = sum(1 for result in results if result.errors)
        if failures:
            raise CommandError(
                f'{failures}/{len(cases)} hồ sơ không xếp loại được (xem trường "error").',
                returncode=1,
            )

    def _read(self, name: str) -> list[object]:
        try:
            text = sys.stdin.read() if name == "-" else Path(name).read_text(encoding="utf-8")
        except OSError as error:
            raise CommandError(f"Không đọc được tệp {name}: {error.strerror}") from error
        try:
            data = json.loads(text, parse_float=Decimal)
        except json.JSONDecodeError as error:
            raise CommandError(
                f"Tệp {name} không phải JSON hợp lệ (dòng {error.lineno}, cột {error.colno}):"
                f" {error.msg}"
            ) from error
        if not isinstance(data, list):
            raise CommandError(f"Tệp {name} phải chứa một danh sách (JSON list) các hồ sơ.")
        return data
