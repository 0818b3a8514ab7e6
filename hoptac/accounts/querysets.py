"""Querysets whose `visible_to` every app shares; what they let through is decided in
hoptac.accounts.access.

- OfCooperativeQuerySet: rows that belong to an HTX (`cooperative` FK): officers see those of
  the HTX placed in their area, HTX managers their own HTX's, the public none.
- AppliesInAreaQuerySet: rows made for an area (`area` FK, empty: nationwide), such as
  policies, courses and trade events: seen below, at and above that area.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Self, TypeVar

from django.db import models

from hoptac.accounts.access import restrict, restrict_applicable

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from hoptac.accounts.models import User

M = TypeVar("M", bound=models.Model)


def restrict_by_cooperative(
    queryset: models.QuerySet[M], user: User | AnonymousUser, *, via: str = "cooperative"
) -> models.QuerySet[M]:
    """`queryset` of rows reaching an HTX through `via` (a FK path), cut to the HTX `user`
    may see."""
    return restrict(
        queryset,
        user,
        legacy=f"{via}__commune_legacy",
        current=f"{via}__commune",
        owner=f"{via}__managers",
    )


class OfCooperativeQuerySet(models.QuerySet[M]):
    def visible_to(self, user: User | AnonymousUser) -> Self:
        """Rows of the HTX the user may see (officers: of their area; managers: their own)."""
        return restrict_by_cooperative(self, user)  # type: ignore[return-value]


class AppliesInAreaQuerySet(models.QuerySet[M]):
    def visible_to(self, user: User | AnonymousUser) -> Self:
        """Rows made for the user's area, above it or below it, and nationwide ones."""
        return restrict_applicable(self, user, unit="area")  # type: ignore[return-value]
