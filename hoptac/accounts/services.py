"""Every write to accounts: create one, change it, set its password, lift its lockout.

Each service takes the acting user as `by=`, asks `hoptac.accounts.access` whether he may
act (PermissionDenied if not), validates (ValidationError keyed by field) and records the
actor in the account's history (django-simple-history). Accounts are never deleted: they
are deactivated.
"""

from __future__ import annotations

import logging
import secrets
from typing import Any

from axes.utils import reset as axes_reset
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from hoptac.accounts import access, audit, messages, rules
from hoptac.accounts.choices import AuditAction, Role
from hoptac.accounts.models import User
from hoptac.accounts.two_factor import services as two_factor_services
from hoptac.areas.models import AdminUnit

log = logging.getLogger(__name__)

# the letters of generated passwords: no 0/O, 1/l/I that read alike (not a password)
PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # noqa: S105


def _check_placement(*, by: User, role: str, area: AdminUnit | None) -> None:
    """The role must be one `by` may give, the area must fit the role and lie in his scope."""
    if role not in access.assignable_roles(by):
        raise ValidationError({"role": _("You may not give this role.")})
    problem = messages.role_area_problem(
        role, area.level if area else None, area.era if area else None
    )
    if problem:
        raise ValidationError({"area": problem})
    if not access.may_assign(by, role=role, area=area):
        raise ValidationError({"area": _("Choose an area inside your own area.")})


def _check_password(password: str, user: User) -> None:
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password": error.error_list}) from error


def _set_admin_flags(user: User) -> None:
    """An administrator may also use Django's admin site; no one else may."""
    user.is_staff = user.is_superuser = user.role == Role.ADMIN


@transaction.atomic
def user_create(
    *,
    by: User,
    username: str,
    role: str,
    password: str,
    area: AdminUnit | None = None,
    full_name: str = "",
    title: str = "",
    phone: str = "",
    email: str = "",
) -> User:
    """Create an account with an initial password chosen by `by`, inside `by`'s scope."""
    if not access.may_manage_users(by):
        raise PermissionDenied
    _check_placement(by=by, role=role, area=area)
    user = User(
        username=username,
        role=role,
        area=area,
        full_name=full_name,
        title=title,
        phone=phone,
        email=email,
    )
    _set_admin_flags(user)
    _check_password(password, user)
    user.set_password(password)
    user.full_clean()
    user._history_user = access.author(by)  # type: ignore[attr-defined]  # read by simple-history
    user.save()
    audit.record(
        AuditAction.USER_CREATED, actor=by, obj=user, detail={"role": role, "area": _area(area)}
    )
    return user


def _area(area: AdminUnit | None) -> str | None:
    """How the audit log names an area: its path of codes (stable when names change)."""
    return area.path if area else None


# fields of an account whose change the audit log names (not their values: personal data)
DETAIL_FIELDS = ("full_name", "title", "phone", "email")


def _audit_update(*, by: User, user: User, before: dict[str, Any]) -> None:
    """The audit entries of one change of `user`: role or area, activity, other details."""
    if (before["role"], before["area"]) != (user.role, user.area):
        detail = {
            "role": [before["role"], user.role],
            "area": [_area(before["area"]), _area(user.area)],
        }
        audit.record(AuditAction.ROLE_CHANGED, actor=by, obj=user, detail=detail)
    if before["is_active"] != user.is_active:
        action = AuditAction.USER_ACTIVATED if user.is_active else AuditAction.USER_DEACTIVATED
        audit.record(action, actor=by, obj=user)
    changed = [name for name in DETAIL_FIELDS if before[name] != getattr(user, name)]
    if changed:
        audit.record(AuditAction.USER_CHANGED, actor=by, obj=user, detail={"fields": changed})


@transaction.atomic
def user_update(
    *,
    by: User,
    user: User,
    role: str,
    area: AdminUnit | None,
    full_name: str,
    title: str,
    phone: str,
    email: str,
    is_active: bool,
) -> User:
    """Change an account's role, area, details or activity (deactivate, never delete).

    Nobody changes his own role, area or activity here, so that no one locks himself out
    or widens his own scope.
    """
    if not access.may_change_user(by, user):
        raise PermissionDenied
    if user.pk == by.pk:
        errors = {}
        if role != user.role:
            errors["role"] = _("You cannot change your own role.")
        if area != user.area:
            errors["area"] = _("You cannot change your own area.")
        if not is_active:
            errors["is_active"] = _("You cannot deactivate your own account.")
        if errors:
            raise ValidationError(errors)
    before = {name: getattr(user, name) for name in ("role", "area", "is_active", *DETAIL_FIELDS)}
    role_changed = role != user.role
    if role_changed or area != user.area:
        _check_placement(by=by, role=role, area=area)
    user.role, user.area, user.is_active = role, area, is_active
    user.full_name, user.title, user.phone, user.email = full_name, title, phone, email
    if role_changed:
        _set_admin_flags(user)
    user.full_clean()
    user._history_user = access.author(by)  # type: ignore[attr-defined]
    user.save()
    _audit_update(by=by, user=user, before=before)
    return user


def generate_password() -> str:
    """A random password easy to read out over the phone: three groups of four, ~70 bits."""
    return "-".join("".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(4)) for _ in range(3))


@transaction.atomic
def user_set_password(*, by: User, user: User, password: str | None = None) -> str:
    """Give `user` a new password, the one `by` typed or a generated one; return it."""
    if not access.may_change_user(by, user):
        raise PermissionDenied
    generated = password is None
    if password is None:
        password = generate_password()
    _check_password(password, user)
    user.set_password(password)
    user._history_user = access.author(by)  # type: ignore[attr-defined]
    user._change_reason = rules.REASON_PASSWORD_SET  # type: ignore[attr-defined]
    user.save(update_fields=["password"])
    audit.record(AuditAction.PASSWORD_SET, actor=by, obj=user, detail={"generated": generated})
    return password


def user_unlock(*, by: User, user: User) -> int:
    """Lift the sign-in lockout of `user` (all addresses); return the records removed."""
    if not access.may_unlock_user(by, user):
        raise PermissionDenied
    removed = axes_reset(username=user.username)
    log.info("sign-in lockout of %s lifted by %s (%d records)", user.username, by.username, removed)
    audit.record(AuditAction.UNLOCKED, actor=by, obj=user, detail={"records": removed})
    return removed


def two_factor_reset(*, user: User, by: User) -> int:
    """An administrator removes `user`'s two-factor sign-in (authenticator app and recovery
    codes), e.g. after a lost phone; return how many devices were removed. The user then signs
    in with his password alone, and must enrol again at once where his role requires it."""
    if not access.may_reset_two_factor(by, user):
        raise PermissionDenied
    removed = two_factor_services.devices_delete(user=user)
    log.info("two-factor sign-in of %s reset by %s (%d)", user.username, by.username, removed)
    audit.record(AuditAction.TWO_FACTOR_RESET, actor=by, obj=user, detail={"devices": removed})
    return removed
