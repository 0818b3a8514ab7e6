"""Spreadsheet imports as background jobs: the check and the import of a stored upload
(hoptac.core.tabular.stored) run on the queue, for every app's import page alike.

The page starts the job (`import_start`), which remembers it on the upload; the page then shows
the job's progress (polled) until it ends, and the preview, summary and fix-list after.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _

from hoptac.accounts import access
from hoptac.core.models import StoredUpload
from hoptac.core.tabular import stored
from hoptac.core.tabular.layout import ColumnMap
from hoptac.core.tabular.reading import ImportFileError
from hoptac.core.tabular.running import kind_named
from hoptac.jobs import registry, services
from hoptac.jobs.context import JobContext
from hoptac.jobs.models import Job
from hoptac.jobs.running import JobError

if TYPE_CHECKING:
    from hoptac.accounts.models import User

IMPORT = "tabular.import"


def import_start(
    *,
    by: User,
    upload: StoredUpload,
    keys: Sequence[str | None] | None,
    commit: bool,
    valid_only: bool = False,
    return_url: str,
    notify_email: bool = False,
) -> Job:
    """Start checking (commit False) or importing the upload with these column choices.
    ImportFileError, at once, for a column map that cannot be used (two columns read as one,
    a needed column missing): the officer corrects it on the page, no job is started."""
    layout = stored.layout_of(upload)
    if layout is not None:
        mapping = ColumnMap.chosen(layout, keys) if keys is not None else stored.mapping_of(upload)
        check = kind_named(upload.kind).check_mapping
        problems = check(layout, mapping, upload.meta.get("options") or {})  # type: ignore[arg-type]
        if problems:
            raise ImportFileError(" ".join(problems))
    if commit:
        title = _("Import of “%(name)s”") % {"name": upload.filename}
    else:
        title = _("Check of “%(name)s”") % {"name": upload.filename}
    with transaction.atomic():  # the job runs once the upload names it (never before)
        job = services.job_start(
            kind=IMPORT,
            title=title,
            by=by,
            params={
                "upload": str(upload.pk),
                "keys": list(keys) if keys is not None else None,
                "commit": commit,
                "valid_only": valid_only,
                "return_url": return_url,
            },
            notify_email=notify_email,
        )
        StoredUpload.objects.filter(pk=upload.pk).update(meta={**upload.meta, "job": job.pk})
    upload.meta["job"] = job.pk
    return job


def last_job(upload: StoredUpload) -> Job | None:
    """The job last started on this upload (the page tells its failure, if it failed)."""
    job_id = upload.meta.get("job")
    return Job.objects.light().filter(pk=job_id).first() if job_id else None


def current_job(upload: StoredUpload) -> Job | None:
    """The job last started on this upload, while it has not ended (the page shows its bar)."""
    job_id = upload.meta.get("job")
    if not job_id:
        return None
    return Job.objects.light().unfinished().filter(pk=job_id).first()


def _result_url(job: Job) -> str | None:
    return str(job.params.get("return_url") or "") or None


@registry.handler(IMPORT, result_url=_result_url)
def run(context: JobContext) -> dict[str, Any]:
    upload = StoredUpload.objects.filter(pk=context.params["upload"]).first()
    if upload is None:
        raise JobError(_("The uploaded file is no longer kept (after a day): upload it again."))
    if context.owner is not None and upload.owner_id != context.owner.pk:
        raise JobError(_("This file was uploaded by someone else."))
    summary = stored.upload_run(
        upload,
        user=context.owner or access.SYSTEM,
        keys=context.params.get("keys"),
        commit=bool(context.params.get("commit")),
        valid_only=bool(context.params.get("valid_only")),
        progress=context.progress,
    )
    result = {**summary.as_dict(), "errors": []}
    lines = [
        _(
            "Rows: %(rows)s; new: %(new)s; changed: %(changed)s; unchanged: %(same)s; "
            "with errors: %(errors)s."
        )
        % {
            "rows": summary.rows,
            "new": summary.created,
            "changed": summary.updated,
            "same": summary.unchanged,
            "errors": summary.error_rows,
        }
    ]
    if context.params.get("commit"):
        lines.append(_("Written.") if summary.written else _("Nothing was written."))
    return {"summary": result, "summary_lines": lines}
