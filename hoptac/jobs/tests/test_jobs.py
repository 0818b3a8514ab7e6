"""The job queue's life cycle on the tests' immediate backend: start, progress, success,
failure, cancel (before and during a run: nothing written), retry, the dead worker's sweep,
notifications, and who may see a job."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from hoptac.accounts.models import AuditEntry
from hoptac.jobs import channel, running, selectors, services
from hoptac.jobs.choices import JobState
from hoptac.jobs.models import Job
from hoptac.jobs.tests import kinds  # noqa: F401  (registers the test kinds)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _jobs_dir(settings, tmp_path):
    settings.HOPTAC_JOBS_DIR = tmp_path / "jobs"


def written() -> int:
    return AuditEntry.objects.filter(object_type="job-test").count()


def start(user, django_capture_on_commit_callbacks, **params) -> Job:
    with django_capture_on_commit_callbacks(execute=True):
        job = services.job_start(kind="test.write_rows", title="Test", by=user, params=params)
    job.refresh_from_db()
    return job


def test_a_job_runs_after_commit_and_keeps_its_result(admin, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = services.job_start(kind="test.write_rows", title="T", by=admin, params={"n": 3})
    assert Job.objects.get(pk=job.pk).state == JobState.QUEUED  # not before the commit
    assert written() == 0
    for callback in callbacks:
        callback()
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED
    assert (job.done, job.total, job.percent) == (3, 3, 100)
    assert job.result == {"rows": 3, "summary_lines": ["3 rows written"]}
    assert job.task_id
    assert bytes(job.file_content) == b"n\n3\n"
    assert written() == 3


def test_an_unknown_kind_fails_in_the_starter(admin):
    with pytest.raises(LookupError):
        services.job_start(kind="no.such", title="T", by=admin)


def test_a_failure_writes_nothing_and_says_why(admin, django_capture_on_commit_callbacks):
    job = start(admin, django_capture_on_commit_callbacks, n=5, fail_at=3)
    assert job.state == JobState.FAILED
    assert "RuntimeError" in job.error  # the generic message names the error's class
    assert "disk on fire" not in job.error  # …never its internals
    assert written() == 0


def test_a_users_error_is_shown_as_it_is(admin, django_capture_on_commit_callbacks):
    job = start(admin, django_capture_on_commit_callbacks, n=5, fail_at=3, user_error=True)
    assert job.state == JobState.FAILED
    assert job.error == "Dòng 3, cột “Tên”: để trống."


def test_cancel_during_the_run_rolls_everything_back(admin, django_capture_on_commit_callbacks):
    job = start(admin, django_capture_on_commit_callbacks, n=50, cancel_at=10)
    assert job.state == JobState.CANCELLED
    assert written() == 0
    assert not job.has_file


def test_cancel_before_the_start_means_it_never_runs(admin, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = services.job_start(kind="test.write_rows", title="T", by=admin, params={"n": 3})
    services.job_cancel(job, by=admin)
    for callback in callbacks:
        callback()
    job.refresh_from_db()
    assert job.state == JobState.CANCELLED
    assert written() == 0


def test_retry_runs_the_same_work_again(admin, django_capture_on_commit_callbacks):
    job = start(admin, django_capture_on_commit_callbacks, n=5, fail_at=3)
    with django_capture_on_commit_callbacks(execute=True):
        retry = services.job_retry(job, by=admin)
    retry.refresh_from_db()
    assert (retry.attempt, retry.retry_of_id, retry.kind) == (2, job.pk, job.kind)
    assert retry.state == JobState.FAILED  # same parameters, same failure
    job.params = {"n": 4}
    with django_capture_on_commit_callbacks(execute=True):
        retry = services.job_retry(job, by=admin)
    retry.refresh_from_db()
    assert retry.state == JobState.SUCCEEDED
    assert written() == 4


def test_a_dead_workers_job_is_failed_after_its_silence(admin, client, settings):
    settings.HOPTAC_JOB_STALE_SECONDS = 30
    old = timezone.now() - timedelta(seconds=31)
    dead = Job.objects.create(
        kind="test.write_rows", title="T", owner=admin, state=JobState.RUNNING, heartbeat_at=old
    )
    alive = Job.objects.create(
        kind="test.write_rows", title="T", owner=admin, state=JobState.RUNNING, heartbeat_at=old
    )
    channel.report(alive, phase="write", done=5, total=10)  # a sign of life through the file
    client.force_login(admin)
    page = client.get(reverse("jobs:detail", args=[dead.pk])).content.decode()
    assert 'data-state="failed"' in page  # shown failed at once, with its retry…
    assert 'data-testid="job-retry"' in page
    assert Job.objects.get(pk=dead.pk).state == JobState.RUNNING  # …though a read writes nothing
    assert running.sweep() == 1  # the worker's sweep records it
    dead.refresh_from_db()
    alive.refresh_from_db()
    assert dead.state == JobState.FAILED
    assert "không ghi gì" in dead.error  # nothing of it was written
    assert alive.state == JobState.RUNNING
    assert selectors.job_get(user=admin, job_id=alive.pk).done == 5


def test_the_owner_is_told_by_mail_if_he_asked(admin, django_capture_on_commit_callbacks):
    admin.email = "admin@example.org"
    admin.save()
    with django_capture_on_commit_callbacks(execute=True):
        job = services.job_start(
            kind="test.write_rows", title="Nhập HTX", by=admin, params={"n": 1}, notify_email=True
        )
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["admin@example.org"]
    assert reverse("jobs:detail", args=[job.pk]) in mail.outbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        services.job_start(kind="test.write_rows", title="T", by=admin, params={"n": 1})
    assert len(mail.outbox) == 1  # not asked: no mail


def test_jobs_ended_since_the_user_last_looked_are_counted(
    admin, client, django_capture_on_commit_callbacks
):
    client.force_login(admin)
    start(admin, django_capture_on_commit_callbacks, n=1)
    page = client.get(reverse("jobs:list")).content.decode()
    assert ">mới<" in page or ">new<" in page  # marked new in the list…
    request = client.get(reverse("jobs:list")).wsgi_request
    assert selectors.header_counts(admin, selectors.seen_at(request))[0] == 0  # …until seen
    start(admin, django_capture_on_commit_callbacks, n=1)
    assert selectors.header_counts(admin, selectors.seen_at(request))[0] == 1


def test_only_the_owner_and_administrators_see_a_job(
    commune_officer, outsider, admin, client, django_capture_on_commit_callbacks
):
    job = start(commune_officer, django_capture_on_commit_callbacks, n=2)
    for url in (
        reverse("jobs:detail", args=[job.pk]),
        reverse("jobs:file", args=[job.pk]),
    ):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
        client.force_login(commune_officer)
        assert client.get(url).status_code == 200
        client.force_login(admin)
        assert client.get(url).status_code == 200
    client.force_login(outsider)
    assert client.post(reverse("jobs:cancel", args=[job.pk])).status_code == 404
    assert client.post(reverse("jobs:retry", args=[job.pk])).status_code == 404
    listed = client.get(reverse("jobs:list") + "?all=1")
    assert "Test" not in listed.content.decode()  # "all" is for administrators only
    client.logout()
    assert client.get(reverse("jobs:detail", args=[job.pk])).status_code == 302  # sign in


def test_the_pages(commune_officer, client, django_capture_on_commit_callbacks):
    job = start(commune_officer, django_capture_on_commit_callbacks, n=2, fail_at=1)
    client.force_login(commune_officer)
    page = client.get(reverse("jobs:list")).content.decode()
    assert reverse("jobs:detail", args=[job.pk]) in page
    partial = client.get(reverse("jobs:detail", args=[job.pk]), headers={"HX-Request": "true"})
    body = partial.content.decode()
    assert body.lstrip().startswith("<section")  # the progress part only
    assert 'data-state="failed"' in body
    assert "hx-trigger" not in body  # a finished job is polled no more
    retried = client.post(reverse("jobs:retry", args=[job.pk]))
    assert retried.status_code == 302
    assert Job.objects.filter(retry_of=job).count() == 1
    file = client.get(reverse("jobs:file", args=[job.pk]))
    assert file.status_code == 302  # a failed job has no file


def test_a_running_job_is_polled_and_can_be_cancelled(commune_officer, client):
    job = Job.objects.create(
        kind="test.write_rows",
        title="T",
        owner=commune_officer,
        state=JobState.RUNNING,
        started_at=timezone.now() - timedelta(seconds=20),
        heartbeat_at=timezone.now(),
    )
    channel.report(job, phase="write", done=250, total=1000)
    client.force_login(commune_officer)
    body = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in body
    assert 'data-percent="25"' in body
    assert "1 phút" in body or "1 minute" in body  # 20 s for 250 rows: 60 s for the rest
    client.post(reverse("jobs:cancel", args=[job.pk]))
    assert channel.cancel_requested(job)


def test_the_worker_sweep_prints_what_it_did(admin, settings):
    import json
    from io import StringIO

    from django.core.management import call_command

    settings.HOPTAC_JOB_STALE_SECONDS = 30
    settings.HOPTAC_JOB_KEEP_DAYS = 30
    long_ago = timezone.now() - timedelta(days=31)
    Job.objects.create(kind="test.write_rows", title="T", owner=admin, state=JobState.RUNNING,
                       heartbeat_at=long_ago)  # fmt: skip
    Job.objects.create(kind="test.write_rows", title="T", owner=admin, state=JobState.SUCCEEDED,
                       finished_at=long_ago)  # fmt: skip
    out = StringIO()
    call_command("worker", "--sweep", stdout=out)
    assert json.loads(out.getvalue()) == {"stale": 1, "requeued": 0, "deleted": 1, "uploads": 0}
    assert Job.objects.get().state == JobState.FAILED
