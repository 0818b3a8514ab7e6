"""What every app's import page does with its check job, asserted once for the apps' tests."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from hoptac.jobs.models import Job


def assert_check_job_runs_behind_its_bar(
    client: Any, url: str, queued: Iterable[Callable[[], Any]], *, owner: Any, form: str
) -> Job:
    """The import page `url` after its upload (or its check button) started the check job:
    the job queued for `owner`, a check (not a commit), and the page showing the job's polled
    bar instead of the form `form` (its data-testid); then the job run through the on-commit
    callbacks `queued` (django_capture_on_commit_callbacks) to success. Returns the job."""
    job = Job.objects.get()
    assert (job.kind, job.owner, job.state, job.params["commit"]) == (
        "tabular.import",
        owner,
        "queued",
        False,
    )
    page = client.get(url).content.decode()
    assert 'data-testid="job-progress"' in page  # the job's bar, polled, instead of the form
    assert f'data-testid="{form}"' not in page
    for callback in queued:
        callback()
    job.refresh_from_db()
    assert job.state == "succeeded", job.error
    return job
