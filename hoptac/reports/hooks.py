"""What a later app does when an annual report is approved.

The ratings app re-proposes the ratings that read the report, and it sits above reports, so
reports does not import it: ratings registers its service here in its AppConfig.ready()

    from hoptac.reports.hooks import register_approval_handler
    register_approval_handler(rating_report_approved)

and `services.report_approve` calls `report_approved` inside its transaction, after the
report is saved: an explicit call, as ratings.hooks does for a weak rating, instead of the
signal it used to send.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hoptac.accounts.models import User
    from hoptac.reports.models import AnnualReport

# (report, by) -> anything; keyword arguments.
ApprovalHandler = Callable[..., Any]

_handlers: dict[str, ApprovalHandler] = {}


def register_approval_handler(handler: ApprovalHandler) -> None:
    """Add (or replace, by its qualified name) what an approval calls."""
    _handlers[f"{handler.__module__}.{handler.__qualname__}"] = handler


def report_approved(*, report: AnnualReport, by: User | None) -> None:
    """Call every registered handler with the approved version and its approver."""
    for handler in list(_handlers.values()):
        handler(report=report, by=by)
