"""Pages of the registry's spreadsheets: import (upload, column map, preview, import, progress,
fix-list), export of the list as filtered, and the blank template.

Thin: parse input, check access (hoptac.accounts.access), call importing / selectors, render.
The import page and `manage.py import_registry` run the same code (importing.run_import).
"""

from __future__ import annotations

import io
import tempfile
from collections.abc import Callable, Iterator
from typing import Any

from django import forms as django_forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import QuerySet
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hoptac.accounts import access, audit
from hoptac.core.tabular.stored import layout_of as stored_layout
from hoptac.core.tabular.stored import mapping_of as stored_mapping
from hoptac.jobs import imports as job_imports
from hoptac.jobs import selectors as job_selectors
from hoptac.registry import excel, forms, importing, selectors
from hoptac.registry import jobs as registry_jobs
from hoptac.registry.excel import ImportFileError
from hoptac.registry.models import Cooperative

PREVIEW_PAGE = 100
ACTIONS = (importing.ERROR, importing.NEW, importing.CHANGED, importing.UNCHANGED)
EXPORT_CHUNK = 2000


class ImportUploadForm(django_forms.Form):
    """The file to import."""

    file = django_forms.FileField(
        label=gettext_lazy("Spreadsheet (.xlsx, .xls, .ods or .csv)"),
        widget=django_forms.ClearableFileInput(
            attrs={"class": "form-control", "accept": ".xlsx,.xls,.ods,.csv,.txt,.tsv"}
        ),
    )


class ImportMappingForm(django_forms.Form):
    """One select per column of the file: which registry column it feeds, if any."""

    def __init__(self, *args: Any, layout: importing.Layout, mapping: importing.ColumnMap,
                 **kwargs: Any) -> None:  # fmt: skip
        super().__init__(*args, **kwargs)
        choices = [("", _("— not imported —"))]
        choices += [(c.key, str(c.header)) for c in excel.COLUMNS]
        self.layout = layout
        for index in range(len(layout.headers)):
            self.fields[f"col_{index}"] = django_forms.ChoiceField(
                label=layout.label(index),
                choices=choices,
                required=False,
                initial=mapping.keys[index] if index < len(mapping.keys) else "",
                widget=django_forms.Select(attrs={"class": "form-select form-select-sm"}),
            )

    def keys(self) -> list[str | None]:
        return [self.cleaned_data.get(f"col_{i}") or None for i in range(len(self.layout.headers))]

    def rows(self) -> list[tuple[django_forms.BoundField, list[str], int]]:
        """Each file column's select, the first values of that column, and the unit its
        header gives (1 000 000 for "(triệu đồng)")."""
        samples = self.layout.samples
        return [
            (
                self[f"col_{i}"],
                [row[i] for row in samples if i < len(row) and row[i] not in (None, "")],
                self.layout.scales[i] if i < len(self.layout.scales) else 1,
            )
            for i in range(len(self.layout.headers))
        ]


def _require_importer(request: HttpRequest) -> None:
    if not access.may_create_placed(request.user):
        raise PermissionDenied


def cooperative_import(request: HttpRequest) -> HttpResponse:
    _require_importer(request)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            stored = importing.stored_import_create(
                user=request.user, name=upload.name, chunks=upload.chunks(), size=upload.size
            )
        except ImportFileError as error:
            form.add_error("file", error.message)
        else:
            return redirect("registry:cooperative_import_detail", import_id=stored.id)
    context = {"form": form, "max_mb": importing.max_import_bytes() // (1024 * 1024)}
    return render(request, "registry/import_upload.html", context)


def cooperative_import_detail(request: HttpRequest, import_id: str) -> HttpResponse:
    _require_importer(request)
    stored = importing.stored_import_get(user=request.user, import_id=import_id)
    layout, mapping = stored_layout(stored), stored_mapping(stored)
    form = ImportMappingForm(request.POST or None, layout=layout, mapping=mapping)
    running = job_imports.current_job(stored)
    posted = request.method == "POST" and running is None and not stored.meta.get("committed")
    if posted and form.is_valid():
        action = request.POST.get("action", "check")
        here = reverse("registry:cooperative_import_detail", args=[import_id])
        try:
            job_imports.import_start(
                by=request.user,
                upload=stored,
                keys=form.keys(),
                commit=action != "check",
                valid_only=action == "import_valid",
                return_url=f"{here}#preview",
                notify_email=request.POST.get("notify_email") == "on",
            )
        except ImportFileError as error:
            messages.error(request, error.message)
        return redirect(here)
    return render(request, "registry/import_detail.html", _detail_context(request, stored, form))


def _detail_context(
    request: HttpRequest, stored: importing.StoredUpload, form: ImportMappingForm
) -> dict[str, Any]:
    shown = request.GET.get("show") if request.GET.get("show") in ACTIONS else ""
    page = Paginator(range(importing.plans_of(stored, shown, 0, 0)[1]), PREVIEW_PAGE).get_page(
        request.GET.get("page")
    )
    plans, _count = importing.plans_of(stored, shown, page.start_index() - 1, PREVIEW_PAGE)
    summary = stored.meta.get("summary")
    return {
        "running_job": job_imports.current_job(stored),
        "last_job": job_imports.last_job(stored),
        "stored": stored,
        "layout": stored_layout(stored),
        "form": form,
        "summary": summary,
        "committed": stored.meta.get("committed", False),
        "plans": plans,
        "page": page,
        "show": shown,
        "has_fix_list": stored.fix_list is not None,
        "actions": ACTIONS,
    }


def cooperative_import_progress(request: HttpRequest, import_id: str) -> HttpResponse:
    """The bar of the upload's job while it runs (the job queue's progress, live)."""
    _require_importer(request)
    stored = importing.stored_import_get(user=request.user, import_id=import_id)
    job = job_imports.current_job(stored)
    progress, percent = None, 0
    if job is not None:
        job = job_selectors.with_live_progress(job)
        if job.total:
            progress = {"phase": job.phase, "done": job.done, "total": job.total}
            percent = job.percent
    context = {"progress": progress, "percent": percent}
    return render(request, "registry/_import_progress.html", context)


def cooperative_import_fix_list(request: HttpRequest, import_id: str) -> FileResponse:
    _require_importer(request)
    stored = importing.stored_import_get(user=request.user, import_id=import_id)
    if stored.fix_list is None:
        raise Http404
    name = importing.fix_list_name(stored, _("fix-list"))
    return FileResponse(io.BytesIO(bytes(stored.fix_list)), as_attachment=True, filename=name)


def cooperative_import_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(excel.template_workbook(), content_type=excel.XLSX_CONTENT_TYPE)
    name = f"{_('hoptac-cooperatives-template')}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def cooperative_export(request: HttpRequest) -> HttpResponse:
    """The list as filtered, as .xlsx or CSV; above HOPTAC_EXPORT_JOB_ROWS rows, a background
    job writes it (registry.jobs) and the officer downloads it from the job's page."""
    form = forms.CooperativeFilterForm(request.GET or None, user=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    cooperatives = selectors.cooperative_list(user=request.user, filters=filters)
    total = cooperatives.count()
    file_format = "csv" if request.GET.get("format") == "csv" else "xlsx"
    if total > settings.HOPTAC_EXPORT_JOB_ROWS:
        job = registry_jobs.export_start(
            by=request.user, query=request.GET, file_format=file_format, total=total
        )
        return redirect("jobs:detail", pk=job.pk)
    audit.export_total(request, total)  # the CSV is streamed after the response
    filename = export_filename(file_format)
    if file_format == "csv":
        return export_csv(cooperatives, filename)
    return export_xlsx(cooperatives, filename)


def export_filename(file_format: str) -> str:
    return f"{_('hoptac-cooperatives')}-{timezone.localdate():%Y-%m-%d}.{file_format}"


def _rows(
    cooperatives: QuerySet[Cooperative], counted: Callable[[int], None] | None = None
) -> Iterator[list[Any]]:
    rows = excel.export_rows(cooperatives, chunk_size=EXPORT_CHUNK)
    if counted is None:
        return rows
    return _counting(rows, counted)


def _counting(rows: Iterator[list[Any]], counted: Callable[[int], None]) -> Iterator[list[Any]]:
    for number, row in enumerate(rows, start=1):
        yield row
        if number % EXPORT_CHUNK == 0:
            counted(number)


def export_csv(
    cooperatives: QuerySet[Cooperative],
    filename: str,
    counted: Callable[[int], None] | None = None,
) -> StreamingHttpResponse:
    """The list as CSV (UTF-8 with BOM), streamed row by row: written by PostgreSQL's COPY
    on PostgreSQL (excel.csv_copy_chunks, the same bytes), row by row in Python elsewhere."""
    lines: Iterator[Any]
    if connections[cooperatives.db].vendor == "postgresql":
        lines = excel.csv_copy_chunks(cooperatives, header=excel.headers())
    else:
        lines = excel.csv_lines(_rows(cooperatives, counted), header=excel.headers())
    response = StreamingHttpResponse(lines, content_type=excel.CSV_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def export_xlsx(
    cooperatives: QuerySet[Cooperative],
    filename: str,
    counted: Callable[[int], None] | None = None,
) -> FileResponse:
    """The list as .xlsx, written to a temporary file (memory stays flat) and streamed from
    it: its rows written by PostgreSQL on PostgreSQL (excel.write_xlsx_copied, the same
    cells), by a constant-memory sheet row by row in Python elsewhere."""
    handle = tempfile.TemporaryFile()  # noqa: SIM115  (closed by FileResponse)
    if connections[cooperatives.db].vendor == "postgresql":
        values, kinds = excel.xlsx_copy_values(cooperatives)
        excel.write_xlsx_copied(
            handle,
            values,
            kinds=kinds,
            header=excel.headers(),
            columns=excel.EXPORT_COLUMNS,
            counted=counted,
        )
    else:
        excel.write_xlsx(
            handle,
            _rows(cooperatives, counted),
            header=excel.headers(),
            columns=excel.EXPORT_COLUMNS,
        )
    handle.seek(0)
    return FileResponse(
        handle, as_attachment=True, filename=filename, content_type=excel.XLSX_CONTENT_TYPE
    )


urlpatterns = [
    path("nhap/", cooperative_import, name="cooperative_import"),
    path("nhap/mau/", cooperative_import_template, name="cooperative_import_template"),
    path("nhap/<str:import_id>/", cooperative_import_detail, name="cooperative_import_detail"),
    path(
        "nhap/<str:import_id>/tien-do/",
        cooperative_import_progress,
        name="cooperative_import_progress",
    ),
    path(
        "nhap/<str:import_id>/danh-sach-loi/",
        cooperative_import_fix_list,
        name="cooperative_import_fix_list",
    ),
    path("xuat/", cooperative_export, name="cooperative_export"),
]
