"""The registry's own fixtures, beside the actors of the root conftest.py."""

import pytest

from hoptac.registry.tests.factories import CooperativeFactory


@pytest.fixture
def cooperative(db):
    """An HTX in Xã Lương Bằng (old tree), so in Xã Nghĩa Tá of Thái Nguyên (2025 tree)."""
    return CooperativeFactory(name="HTX Chè Mỹ Phương", representative_name="Hoàng Văn Thụ")


@pytest.fixture
def other_cooperative(db):
    """An HTX in Xã Nghĩa Tá (old tree), the outsider's commune."""
    from hoptac.registry.tests.factories import legacy_unit

    return CooperativeFactory(name="HTX Nghĩa Tá", commune_legacy=legacy_unit("02071"))


@pytest.fixture
def htx_manager(make_user, luong_bang, cooperative):
    """The manager bound to `cooperative`."""
    user = make_user("htx.quanly", "coop_manager", luong_bang, full_name="Lục Văn Phong")
    cooperative.managers.add(user)
    return user
