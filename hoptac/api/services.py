"""Writes of the API app: making and revoking personal API tokens (recorded in the audit log,
as account changes are, Nghị định 13/2023/NĐ-CP)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hoptac.accounts import access, audit
from hoptac.accounts.choices import AuditAction
from hoptac.api import rules, selectors
from hoptac.api.choices import Scope
from hoptac.api.models import ApiToken

if TYPE_CHECKING:
    from hoptac.accounts.models import User

MAX_DAYS = 366  # a token lives at most a year; a new one is made after
DEFAULT_DAYS = 90
# Seconds between two writes of a token's last use (one UPDATE per call would double the
# cost of a busy client's calls; a minute is precise enough for "last used").
LAST_USED_EVERY = 60


@dataclass(frozen=True, slots=True)
class Issued:
    """A token just made, and its text: shown once, never stored."""

    token: ApiToken
    text: str


def _may_issue(by: User | access.SystemActor | None, owner: User) -> bool:
    """A user makes tokens for himself; the administrator (and the system) for anyone,
    service accounts included."""
    if access.scope_of(by).everything:
        return True
    return by is not None and by.is_authenticated and getattr(by, "pk", None) == owner.pk


@transaction.atomic
def token_create(
    *,
    by: User | access.SystemActor | None,
    user: User,
    name: str,
    scope: str,
    days: int = DEFAULT_DAYS,
    now: datetime | None = None,
) -> Issued:
    """Make a token for `user` that expires after `days` days; its text is returned once."""
    if not _may_issue(by, user):
        raise PermissionDenied
    if not user.is_active:
        raise ValidationError({"user": _("This account is not active.")})
    if scope not in Scope.values:
        raise ValidationError({"scope": _("Choose read or read-write.")})
    if not 1 <= days <= MAX_DAYS:
        raise ValidationError(
            {"days": _("A token lasts from 1 to %(max)s days.") % {"max": MAX_DAYS}}
        )
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name.")})
    now = now or timezone.now()
    made = rules.token_new()
    token = ApiToken(
        name=name[:100],
        user=user,
        scope=scope,
        lookup=made.lookup,
        digest=made.digest,
        created_by=access.author(by),
        expires_at=now + timedelta(days=days),
    )
    token.full_clean()
    token.save()
    audit.record(
        AuditAction.USER_CHANGED,
        actor=access.author(by),
        obj=user,
        detail={"api_token": "created", "token": token.pk, "name": token.name, "scope": scope},
    )
    return Issued(token, made.text)


@transaction.atomic
def token_revoke(
    *, by: User | access.SystemActor | None, token: ApiToken, now: datetime | None = None
) -> ApiToken:
    """Revoke a token (it stops working at once); revoking it again changes nothing."""
    if not _may_issue(by, token.user):
        raise PermissionDenied
    if token.revoked_at is None:
        token.revoked_at = now or timezone.now()
        token.save(update_fields=["revoked_at"])
        selectors.token_forget(token)
        transaction.on_commit(lambda: selectors.token_forget(token))  # a read meanwhile
        audit.record(
            AuditAction.USER_CHANGED,
            actor=access.author(by),
            obj=token.user,
            detail={"api_token": "revoked", "token": token.pk, "name": token.name},
        )
    return token


def token_touch(*, token: ApiToken, now: datetime) -> None:
    """Record that the token was used now (at most once a minute: LAST_USED_EVERY), in the
    database and in the cached copy of the token."""
    last = token.last_used_at
    if last is None or (now - last).total_seconds() >= LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
        selectors.token_remember(token)
