"""Starting, cancelling and running again a job. Every write of a job's row is here or in
`running` (the worker's side)."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language

from hoptac.accounts import access
from hoptac.core.tabular import stored
from hoptac.jobs import channel, registry
from hoptac.jobs.choices import JobState
from hoptac.jobs.models import Job

if TYPE_CHECKING:
    from hoptac.accounts.access import SystemActor
    from hoptac.accounts.models import User

logger = logging.getLogger(__name__)


def job_start(
    *,
    kind: str,
    title: str,
    by: User | SystemActor,
    params: dict[str, Any] | None = None,
    notify_email: bool = False,
) -> Job:
    """Create a job of `kind` and put it on the queue once the current transaction commits
    (a job never runs on data its starter has not committed)."""
    registry.kind(kind)  # an unknown kind fails here, in the starter's request
    job = Job.objects.create(
        kind=kind,
        title=title[:300],
        owner=access.author(by),
        params={**(params or {}), "_language": get_language() or settings.LANGUAGE_CODE},
        notify_email=notify_email,
    )
    transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id: int) -> None:
    from hoptac.jobs.tasks import run_job

    try:
        result = run_job.enqueue(job_id)
    except Exception:  # the queue is unreachable: `job_sweep` enqueues it again later
        logger.exception("job %s could not be put on the queue", job_id)
        return
    Job.objects.filter(pk=job_id).update(task_id=str(result.id)[:64])


def job_cancel(job: Job, *, by: User) -> None:
    """Stop a job: one that waits never starts; one that runs stops at its next progress
    report and rolls back everything it wrote. A running job is asked through the channel
    only: on SQLite its transaction holds the database's one write lock until it ends."""
    if job.finished:
        return
    if job.state == JobState.RUNNING:
        channel.request_cancel(job)
        return
    updated = Job.objects.filter(pk=job.pk, state=JobState.QUEUED).update(
        state=JobState.CANCELLED, cancel_requested=True, finished_at=timezone.now()
    )
    if not updated:  # it started meanwhile
        channel.request_cancel(job)


def job_retry(job: Job, *, by: User | SystemActor) -> Job:
    """Run a failed or cancelled job again with the same parameters (a new job, linked)."""
    retry = Job.objects.create(
        kind=job.kind,
        title=job.title,
        owner=job.owner,
        params=job.params,
        notify_email=job.notify_email,
        attempt=job.attempt + 1,
        retry_of=job,
    )
    transaction.on_commit(lambda: _enqueue(retry.pk))
    return retry


def job_sweep() -> dict[str, int]:
    """Housekeeping, run by the worker and the nightly command: fail the jobs whose worker
    died, queue again the jobs that never reached the queue, and delete finished jobs older
    than HOPTAC_JOB_KEEP_DAYS and the uploads kept for imports older than a day."""
    from hoptac.jobs import running

    stale = running.sweep()
    lost = 0
    limit = timezone.now() - timedelta(minutes=2)
    for job_id in Job.objects.filter(
        state=JobState.QUEUED, task_id="", created_at__lt=limit
    ).values_list("pk", flat=True):
        _enqueue(job_id)
        lost += 1
    keep = timezone.now() - timedelta(days=settings.HOPTAC_JOB_KEEP_DAYS)
    deleted, _by_model = Job.objects.filter(finished_at__lt=keep).delete()
    uploads = stored.sweep()
    return {"stale": stale, "requeued": lost, "deleted": deleted, "uploads": uploads}
