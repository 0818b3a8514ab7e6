"""Pages of plans and targets: list, detail with progress, create, edit, delete, document.

Thin: parse input, check access (selectors → 404 outside the user's scope; 403 when he may
see but not change), call a selector or service, render.
"""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from hoptac.accounts import access
from hoptac.indicators.sources import Frame
from hoptac.plans import forms, selectors, services
from hoptac.plans.models import Plan

PAGE_SIZE = 50


def plan_list(request: HttpRequest) -> HttpResponse:
    plans = selectors.plan_list(user=request.user)
    page = Paginator(plans, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "may_create": access.may_create_placed(request.user)}
    return render(request, "plans/plan_list.html", context)


def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get_for_user(user=request.user, pk=pk)
    default = min(timezone.localdate(), date(plan.end_year, 12, 31))  # not after the period
    form = forms.AsOfForm(request.GET or None, initial={"date": default})
    frame = Frame(area=plan.area, on=form.as_of(default))
    targets = list(plan.targets.prefetch_related("milestones"))
    context = {
        "plan": plan,
        "form": form,
        "frame": frame,
        "progress": selectors.progress(frame=frame, targets=targets),
        "may_change": selectors.plan_may_change(user=request.user, plan=plan),
    }
    return render(request, "plans/plan_detail.html", context)


def plan_create(request: HttpRequest) -> HttpResponse:
    if not access.may_create_placed(request.user):
        raise PermissionDenied
    form = forms.PlanForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_create(by=request.user, **form.service_kwargs())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The plan was recorded."))
            return redirect(plan)
    return render(request, "plans/plan_form.html", {"form": form})


def _changeable(request: HttpRequest, pk: int) -> Plan:
    plan = selectors.plan_get_for_user(user=request.user, pk=pk)
    if not selectors.plan_may_change(user=request.user, plan=plan):
        raise PermissionDenied
    return plan


def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _changeable(request, pk)
    form = forms.PlanForm(
        request.POST or None, request.FILES or None, instance=plan, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_update(plan=plan, by=request.user, **form.service_kwargs())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect(plan)
    return render(request, "plans/plan_form.html", {"form": form, "plan": plan})


def plan_delete(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _changeable(request, pk)
    if request.method == "POST":
        services.plan_delete(plan=plan, by=request.user)
        messages.success(request, _("The plan was deleted."))
        return redirect("plans:plan_list")
    return render(request, "plans/confirm_delete.html", {"object": plan, "back": plan})


def plan_document(request: HttpRequest, pk: int) -> FileResponse:
    plan = selectors.plan_get_for_user(user=request.user, pk=pk)
    if not plan.document:
        raise Http404
    name = plan.document.name.rsplit("/", 1)[-1]
    return FileResponse(plan.document.open("rb"), as_attachment=True, filename=name)


def target_create(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _changeable(request, pk)
    form = forms.TargetForm(request.POST or None)
    milestones = forms.MilestoneFormSet(request.POST or None, prefix="milestones")
    if request.method == "POST" and form.is_valid() and milestones.is_valid():
        try:
            services.target_create(
                plan=plan,
                by=request.user,
                milestones=forms.milestones_of(milestones),
                **form.service_kwargs(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The target was added."))
            return redirect(plan)
    context = {"form": form, "milestones": milestones, "plan": plan}
    return render(request, "plans/target_form.html", context)


def target_edit(request: HttpRequest, pk: int) -> HttpResponse:
    target = selectors.target_get_for_user(user=request.user, pk=pk)
    plan = _changeable(request, target.plan_id)
    form = forms.TargetForm(request.POST or None, instance=target)
    milestones = forms.MilestoneFormSet(request.POST or None, instance=target, prefix="milestones")
    if request.method == "POST" and form.is_valid() and milestones.is_valid():
        try:
            services.target_update(
                target=target,
                by=request.user,
                milestones=forms.milestones_of(milestones),
                **form.service_kwargs(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect(plan)
    context = {"form": form, "milestones": milestones, "plan": plan, "target": target}
    return render(request, "plans/target_form.html", context)


def target_delete(request: HttpRequest, pk: int) -> HttpResponse:
    target = selectors.target_get_for_user(user=request.user, pk=pk)
    plan = _changeable(request, target.plan_id)
    if request.method == "POST":
        services.target_delete(target=target, by=request.user)
        messages.success(request, _("The target was removed."))
        return redirect(plan)
    return render(request, "plans/confirm_delete.html", {"object": target, "back": plan})
