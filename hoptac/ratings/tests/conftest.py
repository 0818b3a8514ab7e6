"""Fixtures of the ratings tests: HTX of Chợ Đồn (old tree) with approved reports, their
manager, and the score sheets of TT 09/2017 (criterion 1 comes from the reports)."""

from datetime import date
from decimal import Decimal

import pytest

from hoptac.registry.tests.factories import CooperativeFactory, legacy_unit
from hoptac.reports.tests.factories import approved_report

# Criteria 2–6 of TT09 (62 points, split NOT_FOUND): 6 + 10 + 10 + 8 + 6 + 10 = 50.
SHEET = {"2.1": 6, "2.x": 10, "3": 10, "4": 8, "5": 6, "6": 10}
# Criterion 1 from reports.tests.factories.complete_values: revenue 2,4 tỷ of 2,2 planned
# (ratio 1,09 → 4), revenue 1–5 tỷ → 6, profit after tax 120 triệu / 32 members = 3,75 triệu
# → 4, development fund 30/120 = 25 % → 5, reserve fund 8/120 = 6,7 % → 5: 24 points.
CRITERION_1 = Decimal(24)


@pytest.fixture
def coop(db):
    """An agricultural HTX of Xã Lương Bằng (Chợ Đồn), founded 2015, reports approved for 2018
    and 2019."""
    cooperative = CooperativeFactory(name="HTX Chè Lương Bằng", founded_on=date(2015, 3, 1))
    approved_report(cooperative, 2018)
    approved_report(cooperative, 2019)
    return cooperative


@pytest.fixture
def new_coop(db):
    """An agricultural HTX of Lương Bằng founded in 2019: not rated for 2019 (TT09)."""
    return CooperativeFactory(name="HTX Mới Lương Bằng", founded_on=date(2019, 3, 1))


@pytest.fixture
def trade_coop(db):
    """A non-agricultural HTX of Lương Bằng: no rule covers it before 2020."""
    return CooperativeFactory(
        name="HTX Thương mại Lương Bằng", sector="phi_nong_nghiep", sub_sector="thuong_mai_dich_vu"
    )


@pytest.fixture
def far_coop(db):
    """An agricultural HTX of Ba Bể, outside Chợ Đồn."""
    return CooperativeFactory(name="HTX Ba Bể", commune_legacy=legacy_unit("01927"))


@pytest.fixture
def manager(make_user, luong_bang, coop):
    user = make_user("htx.luongbang", "coop_manager", luong_bang, full_name="Lục Văn Phong")
    coop.managers.add(user)
    return user
