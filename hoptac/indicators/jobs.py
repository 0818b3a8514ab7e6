"""The indicators' background jobs (hoptac.jobs): the written report of a large area
(more HTX than HOPTAC_REPORT_JOB_COOPERATIVES) as DOCX, PDF or XLSX.

Registered when the app is ready (IndicatorsConfig.ready). The job runs as the officer who
started it: the area is checked against his scope again when it runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.http import Http404, QueryDict
from django.utils.translation import gettext as _

from hoptac.accounts import access
from hoptac.jobs import registry, services
from hoptac.jobs.context import JobContext
from hoptac.jobs.running import JobError

if TYPE_CHECKING:
    from hoptac.accounts.models import User
    from hoptac.indicators.sources import Frame
    from hoptac.jobs.models import Job

WRITTEN_REPORT = "indicators.written_report"


def is_large(frame: Frame) -> bool:
    """Does the area hold more HTX than HOPTAC_REPORT_JOB_COOPERATIVES (a large province, the
    country)? Its report file is then written by a job."""
    from hoptac.registry import selectors as registry_selectors
    from hoptac.registry.models import Cooperative

    if frame.area is None:
        cooperatives = Cooperative.objects.all()
    else:
        cooperatives = registry_selectors.cooperative_list(
            user=access.SYSTEM, filters={"area": frame.area}
        )
    limit = settings.HOPTAC_REPORT_JOB_COOPERATIVES
    return cooperatives.order_by()[: limit + 1].count() > limit


def report_filename(frame: Frame, file_format: str) -> str:
    return f"bao-cao-htx-{frame.area.code if frame.area else 'ca-nuoc'}-{frame.on}.{file_format}"


def written_report_start(*, by: User, query: QueryDict, frame: Frame, file_format: str) -> Job:
    area = frame.area.full_name if frame.area else _("the whole country")
    return services.job_start(
        kind=WRITTEN_REPORT,
        title=_("Written report of %(area)s on %(date)s (%(format)s)")
        % {"area": area, "date": frame.on.strftime("%d/%m/%Y"), "format": file_format.upper()},
        by=by,
        params={"query": query.urlencode(), "format": file_format},
    )


@registry.handler(WRITTEN_REPORT)
def written_report(context: JobContext) -> dict[str, Any]:
    from hoptac.indicators import exporting, forms, selectors, writing

    user = context.owner or access.SYSTEM
    form = forms.FrameForm(QueryDict(context.params["query"]) or None, user=user)
    if form.is_bound and form.data.get("area") and form.has_error("area"):
        raise JobError(_("This area is no longer in your scope."))
    try:
        frame = selectors.frame_for(user=user, **form.frame_args())
    except Http404 as error:
        raise JobError(_("This area is no longer in your scope.")) from error
    file_format = context.params["format"]
    context.progress("read", 0, 3)
    document = writing.build_report(frame=frame, user=user)
    context.progress("write", 1, 3)
    content = exporting.render(document, file_format)
    context.progress("write", 3, 3)
    context.attach(
        report_filename(frame, file_format), exporting.CONTENT_TYPES[file_format], content
    )
    return {}
