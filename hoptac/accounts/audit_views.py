"""The administrator's page of the audit log (hoptac.accounts.audit): a filtered list."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from hoptac.accounts import access, audit, selectors
from hoptac.accounts.forms import AuditFilterForm
from hoptac.accounts.models import User
from hoptac.core import paging

PAGE_SIZE = 50


def audit_entry_list(request: HttpRequest) -> HttpResponse:
    """Administrators only (403 for others, as for creating accounts)."""
    if not access.may_read_audit_log(request.user):
        raise PermissionDenied
    form = AuditFilterForm(request.GET)
    filters = form.cleaned_data if form.is_valid() else {}
    user: User = request.user  # type: ignore[assignment]
    entries = selectors.audit_entry_list(user=user, filters=filters)
    page = paging.EstimatingPaginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    partial = "#results" if request.htmx and not request.htmx.boosted else ""  # type: ignore[attr-defined]
    context = {"form": form, "page": page, "retention_days": audit.retention_days()}
    return render(request, f"accounts/audit_entry_list.html{partial}", context)
