"""`python manage.py areas load|stats|convert`."""

import json
import time

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from hoptac.areas import loader
from hoptac.areas.models import AdminUnit
from hoptac.areas.resolve import Resolution, resolve_legacy_address

EXIT_UNRESOLVED = 2


def _with_code(unit: AdminUnit) -> str:
    return f"{unit.name} ({unit.code})"


def format_resolution(resolution: Resolution) -> str:
    """The text form of a resolution, in the active language (Vietnamese by default)."""
    if not resolution.ok:
        lines = [resolution.error]
        if resolution.candidates:
            lines.append(_("Candidates:"))
            lines += [f"  {u.full_name} ({u.code})" for u in resolution.candidates]
        return "\n".join(lines)
    old = [u for u in (resolution.commune, resolution.district, resolution.province) if u]
    old_label, new_label, default_label = _("Old unit"), _("New unit"), _("(default)")
    lines = [f"{old_label}: " + ", ".join(_with_code(u) for u in old)]
    for successor in resolution.new:
        line = f"{new_label}: {_with_code(successor.commune)}, {_with_code(successor.province)}"
        if len(resolution.new) > 1 and successor.default:
            line += f" {default_label}"
        lines.append(line)
    if resolution.message:
        lines.append(resolution.message)
    return "\n".join(lines)


class Command(BaseCommand):
    help = "Administrative units: load both trees, print counts, convert an old address."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load", help="Load or update both trees (idempotent).")
        load.add_argument("--force", action="store_true", help="Rewrite even if up to date.")
        stats = sub.add_parser("stats", help="Counts per era and level.")
        stats.add_argument("--format", choices=["text", "json"], default="text")
        convert = sub.add_parser(
            "convert",
            help=(
                "Say what an address of the old (63-province) tree is called since "
                "1 July 2025. Exits with 2 when the address cannot be settled."
            ),
        )
        convert.add_argument("address", help='e.g. "Xã Lương Bằng, Huyện Chợ Đồn, Tỉnh Bắc Kạn"')
        convert.add_argument(
            "--format",
            choices=["text", "json"],
            default="text",
            help="json: see hoptac.areas.resolve.Resolution.as_dict for the keys.",
        )

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
        elif options["action"] == "convert":
            self.convert(str(options["address"]), str(options["format"]))

    def convert(self, address: str, output: str) -> None:
        """Print the resolution; an address that cannot be settled exits with code 2."""
        resolution = resolve_legacy_address(address)
        if output == "json":
            self.stdout.write(json.dumps(resolution.as_dict(), ensure_ascii=False, indent=2))
            if not resolution.ok:
                raise CommandError(resolution.error, returncode=EXIT_UNRESOLVED)
            return
        if not resolution.ok:
            raise CommandError(format_resolution(resolution), returncode=EXIT_UNRESOLVED)
        self.stdout.write(format_resolution(resolution))
