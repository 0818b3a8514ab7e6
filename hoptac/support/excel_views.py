"""Pages of the support lists' spreadsheets: import, export of the list as filtered, and the
blank templates.

An import is the pipeline's (support.importing on hoptac.core.tabular): the uploaded file is
kept in the database, and its check and import run as background jobs (hoptac.jobs.imports),
as the registry's and the reports' do. Upload → the check starts → the page shows the job's
bar until it ends, then every row with its errors → import (every row, nothing while any row
has an error) or import the valid rows and download the others (the fix-list).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hoptac.accounts import access, audit
from hoptac.core.models import StoredUpload
from hoptac.core.tabular import stored
from hoptac.core.tabular.writing import xlsx_response
from hoptac.jobs import import_pages
from hoptac.support import excel, forms, importing, selectors
from hoptac.support.models import Course
from hoptac.support.training_views import _course_for_change
from hoptac.support.views import cleaned_filters


def _stamp() -> str:
    return f"{timezone.localdate():%Y-%m-%d}"


def _upload_page(
    request: HttpRequest,
    *,
    kind: str,
    options: dict[str, Any],
    detail: str,
    args: list[Any],
    title: str,
    back_url: str,
    template_url: str,
) -> HttpResponse:
    """The upload page of one list: the file is kept and its check started as a job; then
    the list's import page (`detail`, with `args` and the upload's id) shows it."""
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    started = import_pages.upload_started(
        request,
        form,
        kind=kind,
        options=options,
        detail=lambda upload: reverse(detail, args=[*args, upload.id.hex]),
    )
    if started is not None:
        return started
    context = {
        "form": form,
        "title": title,
        "back_url": back_url,
        "template_url": template_url,
    }
    return render(request, "support/import.html", context)


def _import_page(
    request: HttpRequest,
    upload: StoredUpload,
    *,
    here: str,
    title: str,
    back_url: str,
    fix_list_url: str,
) -> HttpResponse:
    """The import page of one stored list: its job's bar while it runs; then every row with
    its errors, and the buttons to check again, import, or import the valid rows."""
    posted = import_pages.import_posted(request, upload, here=here)
    if posted is not None:
        return posted
    context = {
        **import_pages.import_context(upload),
        "title": title,
        "back_url": back_url,
        "fix_list_url": fix_list_url,
    }
    return render(request, "support/import_detail.html", context)


def _fix_list(upload: StoredUpload) -> FileResponse:
    return import_pages.fix_list_response(upload)


# --- support given ----------------------------------------------------------------------------


def _require_grant_importer(request: HttpRequest) -> None:
    if not access.may_create_placed(request.user):
        raise PermissionDenied


def _grant_upload(request: HttpRequest, import_id: str) -> StoredUpload:
    _require_grant_importer(request)
    return stored.upload_get(user=request.user, upload_id=import_id, kind=importing.GRANTS)


def grant_import(request: HttpRequest) -> HttpResponse:
    _require_grant_importer(request)
    return _upload_page(
        request,
        kind=importing.GRANTS,
        options={},
        detail="support:grant_import_detail",
        args=[],
        title=_("Import support given"),
        back_url=reverse("support:grant_list"),
        template_url=reverse("support:grant_template"),
    )


def grant_import_detail(request: HttpRequest, import_id: str) -> HttpResponse:
    upload = _grant_upload(request, import_id)
    return _import_page(
        request,
        upload,
        here=reverse("support:grant_import_detail", args=[import_id]),
        title=_("Import support given"),
        back_url=reverse("support:grant_list"),
        fix_list_url=reverse("support:grant_import_fix_list", args=[import_id]),
    )


def grant_import_fix_list(request: HttpRequest, import_id: str) -> FileResponse:
    return _fix_list(_grant_upload(request, import_id))


def grant_template(request: HttpRequest) -> FileResponse:
    name = f"{_('support-given-template')}.xlsx"
    return xlsx_response([], columns=excel.GRANT_COLUMNS, filename=name, sheet=_("Support"))


def grant_export(request: HttpRequest) -> FileResponse:
    form = forms.GrantFilterForm(request.GET or None, user=request.user)
    grants = selectors.grant_list(user=request.user, filters=cleaned_filters(form)).select_related(
        "cooperative__commune_legacy", "cooperative__commune"
    )
    rows = audit.export_rows(
        request, (excel.grant_row(g) for g in grants.iterator(chunk_size=2000))
    )
    return xlsx_response(
        rows,
        columns=excel.GRANT_COLUMNS + excel.GRANT_EXPORT_EXTRA,
        filename=f"{_('support-given')}-{_stamp()}.xlsx",
        sheet=_("Support"),
    )


def budget_export(request: HttpRequest) -> FileResponse:
    form = forms.BudgetFilterForm(request.GET or None)
    budgets = selectors.budget_list(user=request.user, filters=cleaned_filters(form))
    return xlsx_response(
        audit.export_rows(request, (excel.budget_row(b) for b in budgets)),
        columns=excel.BUDGET_COLUMNS,
        filename=f"{_('policy-budgets')}-{_stamp()}.xlsx",
        sheet=_("Budgets"),
    )


# --- participants of a course -----------------------------------------------------------------


def _participant_upload(request: HttpRequest, pk: int, import_id: str) -> tuple[Course, Any]:
    """The user's own stored list of the participants of a course he may change; 404 for
    anyone else's list, whatever the course."""
    upload = stored.upload_get(user=request.user, upload_id=import_id, kind=importing.PARTICIPANTS)
    if (upload.meta.get("options") or {}).get("course") != pk:
        raise Http404
    return _course_for_change(request, pk), upload


def participant_import(request: HttpRequest, pk: int) -> HttpResponse:
    course = _course_for_change(request, pk)
    return _upload_page(
        request,
        kind=importing.PARTICIPANTS,
        options={"course": course.pk},
        detail="support:participant_import_detail",
        args=[course.pk],
        title=_("Import participants: %(course)s") % {"course": course.title},
        back_url=course.get_absolute_url(),
        template_url=reverse("support:participant_template"),
    )


def participant_import_detail(request: HttpRequest, pk: int, import_id: str) -> HttpResponse:
    course, upload = _participant_upload(request, pk, import_id)
    return _import_page(
        request,
        upload,
        here=reverse("support:participant_import_detail", args=[course.pk, import_id]),
        title=_("Import participants: %(course)s") % {"course": course.title},
        back_url=course.get_absolute_url(),
        fix_list_url=reverse("support:participant_import_fix_list", args=[course.pk, import_id]),
    )


def participant_import_fix_list(request: HttpRequest, pk: int, import_id: str) -> FileResponse:
    return _fix_list(_participant_upload(request, pk, import_id)[1])


def participant_template(request: HttpRequest) -> FileResponse:
    name = f"{_('participants-template')}.xlsx"
    return xlsx_response(
        [], columns=excel.PARTICIPANT_COLUMNS, filename=name, sheet=_("Participants")
    )


def participant_export(request: HttpRequest, pk: int) -> FileResponse:
    course = selectors.course_get_for_user(user=request.user, pk=pk)
    participants = selectors.course_participants(course=course, user=request.user)
    return xlsx_response(
        audit.export_rows(request, (excel.participant_row(p) for p in participants)),
        columns=excel.PARTICIPANT_COLUMNS,
        filename=f"{_('participants')}-{course.pk}-{_stamp()}.xlsx",
        sheet=_("Participants"),
    )
