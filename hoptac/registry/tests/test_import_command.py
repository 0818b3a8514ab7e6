"""`manage.py import_registry`: its JSON summary and its exit status."""

from __future__ import annotations

import io
import json
from pathlib import Path

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from hoptac.registry.models import Cooperative
from hoptac.registry.tests.files import builders as b

pytestmark = pytest.mark.django_db

KEYS = {"created", "updated", "unchanged", "errors"}


def command(*args: str) -> tuple[int, str]:
    """Run the command; return its exit status and what it printed."""
    out = io.StringIO()
    try:
        call_command("import_registry", *args, stdout=out, stderr=io.StringIO())
    except SystemExit as exit_:
        return int(exit_.code or 0), out.getvalue()
    return 0, out.getvalue()


def sample(tmp_path: Path, *, bad: bool = False) -> Path:
    rows = b.sample_rows()
    if bad:
        rows[1][2] = "12345"
    path = tmp_path / "ds.xlsx"
    path.write_bytes(b.xlsx([b.HEADER, *rows]))
    return path


def test_a_good_file_is_imported_with_exit_0_and_a_json_summary(tmp_path, commune_officer):
    status, out = command(str(sample(tmp_path)), "--format", "json", "--user", "xa1")
    summary = json.loads(out)
    assert status == 0
    assert set(summary) >= KEYS
    assert (summary["created"], summary["updated"], summary["unchanged"]) == (3, 0, 0)
    assert summary["errors"] == []
    assert Cooperative.objects.count() == 3
    assert Cooperative.history.filter(history_user=commune_officer).count() == 3


def test_a_bad_row_exits_1_writes_nothing_and_names_row_and_column(tmp_path):
    status, out = command(str(sample(tmp_path, bad=True)), "--format", "json")
    summary = json.loads(out)
    assert status == 1
    assert summary["errors"] == [
        {"row": 3, "column": "Mã số HTX", "message": summary["errors"][0]["message"]}
    ]
    assert "10" in summary["errors"][0]["message"]
    assert not Cooperative.objects.exists()


def test_a_dry_run_writes_nothing(tmp_path):
    status, out = command(str(sample(tmp_path)), "--dry-run", "--format", "json")
    assert status == 0
    assert json.loads(out)["created"] == 3
    assert not Cooperative.objects.exists()
    status, _out = command(str(sample(tmp_path, bad=True)), "--dry-run")
    assert status == 1


def test_valid_only_writes_the_fix_list_and_exits_0_when_every_row_is_accounted_for(tmp_path):
    fix_list = tmp_path / "fix.xlsx"
    status, out = command(
        str(sample(tmp_path, bad=True)), "--valid-only", "--fix-list", str(fix_list),
        "--format", "json",
    )  # fmt: skip
    summary = json.loads(out)
    assert status == 0
    assert (summary["created"], len(summary["errors"])) == (2, 1)
    assert summary["fix_list"] == str(fix_list)
    rows = list(openpyxl.load_workbook(fix_list).active.iter_rows(values_only=True))
    assert rows[0][-1] == "Lỗi"
    assert rows[1][1] == "HTX Dịch vụ Lương Bằng"
    assert Cooperative.objects.count() == 2


def test_valid_only_needs_a_fix_list(tmp_path):
    with pytest.raises(CommandError):
        call_command("import_registry", str(sample(tmp_path)), "--valid-only")


def test_the_text_summary_is_in_vietnamese(tmp_path):
    status, out = command(str(sample(tmp_path, bad=True)))
    assert status == 1
    assert "Không ghi gì" in out
    assert "Dòng 3, “Mã số HTX”:" in out


def test_a_file_that_is_no_spreadsheet_exits_1_with_its_reason(tmp_path):
    path = tmp_path / "a.xlsx"
    path.write_bytes(b.encrypted_xlsx())
    status, out = command(str(path), "--format", "json")
    summary = json.loads(out)
    assert status == 1
    assert set(summary) >= KEYS
    assert "mật khẩu" in summary["errors"][0]["message"]


def test_a_row_outside_the_users_area_exits_1(tmp_path, outsider):
    status, out = command(str(sample(tmp_path)), "--user", "xa2", "--format", "json")
    assert status == 1
    assert {e["column"] for e in json.loads(out)["errors"]} == {"Địa chỉ"}
    assert not Cooperative.objects.exists()
