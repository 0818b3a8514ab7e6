"""Test data of the accounts app: accounts made through `services.user_create` (role and area
checked, password validated, history and audit entry written, as in real use).

The first administrator is the root of trust, made as `manage.py createsuperuser` makes one:
directly. `UserFactory` asks an administrator (`by`, default that root) to create the rest. The
access module's SYSTEM actor cannot create accounts: the audit log records an account as the
actor, and SYSTEM is none.
"""

from __future__ import annotations

import factory

from conftest import TEST_PASSWORD
from hoptac.accounts import services
from hoptac.accounts.choices import Role
from hoptac.accounts.models import User
from hoptac.areas.models import AdminUnit


def root_admin() -> User:
    """The administrator who creates the factories' accounts (one per test database state)."""
    user, created = User.objects.get_or_create(
        username="root.factory",
        defaults={"role": Role.ADMIN, "is_staff": True, "is_superuser": True},
    )
    if created:
        user.set_password(TEST_PASSWORD)
        user.save()
    return user


class UserFactory(factory.django.DjangoModelFactory):
    """A commune officer of Xã Lương Bằng (Chợ Đồn, Bắc Kạn; old tree) who signs in with
    conftest.TEST_PASSWORD. For another role give `role` and a fitting `area` (none for an
    administrator)."""

    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"canbo{n}")
    role = Role.COMMUNE_OFFICER
    area = factory.LazyFunction(lambda: AdminUnit.objects.get(era="legacy", code="02062"))
    full_name = factory.Sequence(lambda n: f"Cán bộ Số {n}")
    password = TEST_PASSWORD

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        by = kwargs.pop("by", None) or root_admin()
        return services.user_create(by=by, **kwargs)


def coop_manager(cooperative, **fields) -> User:
    """An HTX manager bound to `cooperative` (placed in its commune of the old tree)."""
    fields.setdefault("area", cooperative.commune_legacy)
    user = UserFactory(role=Role.COOP_MANAGER, **fields)
    cooperative.managers.add(user)
    return user


def locked_out(username: str) -> None:
    """The row django-axes writes when `username` has failed to sign in five times: the
    account is locked until an administrator unlocks it."""
    from axes.models import AccessAttempt

    AccessAttempt.objects.create(
        username=username,
        ip_address="10.0.0.1",
        user_agent="t",
        failures_since_start=5,
        get_data="",
        post_data="",
        http_accept="",
        path_info="/",
    )
