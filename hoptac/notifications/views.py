"""The notifications page (the user's own, newest first), opening one (a POST: it marks it
read, then goes to its link), "mark all read", and the e-mail choices."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hoptac.core import paging
from hoptac.notifications import selectors, services
from hoptac.notifications.forms import PreferenceForm

PAGE_SIZE = 30


def notification_list(request: HttpRequest) -> HttpResponse:
    notifications = selectors.notification_list(user=request.user)
    page = paging.EstimatingPaginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/notification_list.html", {"page": page})


@require_POST
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    notification = services.notification_open(user=request.user, pk=pk)
    link = notification.link
    if link and url_has_allowed_host_and_scheme(
        link, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(link)
    return redirect("notifications:list")


@require_POST
def notification_mark_all_read(request: HttpRequest) -> HttpResponse:
    services.notification_mark_all_read(user=request.user)
    return redirect("notifications:list")


def preferences(request: HttpRequest) -> HttpResponse:
    initial = {"email_kinds": sorted(selectors.email_kinds(user=request.user))}
    form = PreferenceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.preference_set(user=request.user, email_kinds=form.cleaned_data["email_kinds"])
        messages.success(request, _("Your choices are saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})
