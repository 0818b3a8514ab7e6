"""Pages of the cooperative registry: list, detail, create, edit, status change, delete, and
the member roster.

Thin: parse input, check access (hoptac.accounts.access), call a selector or service, render.
Out-of-scope organisations answer 404; "may see but not change" answers 403.
"""

from __future__ import annotations

from copy import copy
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from hoptac.accounts import access
from hoptac.core import paging, params
from hoptac.registry import forms, selectors, services
from hoptac.registry.tabs import registered_tabs

PAGE_SIZE = 50
SEARCH_ESTIMATE_FACTOR = 2  # a search's estimate is trusted above twice the exact limit
QUICK_SEARCH_MAX_LENGTH = 200  # as the list's search field (forms.CooperativeFilterForm.q)
OWN_TABS = ("profile", "members", "history")
PLANNED_TABS = ("reports", "ratings", "support", "products", "links")  # until an app provides them


def _partial(request: HttpRequest, template: str, name: str) -> str:
    """The template, or only its partial `name` for an HTMX (not boosted) request."""
    htmx = getattr(request, "htmx", None)
    return f"{template}#{name}" if htmx and not htmx.boosted else template


def cooperative_list(request: HttpRequest) -> HttpResponse:
    form = forms.CooperativeFilterForm(request.GET or None, user=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    cooperatives = selectors.cooperative_list_page(user=request.user, filters=filters)
    # A search takes the planner's estimate when it is far above the exact limit, without
    # the bounded count (bench/README.md, "Search"); other filters count from an index.
    above = SEARCH_ESTIMATE_FACTOR * paging.exact_count_limit() if filters.get("q") else None
    paginator = paging.EstimatingPaginator(cooperatives, PAGE_SIZE, estimate_above=above)
    page = paginator.get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "may_create": access.may_create_placed(request.user),
    }
    template = _partial(request, "registry/cooperative_list.html", "results")
    return render(request, template, context)


def cooperative_quick_search(request: HttpRequest) -> HttpResponse:
    """The header's quick search: the first matches of ?q= within the user's scope, as the
    combobox's list (an HTMX request) or as a page. Officers and administrators only."""
    if not access.may_create_placed(request.user):  # HTX managers have their own HTX only
        raise PermissionDenied
    query = params.query_text(request, "q", QUICK_SEARCH_MAX_LENGTH)
    found = selectors.cooperative_quick_search(user=request.user, query=query)
    limit = selectors.QUICK_SEARCH_LIMIT
    context = {
        "query": query,
        "matches": found[:limit],
        "more": len(found) > limit,
        "too_short": len(query.strip()) < selectors.QUICK_SEARCH_MIN_CHARS,
    }
    return render(request, _partial(request, "registry/quick_search.html", "matches"), context)


def cooperative_detail(request: HttpRequest, pk: int) -> HttpResponse:
    cooperative = selectors.cooperative_get_for_user(user=request.user, pk=pk)
    provided = {t.name: t for t in registered_tabs()}
    tabs = [*OWN_TABS, *provided, *(name for name in PLANNED_TABS if name not in provided)]
    tab = request.GET.get("tab") if request.GET.get("tab") in tabs else "profile"
    context: dict[str, Any] = {
        "cooperative": cooperative,
        "tab": tab,
        "tabs": tabs,
        "tab_labels": {name: t.label for name, t in provided.items()},
        "provided_tab": provided.get(tab),
        "may_change": selectors.cooperative_may_change(user=request.user, cooperative=cooperative),
        "may_change_status": selectors.cooperative_may_change_status(
            user=request.user, cooperative=cooperative
        ),
    }
    if tab == "profile":
        context["statuses"] = selectors.cooperative_status_history(cooperative=cooperative)
    elif tab == "history":
        context["changes"] = selectors.cooperative_changes(cooperative=cooperative)
    elif tab == "members":
        members = selectors.cooperative_members(cooperative=cooperative)
        context["members"] = Paginator(members, PAGE_SIZE).get_page(request.GET.get("page"))
    elif tab in provided:
        context.update(provided[tab].context(request, cooperative))
    return render(request, _partial(request, "registry/cooperative_detail.html", "tab"), context)


def cooperative_create(request: HttpRequest) -> HttpResponse:
    if not access.may_create_placed(request.user):
        raise PermissionDenied
    form = forms.CooperativeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            cooperative = services.cooperative_create(by=request.user, **form.service_kwargs())
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("The cooperative was recorded."))
            return redirect(cooperative)
    return render(request, "registry/cooperative_form.html", {"form": form})


def cooperative_edit(request: HttpRequest, pk: int) -> HttpResponse:
    cooperative = selectors.cooperative_get_for_user(user=request.user, pk=pk)
    if not selectors.cooperative_may_change(user=request.user, cooperative=cooperative):
        raise PermissionDenied
    officer = selectors.cooperative_may_change_status(user=request.user, cooperative=cooperative)
    form_class = forms.CooperativeForm if officer else forms.CooperativeManagerForm
    # A copy: validating the form changes its instance, the page shows the stored one.
    form = form_class(request.POST or None, instance=copy(cooperative), user=request.user)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.cooperative_update(
                cooperative=cooperative, by=request.user, **form.service_kwargs()
            )
        except services.EditConflictError as error:
            conflict = error.changes
            form.add_error(None, error.messages[0])
            form.rebase(error.version)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect(cooperative)
    context = {"form": form, "cooperative": cooperative, "conflict": conflict}
    return render(request, "registry/cooperative_form.html", context)


def cooperative_status(request: HttpRequest, pk: int) -> HttpResponse:
    cooperative = selectors.cooperative_get_for_user(user=request.user, pk=pk)
    if not selectors.cooperative_may_change_status(user=request.user, cooperative=cooperative):
        raise PermissionDenied
    form = forms.StatusChangeForm(request.POST or None, current=cooperative.status)
    if request.method == "POST" and form.is_valid():
        try:
            services.cooperative_change_status(
                cooperative=cooperative, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("The new status was recorded."))
            return redirect(cooperative)
    statuses = selectors.cooperative_status_history(cooperative=cooperative)
    context = {"form": form, "cooperative": cooperative, "statuses": statuses}
    return render(request, "registry/cooperative_status.html", context)


def cooperative_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete an organisation recorded by mistake (the registration authority only); one with
    data is refused with the reasons, and leaves the registry through its status instead."""
    cooperative = selectors.cooperative_get_for_user(user=request.user, pk=pk)
    if not selectors.cooperative_may_change_status(user=request.user, cooperative=cooperative):
        raise PermissionDenied
    if request.method == "POST":
        try:
            services.cooperative_delete(cooperative=cooperative, by=request.user)
        except ValidationError:
            pass  # the page lists the reasons
        else:
            messages.success(request, _("The cooperative was deleted."))
            return redirect("registry:cooperative_list")
    blockers = services.cooperative_delete_blockers(cooperative=cooperative)
    context = {"cooperative": cooperative, "blockers": blockers}
    return render(request, "registry/cooperative_delete.html", context)


def _member_form(
    request: HttpRequest, cooperative: Any, member: Any = None
) -> tuple[forms.MemberForm, HttpResponse | None]:
    """The roster's form; after a valid POST, the member saved and the redirect to the tab."""
    if not selectors.cooperative_may_change(user=request.user, cooperative=cooperative):
        raise PermissionDenied
    form = forms.MemberForm(request.POST or None, instance=copy(member) if member else None)
    if request.method == "POST" and form.is_valid():
        try:
            if member is None:
                services.member_add(cooperative=cooperative, by=request.user, **form.cleaned_data)
            else:
                services.member_update(member=member, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("The member was saved."))
            return form, redirect(f"{cooperative.get_absolute_url()}?tab=members")
    return form, None


def member_create(request: HttpRequest, pk: int) -> HttpResponse:
    cooperative = selectors.cooperative_get_for_user(user=request.user, pk=pk)
    form, done = _member_form(request, cooperative)
    context = {"form": form, "cooperative": cooperative}
    return done or render(request, "registry/member_form.html", context)


def member_edit(request: HttpRequest, cooperative_pk: int, pk: int) -> HttpResponse:
    cooperative = selectors.cooperative_get_for_user(user=request.user, pk=cooperative_pk)
    member = selectors.cooperative_member_get(cooperative=cooperative, pk=pk)
    form, done = _member_form(request, cooperative, member)
    context = {"form": form, "cooperative": cooperative, "member": member}
    return done or render(request, "registry/member_form.html", context)
