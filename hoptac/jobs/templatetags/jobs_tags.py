from __future__ import annotations

from django import template
from django.utils import timezone
from django.utils.translation import ngettext

from hoptac.jobs import rules
from hoptac.jobs.models import Job

register = template.Library()


@register.filter
def job_time_left(job: Job) -> str:
    """ "3 minutes" (the rest of a running job, at its speed so far), or ""."""
    if job.finished or job.started_at is None:
        return ""
    seconds = rules.seconds_left(
        elapsed=(timezone.now() - job.started_at).total_seconds(), done=job.done, total=job.total
    )
    if seconds is None:
        return ""
    if seconds < 60:
        count = max(1, round(seconds))
        return ngettext("%(count)d second", "%(count)d seconds", count) % {"count": count}
    count = round(seconds / 60)
    return ngettext("%(count)d minute", "%(count)d minutes", count) % {"count": count}
