"""Running one job: claim it, call its kind's handler with a JobContext, record the outcome.

A handler writes in its own transaction; if the worker dies (SIGKILL, a lost machine) the
database rolls that transaction back and the job stops showing signs of life: `sweep` marks it
failed after HOPTAC_JOB_STALE_SECONDS, and the officer can run it again.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from hoptac.jobs import channel, notify, registry
from hoptac.jobs.choices import JobState
from hoptac.jobs.context import JobCancelled, JobContext
from hoptac.jobs.models import Job

logger = logging.getLogger(__name__)


class JobError(Exception):
    """A failure the officer can act on: its message is shown as it is (in Vietnamese)."""


def user_message(error: BaseException) -> str:
    """What the job's page says about a failure: the message of errors meant for users
    (bad file, invalid data), a generic sentence for the others (logged in full)."""
    if isinstance(error, JobError | ValidationError) or getattr(error, "shown_to_user", False):
        if isinstance(error, ValidationError):
            return " ".join(error.messages)
        return str(error)
    if type(error).__name__ == "ImportFileError":  # the spreadsheet reader's user errors
        return str(error)
    return _(
        "The job stopped on an unexpected error (%(kind)s). It has been logged; you can "
        "run the job again, and tell the administrator if it fails again."
    ) % {"kind": type(error).__name__}


def run(job_id: int) -> str:
    claimed = (
        Job.objects.filter(pk=job_id, state=JobState.QUEUED)
        .exclude(cancel_requested=True)
        .update(state=JobState.RUNNING, started_at=timezone.now(), heartbeat_at=timezone.now())
    )
    if not claimed:  # cancelled before it started, or run already
        return Job.objects.filter(pk=job_id).values_list("state", flat=True).first() or "missing"
    job = Job.objects.select_related("owner").get(pk=job_id)
    context = JobContext(job)
    language = str(job.params.get("_language") or settings.LANGUAGE_CODE)
    fields: dict[str, Any] = {"finished_at": None}
    with override(language):
        try:
            kind = registry.kind(job.kind)
            with context.heartbeat():
                result = kind.run(context)
        except JobCancelled:
            fields["state"] = JobState.CANCELLED
        except BaseException as error:  # a job's failure is recorded, never lost
            if not isinstance(error, JobError | ValidationError):
                logger.exception("job %s (%s) failed", job.pk, job.kind)
            fields["state"] = JobState.FAILED
            fields["error"] = user_message(error)
            if not isinstance(error, Exception):  # SystemExit, KeyboardInterrupt: the worker stops
                _finish(job, context, fields)
                raise
        else:
            fields["state"] = JobState.SUCCEEDED
            fields["result"] = result or {}
    _finish(job, context, fields)
    return str(fields["state"])


def _finish(job: Job, context: JobContext, fields: dict[str, Any]) -> None:
    phase, done, total = context.figures()
    fields.update(phase=phase, done=done, total=total, finished_at=timezone.now())
    if context.file is not None and fields["state"] == JobState.SUCCEEDED:
        fields["file_name"], fields["file_type"], fields["file_content"] = context.file
    try:
        Job.objects.filter(pk=job.pk).update(**fields)
    except DatabaseError:
        logger.exception("job %s: its outcome could not be recorded", job.pk)
        raise
    channel.forget(job)
    job.refresh_from_db()
    notify.job_finished(job)


def sweep() -> int:
    """Record as failed the running jobs that stopped showing signs of life (their worker
    died): their transaction was rolled back, so nothing of them was written. Returns how
    many. The pages already show them failed (selectors.with_live_progress)."""
    from hoptac.jobs.selectors import STALE_MESSAGE, with_live_progress

    stale = 0
    for job in Job.objects.light().filter(state=JobState.RUNNING):
        if with_live_progress(job).state != JobState.FAILED:
            continue
        updated = Job.objects.filter(pk=job.pk, state=JobState.RUNNING).update(
            state=JobState.FAILED, finished_at=timezone.now(), error=str(STALE_MESSAGE)
        )
        if updated:
            stale += 1
            channel.forget(job)
    return stale
