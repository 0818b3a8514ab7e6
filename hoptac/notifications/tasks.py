"""The notifications' background task: an e-mail, sent by the job queue, never inside the
request that caused it (services.notify enqueues it when the write commits)."""

from __future__ import annotations

import logging

from django.core.mail import send_mail
from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def send_email(address: str, subject: str, text: str) -> bool:
    """Send one notification's e-mail; False when the mail server refused it (the
    notification is on the site all the same)."""
    try:
        send_mail(subject, text, None, [address])
    except OSError:
        logger.exception("notification e-mail to %s failed", address)
        return False
    return True
