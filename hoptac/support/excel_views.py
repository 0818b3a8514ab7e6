"""Pages of the support lists' spreadsheets: import (check, then import; nothing is written while
any row has an error), export of the list as filtered, and the blank templates."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hoptac.accounts import access, audit
from hoptac.support import excel, forms, importing, selectors, services, tabular
from hoptac.support.tabular import ImportFileError
from hoptac.support.training_views import _course_for_change
from hoptac.support.views import cleaned_filters

Check = Callable[[Path], importing.Checked]


def _stamp() -> str:
    return f"{timezone.localdate():%Y-%m-%d}"


def _run_import(
    request: HttpRequest,
    *,
    columns: tuple[tabular.Column, ...],
    check: Callable[[tabular.Table], importing.Checked],
    write: Callable[[importing.Checked], int],
    title: str,
    back_url: str,
    template_url: str,
) -> HttpResponse:
    """The import page of one list: upload and check (a preview of every row and its errors),
    then import the stored file, all rows or none."""
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    checked: importing.Checked | None = None
    token = ""
    if request.method == "POST" and form.is_valid():
        try:
            token = _stored(request, form)
            table = tabular.read_table(tabular.upload_path(user=request.user, token=token), columns)
            checked = check(table)
            if not checked.results:
                form.add_error("file", _("The file has no rows under its header."))
            elif request.POST.get("action") == "import" and checked.ok:
                count = write(checked)
                tabular.upload_discard(token)
                messages.success(request, _("%(count)s rows were imported.") % {"count": count})
                return redirect(back_url)
        except ImportFileError as error:
            form.add_error("file", error.message)
        except ValidationError as error:
            form.add_error(None, "; ".join(error.messages))
    context = {
        "form": form,
        "checked": checked,
        "token": token,
        "headers": [str(c.header) for c in columns],
        "title": title,
        "back_url": back_url,
        "template_url": template_url,
    }
    return render(request, "support/import.html", context)


def _stored(request: HttpRequest, form: Any) -> str:
    upload = form.cleaned_data.get("file")
    if upload is not None:
        return tabular.upload_store(
            user=request.user, name=upload.name, chunks=upload.chunks(), size=upload.size
        )
    token = form.cleaned_data.get("token") or ""
    if not token:
        raise ImportFileError(_("Choose a file to import."))
    tabular.upload_path(user=request.user, token=token)  # 404 unless the user's own
    return token


# --- support given ----------------------------------------------------------------------------


def grant_import(request: HttpRequest) -> HttpResponse:
    if not access.may_create_placed(request.user):
        raise PermissionDenied

    def write(checked: importing.Checked) -> int:
        return len(services.grants_import(rows=checked.ready, by=request.user))

    return _run_import(
        request,
        columns=excel.GRANT_COLUMNS,
        check=lambda table: importing.grants_check(user=request.user, table=table),
        write=write,
        title=_("Import support given"),
        back_url=reverse("support:grant_list"),
        template_url=reverse("support:grant_template"),
    )


def grant_template(request: HttpRequest) -> FileResponse:
    name = f"{_('support-given-template')}.xlsx"
    return tabular.template_response(columns=excel.GRANT_COLUMNS, filename=name, sheet=_("Support"))


def grant_export(request: HttpRequest) -> FileResponse:
    form = forms.GrantFilterForm(request.GET or None, user=request.user)
    grants = selectors.grant_list(user=request.user, filters=cleaned_filters(form)).select_related(
        "cooperative__commune_legacy", "cooperative__commune"
    )
    rows = audit.export_rows(
        request, (excel.grant_row(g) for g in grants.iterator(chunk_size=2000))
    )
    return tabular.export_response(
        rows,
        columns=excel.GRANT_COLUMNS + excel.GRANT_EXPORT_EXTRA,
        filename=f"{_('support-given')}-{_stamp()}.xlsx",
        sheet=_("Support"),
    )


def budget_export(request: HttpRequest) -> FileResponse:
    form = forms.BudgetFilterForm(request.GET or None)
    budgets = selectors.budget_list(user=request.user, filters=cleaned_filters(form))
    return tabular.export_response(
        audit.export_rows(request, (excel.budget_row(b) for b in budgets)),
        columns=excel.BUDGET_COLUMNS,
        filename=f"{_('policy-budgets')}-{_stamp()}.xlsx",
        sheet=_("Budgets"),
    )


# --- participants of a course -----------------------------------------------------------------


def participant_import(request: HttpRequest, pk: int) -> HttpResponse:
    course = _course_for_change(request, pk)

    def write(checked: importing.Checked) -> int:
        rows = services.participants_import(course=course, rows=checked.ready, by=request.user)
        return len(rows)

    return _run_import(
        request,
        columns=excel.PARTICIPANT_COLUMNS,
        check=lambda table: importing.participants_check(user=request.user, table=table),
        write=write,
        title=_("Import participants: %(course)s") % {"course": course.title},
        back_url=course.get_absolute_url(),
        template_url=reverse("support:participant_template"),
    )


def participant_template(request: HttpRequest) -> FileResponse:
    name = f"{_('participants-template')}.xlsx"
    return tabular.template_response(
        columns=excel.PARTICIPANT_COLUMNS, filename=name, sheet=_("Participants")
    )


def participant_export(request: HttpRequest, pk: int) -> FileResponse:
    course = selectors.course_get_for_user(user=request.user, pk=pk)
    participants = selectors.course_participants(course=course, user=request.user)
    return tabular.export_response(
        audit.export_rows(request, (excel.participant_row(p) for p in participants)),
        columns=excel.PARTICIPANT_COLUMNS,
        filename=f"{_('participants')}-{course.pk}-{_stamp()}.xlsx",
        sheet=_("Participants"),
    )
