"""Reading jobs: the signed-in user's own (administrators: everyone's), with their live
progress."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import Http404

from hoptac.accounts import access
from hoptac.jobs import channel
from hoptac.jobs.choices import FINISHED, JobState
from hoptac.jobs.models import Job, JobQuerySet

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from hoptac.accounts.models import User


def job_list(*, user: User | AnonymousUser, everyone: bool = False) -> JobQuerySet:
    """The user's jobs, newest first; with `everyone`, an administrator's view of all."""
    jobs = Job.objects.light().select_related("owner")
    if everyone and access.scope_of(user).everything:
        return jobs
    return jobs.filter(owner_id=user.pk) if user.is_authenticated else jobs.none()


def job_get(*, user: User | AnonymousUser, job_id: int, with_file: bool = False) -> Job:
    """One job the user may see, with its live progress; 404 for anyone else's."""
    jobs = Job.objects.select_related("owner")
    if not with_file:
        jobs = jobs.light()
    job = jobs.filter(pk=job_id).first()
    if job is None or not access.may_see_job(user, job.owner_id):
        raise Http404
    return with_live_progress(job)


def with_live_progress(job: Job) -> Job:
    """The job with the progress it reported through a file (SQLite) while running."""
    if job.state == JobState.RUNNING:
        live = channel.read(job)
        if live:
            job.phase = live.get("phase", job.phase)
            job.done = int(live.get("done") or 0)
            job.total = int(live.get("total") or 0)
            job.heartbeat_at = live.get("heartbeat_at") or job.heartbeat_at
    return job


def unseen_finished_count(user: User | AnonymousUser) -> int:
    """How many of the user's jobs ended since he last looked (the menu's badge)."""
    if not user.is_authenticated:
        return 0
    return Job.objects.filter(owner_id=user.pk, state__in=FINISHED, seen_at__isnull=True).count()
