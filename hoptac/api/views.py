"""The API tokens page: a user lists, makes and revokes his own tokens; the administrator
those of any account (service accounts). A new token's text is shown once, on the page that
answers its creation, and never again."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hoptac.accounts import access
from hoptac.api import forms, selectors, services


def token_list(request: HttpRequest) -> HttpResponse:
    form = forms.TokenForm(request.POST or None, by=request.user)
    issued = None
    if request.method == "POST" and form.is_valid():
        owner = form.cleaned_data.get("user") or request.user
        issued = services.token_create(
            by=request.user,
            user=owner,
            name=form.cleaned_data["name"],
            scope=form.cleaned_data["scope"],
            days=form.cleaned_data["days"],
        )
        form = forms.TokenForm(by=request.user)
    context = {
        "form": form,
        "issued": issued,
        "tokens": selectors.token_list(user=request.user)[:200],
        "for_anyone": access.scope_of(request.user).everything,
    }
    return render(request, "api/token_list.html", context)


@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = selectors.token_get_for_user(user=request.user, pk=pk)
    services.token_revoke(by=request.user, token=token)
    messages.success(request, _("The token was revoked."))
    return redirect("api:token_list")
