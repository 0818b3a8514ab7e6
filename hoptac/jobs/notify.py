"""Telling the owner that a job ended: on the site (a notification, the bell; the "my jobs"
badge counts finished jobs he has not opened) and by e-mail if he chose so when starting it
(`Job.notify_email`, whose box his notification choices tick by default)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from hoptac.jobs.models import Job
from hoptac.notifications import services as notifications
from hoptac.notifications.choices import Kind


def job_finished(job: Job) -> None:
    owner = job.owner
    if owner is None:
        return
    with notifications.site_language():
        state = job.get_state_display()
        title = _("%(title)s: %(state)s") % {"title": job.title, "state": state}
        lines = [_("Your job “%(title)s” ended: %(state)s.") % {"title": job.title, "state": state}]
        link = reverse("jobs:detail", args=[job.pk])
    if job.error:
        lines.append(job.error)
    notifications.notify(
        [owner],
        Kind.JOB_FINISHED,
        title,
        "\n\n".join(lines),
        link,
        email=job.notify_email,
    )
