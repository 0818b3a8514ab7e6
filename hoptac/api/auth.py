"""Who calls the API, and what he may do: a personal API token (Authorization: Bearer …) or
the browser's session (with CSRF on every write), then the same rules as the pages
(hoptac.accounts.access) act on his user.

- no credentials on a private endpoint, a token that is not one, expired or revoked: 401;
- a write with a `read` token: 403 (`require_write`);
- a public endpoint takes no credentials (anonymous: only published data), but a token that
  is presented must still be valid.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer
from ninja.utils import check_csrf

from hoptac.api import selectors, services
from hoptac.api.choices import Scope
from hoptac.api.errors import ApiError
from hoptac.api.models import ApiToken

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True, slots=True)
class Caller:
    """The user an API call acts as, and how he came: a token (with its scope), the session,
    or nobody (a public endpoint's anonymous caller)."""

    user: Any
    token: ApiToken | None = None
    via: str = "none"  # "token", "session", "none"

    @property
    def may_write(self) -> bool:
        """A session or a read-write token may write (the role still decides where)."""
        if self.via == "session":
            return True
        return self.token is not None and self.token.scope == Scope.READ_WRITE

    def __bool__(self) -> bool:  # ninja treats a falsy result as "not authenticated"
        return True


def caller_of(request: HttpRequest) -> Caller:
    """The Caller an endpoint runs for (set by ApiAuth)."""
    return request.auth  # type: ignore[attr-defined]


def require_write(request: HttpRequest) -> Caller:
    """The Caller, who must be one that may write: 403 for a read-only token or nobody."""
    caller = caller_of(request)
    if not caller.may_write:
        raise ApiError(403, _("This token may only read: make a read-write token to write."))
    return caller


class ApiAuth(HttpBearer):
    """A personal API token as `Authorization: Bearer <token>`, else the signed-in session.

    required=False (public endpoints): no credentials is the anonymous Caller.
    """

    openapi_description = "A personal API token (hoptac_…), made on the API tokens page."

    def __init__(self, *, required: bool = True) -> None:
        super().__init__()
        self.required = required

    def __call__(self, request: HttpRequest) -> Caller | None:
        header = request.headers.get("Authorization", "")
        if header:
            scheme, _space, text = header.partition(" ")
            if scheme.lower() != "bearer" or not text.strip():
                raise AuthenticationError(
                    message=_("Use the header Authorization: Bearer <token>.")
                )
            return self.authenticate(request, text.strip())
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_active:
            if request.method not in SAFE_METHODS and check_csrf(request):
                raise ApiError(403, _("A write from a signed-in browser needs its CSRF token."))
            return Caller(user=user, via="session")
        if not self.required:
            return Caller(user=AnonymousUser())
        return None

    def authenticate(self, request: HttpRequest, token: str) -> Caller:
        now = timezone.now()
        found = selectors.token_find(token, now=now)
        if found is None:
            raise AuthenticationError(
                message=_("This API token is not valid: unknown, expired or revoked.")
            )
        services.token_touch(token=found, now=now)
        request.user = found.user  # the history and the audit log name him
        return Caller(user=found.user, token=found, via="token")
