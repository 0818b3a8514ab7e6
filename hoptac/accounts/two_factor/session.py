"""The step a signed-in user still owes before any page, read from his session.

Whether he has an authenticator app is read once, when he signs in, and kept in the session,
so that pages cost no query for it; the pages that change his devices keep it up to date, and
the second step reads it afresh (an administrator may have reset it in between).
"""

from __future__ import annotations

from typing import Any, Literal

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest
from django_otp.util import random_hex

from hoptac.accounts import access
from hoptac.accounts.two_factor import services

HAS_DEVICE = "hoptac_two_factor_device"
ENROL_KEY = "hoptac_two_factor_enrol_key"  # the secret of the app being enrolled

Step = Literal["verify", "setup"]


def pending_step(request: HttpRequest, *, fresh: bool = False) -> Step | None:
    """What the signed-in user owes: "verify" (a code: he has an authenticator app), "setup"
    (his role must use one and he has none: enrol), or None. `fresh` reads the database
    instead of the session."""
    user = request.user
    if not user.is_authenticated or user.is_verified():
        return None
    known = None if fresh else request.session.get(HAS_DEVICE)
    if known is None:
        known = services.has_device(user)
        remember_device(request, has_device=known)
    if known:
        return "verify"
    if access.must_use_two_factor(user):
        return "setup"
    return None


def enrol_key(request: HttpRequest) -> str:
    """The secret of the authenticator app the user is enrolling, kept in his session until
    he confirms it (the enrolment page stores nothing before that)."""
    if ENROL_KEY not in request.session:
        request.session[ENROL_KEY] = random_hex(20)
    return request.session[ENROL_KEY]


def forget_enrol_key(request: HttpRequest) -> None:
    request.session.pop(ENROL_KEY, None)


def remember_device(request: HttpRequest, *, has_device: bool) -> None:
    """Keep in the session whether the signed-in user has an authenticator app."""
    request.session[HAS_DEVICE] = has_device


@receiver(user_logged_in, dispatch_uid="hoptac.accounts.two_factor.session")
def _read_device_on_sign_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any):
    """At each sign-in (after the password), read whether the user has an authenticator app."""
    if request is not None and hasattr(request, "session"):
        remember_device(request, has_device=services.has_device(user))
