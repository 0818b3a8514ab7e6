"""Telling the owner that a job ended: on the site (the "my jobs" badge counts finished jobs he
has not opened) and, if he chose so when starting it, by e-mail."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils.translation import gettext as _

from hoptac.jobs.models import Job

logger = logging.getLogger(__name__)


def job_finished(job: Job) -> None:
    owner = job.owner
    if not job.notify_email or owner is None or not owner.email:
        return
    link = settings.HOPTAC_SITE_URL.rstrip("/") + reverse("jobs:detail", args=[job.pk])
    subject = _("%(title)s: %(state)s") % {"title": job.title, "state": job.get_state_display()}
    lines = [
        _("Your job “%(title)s” ended: %(state)s.")
        % {"title": job.title, "state": job.get_state_display()},
    ]
    if job.error:
        lines.append(job.error)
    lines.append(_("See it here: %(link)s") % {"link": link})
    try:
        send_mail(subject[:200], "\n\n".join(lines), None, [owner.email])
    except OSError:  # the mail server is down: the job's page still says it
        logger.exception("job %s: the e-mail to its owner failed", job.pk)
