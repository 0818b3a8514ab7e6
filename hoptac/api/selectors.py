"""Reads of the API app: the tokens a user may see, the token a request presents, and the
API's own reads of other apps' rows (a cursor page of only the columns asked)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.core.cache import caches
from django.db.models import Field, Func, QuerySet, TextField
from django.shortcuts import get_object_or_404

from hoptac.accounts import access
from hoptac.api import rules
from hoptac.api.models import ApiToken
from hoptac.api.pagination import Page, cursor_page
from hoptac.registry import selectors as registry_selectors
from hoptac.registry.choices import Sort

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from hoptac.accounts.models import User

# Seconds a token found is kept in the default cache (Redis when set, else this process's
# memory): the most a deactivated user's token, or his new role or area, may lag.
TOKEN_CACHE_SECONDS = 10


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


def _token_key(lookup: str) -> str:
    return f"api-token:{lookup}"


def token_remember(token: ApiToken) -> None:
    """Keep `token` (with its user and his area) in the default cache for
    TOKEN_CACHE_SECONDS, so that the calls of a busy client do not each read it."""
    caches["default"].set(_token_key(token.lookup), token, TOKEN_CACHE_SECONDS)


def token_forget(token: ApiToken) -> None:
    """Drop `token` from the cache (revoked: it stops working at once in this process, and
    in every process when the cache is Redis)."""
    caches["default"].delete(_token_key(token.lookup))


def token_find(text: str, *, now: datetime) -> ApiToken | None:
    """The live token whose text this is (its secret matches, not revoked, not expired, its
    user active); None otherwise.

    Read from the cache when there (token_remember): a change of its user (deactivated, or
    another role or area) reaches a token already in use within TOKEN_CACHE_SECONDS."""
    parsed = rules.token_parse(text)
    if parsed is None:
        return None
    lookup, digest = parsed
    token = caches["default"].get(_token_key(lookup))
    if token is None:
        token = ApiToken.objects.select_related("user", "user__area").filter(lookup=lookup).first()
        if token is not None:
            token_remember(token)
    if token is None or not rules.digests_equal(token.digest, digest):
        return None
    if token.revoked_at is not None or token.expires_at <= now or not token.user.is_active:
        return None
    return token


class IsoTimestamp(Func):
    """A timestamp as the text Django's JSON encoder (ninja's renderer) writes it, formatted
    by the database: ISO 8601 in UTC, milliseconds unless the value is a whole second, "Z"
    ("2026-12-03T04:05:06.789Z"). Parsing the timestamps into Python (Django's loader, not
    psycopg's C one) and writing them back was a third of a 500-row page's time."""

    output_field = TextField()

    def as_sql(
        self,
        compiler: Any,
        connection: Any,
        function: str | None = None,
        template: str | None = None,
        arg_joiner: str | None = None,
        **extra_context: Any,
    ) -> Any:
        del function, template, arg_joiner, extra_context  # the whole SQL is written here
        # SQLite keeps a timestamp as UTC text, "2026-12-03 04:05:06[.789012]".
        column, params = compiler.compile(self.source_expressions[0])
        text = f"REPLACE({column}, ' ', 'T')"
        sql = (
            f"CASE WHEN INSTR({column}, '.') > 0 THEN SUBSTR({text}, 1, 23) || 'Z' "
            f"ELSE {text} || 'Z' END"
        )
        return sql, (*params, *params, *params)

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        column, params = compiler.compile(self.source_expressions[0])
        whole = """'YYYY-MM-DD"T"HH24:MI:SS"Z"'"""
        parts = """'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'"""
        sql = (
            f"CASE WHEN DATE_TRUNC('second', {column}) = {column} "
            f"THEN TO_CHAR({column} AT TIME ZONE 'UTC', {whole}) "
            f"ELSE TO_CHAR({column} AT TIME ZONE 'UTC', {parts}) END"
        )
        return sql, (*params, *params, *params, *params)


class WholeNumber(Func):
    """A number as a bigint, which psycopg and sqlite3 already return as a Python int: typed
    with a plain Field, so Django adds no per-row conversion (an IntegerField output would
    call int() on every value again)."""

    template = "CAST(%(expressions)s AS bigint)"
    output_field = Field()


# The members of the API's cooperative that the database writes as the API answers them:
# the times as text (IsoTimestamp), the capital (a whole number of đồng) as an integer.
COOPERATIVE_EXPRESSIONS: dict[str, Any] = {
    "created_at": IsoTimestamp("created_at"),
    "updated_at": IsoTimestamp("updated_at"),
    "charter_capital": WholeNumber("charter_capital"),
}


def cooperative_page(
    *,
    user: User | AnonymousUser,
    filters: Mapping[str, Any],
    cursor: str | None,
    limit: int,
    columns: Sequence[str],
) -> Page[dict[str, Any]]:
    """A cursor page of the organisations `user` may see, filtered and sorted as the
    registry's list (registry.selectors.cooperative_list, the one filter definition), each a
    dict of exactly `columns` (their names as in the model; a unit is its id; the times and
    the capital as COOPERATIVE_EXPRESSIONS writes them): the API's list reads only what it
    answers, with no join to the units."""
    order = filters.get("sort") or Sort.NAME
    cooperatives = registry_selectors.cooperative_list(user=user, filters=filters)
    return cursor_page(
        cooperatives,
        order=order,
        cursor=cursor,
        limit=limit,
        columns=columns,
        expressions=COOPERATIVE_EXPRESSIONS,
    )
