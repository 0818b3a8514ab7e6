"""Pages of the administrative units, and the area picker's HTMX endpoints."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from hoptac.accounts.access import scope_of
from hoptac.areas.models import AdminUnit


def unit_list(request: HttpRequest) -> HttpResponse:
    units = scope_of(request.user).units(AdminUnit.objects.filter(level=1))
    return render(request, "areas/unit_list.html", {"units": units})
