"""Fixtures of the reports app, beside the actors and units of the root conftest.py."""

import pytest

from hoptac.registry.tests.factories import CooperativeFactory


@pytest.fixture
def coop(db):
    """An HTX in Xã Lương Bằng (Chợ Đồn, Bắc Kạn; old tree) with an e-mail for reminders."""
    return CooperativeFactory(name="HTX Lương Bằng", email="htx@example.vn")


@pytest.fixture
def manager(make_user, coop):
    """The manager bound to `coop` (no area: an HTX manager's scope is his HTX)."""
    user = make_user("qly1", "coop_manager", full_name="Giám đốc HTX")
    coop.managers.add(user)
    return user
