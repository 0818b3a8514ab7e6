"""Pages of the reports' spreadsheets: export of an area's reports for a year, the blank
template, and the import (upload → check with a preview of every row → import, or import the
valid rows and download the fix-list), the upload kept in the database by the pipeline
(hoptac.core.tabular.stored), the check and the import run as background jobs
(hoptac.jobs.imports) as the registry's do. The page, the job and `manage.py import_reports`
run the same code.
"""

from __future__ import annotations

import io
import tempfile
from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hoptac.accounts import access, audit
from hoptac.core.models import StoredUpload
from hoptac.core.tabular import ImportFileError, stored, writing
from hoptac.jobs import imports as job_imports
from hoptac.reports import excel, forms, importing, selectors

PREVIEW_ROWS = 500


class ImportForm(django_forms.Form):
    file = django_forms.FileField(
        label=gettext_lazy("Spreadsheet (.xlsx, .xls, .ods or .csv)"),
        widget=django_forms.ClearableFileInput(
            attrs={"class": "form-control", "accept": ".xlsx,.xls,.ods,.csv"}
        ),
    )
    year = django_forms.TypedChoiceField(
        label=gettext_lazy("Year of the reports (if the file has no year column)"),
        coerce=int,
        required=False,
        empty_value=None,
        widget=django_forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", "—"), *forms.year_choices()]


def _require_importer(request: HttpRequest) -> None:
    """Officers and admins import reports for many HTX; a manager reports from his page."""
    if not access.may_create_placed(request.user):
        raise PermissionDenied


def _store(request: HttpRequest, upload: Any, year: int | None) -> StoredUpload:
    """Keep the uploaded file (in the database, for any app server) with the year chosen."""
    return stored.upload_create(
        kind=importing.KIND.name,
        user=request.user,
        name=upload.name,
        chunks=upload.chunks(),
        size=upload.size,
        options={"year": year},
    )


def _load(request: HttpRequest, import_id: str) -> StoredUpload:
    """The user's own upload; 404 for anyone else's or a missing one."""
    return stored.upload_get(user=request.user, upload_id=import_id, kind=importing.KIND.name)


def _start(
    request: HttpRequest, upload: StoredUpload, *, commit: bool, valid_only: bool = False
) -> str:
    """Start the check (commit False) or the import of the upload as a job; the import
    page's URL. ImportFileError, at once, for a file without the columns it needs."""
    here = reverse("reports:report_import_detail", args=[upload.id.hex])
    job_imports.import_start(
        by=request.user,  # type: ignore[arg-type]
        upload=upload,
        keys=None,
        commit=commit,
        valid_only=valid_only,
        return_url=f"{here}#preview",
    )
    return here


def report_import(request: HttpRequest) -> HttpResponse:
    _require_importer(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload: StoredUpload | None = None
        try:
            upload = _store(request, form.cleaned_data["file"], form.cleaned_data["year"])
            here = _start(request, upload, commit=False)
        except ImportFileError as error:
            if upload is not None:
                upload.delete()  # a file that cannot be imported is not kept
            form.add_error("file", error.message)
        else:
            return redirect(here)
    return render(request, "reports/import.html", {"form": form})


def report_import_detail(request: HttpRequest, import_id: str) -> HttpResponse:
    """The stored file's page: its job's bar while the check or import runs, then every row."""
    _require_importer(request)
    upload = _load(request, import_id)
    running = job_imports.current_job(upload)
    if request.method == "POST" and running is None and not upload.meta.get("committed"):
        action = request.POST.get("action", "check")
        try:
            _start(request, upload, commit=action != "check", valid_only=action == "import_valid")
        except ImportFileError as error:
            messages.error(request, error.message)
        return redirect("reports:report_import_detail", import_id=import_id)
    context = {
        "stored": upload,
        "running_job": running,
        "last_job": job_imports.last_job(upload),
        "summary": upload.meta.get("summary"),
        "plans": stored.plans_of(upload, "", 0, PREVIEW_ROWS)[0],
        "committed": upload.meta.get("committed"),
        "has_fix_list": upload.fix_list is not None,
    }
    return render(request, "reports/import_detail.html", context)


def report_import_fix_list(request: HttpRequest, import_id: str) -> FileResponse:
    _require_importer(request)
    upload = _load(request, import_id)
    if upload.fix_list is None:
        raise Http404
    name = stored.fix_list_name(upload, _("fix-list"))
    return FileResponse(io.BytesIO(bytes(upload.fix_list)), as_attachment=True, filename=name)


def report_import_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(excel.template_workbook(), content_type=writing.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_("hoptac-reports-template")}.xlsx"'
    return response


def report_export(request: HttpRequest) -> FileResponse:
    """The current reports of the desk's area and year, as .xlsx (the import's layout)."""
    form = forms.DeskForm(request.GET or None, user=request.user)
    area, year = form.chosen()
    reports = selectors.reports_for_export(user=request.user, area=area, year=year)
    handle = tempfile.TemporaryFile()  # noqa: SIM115  (closed by FileResponse)
    rows = audit.export_rows(
        request, (excel.export_row(report) for report in reports.iterator(chunk_size=2000))
    )
    writing.write_columns(
        handle, rows, columns=excel.COLUMNS, header=excel.headers(), sheet_title=_("Annual reports")
    )
    handle.seek(0)
    name = f"{_('hoptac-reports')}-{area.code if area else 'all'}-{year}.xlsx"
    return FileResponse(
        handle, as_attachment=True, filename=name, content_type=writing.XLSX_CONTENT_TYPE
    )


urlpatterns = [
    path("nhap/", report_import, name="report_import"),
    path("nhap/mau/", report_import_template, name="report_import_template"),
    path("nhap/<str:import_id>/", report_import_detail, name="report_import_detail"),
    path(
        "nhap/<str:import_id>/danh-sach-loi/",
        report_import_fix_list,
        name="report_import_fix_list",
    ),
    path("xuat/", report_export, name="report_export"),
]
