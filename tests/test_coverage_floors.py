"""bin/coverage_floors.py: each app's figure from the files' statements, the floors checked, and
floors that only go up (no database)."""

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("coverage_floors", ROOT / "bin/coverage_floors.py")
assert _spec is not None
assert _spec.loader is not None
floors_script = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(floors_script)

FILES = {
    "hoptac/registry/models.py": (100, 95),
    "hoptac/registry/excel/writing.py": (50, 40),
    str(ROOT / "hoptac/plans/services.py"): (40, 10),  # an absolute path counts the same
    "hoptac/__init__.py": (1, 1),  # not an app
    "config/urls.py": (10, 0),
}


def test_figures_add_up_each_apps_files():
    assert floors_script.figures(FILES) == {
        "hoptac/plans": (40, 10),
        "hoptac/registry": (150, 135),
    }


def test_check_fails_below_the_floor_and_without_one():
    per_app = floors_script.figures(FILES)  # plans 25.0 %, registry 90.0 %
    assert floors_script.check(per_app, {"hoptac/plans": 25, "hoptac/registry": 90}) == []
    assert floors_script.check(per_app, {"hoptac/plans": 26, "hoptac/registry": 90}) == [
        "hoptac/plans: 25.0 % is below its floor of 26 %"
    ]
    assert floors_script.check(per_app, {"hoptac/registry": 90}) == [
        "hoptac/plans has no floor in coverage-floors.json (today 25.0 %)"
    ]


def test_raised_floors_round_down_and_never_go_down():
    per_app = {"hoptac/plans": (3, 2), "hoptac/registry": (150, 135)}  # 66.7 %, 90.0 %
    assert floors_script.raised(per_app, {"hoptac/registry": 93, "hoptac/gone": 50}) == {
        "hoptac/gone": 50,
        "hoptac/plans": 66,
        "hoptac/registry": 93,
    }


def test_an_app_without_statements_is_covered():
    assert floors_script.percent(0, 0) == 100.0


def test_the_table_marks_an_app_below_its_floor():
    table = floors_script.table({"hoptac/plans": (40, 10)}, {"hoptac/plans": 30}).splitlines()
    assert table[1].split() == ["hoptac/plans", "40", "30", "25.0%", "30", "BELOW"]
    assert table[-1].split() == ["total", "40", "30", "25.0%"]


FLOORS = ROOT / "coverage-floors.json"


@pytest.mark.parametrize("app", sorted(json.loads(FLOORS.read_text())) if FLOORS.exists() else [])
def test_every_floor_names_an_app_that_exists(app):
    assert (ROOT / app / "__init__.py").exists()


def test_a_figure_above_its_floor_is_named():
    per_app = {"hoptac/plans": (3, 2), "hoptac/registry": (150, 135)}  # 66.7 %, 90.0 %
    assert floors_script.risen(per_app, {"hoptac/plans": 66, "hoptac/registry": 89}) == [
        "hoptac/registry: 90.0 % is above its floor of 89 %"
    ]
    assert floors_script.risen(per_app, {"hoptac/plans": 65}) == [
        "hoptac/plans: 66.7 % is above its floor of 65 %"
    ]


# The whole script over a real coverage data file: one app file, run in full or not at all.
MEASURED = ROOT / "hoptac/core/text.py"


def _data_file(folder: Path, *, run: bool) -> Path:
    import coverage

    path = folder / "coverage-data"
    data = coverage.CoverageData(basename=str(path))
    lines = range(1, len(MEASURED.read_text().splitlines()) + 1) if run else []
    data.add_lines({str(MEASURED): list(lines)})
    data.write()
    return path


@pytest.fixture
def floors_file(tmp_path, monkeypatch):
    path = tmp_path / "coverage-floors.json"
    monkeypatch.setattr(floors_script, "FLOORS", path)
    return path


def test_the_script_fails_below_a_floor_and_passes_at_it(tmp_path, floors_file, capsys):
    floors_file.write_text(json.dumps({"hoptac/core": 1}))
    assert floors_script.main(["--data-file", str(_data_file(tmp_path, run=False))]) == 1
    assert "hoptac/core: 0.0 % is below its floor of 1 %" in capsys.readouterr().err
    assert floors_script.main(["--data-file", str(_data_file(tmp_path, run=True))]) == 0
    out = capsys.readouterr().out
    assert "hoptac/core: 100.0 % is above its floor of 1 %" in out
    assert floors_script.RAISE_COMMAND in out


def test_the_script_fails_for_an_app_without_a_floor(tmp_path, floors_file, capsys):
    floors_file.write_text(json.dumps({"hoptac/plans": 50}))
    assert floors_script.main(["--data-file", str(_data_file(tmp_path, run=True))]) == 1
    assert "hoptac/core has no floor" in capsys.readouterr().err


def test_the_report_never_fails_and_raise_never_lowers(tmp_path, floors_file):
    floors_file.write_text(json.dumps({"hoptac/core": 40}))
    data = str(_data_file(tmp_path, run=False))
    assert floors_script.main(["--report", "--data-file", data]) == 0
    assert floors_script.main(["--raise", "--data-file", data]) == 0
    assert json.loads(floors_file.read_text()) == {"hoptac/core": 40}
    assert floors_script.main(["--raise", "--data-file", str(_data_file(tmp_path, run=True))]) == 0
    assert json.loads(floors_file.read_text()) == {"hoptac/core": 100}


def test_every_app_has_a_floor():
    """A new app gets its floor in the change that adds it (the coverage run would fail too,
    but only under HOPTAC_COVERAGE=1)."""
    apps = sorted(f"hoptac/{path.parent.name}" for path in ROOT.glob("hoptac/*/apps.py"))
    floors = json.loads(FLOORS.read_text())
    assert [app for app in apps if app not in floors] == []
