"""The reports' background jobs (hoptac.jobs): e-mailing reminders to every HTX of an area
that has not reported. Registered when the app is ready (ReportsConfig.ready)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from hoptac.accounts import access
from hoptac.jobs import registry, services
from hoptac.jobs.context import JobContext

if TYPE_CHECKING:
    from hoptac.accounts.models import User
    from hoptac.jobs.models import Job

REMINDERS = "reports.reminders"


def reminders_start(*, by: User, cooperative_ids: list[int], year: int, deadline: date) -> Job:
    return services.job_start(
        kind=REMINDERS,
        title=_("Reminders of the %(year)s report to %(count)s cooperatives")
        % {"year": year, "count": len(cooperative_ids)},
        by=by,
        params={"ids": cooperative_ids, "year": year, "deadline": deadline.isoformat()},
    )


@registry.handler(REMINDERS)
def reminders(context: JobContext) -> dict[str, Any]:
    from hoptac.reports import services as report_services

    user = context.owner or access.SYSTEM
    ids = [int(i) for i in context.params["ids"]]
    sent = 0
    for done, start in enumerate(range(0, len(ids), 50)):
        sent += report_services.reminder_send_many(
            cooperative_ids=ids[start : start + 50],
            year=int(context.params["year"]),
            by=user,  # type: ignore[arg-type]
            deadline=date.fromisoformat(context.params["deadline"]),
        )
        context.progress("send", min((done + 1) * 50, len(ids)), len(ids))
    return {"sent": sent, "summary_lines": [_("Reminders e-mailed: %(count)s.") % {"count": sent}]}
