"""The registry's own fixtures, beside the actors of the root conftest.py."""

import pytest

from hoptac.registry.tests.factories import CooperativeFactory


@pytest.fixture
def cooperative(db):
    """An HTX in Xã Lương Bằng (old tree), so in Xã Nghĩa Tá of Thái Nguyên (2025 tree)."""
    return CooperativeFactory(name="HTX Chè Mỹ Phương", representative_name="Hoàng Văn Thụ")
