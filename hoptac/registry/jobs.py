"""The registry's background jobs (hoptac.jobs): the export of a large list.

Registered when the app is ready (RegistryConfig.ready). A job runs as the officer who
started it: the list is read again through his scope when the job runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import QueryDict
from django.utils.translation import gettext as _

from hoptac.accounts import access
from hoptac.jobs import registry, services
from hoptac.jobs.context import JobContext

if TYPE_CHECKING:
    from hoptac.accounts.models import User
    from hoptac.jobs.models import Job

EXPORT = "registry.export"


def export_start(*, by: User, query: QueryDict, file_format: str, total: int) -> Job:
    return services.job_start(
        kind=EXPORT,
        title=_("Export of %(count)s cooperatives (%(format)s)")
        % {"count": f"{total:,}".replace(",", "."), "format": file_format.upper()},
        by=by,
        params={"query": query.urlencode(), "format": file_format, "total": total},
    )


@registry.handler(EXPORT)
def export(context: JobContext) -> dict[str, Any]:
    from hoptac.registry import excel, forms, selectors
    from hoptac.registry.excel_views import export_csv, export_filename, export_xlsx

    user = context.owner or access.SYSTEM
    form = forms.CooperativeFilterForm(QueryDict(context.params["query"]) or None, user=user)
    filters = form.cleaned_data if form.is_valid() else {}
    cooperatives = selectors.cooperative_list(user=user, filters=filters)
    total = cooperatives.count()
    file_format = context.params["format"]
    filename = export_filename(file_format)
    context.progress("write", 0, total)

    def counted(rows: int) -> None:
        context.progress("write", rows, total)

    if file_format == "csv":
        response = export_csv(cooperatives, filename, counted)
        content = b"".join(response.streaming_content)
        content_type = excel.CSV_CONTENT_TYPE
    else:
        response = export_xlsx(cooperatives, filename, counted)
        content = b"".join(response.streaming_content)
        content_type = excel.XLSX_CONTENT_TYPE
    context.progress("write", total, total)
    context.attach(filename, content_type, content)
    return {"rows": total, "summary_lines": [_("%(count)s rows") % {"count": total}]}
