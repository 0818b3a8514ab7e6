"""Pages of the reports' spreadsheets: export of an area's reports for a year, the blank
template, and the import (upload → check with a preview of every row → import, or import the
valid rows and download the fix-list). The page and `manage.py import_reports` run the same
code (importing.run_import).
"""

from __future__ import annotations

import json
import shutil
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django import forms as django_forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hoptac.accounts import access, audit
from hoptac.registry import excel as registry_excel
from hoptac.registry import importing as registry_importing
from hoptac.registry.excel import ImportFileError
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


def _root() -> Path:
    return Path(settings.VAR_DIR) / "report-imports"


@dataclass
class Upload:
    """An uploaded file waiting for the officer's decision, with its last check."""

    id: str
    folder: Path
    meta: dict[str, Any]

    @property
    def source(self) -> Path:
        return self.folder / self.meta["stored_name"]

    @property
    def fix_list(self) -> Path:
        return self.folder / (
            "fix-list.csv" if self.meta.get("format") == "csv" else "fix-list.xlsx"
        )

    def save(self) -> None:
        (self.folder / "meta.json").write_text(json.dumps(self.meta, ensure_ascii=False))


def _store(request: HttpRequest, upload: Any, year: int | None) -> Upload:
    registry_importing.check_size(upload.size)
    folder = _root() / uuid.uuid4().hex
    folder.mkdir(parents=True)
    suffix = Path(upload.name).suffix.lower()[:8]
    stored = Upload(folder.name, folder, {
        "owner": request.user.pk, "filename": Path(upload.name).name[:200],
        "stored_name": "source" + (suffix if suffix.isascii() else ""), "year": year,
    })  # fmt: skip
    with stored.source.open("wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    try:
        stored.meta["format"] = importing.read_layout(stored.source).format
    except ImportFileError:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    stored.save()
    return stored


def _load(request: HttpRequest, import_id: str) -> Upload:
    """The user's own upload; 404 for anyone else's or a missing one."""
    if not import_id.isalnum():
        raise Http404
    folder = _root() / import_id
    try:
        meta = json.loads((folder / "meta.json").read_text())
    except (OSError, ValueError) as error:
        raise Http404 from error
    if meta.get("owner") != request.user.pk:
        raise Http404
    return Upload(import_id, folder, meta)


def _run(request: HttpRequest, stored: Upload, *, commit: bool, valid_only: bool) -> None:
    plans: list[dict[str, Any]] = []

    def keep(plan: importing.ReportRowPlan) -> None:
        if len(plans) < PREVIEW_ROWS:
            plans.append(plan.as_dict())

    summary = importing.run_import(
        stored.source,
        user=request.user,  # type: ignore[arg-type]
        year=stored.meta.get("year"),
        dry_run=not commit,
        valid_only=valid_only,
        fix_list=stored.fix_list if valid_only else None,
        on_plan=keep,
    )
    stored.meta["summary"] = summary.as_dict()
    stored.meta["plans"] = plans
    stored.meta["committed"] = commit and summary.written
    stored.save()


def report_import(request: HttpRequest) -> HttpResponse:
    _require_importer(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            stored = _store(request, form.cleaned_data["file"], form.cleaned_data["year"])
            _run(request, stored, commit=False, valid_only=False)
        except ImportFileError as error:
            form.add_error("file", error.message)
        else:
            return redirect("reports:report_import_detail", import_id=stored.id)
    return render(request, "reports/import.html", {"form": form})


def report_import_detail(request: HttpRequest, import_id: str) -> HttpResponse:
    _require_importer(request)
    stored = _load(request, import_id)
    if request.method == "POST" and not stored.meta.get("committed"):
        action = request.POST.get("action", "check")
        try:
            _run(request, stored, commit=action != "check", valid_only=action == "import_valid")
        except ImportFileError as error:
            messages.error(request, error.message)
        return redirect("reports:report_import_detail", import_id=import_id)
    context = {
        "stored": stored,
        "summary": stored.meta.get("summary"),
        "plans": stored.meta.get("plans", []),
        "committed": stored.meta.get("committed"),
        "has_fix_list": stored.fix_list.exists(),
    }
    return render(request, "reports/import_detail.html", context)


def report_import_fix_list(request: HttpRequest, import_id: str) -> FileResponse:
    _require_importer(request)
    stored = _load(request, import_id)
    if not stored.fix_list.exists():
        raise Http404
    name = f"{_('fix-list')}-{stored.meta['filename'].rsplit('.', 1)[0]}{stored.fix_list.suffix}"
    return FileResponse(stored.fix_list.open("rb"), as_attachment=True, filename=name)


def report_import_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(
        excel.template_workbook(), content_type=registry_excel.XLSX_CONTENT_TYPE
    )
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
    registry_excel.write_xlsx(
        handle, rows, header=excel.headers(), columns=excel.COLUMNS, sheet_title=_("Annual reports")
    )
    handle.seek(0)
    name = f"{_('hoptac-reports')}-{area.code if area else 'all'}-{year}.xlsx"
    return FileResponse(
        handle, as_attachment=True, filename=name, content_type=registry_excel.XLSX_CONTENT_TYPE
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
