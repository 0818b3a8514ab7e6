"""Sign-in and the management of accounts: thin views over access, selectors and services."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.messages.views import SuccessMessageMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from hoptac.accounts import access, selectors, services
from hoptac.accounts.forms import (
    PasswordChangeForm,
    UserCreateForm,
    UserEditForm,
    UserFilterForm,
    UserPasswordForm,
)
from hoptac.accounts.models import User
from hoptac.accounts.two_factor import services as two_factor_services

PAGE_SIZE = 50


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        # Django's view sets site_name to the host name; the page keeps the system's name.
        context = super().get_context_data(**kwargs)
        context.pop("site_name", None)
        return context


class PasswordChangeView(SuccessMessageMixin, auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = PasswordChangeForm
    success_url = reverse_lazy("portal:home")
    success_message = gettext_lazy("Your password has been changed.")


def _actor(request: HttpRequest) -> User:
    """The signed-in user (LoginRequiredMiddleware keeps anonymous visitors out)."""
    return cast(User, request.user)


def _target(request: HttpRequest, pk: int, *, change: bool = False) -> User:
    """The account `pk` if the actor may see it (else 404) and, with change, change it (403)."""
    target = selectors.user_get_for_user(user=_actor(request), pk=pk)
    if change and not access.may_change_user(request.user, target):
        raise PermissionDenied
    return target


def user_list(request: HttpRequest) -> HttpResponse:
    form = UserFilterForm(request.GET)
    filters = form.cleaned_data if form.is_valid() else {}
    users = selectors.user_list(user=_actor(request), filters=filters)
    page = Paginator(users, PAGE_SIZE).get_page(request.GET.get("page"))
    partial = "#results" if request.htmx and not request.htmx.boosted else ""  # type: ignore[attr-defined]
    context = {
        "form": form,
        "page": page,
        "may_create": access.may_manage_users(request.user),
    }
    return render(request, f"accounts/user_list.html{partial}", context)


def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    target = _target(request, pk)
    context = {
        "target": target,
        "history": selectors.user_history(user=target),
        "locked": selectors.user_is_locked(user=target),
        "may_change": access.may_change_user(request.user, target),
        "may_unlock": access.may_unlock_user(request.user, target),
    }
    return render(request, "accounts/user_detail.html", context)


def user_create(request: HttpRequest) -> HttpResponse:
    if not access.may_manage_users(request.user):
        raise PermissionDenied
    form = UserCreateForm(request.POST or None, actor=_actor(request))
    if form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "password_again"}
        try:
            user = services.user_create(by=_actor(request), **data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Account %(name)s created.") % {"name": user.username})
            return redirect("accounts:user_detail", pk=user.pk)
    return render(request, "accounts/user_form.html", {"form": form, "target": None})


def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    target = _target(request, pk, change=True)
    form = UserEditForm(request.POST or None, actor=_actor(request), target=target)
    if form.is_valid():
        try:
            services.user_update(by=_actor(request), user=target, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Account %(name)s saved.") % {"name": target.username})
            return redirect("accounts:user_detail", pk=target.pk)
    context: dict[str, Any] = {"form": form, "target": target}
    if access.may_reset_two_factor(request.user, target):
        context["two_factor"] = two_factor_services.status_of(target)
    return render(request, "accounts/user_form.html", context)


@never_cache  # the page may show a generated password: no copy in any cache
def user_password(request: HttpRequest, pk: int) -> HttpResponse:
    target = _target(request, pk, change=True)
    form = UserPasswordForm(request.POST or None)
    if form.is_valid():
        try:
            password = services.user_set_password(
                by=_actor(request), user=target, password=form.chosen_password
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            if target.pk == request.user.pk:
                update_session_auth_hash(request, target)  # stay signed in
            # shown in this one response only: never stored, never sent again
            shown = password if form.chosen_password is None else None
            context = {"target": target, "password": shown}
            return render(request, "accounts/user_password_done.html", context)
    return render(request, "accounts/user_password.html", {"form": form, "target": target})


@require_POST
def user_unlock(request: HttpRequest, pk: int) -> HttpResponse:
    target = _target(request, pk)
    if not access.may_unlock_user(request.user, target):
        raise PermissionDenied
    services.user_unlock(by=_actor(request), user=target)
    messages.success(request, _("Account %(name)s unlocked.") % {"name": target.username})
    return redirect("accounts:user_detail", pk=target.pk)
