"""Fixtures of the support app, beside the actors and units of the root conftest.py."""

from datetime import date

import pytest

from hoptac.registry.tests.factories import CooperativeFactory
from hoptac.support.models import Policy
from hoptac.support.tests.factories import PolicyFactory


@pytest.fixture
def cooperative(db):
    """An HTX in Xã Lương Bằng (Chợ Đồn, Bắc Kạn; old tree)."""
    return CooperativeFactory(name="HTX Chè Mỹ Phương", members_count=40, workers_count=20)


@pytest.fixture
def local_policy(db, bac_kan):
    """A policy of Tỉnh Bắc Kạn without criteria."""
    return PolicyFactory(code="bk-test", name="Hỗ trợ nhãn hiệu", area=bac_kan)


@pytest.fixture
def state_policy(db):
    """A policy of the State's catalogue (loaded by migration 0002), with ND 113 criteria."""
    return Policy.objects.get(code="tiep_can_thi_truong")


@pytest.fixture
def day():
    return date(2019, 6, 1)
