"""Reads of notifications: always the user's own (another user's answers 404)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from hoptac.notifications.choices import DEFAULT_EMAIL_KINDS
from hoptac.notifications.models import Notification, NotificationPreference


def notification_list(*, user: Any) -> QuerySet[Notification]:
    """The user's notifications, newest first (none for the anonymous)."""
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    return Notification.objects.filter(recipient_id=user.pk).order_by("-created_at", "-pk")


def notification_get(*, user: Any, pk: int) -> Notification:
    """One of the user's own notifications; 404 for anyone else's, the administrator too."""
    return get_object_or_404(notification_list(user=user), pk=pk)


def email_kinds(*, user: Any) -> set[str]:
    """The kinds that reach the user by e-mail (his choice, or the defaults)."""
    return email_kinds_by_user([user.pk]).get(user.pk, set(DEFAULT_EMAIL_KINDS))


def email_kinds_by_user(user_ids: list[int]) -> dict[int, set[str]]:
    """The e-mail choices of each of these users, the defaults for those who made none."""
    chosen = dict(
        NotificationPreference.objects.filter(user_id__in=user_ids).values_list(
            "user_id", "email_kinds"
        )
    )
    return {pk: set(chosen[pk]) if pk in chosen else set(DEFAULT_EMAIL_KINDS) for pk in user_ids}
