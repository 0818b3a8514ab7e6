"""The signed-in user's home, "Việc cần làm" (/lam-viec/): where he lands after signing in."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from hoptac.portal import work


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """What the user must do now, by his role, each task linking to where it is done."""
    sections = work.home_sections(request.user)
    return render(request, "portal/work.html", {"sections": sections})
