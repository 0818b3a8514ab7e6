#!/usr/bin/env python3
"""The line coverage of each app of hoptac against its floor (Zulip's rule: a floor only goes up).

Reads the `.coverage` data file that `coverage run -m pytest` left (bin/test does it when
HOPTAC_COVERAGE=1), adds up the statements of each app (`hoptac/<app>`, the tests and
migrations left out by `[tool.coverage.run]` in pyproject.toml), prints the table and exits 1
when an app is below its floor in `coverage-floors.json`, or has no floor; an app whose
figure, rounded down, is above its floor is named with the command that raises the floor.

    bin/coverage_floors.py            check the floors (exit 1 when one is not met)
    bin/coverage_floors.py --report   print the table only (after a partial run)
    bin/coverage_floors.py --raise    raise each floor to today's figure rounded down (never lowers)
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FLOORS = ROOT / "coverage-floors.json"


def app_of(path: str) -> str | None:
    """`hoptac/registry` for hoptac/registry/excel/writing.py; None outside an app."""
    parts = Path(path).relative_to(ROOT).parts if Path(path).is_absolute() else Path(path).parts
    if len(parts) < 3 or parts[0] != "hoptac":
        return None
    return f"{parts[0]}/{parts[1]}"


def figures(files: dict[str, tuple[int, int]]) -> dict[str, tuple[int, int]]:
    """Per app: (statements, statements run), from the same per file."""
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for path, (statements, covered) in files.items():
        app = app_of(path)
        if app is not None:
            totals[app][0] += statements
            totals[app][1] += covered
    return {app: (s, c) for app, (s, c) in sorted(totals.items())}


def percent(statements: int, covered: int) -> float:
    return 100.0 if statements == 0 else covered * 100 / statements


def check(per_app: dict[str, tuple[int, int]], floors: dict[str, int]) -> list[str]:
    """The failures: an app below its floor, or an app without one."""
    failures = []
    for app, (statements, covered) in per_app.items():
        figure = percent(statements, covered)
        if app not in floors:
            failures.append(f"{app} has no floor in coverage-floors.json (today {figure:.1f} %)")
        elif figure < floors[app]:
            failures.append(f"{app}: {figure:.1f} % is below its floor of {floors[app]} %")
    return failures


RAISE_COMMAND = ".venv/bin/python bin/coverage_floors.py --raise"


def risen(per_app: dict[str, tuple[int, int]], floors: dict[str, int]) -> list[str]:
    """The apps whose figure, rounded down, is now above their floor: the floor may go up."""
    return [
        f"{app}: {percent(statements, covered):.1f} % is above its floor of {floors[app]} %"
        for app, (statements, covered) in per_app.items()
        if app in floors and math.floor(percent(statements, covered)) > floors[app]
    ]


def raised(per_app: dict[str, tuple[int, int]], floors: dict[str, int]) -> dict[str, int]:
    """Each floor at today's figure rounded down, never below the floor it had."""
    new = dict(floors)
    for app, (statements, covered) in per_app.items():
        new[app] = max(floors.get(app, 0), math.floor(percent(statements, covered)))
    return dict(sorted(new.items()))


def table(per_app: dict[str, tuple[int, int]], floors: dict[str, int]) -> str:
    lines = [f"{'app':<20} {'statements':>10} {'missed':>8} {'cover':>7} {'floor':>6}"]
    all_statements = all_covered = 0
    for app, (statements, covered) in per_app.items():
        floor = floors.get(app)
        mark = "" if floor is None or percent(statements, covered) >= floor else "  BELOW"
        lines.append(
            f"{app:<20} {statements:>10} {statements - covered:>8} "
            f"{percent(statements, covered):>6.1f}% {'' if floor is None else floor:>6}{mark}"
        )
        all_statements += statements
        all_covered += covered
    lines.append(
        f"{'total':<20} {all_statements:>10} {all_statements - all_covered:>8} "
        f"{percent(all_statements, all_covered):>6.1f}%"
    )
    return "\n".join(lines)


def measured(data_file: Path) -> dict[str, tuple[int, int]]:
    """Per file: (statements, statements run), files never imported included (their
    statements all missed), through coverage's JSON report."""
    import coverage

    cov = coverage.Coverage(data_file=str(data_file), config_file=str(ROOT / "pyproject.toml"))
    cov.load()
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "coverage.json"
        cov.json_report(outfile=str(out))
        report = json.loads(out.read_text())
    return {
        path: (file["summary"]["num_statements"], file["summary"]["covered_lines"])
        for path, file in report["files"].items()
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--report", action="store_true", help="print the table only")
    mode.add_argument("--raise", dest="raise_", action="store_true", help="raise the floors")
    parser.add_argument("--data-file", type=Path, default=ROOT / ".coverage")
    args = parser.parse_args(argv)

    floors = json.loads(FLOORS.read_text()) if FLOORS.exists() else {}
    per_app = figures(measured(args.data_file))
    print(table(per_app, floors))
    if args.report:
        return 0
    if args.raise_:
        FLOORS.write_text(json.dumps(raised(per_app, floors), indent=2) + "\n")
        print(f"floors written to {FLOORS.name}")
        return 0
    failures = check(per_app, floors)
    for failure in failures:
        print(f"coverage: {failure}", file=sys.stderr)
    if not failures:
        print("coverage: every app is at or above its floor")
    rises = risen(per_app, floors)
    for rise in rises:
        print(f"coverage: {rise}")
    if rises:
        print(f"coverage: raise the floors with `{RAISE_COMMAND}` and commit {FLOORS.name}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
