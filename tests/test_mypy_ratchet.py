"""bin/mypy_ratchet.py and the levels of [tool.mypy]: the partial lists only shrink, the pure
modules are strict (no mypy run: the lists and the rule, as data)."""

import importlib.util
import tomllib
from fnmatch import fnmatchcase
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("mypy_ratchet", ROOT / "bin/mypy_ratchet.py")
assert _spec is not None
assert _spec.loader is not None
ratchet = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(ratchet)

with (ROOT / "pyproject.toml").open("rb") as _file:
    OVERRIDES = tomllib.load(_file)["tool"]["mypy"]["overrides"]

STRICT = "disallow_untyped_defs"
PARTIAL = [
    {"module": ["hoptac.registry.forms", "hoptac.core.paging"], "disable_error_code": ["arg-type"]},
    {"module": ["hoptac.reports.views"], "disable_error_code": ["arg-type", "union-attr"]},
    {"module": ["hoptac.ratings.rules.*"], STRICT: True},
]


def test_module_names_from_paths():
    assert ratchet.module_of("hoptac/registry/forms.py") == "hoptac.registry.forms"
    assert ratchet.module_of("hoptac/core/tabular/__init__.py") == "hoptac.core.tabular"
    assert ratchet.module_of("conftest.py") == "conftest"


def test_a_list_still_needed_is_not_stale():
    found = {
        "hoptac.registry.forms": {"arg-type", "misc"},
        "hoptac.core.paging": {"arg-type"},
        "hoptac.reports.views": {"arg-type", "union-attr"},
    }
    assert ratchet.stale_entries(PARTIAL, found) == []


def test_a_module_without_errors_must_leave_its_list():
    found = {
        "hoptac.registry.forms": {"arg-type"},
        "hoptac.reports.views": {"arg-type", "union-attr"},
    }
    assert ratchet.stale_entries(PARTIAL, found) == [
        "hoptac.core.paging: no error left, delete it from its level's list"
    ]


def test_a_code_no_longer_needed_must_leave_the_list():
    found = {
        "hoptac.registry.forms": {"arg-type"},
        "hoptac.core.paging": {"arg-type"},
        "hoptac.reports.views": {"arg-type"},
    }
    assert ratchet.stale_entries(PARTIAL, found) == [
        "hoptac.reports.views: no longer needs ['union-attr']"
    ]


def _module(path: Path) -> str:
    return ratchet.module_of(str(path.relative_to(ROOT)))


def _pure_modules() -> list[str]:
    hoptac = ROOT / "hoptac"
    files = [
        *hoptac.glob("*/rules.py"),
        *(hoptac / "ratings/rules").glob("*.py"),
        *(hoptac / "indicators/formulas").glob("*.py"),
        hoptac / "indicators/tally/grains.py",
    ]
    return sorted(_module(path) for path in files)


def _matches(module: str, override: dict[str, object]) -> bool:
    patterns = override["module"]
    assert isinstance(patterns, list)
    return any(fnmatchcase(module, pattern) for pattern in patterns)


def test_every_pure_module_is_strict_and_in_no_partial_list():
    pure = _pure_modules()
    assert "hoptac.jobs.rules" in pure
    assert "hoptac.ratings.rules.engine" in pure
    for module in pure:
        assert any(_matches(module, o) and o.get(STRICT) for o in OVERRIDES), module
        assert not any(_matches(module, o) for o in OVERRIDES if "disable_error_code" in o), module


def test_each_partial_module_is_listed_once_by_name():
    listed = [m for o in OVERRIDES if "disable_error_code" in o for m in o["module"]]
    assert len(listed) == len(set(listed))
    assert not [m for m in listed if "*" in m]
    assert all(o["disable_error_code"] for o in OVERRIDES if "disable_error_code" in o)
