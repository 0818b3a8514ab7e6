"""A large export is a background job: the page answers at once with the job's page, the job
writes the same file as the direct export, through the officer's scope, and only he (or an
administrator) downloads it."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from hoptac.accounts.models import AuditEntry
from hoptac.jobs.choices import JobState
from hoptac.jobs.models import Job
from hoptac.registry.tests.factories import CooperativeFactory, legacy_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_here_one_elsewhere(luong_bang, nghia_ta):
    here = [CooperativeFactory(name=f"HTX Lương Bằng {i}") for i in range(3)]
    CooperativeFactory(name="HTX Nghĩa Tá", commune_legacy=legacy_unit(nghia_ta.code))
    return here


def _export(client, django_capture_on_commit_callbacks, query: str):
    with django_capture_on_commit_callbacks(execute=True):
        return client.get(reverse("registry:cooperative_export") + query)


def test_a_large_export_runs_as_a_job_through_the_officers_scope(
    client, commune_officer, outsider, settings, three_here_one_elsewhere,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    settings.HOPTAC_EXPORT_JOB_ROWS = 2
    client.force_login(commune_officer)
    response = _export(client, django_capture_on_commit_callbacks, "?format=xlsx")
    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert (job.state, job.owner, job.result["rows"]) == (JobState.SUCCEEDED, commune_officer, 3)
    with django_capture_on_commit_callbacks(execute=True):  # the audit entry, on commit
        download = client.get(reverse("jobs:file", args=[job.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment; filename=")
    book = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    rows = list(book.active.iter_rows(min_row=2, values_only=True))
    names = [value for row in rows for value in row if str(value).startswith("HTX ")]
    assert sorted(names) == ["HTX Lương Bằng 0", "HTX Lương Bằng 1", "HTX Lương Bằng 2"]
    logged = AuditEntry.objects.filter(action="export").latest("at")
    assert logged.detail.get("rows") == 3  # the download is in the audit log, with its rows
    client.force_login(outsider)
    assert client.get(reverse("jobs:file", args=[job.pk])).status_code == 404


def test_the_job_writes_the_same_csv_as_the_direct_export(
    client, admin, settings, three_here_one_elsewhere, django_capture_on_commit_callbacks
):
    client.force_login(admin)
    direct = _export(client, django_capture_on_commit_callbacks, "?format=csv")
    direct_bytes = b"".join(direct.streaming_content)
    settings.HOPTAC_EXPORT_JOB_ROWS = 1
    _export(client, django_capture_on_commit_callbacks, "?format=csv")
    job = Job.objects.get()
    assert bytes(job.file_content) == direct_bytes
    assert job.file_name.endswith(".csv")
    rows = list(csv.reader(io.StringIO(direct_bytes.decode("utf-8-sig"))))
    assert len(rows) == 1 + 4


def test_a_small_export_is_still_direct(client, admin, three_here_one_elsewhere):
    client.force_login(admin)
    response = client.get(reverse("registry:cooperative_export") + "?format=xlsx")
    assert response.status_code == 200
    assert not Job.objects.exists()
