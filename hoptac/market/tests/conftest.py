"""Fixtures of the market app, beside the actors and units of the root conftest.py."""

import pytest

from hoptac.market.tests.factories import CompanyFactory, ProductFactory
from hoptac.registry.tests.factories import CooperativeFactory


@pytest.fixture
def cooperative(db):
    """An HTX in Xã Lương Bằng (Chợ Đồn, Bắc Kạn; old tree)."""
    return CooperativeFactory(name="HTX Chè Mỹ Phương", tax_code="4700000101")


@pytest.fixture
def product(cooperative):
    return ProductFactory(cooperative=cooperative, name="Chè Shan tuyết Mỹ Phương")


@pytest.fixture
def company(db):
    return CompanyFactory(name="Công ty TNHH Nông sản Việt Bắc", tax_code="4700900001")
