"""The `visible_to` of rows that belong to an HTX (reports, ratings, support, products…),
shared by the apps that keep such rows; what it lets through is decided in
hoptac.accounts.access.

Officers see the rows of the HTX placed in their area, filtered on the HTX's denormalised
province / district / commune columns (no join to the administrative units); HTX managers
their own HTX's rows; the public none.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self, TypeVar

from django.db import models

from hoptac.accounts.access import restrict
from hoptac.core.changes import TrackedQuerySet
from hoptac.registry.models import cooperative_area_fields

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from hoptac.accounts.models import User

M = TypeVar("M", bound=models.Model)


def cooperative_placement(via: str = "cooperative") -> dict[str, Any]:
    """How a row reaching an HTX through `via` (a FK path) is placed: the keyword arguments of
    `access.restrict` (the HTX's communes of both trees, its managers, its denormalised area
    columns)."""
    return {
        "legacy": f"{via}__commune_legacy",
        "current": f"{via}__commune",
        "owner": f"{via}__managers",
        "area_fields": cooperative_area_fields(f"{via}__"),
    }


def restrict_by_cooperative(
    queryset: models.QuerySet[M], user: User | AnonymousUser, *, via: str = "cooperative"
) -> models.QuerySet[M]:
    """`queryset` of rows reaching an HTX through `via` (a FK path), cut to the HTX `user`
    may see."""
    return restrict(queryset, user, **cooperative_placement(via))


class OfCooperativeQuerySet(TrackedQuerySet[M]):
    def visible_to(self, user: User | AnonymousUser) -> Self:
        """Rows of the HTX the user may see (officers: of their area; managers: their own)."""
        return restrict_by_cooperative(self, user)  # type: ignore[return-value]
