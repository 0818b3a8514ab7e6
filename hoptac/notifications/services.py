"""Writing notifications: in the app for every recipient, by e-mail (through the job queue,
after the commit) for those whose choice says so.

The services of other apps call `notify` explicitly where the event happens (no signals):
reports (returned, approved), ratings (published), portal (feedback answered), jobs (a job
ended) and the command `notify_deadlines` (reports). Texts are written in the site's language
(`site_language()`), as the notification is kept and mailed once for whoever reads it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from contextlib import AbstractContextManager
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from hoptac.notifications import selectors
from hoptac.notifications.choices import Kind
from hoptac.notifications.models import Notification, NotificationPreference

logger = logging.getLogger(__name__)


def site_language() -> AbstractContextManager[None]:
    """Write a notification's texts in this (the site's default language, Vietnamese)."""
    return translation.override(settings.LANGUAGE_CODE)


def absolute(link: str) -> str:
    """A path on this site as an address an e-mail can carry."""
    if not link or "://" in link:
        return link
    return settings.HOPTAC_SITE_URL.rstrip("/") + link


@transaction.atomic
def notify(
    recipients: Iterable[Any],
    kind: str,
    title: str,
    body: str = "",
    link: str = "",
    *,
    email: bool | None = None,
    key: str = "",
) -> list[Notification]:
    """Tell each (active) recipient on the site, in one insert, and queue an e-mail to those
    who chose e-mail for `kind` (`email` True or False overrides their choice, as a job's own
    checkbox does). With `key`, a recipient already told under that key is not told again.
    Returns the notifications written."""
    if kind not in Kind.values:
        raise ValueError(f"unknown notification kind {kind!r}")
    users = {user.pk: user for user in recipients if user is not None and user.is_active}
    if key and users:
        told = Notification.objects.filter(recipient_id__in=list(users), key=key)
        for pk in told.values_list("recipient_id", flat=True):
            users.pop(pk, None)
    if not users:
        return []
    title, body = str(title)[:200], str(body)
    rows = Notification.objects.bulk_create(
        [
            Notification(recipient=user, kind=kind, title=title, body=body, link=link, key=key)
            for user in users.values()
        ]
    )
    choices = selectors.email_kinds_by_user(list(users)) if email is None else {}
    for row in rows:
        user = row.recipient
        wanted = email if email is not None else kind in choices[user.pk]
        if wanted and user.email:
            _queue_email(user.email, title, body, link)
    return rows


def notify_address(address: str, title: str, body: str = "", link: str = "") -> None:
    """E-mail someone who has no account (a citizen who gave his address with his
    feedback): nothing is kept on the site."""
    if address:
        _queue_email(address, str(title)[:200], str(body), link)


def _queue_email(address: str, title: str, body: str, link: str) -> None:
    with site_language():
        parts = [body] if body else []
        if link:
            parts.append(_("See it here: %(link)s") % {"link": absolute(link)})
        parts.append(
            _("hoptac sends this e-mail because of your choices. Change them here: %(link)s")
            % {"link": absolute(reverse("notifications:preferences"))}
        )
    text = "\n\n".join(parts)
    transaction.on_commit(lambda: _enqueue(address, title, text), robust=True)


def _enqueue(address: str, subject: str, text: str) -> None:
    from hoptac.notifications.tasks import send_email

    try:
        send_email.enqueue(address, subject, text)
    except Exception:  # the queue is unreachable: the notification is on the site all the same
        logger.exception("the e-mail of a notification to %s could not be queued", address)


def notification_open(*, user: Any, pk: int, now: datetime | None = None) -> Notification:
    """Mark one of the user's own notifications read (404 for anyone else's)."""
    notification = selectors.notification_get(user=user, pk=pk)
    if notification.read_at is None:
        notification.read_at = now or timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notification_mark_all_read(*, user: Any, now: datetime | None = None) -> int:
    """Mark every unread notification of the user read; returns how many."""
    unread = selectors.notification_list(user=user).filter(read_at__isnull=True)
    return unread.update(read_at=now or timezone.now())


@transaction.atomic
def preference_set(*, user: Any, email_kinds: Iterable[str]) -> NotificationPreference:
    """Record which kinds reach the user by e-mail."""
    kinds = sorted(set(email_kinds))
    unknown = [kind for kind in kinds if kind not in Kind.values]
    if unknown:
        raise ValidationError({"email_kinds": _("Unknown kind of notification.")})
    preference, _created = NotificationPreference.objects.update_or_create(
        user_id=user.pk, defaults={"email_kinds": kinds}
    )
    return preference
