"""`python manage.py rate`: JSON in, JSON out, exit code 1 when a case has an error; and the
JSON case format (rules/cases.py). No database."""

import json
import os
import re
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from .helpers import TT01_FULL

ROOT = Path(settings.BASE_DIR)
EXAMPLES = ROOT / "docs" / "examples"


def _case(**fields):
    case = {"id": "A", "kind": "htx", "founded": "2015-03-01", "year": 2021, "scores": TT01_FULL}
    case.update(fields)
    return case


def _run(tmp_path, cases, *args):
    path = tmp_path / "cases.json"
    path.write_text(json.dumps(cases, ensure_ascii=False), encoding="utf-8")
    out = StringIO()
    call_command("rate", "--rules", "tt01-2020", "--input", str(path), *args, stdout=out)
    return out.getvalue()


def test_rates_every_case_and_prints_json(tmp_path):
    # A: full sheet, 100 → tốt. B: 1a 6 → 5.5 and 15 4 → 0: 100 − 0.5 − 4 = 95.5 → tốt.
    # C: group III all 0 except 10: 4.99 → 30 + 30 + 4.99 = 64.99 → trung bình.
    group_iii_zero = dict.fromkeys(("11", "12", "13", "14", "15"), 0)
    cases = [
        _case(),
        _case(id="B", scores={**TT01_FULL, "1a": 5.5, "15": 0}),
        _case(id=3, scores={**TT01_FULL, **group_iii_zero, "10": 4.99}),
    ]
    output = json.loads(_run(tmp_path, cases, "--format", "json"))
    assert [(o["id"], o["total"], o["rank"]) for o in output] == [
        ("A", 100, "tot"),
        ("B", 95.5, "tot"),
        (3, 64.99, "trung_binh"),
    ]
    assert output[1]["points"]["1"] == 6.5
    assert output[0]["points"] == {
        "1": 7, "2": 6, "3": 11, "4": 6, "5": 8, "6": 6, "7": 6, "8": 6, "9": 4,
        "10": 8, "11": 8, "12": 8, "13": 6, "14": 6, "15": 4,
    }  # fmt: skip
    assert set(output[0]) == {"id", "points", "total", "rank", "reason"}
    assert output[0]["reason"] == (
        "Tổng 100 điểm, từ 80 đến 100 điểm: xếp loại Tốt"
        " (Thông tư 01/2020/TT-BKHĐT, Điều 8 khoản 2)"
    )


def test_whole_numbers_are_json_ints(tmp_path):
    text = _run(tmp_path, [_case()])
    assert '"total": 100,' in text
    assert "100.0" not in text


def test_bad_case_gets_an_error_and_the_others_are_still_rated(tmp_path):
    cases = [
        _case(id="over", scores={**TT01_FULL, "1a": 7}),
        _case(id="good"),
        _case(id="missing", scores={k: v for k, v in TT01_FULL.items() if k != "15"}),
        _case(id="new", founded="2021-06-01", scores={}),
        {"id": "shape", "kind": "htx", "founded": "01/02/2015", "year": "2021", "scores": []},
    ]
    path = tmp_path / "cases.json"
    path.write_text(json.dumps(cases), encoding="utf-8")
    out = StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("rate", "--rules", "tt01-2020", "--input", str(path), stdout=out)
    assert raised.value.returncode == 1
    assert str(raised.value) == '3/5 hồ sơ không xếp loại được (xem trường "error").'
    output = {o["id"]: o for o in json.loads(out.getvalue())}
    assert output["over"] == {
        "id": "over",
        "error": "Điểm '1a' (Tổng nguồn vốn bình quân (trung bình) của HTX; tự chấm) là 7, vượt"
        " mức tối đa 6 điểm",
    }
    assert output["good"]["rank"] == "tot"
    assert output["missing"]["error"] == "Thiếu điểm '15' (Hợp tác xã được khen thưởng trong năm)"
    assert output["new"]["rank"] == "chua_danh_gia"
    assert output["shape"]["error"] == (
        "Trường 'founded' phải là ngày dạng YYYY-MM-DD; Trường 'year' phải là một năm, ví dụ"
        " 2019; Trường 'scores' phải là một đối tượng {mã tiêu chí: điểm}"
    )


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("not an object", "Mỗi hồ sơ phải là một đối tượng JSON"),
        ({"id": "x"}, "Thiếu trường 'kind'; Thiếu trường 'founded'; Thiếu trường 'year'"),
        (_case(score={}), "Trường 'score' không được hỗ trợ"),
        (_case(scores={"1a": True}), "Điểm '1a' phải là một số, nhận được True"),
        (_case(scores={"1a": {"selff": 3}}), "Điểm '1a' phải là một số, hoặc {\"self\": số"),
        (_case(report={"tong_nguon_von": "nhiều"}), "Chỉ tiêu 'report.tong_nguon_von' phải là"),
        (_case(sanctioned="không"), "Trường 'sanctioned' phải là true hoặc false"),
    ],
)
def test_unreadable_case_messages_name_the_field(tmp_path, case, message):
    path = tmp_path / "cases.json"
    path.write_text(json.dumps([case], ensure_ascii=False), encoding="utf-8")
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("rate", "--rules", "tt01-2020", "--input", str(path), stdout=out)
    assert message in json.loads(out.getvalue())[0]["error"]


def test_verified_score_in_json(tmp_path):
    # 1a: self 6, verified 4 → 4; total 100 − 2 = 98.
    output = json.loads(
        _run(tmp_path, [_case(scores={**TT01_FULL, "1a": {"self": 6, "verified": 4}})])
    )
    assert (output[0]["points"]["1"], output[0]["total"]) == (5, 98)


def test_unreadable_file_is_a_command_error(tmp_path):
    path = tmp_path / "cases.json"
    path.write_text("[{", encoding="utf-8")
    with pytest.raises(CommandError, match=r"không phải JSON hợp lệ \(dòng 1, cột 3\)"):
        call_command("rate", "--rules", "tt01-2020", "--input", str(path), stdout=StringIO())
    path.write_text("{}", encoding="utf-8")
    with pytest.raises(CommandError, match="phải chứa một danh sách"):
        call_command("rate", "--rules", "tt01-2020", "--input", str(path), stdout=StringIO())
    with pytest.raises(CommandError, match="invalid choice: 'tt99'"):
        call_command("rate", "--rules", "tt99", "--input", str(path))


def test_text_format_explains_each_criterion(tmp_path):
    text = _run(tmp_path, [_case()], "--format", "text")
    assert text.startswith("A: tot — Tổng 100 điểm")
    assert "    1. 7/7: 1a: 6 điểm tự chấm; 1b: 1 điểm tự chấm\n" in text
    assert "    10. 8/?: 10: 8 điểm tự chấm\n" in text


def _manage(*args):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    return subprocess.run(  # noqa: S603  (our own manage.py, fixed arguments)
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def _documented(name):
    """The JSON block that docs/rules.md shows after `<!-- rate-output NAME -->`."""
    text = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    match = re.search(rf"<!-- rate-output {name} -->\s*```json\n(.*?)```", text, re.S)
    assert match, f"docs/rules.md has no output block {name}"
    return json.loads(match.group(1))


def test_documented_examples_end_to_end():
    """The examples of docs/rules.md, run as a user would: output and exit codes."""
    tt01 = _manage(
        "rate", "--rules", "tt01-2020", "--input", str(EXAMPLES / "rate-input.json"),
        "--format", "json",
    )  # fmt: skip
    assert tt01.returncode == 1  # HTX-007 has errors
    assert (
        tt01.stderr.strip() == 'CommandError: 1/7 hồ sơ không xếp loại được (xem trường "error").'
    )
    assert json.loads(tt01.stdout) == _documented("tt01-2020")

    tt09 = _manage(
        "rate", "--rules", "tt09-2017", "--input", str(EXAMPLES / "rate-input-tt09.json")
    )
    assert tt09.returncode == 0, tt09.stderr
    assert json.loads(tt09.stdout) == _documented("tt09-2017")
