"""The pages of two-factor sign-in: the second step after the password, enrolment (forced or
of one's own will), "Xác thực hai bước" in one's account, and an administrator's reset."""

from __future__ import annotations

from typing import Any, cast

import django_otp
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from hoptac.accounts import access, selectors
from hoptac.accounts import services as account_services
from hoptac.accounts.models import User
from hoptac.accounts.two_factor import services, session
from hoptac.accounts.two_factor.forms import CodeForm
from hoptac.accounts.two_factor.middleware import two_factor_exempt
from hoptac.core.http import safe_next


def _actor(request: HttpRequest) -> User:
    """The signed-in user (LoginRequiredMiddleware keeps anonymous visitors out)."""
    return cast(User, request.user)


def _step_url(step: str, next_url: str) -> str:
    return f"{reverse(f'accounts:two_factor_{step}')}?{urlencode({'next': next_url})}"


def _failed_code(request: HttpRequest, user: User) -> bool:
    """A wrong code counts as a failed sign-in, as a wrong password does (django-axes, and any
    other receiver of `user_login_failed`). True when that locks the account out: the
    half-done sign-in then ends, and django-axes answers with its lockout page."""
    credentials = {"username": user.get_username()}
    user_login_failed.send(sender=__name__, credentials=credentials, request=request)
    if getattr(request, "axes_locked_out", False):
        logout(request)
        return True
    return False


@two_factor_exempt
@never_cache
def verify(request: HttpRequest) -> HttpResponse:
    """The second step: a code from the authenticator app, or a recovery code."""
    user, next_url = _actor(request), safe_next(request, settings.LOGIN_REDIRECT_URL)
    step = session.pending_step(request, fresh=True)
    if step != "verify":  # done, nothing to verify, or an app to enrol first
        return redirect(_step_url(step, next_url) if step else next_url)
    form = CodeForm(request.POST or None, recovery=True)
    if form.is_valid():
        check = services.two_factor_verify(user=user, code=form.cleaned_data["code"])
        if check.device is not None:
            django_otp.login(request, check.device)
            if check.recovery:
                messages.warning(request, _recovery_left_message(user))
            return redirect(next_url)
        form.add_error("code", check.refusal())
        if check.wait_until is None and _failed_code(request, user):
            return render(request, "accounts/locked_out.html", status=429)
    return render(request, "accounts/two_factor/verify.html", {"form": form, "next": next_url})


def _recovery_left_message(user: User) -> str:
    left = services.status_of(user).recovery_codes_left
    return ngettext(
        "You signed in with a recovery code; %(left)d is left. Make new ones on the "
        "Two-factor sign-in page.",
        "You signed in with a recovery code; %(left)d are left. Make new ones on the "
        "Two-factor sign-in page.",
        left,
    ) % {"left": left}


@two_factor_exempt
@never_cache
def setup(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app (first one, forced or not, or a new one that replaces it):
    the QR code and the secret, then a code to confirm; then the recovery codes, shown once."""
    user, next_url = _actor(request), safe_next(request, settings.LOGIN_REDIRECT_URL)
    if session.pending_step(request, fresh=True) == "verify":  # an app already: its code first
        return redirect(_step_url("verify", next_url))
    key, posted = session.enrol_key(request), request.method == "POST"
    device = services.totp_enrol_start(user=user, key=key, save=posted)
    form = CodeForm(request.POST or None)
    if form.is_valid():
        try:
            codes = services.totp_enrol_confirm(
                user=user, device=device, code=form.cleaned_data["code"]
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            django_otp.login(request, device)
            session.remember_device(request, has_device=True)
            session.forget_enrol_key(request)
            context = {"codes": codes, "next": next_url, "enrolled": True}
            return render(request, "accounts/two_factor/recovery_codes.html", context)
    context = {
        "form": form,
        "next": next_url,
        "secret": services.secret_of(device),
        "qr": services.qr_svg(device, title=_("QR code to scan with your authenticator app")),
        "status": services.status_of(user),
    }
    return render(request, "accounts/two_factor/setup.html", context)


def _manage_page(request: HttpRequest, form: CodeForm, status: int = 200) -> HttpResponse:
    context = {"status": services.status_of(_actor(request)), "remove_form": form}
    return render(request, "accounts/two_factor/manage.html", context, status=status)


@never_cache
def manage(request: HttpRequest) -> HttpResponse:
    """The page "Xác thực hai bước": enrol, move to a new app, new recovery codes, turn off."""
    return _manage_page(request, CodeForm(recovery=True))


@require_POST
@never_cache
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """New recovery codes, the old ones void; shown once, in this response."""
    try:
        codes = services.recovery_codes_regenerate(user=_actor(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("accounts:two_factor")
    context: dict[str, Any] = {"codes": codes, "next": reverse("accounts:two_factor")}
    return render(request, "accounts/two_factor/recovery_codes.html", context)


@require_POST
def remove(request: HttpRequest) -> HttpResponse:
    """Turn off one's own two-factor sign-in, with a current code (not where it is required)."""
    form = CodeForm(request.POST, recovery=True)
    if form.is_valid():
        try:
            services.two_factor_remove(user=_actor(request), code=form.cleaned_data["code"])
        except ValidationError as error:
            form.add_service_error(error)
        else:
            session.remember_device(request, has_device=False)
            messages.success(request, _("Two-factor sign-in is turned off."))
            return redirect("accounts:two_factor")
    return _manage_page(request, form, status=400)


@require_POST
def user_reset(request: HttpRequest, pk: int) -> HttpResponse:
    """An administrator resets an account's two-factor sign-in (from its edit page)."""
    actor = _actor(request)
    target = selectors.user_get_for_user(user=actor, pk=pk)  # 404 out of scope
    if not access.may_reset_two_factor(actor, target):
        raise PermissionDenied
    account_services.two_factor_reset(user=target, by=actor)
    messages.success(
        request, _("Two-factor sign-in of %(name)s was reset.") % {"name": target.username}
    )
    return redirect("accounts:user_edit", pk=target.pk)
