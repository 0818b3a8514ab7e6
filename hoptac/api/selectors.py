"""Reads of the API app: the tokens a user may see, and the token a request presents."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from hoptac.accounts import access
from hoptac.api import rules
from hoptac.api.models import ApiToken

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from hoptac.accounts.models import User


def token_list(*, user: User | AnonymousUser) -> QuerySet[ApiToken]:
    """The tokens `user` manages: his own; the administrator's, every user's (service
    accounts get theirs from him)."""
    tokens = ApiToken.objects.select_related("user", "created_by")
    if access.scope_of(user).everything:
        return tokens
    if user is None or not user.is_authenticated:
        return tokens.none()
    return tokens.filter(user=user)


def token_get_for_user(*, user: User | AnonymousUser, pk: int) -> ApiToken:
    """A token `user` manages; 404 for any other."""
    return get_object_or_404(token_list(user=user), pk=pk)


def token_find(text: str, *, now: datetime) -> ApiToken | None:
    """The live token whose text this is (its secret matches, not revoked, not expired, its
    user active); None otherwise."""
    parsed = rules.token_parse(text)
    if parsed is None:
        return None
    lookup, digest = parsed
    token = ApiToken.objects.select_related("user", "user__area").filter(lookup=lookup).first()
    if token is None or not rules.digests_equal(token.digest, digest):
        return None
    if token.revoked_at is not None or token.expires_at <= now or not token.user.is_active:
        return None
    return token
