#!/usr/bin/env python
"""Types, with a ratchet (bin/test, `make lint`; docs/architecture.md, "Types").

Runs mypy as `[tool.mypy]` of pyproject.toml configures it: it must pass. Then runs it again with
the level "partial" lists taken away (every module's `disable_error_code`) and fails when a module
no longer has an error of a code its list turns off: that code must be deleted from its list (the
module, when none is left, so that it is at level "checked"). So a level only goes up, as
`warn_unused_ignores` does for the comments.

    bin/mypy_ratchet.py            check (both runs)
    bin/mypy_ratchet.py --suggest  print the "partial" lists for the tree as it is (to start them,
                                   or to see what a fix has earned; never to add debt)
"""

import argparse
import re
import subprocess
import sys
import tempfile
import tomllib
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TARGETS = ["hoptac", "config"]
ERROR = re.compile(r"^(?P<path>[^:\s]+\.py):\d+: error: .*\[(?P<code>[a-z-]+)\]$")


def module_of(path: str) -> str:
    parts = Path(path).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def is_debt(override: dict[str, Any]) -> bool:
    return "disable_error_code" in override


def run_mypy(config: Path | None, cache: str) -> tuple[int, str]:
    command = [sys.executable, "-m", "mypy", "--cache-dir", cache, *TARGETS]
    if config is not None:
        command[3:3] = ["--config-file", str(config)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)  # noqa: S603  (our own mypy)
    return done.returncode, done.stdout + done.stderr


def errors_without_debt(mypy: dict[str, Any]) -> dict[str, set[str]]:
    """Each module's error codes with the level "partial" lists taken away (every module not
    strict at level "checked")."""
    lines = ["[mypy]"]
    lines += [f"{k} = {_ini(v)}" for k, v in mypy.items() if k != "overrides"]
    for override in mypy.get("overrides", []):
        if not is_debt(override):
            lines.append(f"[mypy-{','.join(_modules(override))}]")
            lines += [f"{k} = {_ini(v)}" for k, v in override.items() if k != "module"]
    lines.append("[mypy.plugins.django-stubs]")
    lines += [f"{k} = {_ini(v)}" for k, v in _pyproject()["tool"]["django-stubs"].items()]
    with tempfile.NamedTemporaryFile("w", suffix=".ini", delete=False) as ini:
        ini.write("\n".join(lines) + "\n")
    try:
        code, output = run_mypy(Path(ini.name), ".mypy_cache/ratchet")
    finally:
        Path(ini.name).unlink()
    if code not in (0, 1):  # 2: mypy itself failed (a bad configuration, a crash)
        raise SystemExit(output)
    found: dict[str, set[str]] = defaultdict(set)
    for line in output.splitlines():
        if match := ERROR.match(line):
            found[module_of(match["path"])].add(match["code"])
    return found


def _modules(override: dict[str, Any]) -> list[str]:
    modules = override["module"]
    return [modules] if isinstance(modules, str) else list(modules)


def _ini(value: object) -> str:
    if isinstance(value, list):
        return ",".join(str(v) for v in value)
    return str(value)


def _pyproject() -> dict[str, Any]:
    with (ROOT / "pyproject.toml").open("rb") as file:
        return tomllib.load(file)


def stale_entries(overrides: list[dict[str, Any]], found: dict[str, set[str]]) -> list[str]:
    """What the partial lists allow that the modules' code no longer needs (`found`: each
    module's error codes without the lists)."""
    stale = []
    for override in overrides:
        if not is_debt(override):
            continue
        allowed = set(override["disable_error_code"])
        for module in _modules(override):
            codes = found.get(module, set())
            if not codes:
                stale.append(f"{module}: no error left, delete it from its level's list")
            elif unneeded := allowed - codes:
                stale.append(f"{module}: no longer needs {sorted(unneeded)}")
    return stale


def check(mypy: dict[str, Any]) -> int:
    code, output = run_mypy(None, ".mypy_cache")
    print(output, end="")
    if code:
        return code
    stale = stale_entries(mypy.get("overrides", []), errors_without_debt(mypy))
    for line in stale:
        print(f"mypy ratchet: {line}")
    return 1 if stale else 0


def suggest(mypy: dict[str, Any]) -> int:
    groups: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for module, codes in sorted(errors_without_debt(mypy).items()):
        groups[tuple(sorted(codes))].append(module)
    for codes, modules in sorted(groups.items(), key=lambda item: (len(item[0]), item[0])):
        print("[[tool.mypy.overrides]]")
        print("module = [" + ", ".join(f'"{m}"' for m in modules) + "]")
        print("disable_error_code = [" + ", ".join(f'"{c}"' for c in codes) + "]")
        print()
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--suggest", action="store_true")
    mypy: dict[str, Any] = _pyproject()["tool"]["mypy"]
    return suggest(mypy) if parser.parse_args().suggest else check(mypy)


if __name__ == "__main__":
    sys.exit(main())
