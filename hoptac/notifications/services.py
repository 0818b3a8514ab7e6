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
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Notice:
    """One message to some users (`notify_each` writes many of one kind at once)."""

    recipients: Iterable[Any]
    title: str
    body: str = ""
    link: str = ""


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
    return notify_each(kind, [Notice(recipients, title, body, link)], email=email, key=key)


@transaction.atomic
def notify_each(
    kind: str, notices: Iterable[Notice], *, email: bool | None = None, key: str = ""
) -> list[Notification]:
    """`notify` for several messages of one kind (each HTX's own rating published): one
    insert and one read of the e-mail choices for all of them."""
    if kind not in Kind.values:
        raise ValueError(f"unknown notification kind {kind!r}")
    pending = []
    for notice in notices:
        title, body = str(notice.title)[:200], str(notice.body)
        for user in notice.recipients:
            if user is not None and user.is_active:
                pending.append(
                    Notification(
                        recipient=user, kind=kind, title=title, body=body, link=notice.link, key=key
                    )
                )
    if key and pending:
        ids = [row.recipient_id for row in pending]
        told = set(
            Notification.objects.filter(recipient_id__in=ids, key=key).values_list(
                "recipient_id", flat=True
            )
        )
        pending = [row for row in pending if row.recipient_id not in told]
    if not pending:
        return []
    rows = Notification.objects.bulk_create(pending)
    ids = list({row.recipient_id for row in rows})
    choices = selectors.email_kinds_by_user(ids) if email is None else {}
    texts: dict[tuple[str, str], str] = {}
    for row in rows:
        user = row.recipient
        wanted = email if email is not None else kind in choices[user.pk]
        if wanted and user.email:
            if (row.body, row.link) not in texts:
                texts[row.body, row.link] = _email_text(row.body, row.link)
            _queue_email(user.email, row.title, texts[row.body, row.link])
    return rows


def notify_address(address: str, title: str, body: str = "", link: str = "") -> None:
    """E-mail someone who has no account (a citizen who gave his address with his
    feedback): nothing is kept on the site."""
    if address:
        _queue_email(address, str(title)[:200], _email_text(str(body), link))


def _queue_email(address: str, title: str, text: str) -> None:
    transaction.on_commit(lambda: _enqueue(address, title, text), robust=True)


def _email_text(body: str, link: str) -> str:
    """The e-mail's text (the same for every recipient of a notice)."""
    with site_language():
        parts = [body] if body else []
        if link:
            parts.append(_("See it here: %(link)s") % {"link": absolute(link)})
        parts.append(
            _("hoptac sends this e-mail because of your choices. Change them here: %(link)s")
            % {"link": absolute(reverse("notifications:preferences"))}
        )
    return "\n\n".join(parts)


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
