"""Querysets whose `visible_to` several apps share; what they let through is decided in
hoptac.accounts.access.

AppliesInAreaQuerySet: rows made for an area (`area` FK, empty: nationwide), such as policies,
courses and trade events: seen below, at and above that area. (Rows that belong to an HTX:
hoptac.registry.querysets.OfCooperativeQuerySet.)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Self, TypeVar

from django.db import models

from hoptac.accounts.access import restrict_applicable

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from hoptac.accounts.models import User

M = TypeVar("M", bound=models.Model)


class AppliesInAreaQuerySet(models.QuerySet[M]):
    def visible_to(self, user: User | AnonymousUser) -> Self:
        """Rows made for the user's area, above it or below it, and nationwide ones."""
        return restrict_applicable(self, user, unit="area")  # type: ignore[return-value]
