"""The demo accounts: one (at least) per role, and a second run changes nothing."""

import pytest
from django.core.management import call_command

from hoptac.accounts.choices import Role
from hoptac.accounts.demo import DEMO_PASSWORD, DEMO_USERS
from hoptac.accounts.models import User

pytestmark = pytest.mark.django_db

FIELDS = ("username", "full_name", "role", "area_id", "title", "is_staff", "password")


def _snapshot():
    return list(User.objects.order_by("username").values_list(*FIELDS))


def test_demo_creates_one_account_per_role_and_is_idempotent():
    call_command("demo")
    demo = User.objects.filter(username__in=[row[0] for row in DEMO_USERS])
    assert demo.count() == len(DEMO_USERS)
    assert set(demo.values_list("role", flat=True)) == set(Role.values)
    assert all(user.check_password(DEMO_PASSWORD) for user in demo)
    officers = demo.exclude(role__in=[Role.ADMIN, Role.COOP_MANAGER])
    assert not officers.filter(area=None).exists()

    before, history_before = _snapshot(), User.history.count()
    call_command("demo")
    assert _snapshot() == before
    assert User.history.count() == history_before
