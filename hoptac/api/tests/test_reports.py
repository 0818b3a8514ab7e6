"""Annual reports through the API as each role, in and out of scope: list and read (404
outside), create and change as the HTX's manager (If-Match), submit, approve or return as an
officer of the area, the workflow's refusals (409) and the history's author."""

from __future__ import annotations

import json

import pytest

from hoptac.reports.choices import ReportStatus
from hoptac.reports.models import AnnualReport
from hoptac.reports.tests.factories import complete_values, make_report

pytestmark = pytest.mark.django_db

LIST = "/api/v1/reports"


def body(response):
    return json.loads(response.content)


def as_json(values):
    return {k: int(v) for k, v in values.items()}


@pytest.fixture
def alpha_report(alpha):
    return make_report(alpha, 2019)


@pytest.fixture
def bravo_report(bravo):
    return make_report(bravo, 2019)


@pytest.fixture
def delta_report(delta):
    return make_report(delta, 2019)


# --- reading, as each role ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actor", "seen"),
    [
        ("admin", ["HTX Alpha", "HTX Bravo", "HTX Delta"]),
        ("province_officer", ["HTX Alpha", "HTX Bravo"]),
        ("district_officer", ["HTX Alpha", "HTX Bravo"]),
        ("commune_officer", ["HTX Alpha"]),
        ("outsider", ["HTX Bravo"]),
        ("current_officer", ["HTX Alpha", "HTX Bravo"]),
        ("manager", ["HTX Alpha"]),
    ],
)
def test_the_list_shows_the_reports_the_role_sees(
    request, token_for, actor, seen, alpha_report, bravo_report, delta_report
):
    user = request.getfixturevalue(actor)
    items = body(token_for(user, "read").get(LIST))["items"]
    by_pk = {r.cooperative_id: r.cooperative.name for r in AnnualReport.objects.all()}
    assert sorted(by_pk[row["cooperative"]] for row in items) == seen


@pytest.mark.parametrize(
    ("actor", "status"),
    [
        ("admin", 200),
        ("province_officer", 200),
        ("commune_officer", 200),
        ("manager", 200),
        ("outsider", 404),
        ("current_officer", 200),
    ],
)
def test_a_report_is_404_outside_the_area(request, token_for, alpha_report, actor, status):
    user = request.getfixturevalue(actor)
    response = token_for(user, "read").get(f"{LIST}/{alpha_report.pk}")
    assert response.status_code == status
    if status == 200:
        data = body(response)
        assert data["values"]["members_count"] == 32
        assert data["status"] == "draft"
        assert response["ETag"] == f'"{alpha_report.pk}-{alpha_report.revision}"'
    else:
        assert response["Content-Type"].startswith("application/problem+json")


def test_anonymous_is_401(client, alpha_report):
    assert client.get(LIST).status_code == 401
    assert client.get(f"{LIST}/{alpha_report.pk}").status_code == 401


def test_the_list_filters_by_year_status_area_and_pages(
    token_for, admin, alpha, alpha_report, bravo_report, delta_report, bac_kan
):
    make_report(alpha, 2020)
    api = token_for(admin, "read")
    assert len(body(api.get(f"{LIST}?year=2019"))["items"]) == 3
    assert len(body(api.get(f"{LIST}?cooperative={alpha.pk}"))["items"]) == 2
    assert len(body(api.get(f"{LIST}?area={bac_kan.pk}&year=2019"))["items"]) == 2
    assert body(api.get(f"{LIST}?status=approved"))["items"] == []
    assert api.get(f"{LIST}?status=nonsense").status_code == 400
    walked, url = [], f"{LIST}?limit=2&fields=id,year"
    while url:
        page = body(api.get(url))
        assert all(set(row) == {"id", "year"} for row in page["items"])
        walked += [row["id"] for row in page["items"]]
        url = page["next"] and page["next"].replace("http://testserver", "")
    assert sorted(walked) == sorted(AnnualReport.objects.values_list("pk", flat=True))
    assert len(walked) == 4


# --- the HTX's manager makes and submits, the officer approves or returns -------------------


def test_the_manager_creates_changes_and_submits_his_htxs_report(token_for, manager, alpha):
    api = token_for(manager)
    values = as_json(complete_values())
    values["members_count"] = None
    response = api.send("POST", LIST, {"cooperative": alpha.pk, "year": 2019, "values": values})
    assert response.status_code == 201, response.content
    created = body(response)
    assert created["status"] == "draft"
    assert created["missing"] == ["members_count"]
    report = AnnualReport.objects.get(pk=created["id"])
    assert report.history.first().history_user == manager
    url = f"{LIST}/{report.pk}"
    # submitting with a required figure empty is refused, naming it
    refused = api.send("POST", f"{url}/submit", {})
    assert refused.status_code == 422
    assert [e["field"] for e in body(refused)["errors"]] == ["values.members_count"]
    # a change needs If-Match; a stale one is 412
    change = {"values": {"members_count": 30}}
    assert api.send("PATCH", url, change).status_code == 428
    stale = api.send("PATCH", url, change, HTTP_IF_MATCH=f'"{report.pk}-{report.revision - 1}"')
    assert stale.status_code == 412
    etag = api.get(url)["ETag"]
    changed = api.send("PATCH", url, change, HTTP_IF_MATCH=etag)
    assert changed.status_code == 200, changed.content
    assert body(changed)["values"]["members_count"] == 30
    assert body(changed)["values"]["revenue"] == values["revenue"]  # the others kept
    submitted = api.send("POST", f"{url}/submit", {})
    assert submitted.status_code == 200
    assert body(submitted)["status"] == "submitted"
    # a manager never approves his own HTX's report
    assert api.send("POST", f"{url}/approve", {}).status_code == 403
    assert AnnualReport.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED


def test_a_figure_the_form_refuses_is_422_naming_it(token_for, manager, alpha):
    values = as_json(complete_values(workers_members=99))  # more than the workers
    response = token_for(manager).send(
        "POST", LIST, {"cooperative": alpha.pk, "year": 2019, "values": values}
    )
    assert response.status_code == 422
    assert "values.workers_members" in [e["field"] for e in body(response)["errors"]]
    unknown = token_for(manager).send(
        "POST", LIST, {"cooperative": alpha.pk, "year": 2019, "values": {"salary": 1}}
    )
    assert unknown.status_code == 422
    assert not AnnualReport.objects.exists()


def test_a_second_report_for_the_year_is_422(token_for, manager, alpha, alpha_report):
    response = token_for(manager).send("POST", LIST, {"cooperative": alpha.pk, "year": 2019})
    assert response.status_code == 422
    assert body(response)["errors"][0]["field"] == "year"


@pytest.mark.parametrize("actor", ["commune_officer", "province_officer", "admin"])
def test_an_officer_of_the_area_approves_a_submitted_report(
    request, token_for, actor, alpha_report
):
    user = request.getfixturevalue(actor)
    api = token_for(user)
    url = f"{LIST}/{alpha_report.pk}"
    assert api.send("POST", f"{url}/approve", {}).status_code == 409  # still a draft
    assert api.send("POST", f"{url}/submit", {}).status_code == 200
    approved = api.send("POST", f"{url}/approve", {})
    assert approved.status_code == 200, approved.content
    report = AnnualReport.objects.get(pk=alpha_report.pk)
    assert report.status == ReportStatus.APPROVED
    assert report.approved_by == user
    # approved is locked
    locked = api.send("PATCH", url, {"values": {"members_count": 1}}, HTTP_IF_MATCH="*")
    assert locked.status_code == 409


def test_an_officer_returns_a_report_saying_why(token_for, commune_officer, alpha_report):
    api = token_for(commune_officer)
    url = f"{LIST}/{alpha_report.pk}"
    api.send("POST", f"{url}/submit", {})
    assert api.send("POST", f"{url}/return", {"comment": "  "}).status_code == 422
    returned = api.send("POST", f"{url}/return", {"comment": "Doanh thu chưa đúng"})
    assert returned.status_code == 200
    assert body(returned)["status"] == "returned"
    assert body(returned)["return_comment"] == "Doanh thu chưa đúng"


def test_out_of_scope_writes_are_404_and_read_tokens_403(
    token_for, outsider, commune_officer, alpha, alpha_report
):
    api = token_for(outsider)
    url = f"{LIST}/{alpha_report.pk}"
    assert api.send("POST", LIST, {"cooperative": alpha.pk, "year": 2020}).status_code == 404
    assert api.send("POST", f"{url}/submit", {}).status_code == 404
    assert api.send("PATCH", url, {"notes": "x"}, HTTP_IF_MATCH="*").status_code == 404
    reader = token_for(commune_officer, "read")
    assert reader.send("POST", f"{url}/submit", {}).status_code == 403
    assert reader.send("POST", LIST, {"cooperative": alpha.pk, "year": 2020}).status_code == 403
    assert AnnualReport.objects.get(pk=alpha_report.pk).status == ReportStatus.DRAFT
    assert AnnualReport.objects.count() == 1
