"""Bulk exchange through the API: an import of cooperatives from a .csv, an .xlsx or a JSON
array starts the spreadsheet pipeline's job (202 and its URL); the job's URL gives its state
and, when done, the import command's summary; dry_run writes nothing; a repeated call changes
nothing (rows matched by registration code); who may import, and whose job one may read."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

from hoptac.core.models import StoredUpload
from hoptac.registry.models import Cooperative
from hoptac.registry.tests.files import builders as b

pytestmark = pytest.mark.django_db

IMPORT = "/api/v1/cooperatives/import"

ROWS = [
    {
        "name": "HTX Chè Mỹ Phương",
        "tax_code": "4700123456",
        "address": b.LUONG_BANG,
        "sector": "Nông nghiệp",
        "sub_sector": "Trồng trọt",
        "founded_on": "2015-03-15",
        "kind": "Hợp tác xã",
    },
    {
        "name": "HTX Cao Phong",
        "tax_code": "4700654321",
        "address": b.LUONG_BANG,
        "sector": "Nông nghiệp",
        "sub_sector": "Chăn nuôi",
        "founded_on": "2012-09-09",
        "kind": "Hợp tác xã",
    },
]


def body(response):
    return json.loads(response.content)


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Call the API with the jobs it starts run when the request's transaction commits."""

    def call(api, method, path, data=None, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            if isinstance(data, list):
                return api.send(method, path, data, **extra)
            if data is not None:
                return getattr(api, method.lower())(path, data=data, **extra)
            return api.send(method, path, **extra)

    return call


def job_of(api, started):
    assert started.status_code == 202, started.content
    url = body(started)["url"]
    assert started["Location"] == url
    response = api.get(url)
    assert response.status_code == 200
    return body(response)


def test_a_json_array_is_imported_and_a_repeat_changes_nothing(run, token_for, commune_officer):
    api = token_for(commune_officer)
    job = job_of(api, run(api, "POST", IMPORT, ROWS))
    assert job["state"] == "succeeded", job
    assert job["percent"] == 100
    summary = job["summary"]
    assert (summary["created"], summary["updated"], summary["unchanged"]) == (2, 0, 0)
    assert summary["written"] is True
    assert summary["errors"] == []
    assert Cooperative.objects.count() == 2
    assert Cooperative.history.filter(history_user=commune_officer).count() == 2
    again = job_of(api, run(api, "POST", IMPORT, ROWS))["summary"]
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 2)
    assert Cooperative.objects.count() == 2


def test_dry_run_plans_without_writing(run, token_for, commune_officer):
    api = token_for(commune_officer)
    summary = job_of(api, run(api, "POST", f"{IMPORT}?dry_run=true", ROWS))["summary"]
    assert summary["created"] == 2
    assert summary["dry_run"] is True
    assert summary["written"] is False
    assert not Cooperative.objects.exists()


def test_an_xlsx_file_gives_the_commands_summary(run, token_for, commune_officer, tmp_path):
    content = b.xlsx([b.HEADER, *b.sample_rows()])
    path = tmp_path / "ds.xlsx"
    path.write_bytes(content)
    out = io.StringIO()
    call_command("import_registry", str(path), "--dry-run", "--format", "json", stdout=out)
    expected = json.loads(out.getvalue())
    api = token_for(commune_officer)
    upload = io.BytesIO(content)
    upload.name = "ds.xlsx"
    started = run(api, "POST", f"{IMPORT}?dry_run=true", {"file": upload})
    summary = job_of(api, started)["summary"]
    assert {k: v for k, v in summary.items() if k != "fix_list"} == {
        k: v for k, v in expected.items() if k != "fix_list"
    }
    assert summary["created"] == 3


def test_a_csv_body_with_a_bad_row_writes_nothing_and_names_row_and_column(
    run, token_for, commune_officer
):
    rows = b.sample_rows()
    rows[1][2] = "12345"
    content = b.csv_bytes([b.HEADER, *rows])
    api = token_for(commune_officer)
    started = run(api, "POST", IMPORT, content_type="text/csv", data=content)
    summary = job_of(api, started)["summary"]
    assert summary["written"] is False
    assert [(e["row"], e["column"]) for e in summary["errors"]] == [(3, "Mã số HTX")]
    assert not Cooperative.objects.exists()


def test_unreadable_input_is_refused_at_once(run, token_for, commune_officer):
    api = token_for(commune_officer)
    unknown = run(api, "POST", IMPORT, [{"name": "HTX X", "salary": 1}])
    assert unknown.status_code == 422
    # bad input named by row and field, in Vietnamese unless Accept-Language asks otherwise
    assert body(unknown)["errors"] == [
        {"row": 1, "field": "salary", "message": "Không có cột này."}
    ]
    english = run(api, "POST", IMPORT, [{"salary": 1}], HTTP_ACCEPT_LANGUAGE="en")
    assert body(english)["errors"][0]["message"] == "There is no such column."
    no_header = run(api, "POST", IMPORT, content_type="text/csv", data=b"a,b\n1,2\n")
    assert no_header.status_code == 422
    assert api.post(IMPORT, data=b"x", content_type="text/plain").status_code == 415
    assert not StoredUpload.objects.exists()


@pytest.mark.parametrize(("actor", "status"), [("manager", 403), ("commune_officer", 403)])
def test_who_may_not_import(request, run, token_for, actor, status):
    scope = "read" if actor == "commune_officer" else "read-write"
    api = token_for(request.getfixturevalue(actor), scope)
    before = Cooperative.objects.count()  # the manager's own HTX
    assert run(api, "POST", IMPORT, ROWS).status_code == status
    assert Cooperative.objects.count() == before
    assert not StoredUpload.objects.exists()


def test_rows_outside_the_officers_area_are_errors(run, token_for, outsider):
    api = token_for(outsider)  # Xã Nghĩa Tá: Lương Bằng is outside
    summary = job_of(api, run(api, "POST", IMPORT, ROWS))["summary"]
    assert summary["written"] is False
    assert {e["row"] for e in summary["errors"]} == {2, 3}
    assert not Cooperative.objects.exists()


def test_a_job_is_its_starters_only(run, token_for, commune_officer, outsider, admin, client):
    api = token_for(commune_officer)
    url = body(run(api, "POST", f"{IMPORT}?dry_run=true", ROWS))["url"]
    assert token_for(outsider, "read").get(url).status_code == 404
    assert token_for(admin, "read").get(url).status_code == 200
    assert client.get(url).status_code == 401
    assert api.get("/api/v1/jobs/999999").status_code == 404


# --- reports import and the national forms ------------------------------------------------------


def test_reports_are_imported_from_a_json_array(run, token_for, commune_officer, alpha):
    from hoptac.reports.models import AnnualReport
    from hoptac.reports.tests.factories import complete_values

    row = {"tax_code": alpha.tax_code, "year": 2019}
    row |= {k: int(v) for k, v in complete_values().items()}
    api = token_for(commune_officer)
    summary = job_of(api, run(api, "POST", "/api/v1/reports/import", [row]))["summary"]
    assert summary["created"] == 1, summary
    assert summary["written"] is True
    report = AnnualReport.objects.get(cooperative=alpha, year=2019)
    assert report.members_count == 32


@pytest.fixture
def approved(alpha, bravo, delta):
    from hoptac.reports.tests.factories import approved_report

    return [approved_report(c, 2019) for c in (alpha, bravo, delta)]


@pytest.mark.parametrize(
    ("actor", "names"),
    [
        ("province_officer", ["HTX Alpha", "HTX Bravo"]),
        ("outsider", ["HTX Bravo"]),
        ("admin", ["HTX Alpha", "HTX Bravo", "HTX Delta"]),
    ],
)
def test_national_forms_as_json_for_the_callers_area(request, token_for, approved, actor, names):
    api = token_for(request.getfixturevalue(actor), "read")
    response = api.get("/api/v1/national-forms/VII-2?year=2019")
    assert response.status_code == 200, response.content
    data = body(response)
    assert data["form"] == "VII-2"
    assert data["circular"] == "09/2024/TT-BKHĐT"
    assert sorted(item["name"] for item in data["items"]) == names
    members = {line["label"]: line["value"] for line in data["items"][0]["lines"]}
    assert 32 in members.values()


def test_national_forms_as_xlsx_with_accept(token_for, province_officer, approved, bac_kan):
    import openpyxl

    response = token_for(province_officer, "read").get(
        f"/api/v1/national-forms/VII-1?year=2019&area={bac_kan.pk}",
        HTTP_ACCEPT="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    codes = {row[0] for row in values}
    assert {"4700000001", "4700000002"} <= codes
    assert "4700000004" not in codes  # Hà Nội: outside Bắc Kạn


def test_national_forms_refusals(token_for, commune_officer, manager, approved, delta):
    api = token_for(commune_officer, "read")
    assert api.get("/api/v1/national-forms/VII-9?year=2019").status_code == 404
    assert (
        api.get(
            f"/api/v1/national-forms/VII-1?year=2019&area={delta.province_legacy_id}"
        ).status_code
        == 404
    )
    assert (
        token_for(manager, "read").get("/api/v1/national-forms/VII-1?year=2019").status_code == 404
    )
