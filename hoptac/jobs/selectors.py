"""Reading jobs: the signed-in user's own (administrators: everyone's), with their live
progress."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hoptac.accounts import access
from hoptac.jobs import channel, rules
from hoptac.jobs.choices import FINISHED, JobState
from hoptac.jobs.models import Job, JobQuerySet

STALE_MESSAGE = _(
    "The worker running this job stopped before it ended; nothing of it was written. Run it again."
)

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
    """The job with the progress it reported through a file (SQLite) while running; a running
    job silent for HOPTAC_JOB_STALE_SECONDS is shown failed (its worker died: nothing of it
    was written), before the worker's sweep records it so (a read never writes)."""
    if job.state == JobState.RUNNING:
        live = channel.read(job)
        if live:
            job.phase = live.get("phase", job.phase)
            job.done = int(live.get("done") or 0)
            job.total = int(live.get("total") or 0)
            job.heartbeat_at = live.get("heartbeat_at") or job.heartbeat_at
        if rules.is_stale(
            heartbeat=job.heartbeat_at,
            now=timezone.now(),
            limit=timedelta(seconds=settings.HOPTAC_JOB_STALE_SECONDS),
        ):
            job.state = JobState.FAILED
            job.error = str(STALE_MESSAGE)
    return job


def header_counts(user: User | AnonymousUser, since: datetime | None) -> tuple[int, int]:
    """The header's two badges in one query: the user's jobs that ended after `since` (in the last
    day when `since` is None) and his unread notifications (the bell)."""
    from django.contrib.auth import get_user_model
    from django.db.models import F, Func, IntegerField, QuerySet, Subquery

    from hoptac.notifications.models import Notification

    if not user.is_authenticated:
        return 0, 0
    since = since or timezone.now() - timedelta(days=1)

    def count(rows: QuerySet[Any]) -> Subquery:
        counted = rows.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
        return Subquery(counted, output_field=IntegerField())

    jobs = Job.objects.filter(owner_id=user.pk, state__in=FINISHED, finished_at__gt=since)
    unread = Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True)
    row = (
        get_user_model()
        .objects.filter(pk=user.pk)
        .annotate(n_jobs=count(jobs), n_unread=count(unread))
        .values_list("n_jobs", "n_unread")
        .first()
    )
    return (row[0] or 0, row[1] or 0) if row else (0, 0)


SEEN_KEY = "jobs_seen_at"


def seen_at(request: HttpRequest) -> datetime | None:
    """When the user last opened "my jobs" or a job's page (kept in his session)."""
    value = request.session.get(SEEN_KEY) if hasattr(request, "session") else None
    try:
        return datetime.fromisoformat(value) if value else None
    except ValueError:
        return None


def mark_seen(request: HttpRequest) -> None:
    """Remember that the user has seen his jobs now (his session, not the job's row: a
    page read never writes data)."""
    request.session[SEEN_KEY] = timezone.now().isoformat()
