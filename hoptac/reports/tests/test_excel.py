"""Import and export of reports for many HTX at once, and `manage.py import_reports`."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse

from hoptac.accounts import access
from hoptac.jobs.tests.checks import assert_check_job_runs_behind_its_bar
from hoptac.registry.tests.factories import CooperativeFactory, legacy_unit
from hoptac.reports import excel, importing
from hoptac.reports.models import AnnualReport
from hoptac.reports.tests.factories import approved_report, make_report

pytestmark = pytest.mark.django_db

HEADER = [
    "STT",
    "Mã số HTX",
    "Tên HTX",
    "Năm báo cáo",
    "Số thành viên",
    "Số lao động",
    "Vốn điều lệ (triệu đồng)",
    "Tổng nguồn vốn",
    "Tổng tài sản",
    "Doanh thu",
    "Chi phí",
    "Lợi nhuận trước thuế",
    "Lợi nhuận sau thuế",
]


def row(number, coop, year=2019, **changes):
    values = {
        "members": 30,
        "workers": 10,
        "charter": 1200,
        "capital": 1_700_000_000,
        "assets": 1_700_000_000,
        "revenue": "2.400.000.000",
        "costs": 2_250_000_000,
        "before": 150_000_000,
        "after": 120_000_000,
        **changes,
    }
    return [number, coop.tax_code, coop.name, year, *values.values()]


def xlsx(tmp_path: Path, rows: list[list], name: str = "bc.xlsx") -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["BÁO CÁO TÌNH HÌNH HOẠT ĐỘNG CỦA HTX NĂM 2019"])
    sheet.append([])
    for values in [HEADER, *rows]:
        sheet.append(values)
    path = tmp_path / name
    book.save(path)
    return path


@pytest.fixture
def coops():
    return [CooperativeFactory(name=f"HTX Số {i}") for i in range(3)]


def test_headers_match_in_vietnamese_with_units(coops, tmp_path):
    layout = importing.read_layout(xlsx(tmp_path, [row(1, coops[0])]))
    assert layout.proposed[:4] == [None, "tax_code", "name", "year"]
    assert layout.proposed[6] == "charter_capital"
    assert layout.scales[6] == 1_000_000
    assert layout.first_data_row == 4


def test_domain_codes_and_english_headers_are_accepted():
    assert excel.match_header("tong_nguon_von").key == "total_capital"
    assert excel.match_header("Loi nhuan sau thue").key == "profit_after_tax"
    assert excel.match_header("Revenue (VND)").key == "revenue"
    assert excel.match_header("Doanh thu (tỷ đồng)").scale == 1_000_000_000


def test_good_file_creates_drafts_for_every_row(coops, tmp_path, district_officer):
    path = xlsx(tmp_path, [row(i + 1, c) for i, c in enumerate(coops)])
    summary = importing.run_import(path, user=district_officer)
    assert (summary.created, summary.error_rows, summary.written) == (3, 0, True)
    report = AnnualReport.objects.get(cooperative=coops[0], year=2019)
    assert report.status == "draft"
    assert report.charter_capital == Decimal(1_200_000_000)  # "(triệu đồng)"
    assert report.revenue == Decimal(2_400_000_000)
    assert report.history.get().history_user == district_officer


def test_one_bad_row_writes_nothing_and_names_row_and_column(coops, tmp_path):
    rows = [row(1, coops[0]), row(2, coops[1], revenue="nhiều"), row(3, coops[2])]
    summary = importing.run_import(xlsx(tmp_path, rows), user=access.SYSTEM)
    assert not summary.written
    assert summary.error_rows == 1
    [error] = summary.errors
    assert (error.row, error.column) == (5, "Doanh thu")
    assert "nhiều" in error.message
    assert not AnnualReport.objects.exists()


def test_inconsistent_figures_are_refused_by_the_report_form(coops, tmp_path):
    rows = [row(1, coops[0], after=999_000_000)]
    summary = importing.run_import(xlsx(tmp_path, rows), user=access.SYSTEM)
    [error] = summary.errors
    assert error.column == "Lợi nhuận sau thuế"
    assert not AnnualReport.objects.exists()


def test_valid_only_writes_the_valid_rows_and_a_fix_list(coops, tmp_path):
    rows = [row(1, coops[0]), row(2, coops[1], members=-3), row(3, coops[2])]
    fix = tmp_path / "loi.xlsx"
    summary = importing.run_import(
        xlsx(tmp_path, rows), user=access.SYSTEM, valid_only=True, fix_list=fix
    )
    assert (summary.created, summary.error_rows, summary.written) == (2, 1, True)
    assert summary.accounted
    sheet = openpyxl.load_workbook(fix).active
    values = list(sheet.values)
    assert values[0][0].startswith("BÁO CÁO")  # the file's own title block is kept
    assert values[-1][2] == "HTX Số 1"
    assert "Số thành viên" in values[-1][-1]


def test_scope_a_commune_officer_cannot_import_for_another_commune(coops, tmp_path, outsider):
    other = CooperativeFactory(name="HTX Nghĩa Tá", commune_legacy=legacy_unit("02071"))
    rows = [row(1, other), row(2, coops[0])]
    summary = importing.run_import(xlsx(tmp_path, rows), user=outsider)
    assert summary.error_rows == 1
    assert summary.errors[0].row == 5
    assert summary.errors[0].column == "Mã số HTX"
    assert not AnnualReport.objects.exists()


def test_manager_imports_only_his_own(coops, tmp_path, make_user):
    manager = make_user("qly", "coop_manager")
    coops[0].managers.add(manager)
    summary = importing.run_import(
        xlsx(tmp_path, [row(1, coops[0]), row(2, coops[1])]), user=manager
    )
    assert summary.error_rows == 1
    assert summary.errors[0].row == 5


def test_year_before_founding_and_duplicate_rows(coops, tmp_path):
    rows = [row(1, coops[0], year=2010), row(2, coops[1]), row(3, coops[1])]
    summary = importing.run_import(xlsx(tmp_path, rows), user=access.SYSTEM, dry_run=True)
    messages = {(e.row, e.column): e.message for e in summary.errors}
    assert "2015" in messages[(4, "Năm báo cáo")]
    assert "5" in messages[(6, "Mã số HTX")]


def test_approved_report_is_not_changed_by_an_import(coops, tmp_path):
    approved_report(coops[0], revenue=Decimal(3_000_000_000))
    summary = importing.run_import(xlsx(tmp_path, [row(1, coops[0])]), user=access.SYSTEM)
    assert summary.error_rows == 1
    assert "khóa" in summary.errors[0].message or "locked" in summary.errors[0].message


def test_empty_cells_keep_what_is_recorded(coops, tmp_path):
    report = make_report(coops[0], members_count=44)
    rows = [row(1, coops[0], members=None, revenue=2_500_000_000)]
    summary = importing.run_import(xlsx(tmp_path, rows), user=access.SYSTEM)
    assert summary.updated == 1
    report.refresh_from_db()
    assert (report.members_count, report.revenue) == (44, Decimal(2_500_000_000))


def test_export_then_import_changes_nothing(client, coops, tmp_path, commune_officer, luong_bang):
    approved_report(coops[0])
    make_report(coops[1], revenue=None, notes="Chưa đủ số liệu")
    client.force_login(commune_officer)
    response = client.get(reverse("reports:report_export"), {"area": luong_bang.pk, "year": 2019})
    assert response.status_code == 200
    path = tmp_path / "export.xlsx"
    path.write_bytes(b"".join(response.streaming_content))
    before = list(AnnualReport.history.values_list("history_id", flat=True))
    summary = importing.run_import(path, user=commune_officer)
    assert (summary.rows, summary.unchanged, summary.created, summary.updated) == (2, 2, 0, 0)
    assert summary.errors == []
    assert list(AnnualReport.history.values_list("history_id", flat=True)) == before


def test_template_has_every_import_column():
    book = openpyxl.load_workbook(io.BytesIO(excel.template_workbook()))
    headers = [c.value for c in book.worksheets[0][1]]
    assert len(headers) == len(excel.IMPORT_KEYS)
    assert all(excel.match_header(h).key in excel.IMPORT_KEYS for h in headers)


def command(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("import_reports", *args, stdout=out, stderr=io.StringIO())
    except SystemExit as exit_:
        return int(exit_.code or 0), out.getvalue()
    return 0, out.getvalue()


def test_command_json_has_the_registry_import_keys(coops, tmp_path):
    status, out = command(str(xlsx(tmp_path, [row(1, coops[0])])), "--format", "json")
    summary = json.loads(out)
    assert status == 0
    assert set(summary) == {
        "created",
        "updated",
        "unchanged",
        "errors",
        "rows",
        "error_rows",
        "written",
        "dry_run",
        "fix_list",
    }
    assert summary["created"] == 1


def test_command_bad_row_exits_1_and_writes_nothing(coops, tmp_path):
    path = xlsx(tmp_path, [row(1, coops[0]), row(2, coops[1], workers="mười")])
    status, out = command(str(path), "--format", "json")
    summary = json.loads(out)
    assert status == 1
    assert summary["errors"][0]["row"] == 5
    assert summary["errors"][0]["column"] == "Số lao động"
    assert not AnnualReport.objects.exists()


def test_command_year_option_and_dry_run(coops, tmp_path):
    book = openpyxl.Workbook()
    book.active.append(["Mã số HTX", "Doanh thu", "Số thành viên"])
    book.active.append([coops[0].tax_code, 5_000_000, 12])
    path = tmp_path / "no-year.xlsx"
    book.save(path)
    status, _out = command(str(path), "--format", "json")
    assert status == 1  # no year column and no --year
    status, out = command(str(path), "--year", "2019", "--dry-run", "--format", "json")
    assert (status, json.loads(out)["created"]) == (0, 1)
    assert not AnnualReport.objects.exists()
    status, _out = command(str(path), "--year", "2019")
    assert AnnualReport.objects.get().revenue == Decimal(5_000_000)


def test_command_valid_only_with_fix_list(coops, tmp_path):
    path = xlsx(tmp_path, [row(1, coops[0]), row(2, coops[1], costs="x")])
    fix = tmp_path / "fix.xlsx"
    status, out = command(str(path), "--valid-only", "--fix-list", str(fix), "--format", "json")
    summary = json.loads(out)
    assert status == 0
    assert (summary["created"], summary["error_rows"], summary["fix_list"]) == (1, 1, str(fix))
    assert fix.exists()


@pytest.fixture
def post(client, django_capture_on_commit_callbacks):
    """POST as the page does; the job it starts runs when the request commits (the tests'
    queue runs a job at once)."""

    def post(url, data):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data)

    return post


def test_import_page_checks_then_imports(client, post, coops, tmp_path, commune_officer):
    client.force_login(commune_officer)
    path = xlsx(tmp_path, [row(1, coops[0]), row(2, coops[1])])
    with path.open("rb") as handle:
        response = post(reverse("reports:report_import"), {"file": handle})
    assert response.status_code == 302
    detail = response["Location"]
    page = client.get(detail).content.decode()
    assert 'data-testid="import-summary"' in page
    assert not AnnualReport.objects.exists()
    post(detail, {"action": "import"})
    assert AnnualReport.objects.count() == 2
    assert 'data-testid="import-form"' not in client.get(detail).content.decode()  # done


def test_import_page_only_starts_jobs(
    client, coops, tmp_path, commune_officer, django_capture_on_commit_callbacks
):
    from hoptac.jobs.models import Job

    client.force_login(commune_officer)
    path = xlsx(tmp_path, [row(1, coops[0])])
    with (
        path.open("rb") as handle,
        django_capture_on_commit_callbacks(execute=False) as queued,
    ):
        response = client.post(reverse("reports:report_import"), {"file": handle})
    detail = response["Location"]
    assert_check_job_runs_behind_its_bar(
        client, detail, queued, owner=commune_officer, form="import-form"
    )
    assert client.get(detail).context["summary"]["created"] == 1
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(detail, {"action": "import"})
    assert response["Location"] == detail
    assert Job.objects.filter(params__commit=True).count() == 1
    assert not AnnualReport.objects.exists()  # the import waits for its job


def test_a_failed_import_job_is_shown_on_the_page(client, post, coops, tmp_path, commune_officer):
    from hoptac.jobs.models import Job

    client.force_login(commune_officer)
    path = xlsx(tmp_path, [row(1, coops[0])])
    with path.open("rb") as handle:
        detail = post(reverse("reports:report_import"), {"file": handle})["Location"]
    Job.objects.update(state="failed", error="Tệp đã hỏng.")
    page = client.get(detail).content.decode()
    assert 'data-testid="job-failed"' in page
    assert "Tệp đã hỏng." in page
    assert 'data-testid="import-form"' in page  # it can be run again


def test_import_page_is_for_officers(client, make_user):
    manager = make_user("qly", "coop_manager")
    client.force_login(manager)
    assert client.get(reverse("reports:report_import")).status_code == 403
