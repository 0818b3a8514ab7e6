"""A user's authenticator app (a TOTP device of django-otp) and his recovery codes (a static
device): the reads, the checks of a code, and every write to them.

A wrong code is throttled per device by django-otp: after n wrong codes in a row the device
refuses any code for 2^(n-1) seconds (times OTP_TOTP_THROTTLE_FACTOR, default 1), whatever the
address and even after a new password sign-in. The pages also count a wrong code as a failed
sign-in for django-axes (`views`).
"""

from __future__ import annotations

import math
import re
from base64 import b32encode
from dataclasses import dataclass
from datetime import datetime

import segno
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.models import Device, ThrottlingMixin
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from hoptac.accounts import access
from hoptac.accounts.models import User

RECOVERY_CODE_COUNT = 10
TOTP_CODE = re.compile(r"\d{6}")
RECOVERY_CODE = re.compile(r"[a-z2-7]{8}")  # StaticToken.random_token(): 5 random bytes, base32
WRONG_CODE = _("This code is not correct, or it has expired.")


@dataclass(frozen=True, slots=True)
class Check:
    """What became of a code: the device that accepted it, else (maybe) until when the device
    refuses every code after earlier wrong ones."""

    device: Device | None = None
    wait_until: datetime | None = None

    @property
    def recovery(self) -> bool:
        """Was it a recovery code (now used up)?"""
        return isinstance(self.device, StaticDevice)

    def refusal(self) -> str | Promise:
        """Why the code was refused, for the form."""
        if self.wait_until is None:
            return WRONG_CODE
        seconds = max(1, math.ceil((self.wait_until - timezone.now()).total_seconds()))
        return ngettext(
            "Too many wrong codes: wait %(seconds)d second and try again.",
            "Too many wrong codes: wait %(seconds)d seconds and try again.",
            seconds,
        ) % {"seconds": seconds}


@dataclass(frozen=True, slots=True)
class Status:
    """Where a user stands with two-factor sign-in, for his page and an administrator's."""

    enrolled: bool
    required: bool
    since: datetime | None = None
    recovery_codes_left: int = 0


# --- reads ----------------------------------------------------------------------------------


def totp_device(user: User, *, confirmed: bool = True) -> TOTPDevice | None:
    """The user's authenticator app (confirmed), or the one he is enrolling (unconfirmed)."""
    devices = TOTPDevice.objects.devices_for_user(user, confirmed=confirmed)
    return devices.order_by("pk").first()


def has_device(user: User) -> bool:
    """Has `user` an authenticator app, so that he owes a code after his password?"""
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()


def status_of(user: User) -> Status:
    """Whether `user` has an authenticator app, since when, and how many recovery codes left."""
    device = totp_device(user)
    required = access.must_use_two_factor(user)
    if device is None:
        return Status(enrolled=False, required=required)
    left = StaticToken.objects.filter(device__user=user, device__confirmed=True).count()
    return Status(
        enrolled=True,
        required=required,
        since=device.created_at,
        recovery_codes_left=left,
    )


def secret_of(device: TOTPDevice) -> str:
    """The device's secret as the authenticator apps take it typed in: base32, in groups of 4."""
    secret = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(device: TOTPDevice, *, title: str) -> str:
    """The device's otpauth:// address as a QR code, an SVG element to put in the page
    (drawn on the server by segno: no script, no image request)."""
    code = segno.make(device.config_url, error="m")
    return code.svg_inline(scale=4, border=4, dark="#000", light="#fff", title=title)


def normalise_code(code: str) -> str:
    """A code as typed ("123 456", "ABCD-EFGH") reduced to its digits or letters."""
    return re.sub(r"[\s-]", "", code).lower()


# --- checks ---------------------------------------------------------------------------------


def _check(device: Device, code: str) -> Check:
    """Check `code` against `device`, locked for the time of the check (a code is used once);
    a wrong code is recorded on the device (its throttle), and stays recorded."""
    with transaction.atomic():
        device = type(device).objects.select_for_update().get(pk=device.pk)
        if isinstance(device, ThrottlingMixin):
            allowed, details = device.verify_is_allowed()
            if not allowed:
                return Check(wait_until=(details or {}).get("locked_until"))
        accepted = device.verify_token(code)
    return Check(device=device if accepted else None)


def two_factor_verify(*, user: User, code: str) -> Check:
    """Check a code of `user`: six digits from his authenticator app, else one of his recovery
    codes (each works once)."""
    code = normalise_code(code)
    device: Device | None
    if TOTP_CODE.fullmatch(code):
        device = totp_device(user)
    else:
        device = StaticDevice.objects.devices_for_user(user, confirmed=True).first()
    if device is None:
        return Check()
    return _check(device, code)


# --- writes ---------------------------------------------------------------------------------


@transaction.atomic
def totp_enrol_start(*, user: User, key: str, save: bool) -> TOTPDevice:
    """The authenticator app `user` is enrolling: the one he started (a code was already
    tried), else one with the secret `key` (kept in his session, so that a reload shows the
    same QR code), stored only when `save` (a POST: showing the page writes nothing). It counts
    only once confirmed."""
    device = totp_device(user, confirmed=False)
    if device is None:
        device = TOTPDevice(user=user, name="authenticator app", confirmed=False, key=key)
        if save:
            device.save()
    return device


def totp_enrol_confirm(*, user: User, device: TOTPDevice, code: str) -> list[str]:
    """Confirm the app being enrolled with a code it shows. It replaces any earlier app of
    `user`, and new recovery codes replace the old ones: returned, to be shown once."""
    if device.user_id != user.pk or device.confirmed:
        raise ValidationError({"code": WRONG_CODE})
    check = _check(device, normalise_code(code))  # a wrong code stays recorded: not atomic
    if check.device is None:
        raise ValidationError({"code": check.refusal()})
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        TOTPDevice.objects.filter(pk=device.pk).update(confirmed=True)
        device.confirmed = True
        return _recovery_codes_replace(user)


@transaction.atomic
def recovery_codes_regenerate(*, user: User) -> list[str]:
    """New recovery codes for `user`, the old ones void; returned, to be shown once."""
    if not has_device(user):
        raise ValidationError(_("Set up two-factor sign-in first."))
    return _recovery_codes_replace(user)


def _recovery_codes_replace(user: User) -> list[str]:
    device = StaticDevice.objects.filter(user=user).order_by("pk").first()
    if device is None:
        device = StaticDevice.objects.create(user=user, name="recovery codes")
    device.token_set.all().delete()
    codes: set[str] = set()
    while len(codes) < RECOVERY_CODE_COUNT:
        codes.add(StaticToken.random_token())
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return [f"{code[:4]}-{code[4:]}" for code in sorted(codes)]


def two_factor_remove(*, user: User, code: str) -> int:
    """Turn off `user`'s own two-factor sign-in, proven with a current code (or a recovery
    code). Refused where his role must use it: he may move it to a new app instead."""
    if access.must_use_two_factor(user):
        raise ValidationError(
            _(
                "Two-factor sign-in is required for your role: you can move it to a new "
                "device, but not turn it off."
            )
        )
    check = two_factor_verify(user=user, code=code)
    if check.device is None:
        raise ValidationError({"code": check.refusal()})
    return devices_delete(user=user)


@transaction.atomic
def devices_delete(*, user: User) -> int:
    """Remove every device of `user` (app and recovery codes); return how many there were.
    His signed-in sessions verified by one of them are no longer verified."""
    _count, apps = TOTPDevice.objects.filter(user=user).delete()
    _count, codes = StaticDevice.objects.filter(user=user).delete()
    return apps.get(TOTPDevice._meta.label, 0) + codes.get(StaticDevice._meta.label, 0)
