"""Pages of the weak HTX: remediation cases (open per area), their actions and progress
notes, and the HTX proposed for dissolution."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from hoptac.registry import selectors as registry_selectors
from hoptac.support import forms, selectors, services
from hoptac.support.models import RemediationAction, RemediationCase
from hoptac.support.views import PAGE_SIZE, cleaned_filters, form_page, partial_template


def case_list(request: HttpRequest) -> HttpResponse:
    data = request.GET.copy() if request.GET else {"status": "open"}
    form = forms.CaseFilterForm(data, user=request.user)
    cases = selectors.case_list(user=request.user, filters=cleaned_filters(form))
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        partial_template(request, "support/case_list.html", "results"),
        {"form": form, "page": page},
    )


def case_create(request: HttpRequest, cooperative_pk: int) -> HttpResponse:
    cooperative = registry_selectors.cooperative_get_for_user(user=request.user, pk=cooperative_pk)
    if not selectors.grant_may_record(user=request.user, cooperative=cooperative):
        raise PermissionDenied
    form = forms.CaseForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.remediation_open(
                cooperative=cooperative, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("The remediation case was opened."))
            return redirect(case)
    title = _("Open a remediation case: %(name)s") % {"name": cooperative.name}
    return form_page(request, form, title, f"{cooperative.get_absolute_url()}?tab=support")


def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_get_for_user(user=request.user, pk=pk)
    context = {
        "case": case,
        "actions": case.actions.order_by("deadline", "pk"),
        "notes": case.notes.select_related("by"),
        "may_change": selectors.case_may_change(user=request.user, case=case),
        "action_form": forms.ActionForm(),
        "note_form": forms.NoteForm(initial={"written_on": timezone.localdate()}),
        "close_form": forms.CaseCloseForm(),
    }
    return render(request, "support/case_detail.html", context)


def _case_for_change(request: HttpRequest, pk: int) -> RemediationCase:
    case = selectors.case_get_for_user(user=request.user, pk=pk)
    if not selectors.case_may_change(user=request.user, case=case):
        raise PermissionDenied
    return case


def case_edit(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_for_change(request, pk)
    form = forms.CaseForm(request.POST or None, instance=case, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_update(case=case, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect(case)
    return form_page(request, form, str(case), case.get_absolute_url())


def case_close(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_for_change(request, pk)
    form = forms.CaseCloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_close(case=case, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("The case was closed."))
            return redirect(case)
    return form_page(request, form, _("Close the case"), case.get_absolute_url())


def action_edit(request: HttpRequest, pk: int, action_pk: int | None = None) -> HttpResponse:
    case = _case_for_change(request, pk)
    action = get_object_or_404(RemediationAction, pk=action_pk, case=case) if action_pk else None
    form = forms.ActionForm(request.POST or None, instance=action)
    if request.method == "POST" and form.is_valid():
        try:
            services.action_save(case=case, action=action, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("The action was saved."))
            return redirect(case)
    return form_page(request, form, _("Action"), case.get_absolute_url())


def note_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_for_change(request, pk)
    form = forms.NoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.note_add(case=case, by=request.user, **form.cleaned_data)
        messages.success(request, _("The note was added."))
        return redirect(case)
    return form_page(request, form, _("Progress note"), case.get_absolute_url())


def dissolution_list(request: HttpRequest) -> HttpResponse:
    """HTX with no report and no recorded activity for two years."""
    form = forms.DissolutionForm(request.GET or None, user=request.user)
    filters = cleaned_filters(form)
    year = filters.get("year") or timezone.localdate().year
    candidates = selectors.dissolution_candidates(
        user=request.user, year=year, area=filters.get("area")
    )
    page = Paginator(candidates, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "year": year, "page": page, "window": (year - 2, year - 1)}
    return render(request, "support/dissolution_list.html", context)
