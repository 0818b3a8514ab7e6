"""The public portal. Pages of later issues say "under construction" until they are built."""

from collections.abc import Callable

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from hoptac.accounts.access import scope_of


@login_not_required
def home(request: HttpRequest) -> HttpResponse:
    """Home page: the public face, and each signed-in user's starting point."""
    return render(request, "portal/home.html", {"scope": scope_of(request.user)})


def _under_construction(title: Promise) -> Callable[[HttpRequest], HttpResponse]:
    """A public page that later issues fill; until then: its heading and "under construction"."""

    @login_not_required
    def view(request: HttpRequest) -> HttpResponse:
        return render(request, "portal/under_construction.html", {"title": title})

    return view


feedback = _under_construction(_("Feedback"))
site_map = _under_construction(_("Site map"))
contact = _under_construction(_("Contact"))
