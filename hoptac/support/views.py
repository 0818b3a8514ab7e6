"""Pages of the support programmes: overview (share of HTX reached), policies, budgets, support
given, totals, and the HTX page's "Support" tab.

Thin: parse input, check access (hoptac.accounts.access through the selectors), call a selector
or service, render. Out-of-scope objects answer 404; "may see but not change" answers 403.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Max
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from hoptac.accounts import access
from hoptac.registry import selectors as registry_selectors
from hoptac.support import forms, selectors, services
from hoptac.support.messages import criterion_label
from hoptac.support.models import GrantAttachment, PolicyBudget

PAGE_SIZE = 50


def partial_template(request: HttpRequest, template: str, name: str) -> str:
    """The template, or only its partial `name` for an HTMX (not boosted) request."""
    htmx = getattr(request, "htmx", None)
    return f"{template}#{name}" if htmx and not htmx.boosted else template


def cleaned_filters(form: Any) -> dict[str, Any]:
    return (
        {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
        if form.is_valid()
        else {}
    )


def require_officer(request: HttpRequest) -> None:
    if not access.may_create_placed(request.user):
        raise PermissionDenied


# --- overview ---------------------------------------------------------------------------------


def overview(request: HttpRequest) -> HttpResponse:
    """The share of HTX reached by policies in an area and year, and the year's totals."""
    form = forms.ReachForm(request.GET or None, user=request.user)
    filters = cleaned_filters(form)
    area = filters.get("area") or access.scope_of(request.user).area
    last = selectors.grant_list(user=request.user).aggregate(last=Max("granted_on"))["last"]
    year = filters.get("year") or (last or timezone.localdate()).year
    reach = None
    if area is not None:
        reach = selectors.reached_by_policies(area, date(year, 1, 1), date(year, 12, 31))
    totals = selectors.grant_totals(
        user=request.user, by="kind", filters={"year": year, "area": area}
    )
    context = {"form": form, "area": area, "year": year, "reach": reach, "totals": totals}
    context["open_cases"] = selectors.open_case_counts(user=request.user)
    return render(request, "support/overview.html", context)


# --- policies ---------------------------------------------------------------------------------


def policy_list(request: HttpRequest) -> HttpResponse:
    form = forms.PolicyFilterForm(request.GET or None)
    policies = selectors.policy_list(user=request.user, filters=cleaned_filters(form))
    page = Paginator(policies, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "may_create": access.may_create_placed(request.user)}
    return render(
        request, partial_template(request, "support/policy_list.html", "results"), context
    )


def policy_detail(request: HttpRequest, pk: int) -> HttpResponse:
    policy = selectors.policy_get_for_user(user=request.user, pk=pk)
    budgets = selectors.budget_list(user=request.user, filters={"policy": policy})
    grants = selectors.grant_list(user=request.user, filters={"policy": policy})
    context = {
        "policy": policy,
        "criteria": [(code, criterion_label(code)) for code in policy.criteria],
        "budgets": budgets,
        "grants": grants[:PAGE_SIZE],
        "grant_count": grants.count(),
        "may_change": selectors.policy_may_change(user=request.user, policy=policy),
    }
    return render(request, "support/policy_detail.html", context)


def policy_create(request: HttpRequest) -> HttpResponse:
    require_officer(request)
    form = forms.PolicyForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            policy = services.policy_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("The policy was recorded."))
            return redirect(policy)
    return form_page(request, form, _("Add a local policy"), "support:policy_list")


def policy_edit(request: HttpRequest, pk: int) -> HttpResponse:
    policy = selectors.policy_get_for_user(user=request.user, pk=pk)
    if not selectors.policy_may_change(user=request.user, policy=policy):
        raise PermissionDenied
    form = forms.PolicyForm(request.POST or None, instance=policy, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.policy_update(policy=policy, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect(policy)
    return form_page(request, form, policy.name, policy.get_absolute_url())


def form_page(request: HttpRequest, form: Any, title: str, back: str, **extra: Any) -> HttpResponse:
    back_url = back if back.startswith("/") else _reverse(back)
    context = {"form": form, "title": title, "back_url": back_url, **extra}
    return render(request, "support/form.html", context)


def _reverse(name: str) -> str:
    from django.urls import reverse

    return reverse(name)


# --- budgets ----------------------------------------------------------------------------------


def budget_list(request: HttpRequest) -> HttpResponse:
    form = forms.BudgetFilterForm(request.GET or None)
    budgets = selectors.budget_list(user=request.user, filters=cleaned_filters(form))
    page = Paginator(budgets, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "may_create": access.may_create_placed(request.user)}
    return render(
        request, partial_template(request, "support/budget_list.html", "results"), context
    )


def _budget_for_change(request: HttpRequest, pk: int) -> PolicyBudget:
    budget = get_object_or_404(selectors.budget_list(user=request.user), pk=pk)
    if not access.may_change(request.user, budget.area):
        raise PermissionDenied
    return budget


def budget_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    require_officer(request)
    budget = _budget_for_change(request, pk) if pk else None
    form = forms.BudgetForm(request.POST or None, instance=budget, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.budget_save(by=request.user, budget=budget, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("The budget was saved."))
            return redirect("support:budget_list")
    title = _("Edit a budget") if budget else _("Add a budget")
    return form_page(request, form, title, "support:budget_list")


def budget_delete(request: HttpRequest, pk: int) -> HttpResponse:
    budget = _budget_for_change(request, pk)
    if request.method == "POST":
        services.budget_delete(budget=budget, by=request.user)
        messages.success(request, _("The budget was deleted."))
        return redirect("support:budget_list")
    context = {"object": budget, "back_url": _reverse("support:budget_list")}
    return render(request, "support/confirm_delete.html", context)


# --- support given ----------------------------------------------------------------------------


def grant_list(request: HttpRequest) -> HttpResponse:
    form = forms.GrantFilterForm(request.GET or None, user=request.user)
    grants = selectors.grant_list(user=request.user, filters=cleaned_filters(form))
    page = Paginator(grants, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "may_import": access.may_create_placed(request.user)}
    return render(request, partial_template(request, "support/grant_list.html", "results"), context)


def grant_detail(request: HttpRequest, pk: int) -> HttpResponse:
    grant = selectors.grant_get_for_user(user=request.user, pk=pk)
    may_change = selectors.grant_may_record(user=request.user, cooperative=grant.cooperative)
    criteria = [
        {**item, "label": criterion_label(item["code"])}
        for item in grant.eligibility_detail.get("criteria", [])
    ]
    context = {"grant": grant, "may_change": may_change, "criteria": criteria}
    context["history"] = grant.history.select_related("history_user").order_by("-history_date")[:20]
    return render(request, "support/grant_detail.html", context)


def grant_create(request: HttpRequest, cooperative_pk: int) -> HttpResponse:
    cooperative = registry_selectors.cooperative_get_for_user(user=request.user, pk=cooperative_pk)
    if not selectors.grant_may_record(user=request.user, cooperative=cooperative):
        raise PermissionDenied
    form = forms.GrantForm(request.POST or None, request.FILES or None, cooperative=cooperative)
    return _grant_form(request, form, cooperative, grant=None)


def grant_edit(request: HttpRequest, pk: int) -> HttpResponse:
    grant = selectors.grant_get_for_user(user=request.user, pk=pk)
    if not selectors.grant_may_record(user=request.user, cooperative=grant.cooperative):
        raise PermissionDenied
    form = forms.GrantForm(
        request.POST or None, request.FILES or None, instance=grant, cooperative=grant.cooperative
    )
    return _grant_form(request, form, grant.cooperative, grant=grant)


def _grant_form(request: HttpRequest, form: Any, cooperative: Any, grant: Any) -> HttpResponse:
    warning = None
    if request.method == "POST" and form.is_valid():
        try:
            if grant is None:
                grant = services.grant_record(
                    by=request.user, cooperative=cooperative, **form.service_kwargs()
                )
            else:
                services.grant_update(grant=grant, by=request.user, **form.service_kwargs())
        except services.EligibilityError as error:
            warning = error.result
            form.add_service_error(error)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("The support was recorded."))
            return redirect(f"{cooperative.get_absolute_url()}?tab=support")
    criteria = [(c, criterion_label(c.code)) for c in warning.criteria] if warning else []
    context = {"form": form, "cooperative": cooperative, "grant": grant, "warning": criteria}
    return render(request, "support/grant_form.html", context)


def grant_delete(request: HttpRequest, pk: int) -> HttpResponse:
    grant = selectors.grant_get_for_user(user=request.user, pk=pk)
    if not selectors.grant_may_record(user=request.user, cooperative=grant.cooperative):
        raise PermissionDenied
    if request.method == "POST":
        services.grant_delete(grant=grant, by=request.user)
        messages.success(request, _("The support was deleted."))
        return redirect(f"{grant.cooperative.get_absolute_url()}?tab=support")
    back = grant.get_absolute_url()
    return render(request, "support/confirm_delete.html", {"object": grant, "back_url": back})


def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    """An attachment, only to those who may see its support (404 otherwise)."""
    attachment = get_object_or_404(GrantAttachment.objects.select_related("grant"), pk=pk)
    selectors.grant_get_for_user(user=request.user, pk=attachment.grant_id)
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name)


def totals(request: HttpRequest) -> HttpResponse:
    form = forms.TotalsForm(request.GET or None, user=request.user)
    filters = cleaned_filters(form)
    by = filters.pop("by", None) or "policy"
    rows = selectors.grant_totals(user=request.user, by=by, filters=filters)
    context = {"form": form, "rows": rows, "by": by}
    context["sum_amount"] = sum(r.amount for r in rows)
    context["sum_grants"] = sum(r.grants for r in rows)
    return render(request, partial_template(request, "support/totals.html", "results"), context)


# --- the HTX page's tab -----------------------------------------------------------------------


def support_tab_context(request: HttpRequest, cooperative: Any) -> dict[str, Any]:
    """The "Support" tab: the HTX's support history, training and remediation cases."""
    grants = list(selectors.cooperative_grants(cooperative=cooperative))
    return {
        "grants": grants,
        "grant_total": sum((g.amount or 0) for g in grants),
        "may_record": selectors.grant_may_record(user=request.user, cooperative=cooperative),
        "cases": cooperative.remediation_cases.order_by("-year"),
        "trainees": cooperative.trainees.select_related("course").order_by("-course__starts_on"),
    }
