"""Pages of the annual reports: the reporting desk, a report (form, view, workflow actions),
reminders, the national-system forms, and the reports tab of the cooperative page.

Thin: parse input, check access (hoptac.accounts.access through the selectors and services),
call a selector or service, render. Out-of-scope HTX and reports answer 404; "may see but not
change" answers 403.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hoptac.accounts import access
from hoptac.core.http import safe_next
from hoptac.registry import selectors as registry_selectors
from hoptac.registry.models import Cooperative
from hoptac.reports import forms, letters, national, selectors, services
from hoptac.reports import jobs as report_jobs
from hoptac.reports.models import AnnualReport

PAGE_SIZE = 50
TAB_YEARS = 6


def _partial(request: HttpRequest, template: str, name: str) -> str:
    """The template, or only its partial `name` for an HTMX (not boosted) request."""
    htmx = getattr(request, "htmx", None)
    return f"{template}#{name}" if htmx and not htmx.boosted else template


def _cooperative(request: HttpRequest, pk: int) -> Cooperative:
    return registry_selectors.cooperative_get_for_user(user=request.user, pk=pk)


# --- the desk -----------------------------------------------------------------------------


def desk(request: HttpRequest) -> HttpResponse:
    form = forms.DeskForm(request.GET or None, user=request.user)
    area, year = form.chosen()
    result = selectors.desk(user=request.user, area=area, year=year)
    show = request.GET.get("show", "")
    page = Paginator(result.filtered(show), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "desk": result,
        "page": page,
        "show": show,
        "may_remind": form.picks_area,
    }
    return render(request, _partial(request, "reports/desk.html", "results"), context)


# --- one report ---------------------------------------------------------------------------


def report_for_year(request: HttpRequest, cooperative_pk: int, year: int) -> HttpResponse:
    """The report of an HTX for a year: its current version, or the form that starts it."""
    cooperative = _cooperative(request, cooperative_pk)
    report = selectors.report_current(cooperative=cooperative, year=year)
    if report is not None:
        return redirect(report)
    if not access.may_change_cooperative(request.user, cooperative):
        raise PermissionDenied
    form = forms.ReportForm(request.POST or None, instance=AnnualReport(year=year))
    if request.method == "POST" and form.is_valid():
        try:
            report = services.report_create(
                cooperative=cooperative, year=year, by=request.user, **form.values()
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("The report was saved as a draft."))
            return redirect(report)
    context = {"form": form, "cooperative": cooperative, "year": year, "report": None}
    return render(request, "reports/report_form.html", context)


def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_get_for_user(user=request.user, pk=pk)
    context = {
        "report": report,
        "cooperative": report.cooperative,
        "may": selectors.report_permissions(user=request.user, report=report),
        "versions": selectors.report_year_versions(report=report),
        "history": selectors.report_history(report=report),
        "return_form": forms.ReturnForm(),
        "groups": _value_groups(report),
        "missing": report.missing_fields(),
    }
    return render(request, "reports/report_detail.html", context)


def _value_groups(report: AnnualReport) -> list[tuple[Any, list[tuple[str, Any, bool]]]]:
    form = forms.ReportForm(instance=report)
    return [
        (label, [(f.label, getattr(report, f.name), f.name in form.required_fields()) for f in fs])
        for label, fs in form.groups()
    ]


def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_get_for_user(user=request.user, pk=pk)
    if not selectors.report_permissions(user=request.user, report=report).edit:
        raise PermissionDenied
    form = forms.ReportForm(request.POST or None, instance=report)
    if request.method == "POST" and request.POST.get("check"):  # HTMX: check as one types
        form.is_valid()
        return render(request, "reports/report_form.html#checks", {"form": form})
    if request.method == "POST" and form.is_valid():
        try:
            services.report_update(
                report=report,
                by=request.user,
                revision=form.cleaned_data.get("revision") or 0,
                **form.values(),
            )
        except services.ReportConflictError as error:
            form.add_error(None, error.messages[0])
            form.rebase(error.revision)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("The report was saved."))
            return redirect(report)
    context = {"form": form, "cooperative": report.cooperative, "year": report.year}
    return render(request, "reports/report_form.html", {**context, "report": report})


def _act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Run a workflow service on the report and go back to its page."""
    report = selectors.report_get_for_user(user=request.user, pk=pk)
    done = {
        "submit": _("The report was submitted."),
        "approve": _("The report was approved."),
        "return": _("The report was returned to the cooperative."),
        "correct": _("A new version was started from the approved report."),
    }
    try:
        report = _run(action, report, request)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, done[action])
    return redirect(report)


def _run(action: str, report: AnnualReport, request: HttpRequest) -> AnnualReport:
    user = request.user
    revision = _int(request.POST.get("revision"))
    if action == "submit":
        return services.report_submit(report=report, by=user, revision=revision)
    if action == "approve":
        return services.report_approve(report=report, by=user, revision=revision)
    if action == "return":
        comment = request.POST.get("comment", "")
        return services.report_return(report=report, by=user, comment=comment, revision=revision)
    return services.report_correct(report=report, by=user)


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


@require_POST
def report_submit(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "submit")


@require_POST
def report_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "approve")


@require_POST
def report_return(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "return")


@require_POST
def report_correct(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "correct")


# --- national-system forms ----------------------------------------------------------------


def _approved(request: HttpRequest, pk: int) -> AnnualReport:
    report = selectors.report_get_for_user(user=request.user, pk=pk)
    if report.status != "approved":
        raise Http404
    return report


def national_forms_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    report = _approved(request, pk)
    response = HttpResponse(
        national.national_forms_xlsx(report), content_type=national.XLSX_CONTENT_TYPE
    )
    name = f"mau-VII-{report.cooperative.tax_code or report.cooperative.pk}-{report.year}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def national_forms_docx(request: HttpRequest, pk: int) -> HttpResponse:
    report = _approved(request, pk)
    response = HttpResponse(
        national.national_forms_docx(report, user=request.user),
        content_type=national.DOCX_CONTENT_TYPE,
    )
    name = f"mau-VII-{report.cooperative.tax_code or report.cooperative.pk}-{report.year}.docx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- reminders ----------------------------------------------------------------------------


def _reviewed(request: HttpRequest, cooperative_pk: int) -> Cooperative:
    cooperative = _cooperative(request, cooperative_pk)
    if not access.may_review_cooperative(request.user, cooperative):
        raise PermissionDenied
    return cooperative


@require_POST
def reminder_email(request: HttpRequest, cooperative_pk: int, year: int) -> HttpResponse:
    cooperative = _reviewed(request, cooperative_pk)
    try:
        services.reminder_send_email(
            cooperative=cooperative,
            year=year,
            by=request.user,
            deadline=selectors.deadline_for(year),
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request, _("A reminder was e-mailed to %(email)s.") % {"email": cooperative.email}
        )
    return redirect(safe_next(request, "reports:desk"))


@require_POST
def reminder_email_late(request: HttpRequest) -> HttpResponse:
    """E-mail every HTX of the desk's area that has not reported for the year (and has an
    address); officers and admins only. A background job sends them (reports.jobs)."""
    form = forms.DeskForm(request.POST, user=request.user)
    if not form.picks_area:
        raise PermissionDenied
    area, year = form.chosen()
    result = selectors.desk(user=request.user, area=area, year=year)
    ids = [r.cooperative_id for r in result.rows if not r.reported and r.email]
    if not ids:
        messages.info(request, _("Reminders e-mailed: %(count)s.") % {"count": 0})
        return redirect(safe_next(request, "reports:desk"))
    report_jobs.reminders_start(
        by=request.user,
        cooperative_ids=ids,
        year=year,
        deadline=result.deadline,
    )
    messages.success(
        request,
        _("Reminders to %(count)s cooperatives are being e-mailed; see “My jobs” for how far.")
        % {"count": len(ids)},
    )
    return redirect(safe_next(request, "reports:desk"))


def reminder_letter(request: HttpRequest, cooperative_pk: int, year: int) -> HttpResponse:
    """The printable reminder letter (GET shows it); a POST records that it was printed, then
    shows it (redirect-after-POST), so that a link, a prefetch or a crawler records nothing."""
    cooperative = _reviewed(request, cooperative_pk)
    deadline = selectors.deadline_for(year)
    subject, body = services.reminder_text(cooperative=cooperative, year=year, deadline=deadline)
    if request.method == "POST":
        services.reminder_record_letter(cooperative=cooperative, year=year, by=request.user)
        return redirect("reports:reminder_letter", cooperative.pk, year)
    today = timezone.localdate()
    frame = letters.reminder_frame(cooperative=cooperative, year=year, user=request.user, on=today)
    fmt = request.GET.get("format", "")
    if fmt in ("docx", "pdf"):
        data = (
            letters.letter_docx(frame, body)
            if fmt == "docx"
            else letters.letter_pdf(frame, body, subject)
        )
        response = HttpResponse(
            data, content_type=letters.DOCX_CONTENT_TYPE if fmt == "docx" else "application/pdf"
        )
        name = f"nhac-bao-cao-{year}-{cooperative.pk}.{fmt}"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    context = {"cooperative": cooperative, "year": year, "subject": subject, "body": body}
    context |= {"today": today, "frame": frame}
    return render(request, "reports/reminder_letter.html", context)


# --- the tab on the cooperative page ------------------------------------------------------


def tab_context(request: HttpRequest, cooperative: Cooperative) -> dict[str, Any]:
    """The reports tab: every version of every year, and the years still without a report."""
    versions = list(selectors.report_versions(cooperative=cooperative))
    reported = {r.year for r in versions}
    this_year = timezone.localdate().year
    start = cooperative.start_date.year if cooperative.start_date else this_year - TAB_YEARS
    first = max(start, this_year - TAB_YEARS)
    return {
        "report_versions": versions,
        "missing_years": [y for y in range(this_year, first - 1, -1) if y not in reported],
        "may_report": access.may_change_cooperative(request.user, cooperative),
    }
