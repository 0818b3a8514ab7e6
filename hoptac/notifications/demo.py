"""A few notifications for the demo HTX manager (htx.caophong), so that the bell has a count
and the page a list on a fresh demo; created once. Later apps' demos add real ones where they
call the services that notify (a rating published, for one)."""

from __future__ import annotations

from datetime import timedelta
from typing import TextIO

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hoptac.accounts.models import User
from hoptac.notifications import services
from hoptac.notifications.choices import Kind
from hoptac.notifications.models import Notification

MANAGER = "htx.caophong"


def load(out: TextIO) -> None:
    manager = User.objects.filter(username=MANAGER).first()
    if manager is None or Notification.objects.filter(recipient=manager).exists():
        return
    with services.site_language():
        notices = [
            (
                Kind.DEADLINE_APPROACHING,
                _("The annual report is due in 14 days"),
                _("File it on “My tasks” before the deadline."),
                reverse("portal:work"),
            ),
            (
                Kind.REPORT_RETURNED,
                _("An annual report was returned for correction"),
                _("What to correct: %(comment)s") % {"comment": "Bổ sung doanh thu từ thành viên."},
                reverse("reports:desk"),
            ),
            (
                Kind.RATING_PUBLISHED,
                _("A rating was published"),
                _("Choose which notifications also reach you by e-mail: “E-mail choices”."),
                reverse("ratings:index"),
            ),
        ]
    now = timezone.now()
    for age, (kind, title, body, link) in enumerate(notices):
        for row in services.notify([manager], kind, title, body, link, email=False):
            Notification.objects.filter(pk=row.pk).update(created_at=now - timedelta(days=age))
    out.write(f"notifications: {len(notices)} for {MANAGER}\n")
