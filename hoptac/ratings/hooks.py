"""What a later app does when an HTX's rating is approved as yếu.

The support app keeps the remediation cases of weak HTX, and it sits above ratings, so ratings
does not import it: support registers its service here in its AppConfig.ready()

    from hoptac.ratings.hooks import register_weak_rating_handler
    register_weak_rating_handler(remediation_open_for_weak)

and the approval calls `weak_rating_approved` inside its transaction. Without a handler (the
support app not installed) an approval opens nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hoptac.accounts.models import User
    from hoptac.registry.models import Cooperative

# (cooperative, year, author) -> the case opened (or found) for that year.
WeakRatingHandler = Callable[["Cooperative", int, "User | None"], Any]

_handler: WeakRatingHandler | None = None


def register_weak_rating_handler(handler: WeakRatingHandler) -> None:
    """Set (or replace) what an approval of a yếu rating calls."""
    global _handler  # a registry filled once from AppConfig.ready()
    _handler = handler


def weak_rating_approved(
    cooperative: Cooperative, year: int, author: User | None
) -> tuple[Any, bool]:
    """Call the registered handler: (what it returned, True), or (None, False) without one."""
    if _handler is None:
        return None, False
    return _handler(cooperative, year, author), True
