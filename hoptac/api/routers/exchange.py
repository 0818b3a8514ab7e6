"""Bulk exchange: imports of cooperatives and annual reports through the spreadsheet pipeline
(hoptac.core.tabular: the upload kept as a core.StoredUpload, then the import job of
hoptac.jobs.imports, exactly as the import pages run it), and the job's state.

`POST /cooperatives/import` and `/reports/import` take a .csv, .xlsx (or .xls, .ods) file (a
multipart `file`, or the raw body with its media type), or a JSON array of rows (each an object
keyed by the import's column keys or headers), which is written as a CSV with the import's
headers first (the columns the rows name). The answer is 202 with the job's URL (`/jobs/{id}`);
`dry_run=true` checks and plans every row without writing. Rows are matched to existing HTX by
registration code (the importers' upsert), so sending the same rows again changes nothing.

Who may import: officers and administrators (access.may_create_placed), as on the import
pages; each row is checked against the caller's area by the importer.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from hoptac.accounts import access
from hoptac.api.auth import caller_of, require_write
from hoptac.api.errors import ApiError
from hoptac.api.schemas import ERRORS
from hoptac.core import spreadsheet_safety
from hoptac.core.models import StoredUpload
from hoptac.core.tabular import stored
from hoptac.core.tabular.reading import ImportFileError
from hoptac.jobs import imports as job_imports
from hoptac.jobs import selectors as job_selectors
from hoptac.jobs.choices import JobState

router = Router(tags=["bulk exchange"])

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The raw bodies taken besides multipart and JSON, and the file name they are read as.
RAW_TYPES = {
    "text/csv": "data.csv",
    XLSX: "data.xlsx",
    "application/vnd.ms-excel": "data.xls",
    "application/vnd.oasis.opendocument.spreadsheet": "data.ods",
}
MAX_JSON_ROWS = 100_000


def _columns(kind: str) -> list[tuple[str, str]]:
    """(key, header in Vietnamese) of each column the import reads: the import pages'
    template headers, which the header matcher recognises."""
    if kind == "registry":
        from hoptac.registry.excel.columns import COLUMNS
    else:
        from hoptac.reports.excel import COLUMNS
    with translation.override("vi"):
        return [(column.key, str(column.header)) for column in COLUMNS]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, list | dict):
        raise ValueError
    return str(value)


def rows_as_csv(kind: str, rows: list[Any]) -> bytes:
    """A JSON array of rows as a CSV with the import's headers first; 422 naming each row
    that is not an object or holds a member the import has not."""
    columns = _columns(kind)
    by_name = {key: key for key, _header in columns} | {h: key for key, h in columns}
    problems: list[dict[str, Any]] = []
    table = []
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            problems.append({"row": number, "field": "", "message": _("A row must be an object.")})
            continue
        values: dict[str, str] = {}
        for name, value in row.items():
            key = by_name.get(name)
            if key is None:
                message = _("There is no such column.")
                problems.append({"row": number, "field": str(name), "message": message})
                continue
            try:
                values[key] = _cell(value)
            except ValueError:
                message = _("A cell must be a text, a number or true/false.")
                problems.append({"row": number, "field": str(name), "message": message})
        table.append(values)
    if problems:
        raise ApiError(422, _("Some rows cannot be read."), errors=problems[:1000])
    # only the columns the rows name: a column left out keeps what is recorded (an empty
    # cell would clear it), as a spreadsheet without that column does
    named = {key for values in table for key in values}
    used = [(key, header) for key, header in columns if key in named]
    cells = ([values.get(key, "") for key, _header in used] for values in table)
    lines = spreadsheet_safety.csv_lines(cells, header=[header for _key, header in used])
    return "".join(lines).encode("utf-8")


def _received(request: HttpRequest, kind: str) -> tuple[str, bytes]:
    """The file's name and bytes, whichever way they came."""
    upload = request.FILES.get("file")
    if upload is not None:
        return upload.name or "data", b"".join(upload.chunks())
    media = request.content_type or ""
    if media == "application/json":
        try:
            rows = json.loads(request.body or b"null")
        except (ValueError, UnicodeDecodeError) as error:
            raise ApiError(422, _("The body is not valid JSON.")) from error
        if not isinstance(rows, list) or not rows:
            raise ApiError(422, _("Send a JSON array of rows, a .csv or an .xlsx file."))
        if len(rows) > MAX_JSON_ROWS:
            raise ApiError(413, _("Too many rows in one call."))
        return "data.csv", rows_as_csv(kind, rows)
    if media in RAW_TYPES:
        return RAW_TYPES[media], request.body
    raise ApiError(415, _("Send a JSON array of rows, a .csv or an .xlsx file."))


class ImportQuery(Schema):
    dry_run: bool = Field(False, description="Check and plan every row, write nothing")
    year: int | None = Field(
        None, ge=1990, le=2100, description="Reports: the year, when the file has no year column"
    )


class JobStarted(Schema):
    id: int
    url: str
    state: str


IMPORT_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {"file": {"type": "string", "format": "binary"}},
                    "required": ["file"],
                }
            },
            "application/json": {"schema": {"type": "array", "items": {"type": "object"}}},
            "text/csv": {"schema": {"type": "string"}},
            XLSX: {"schema": {"type": "string", "format": "binary"}},
        },
    }
}
IMPORT_ERRORS = {**ERRORS, 413: ERRORS[400], 415: ERRORS[400]}


def _start(request: HttpRequest, response: HttpResponse, kind: str, params: ImportQuery) -> Any:
    user = require_write(request).user
    if not access.may_create_placed(user):
        raise ApiError(403, _("Only officers and administrators import."))
    name, content = _received(request, kind)
    options = {"year": params.year} if kind == "reports" else {}
    upload: StoredUpload | None = None
    try:
        upload = stored.upload_create(
            kind=kind, user=user, name=name, chunks=[content], size=len(content), options=options
        )
        job = job_imports.import_start(
            by=user,
            upload=upload,
            keys=None,
            commit=not params.dry_run,
            return_url="",  # the API's caller follows the job at its URL, no page
        )
    except ImportFileError as error:
        if upload is not None:
            upload.delete()  # a file that cannot be imported is not kept, as on the pages
        raise ApiError(
            422, error.message, errors=[{"field": "file", "message": error.message}]
        ) from error
    url = reverse("api-v1:job_detail", args=[job.pk])
    response["Location"] = url
    return Status(202, {"id": job.pk, "url": url, "state": job.state})


@router.post(
    "/cooperatives/import",
    response={202: JobStarted, **IMPORT_ERRORS},
    url_name="cooperative_import",
    summary="Import cooperatives from a .csv, .xlsx or JSON array (a job; dry_run plans only)",
    openapi_extra=IMPORT_BODY,
)
def cooperative_import(
    request: HttpRequest, response: HttpResponse, params: Query[ImportQuery]
) -> Any:
    return _start(request, response, "registry", params)


@router.post(
    "/reports/import",
    response={202: JobStarted, **IMPORT_ERRORS},
    url_name="report_import",
    summary="Import annual reports from a .csv, .xlsx or JSON array (a job; dry_run plans only)",
    openapi_extra=IMPORT_BODY,
)
def report_import(request: HttpRequest, response: HttpResponse, params: Query[ImportQuery]) -> Any:
    return _start(request, response, "reports", params)


# --- the job ------------------------------------------------------------------------------------


class JobOut(Schema):
    """A background job: its state (queued, running, succeeded, failed, cancelled), progress,
    and for an import, once it ended, the summary the import commands print with
    --format json (created, updated, unchanged, errors by row, rows, written, dry_run)."""

    id: int
    kind: str
    title: str
    state: str
    phase: str
    done: int
    total: int
    percent: int
    created_at: dt.datetime
    finished_at: dt.datetime | None = None
    error: str = ""
    summary: dict[str, Any] | None = None


def import_summary(job: Any) -> dict[str, Any] | None:
    """The import's summary with its errors by row (the job keeps the counts, the stored
    upload every row's plan)."""
    summary = (job.result or {}).get("summary")
    if job.state != JobState.SUCCEEDED or not isinstance(summary, dict):
        return None
    upload = StoredUpload.objects.filter(pk=job.params.get("upload")).first()
    errors = []
    if upload is not None:
        failed, _count = stored.plans_of(upload, "error", 0, 10_000)
        errors = [
            {"row": plan["row"], "column": column, "message": message}
            for plan in failed
            for column, message in plan["errors"]
        ]
    return {**summary, "errors": errors}


@router.get(
    "/jobs/{id:job_id}",
    response={200: JobOut, **ERRORS},
    url_name="job_detail",
    summary="A job the caller started: state, progress, and an import's summary when done",
)
def job_detail(request: HttpRequest, job_id: int) -> Any:
    job = job_selectors.job_get(user=caller_of(request).user, job_id=job_id)
    return {
        "id": job.pk,
        "kind": job.kind,
        "title": job.title,
        "state": job.state,
        "phase": job.phase,
        "done": job.done,
        "total": job.total,
        "percent": job.percent,
        "created_at": job.created_at,
        "finished_at": job.finished_at,
        "error": job.error,
        "summary": import_summary(job) if job.kind == job_imports.IMPORT else None,
    }
