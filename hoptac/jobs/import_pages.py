"""The steps of an app's import pages that are the same for every list: keep the uploaded file
and start its check as a job; on the stored upload's page, start the check again, the import or
the import of the valid rows as a job, and show the job's bar, the summary and the preview;
download the fix-list. An app's views (support's lists, the market's products) check who may
import, name their URLs and templates, and call these.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from hoptac.core.models import StoredUpload
from hoptac.core.tabular import ImportFileError, stored
from hoptac.jobs import imports

PREVIEW_ROWS = 500


def upload_started(
    request: HttpRequest,
    form: Form,
    *,
    kind: str,
    options: dict[str, Any],
    detail: Callable[[StoredUpload], str],
) -> HttpResponse | None:
    """For a valid POST of `form` (its field `file`): keep the file as an upload of `kind`,
    start its check as a job and go to its page (`detail(upload)`). None: show the form again
    (a file that cannot be imported is not kept, and the form's `file` says why)."""
    if request.method != "POST" or not form.is_valid():
        return None
    file = form.cleaned_data["file"]
    upload: StoredUpload | None = None
    try:
        upload = stored.upload_create(
            kind=kind,
            user=request.user,
            name=file.name,
            chunks=file.chunks(),
            size=file.size,
            options=options,
        )
        url = detail(upload)
        imports.import_start(
            by=request.user,  # type: ignore[arg-type]
            upload=upload,
            keys=None,
            commit=False,
            return_url=f"{url}#preview",
        )
    except ImportFileError as error:
        if upload is not None:
            upload.delete()
        form.add_error("file", error.message)
        return None
    return redirect(url)


def import_posted(request: HttpRequest, upload: StoredUpload, *, here: str) -> HttpResponse | None:
    """A POST of the upload's page while no job runs on it and it is not imported yet: start
    the check ("check"), the import ("import") or the import of the valid rows
    ("import_valid") as a job, and come back to the page (`here`). None: show the page."""
    if request.method != "POST" or imports.current_job(upload) is not None:
        return None
    if upload.meta.get("committed"):
        return None
    action = request.POST.get("action", "check")
    try:
        imports.import_start(
            by=request.user,  # type: ignore[arg-type]
            upload=upload,
            keys=None,
            commit=action != "check",
            valid_only=action == "import_valid",
            return_url=f"{here}#preview",
        )
    except ImportFileError as error:
        messages.error(request, error.message)
    return redirect(here)


def import_context(upload: StoredUpload) -> dict[str, Any]:
    """What the upload's page shows: the running job's bar (or the last job's failure), the
    summary, the first PREVIEW_ROWS rows, whether it was imported and has a fix-list."""
    return {
        "stored": upload,
        "running_job": imports.current_job(upload),
        "last_job": imports.last_job(upload),
        "summary": upload.meta.get("summary"),
        "plans": stored.plans_of(upload, "", 0, PREVIEW_ROWS)[0],
        "committed": upload.meta.get("committed", False),
        "has_fix_list": upload.fix_list is not None,
    }


def fix_list_response(upload: StoredUpload) -> FileResponse:
    """The rows the import left out, with their errors (404 when there are none)."""
    if upload.fix_list is None:
        raise Http404
    name = stored.fix_list_name(upload, _("fix-list"))
    return FileResponse(io.BytesIO(bytes(upload.fix_list)), as_attachment=True, filename=name)
