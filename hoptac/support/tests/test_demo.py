"""The demo support programmes and markets of Bắc Kạn: idempotent, deterministic, and the
indicators at the values their modules state (support 60 / 167 = 35.9 % reached in 2019;
market 24 / 167 = 14.4 % in value chains on 31/12/2019)."""

from datetime import date
from decimal import Decimal
from io import StringIO

import pytest

from hoptac.accounts import demo as accounts_demo
from hoptac.areas.models import AdminUnit
from hoptac.market import demo as market_demo
from hoptac.market import selectors as market_selectors
from hoptac.market.models import Certification, Product, ValueChainLink
from hoptac.registry import demo as registry_demo
from hoptac.support import demo, selectors
from hoptac.support.models import Course, Participant, Policy, RemediationCase, SupportGrant

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(db):
    accounts_demo.load(StringIO())
    registry_demo.load(StringIO())
    demo.load(StringIO())
    market_demo.load(StringIO())


def bac_kan() -> AdminUnit:
    return AdminUnit.objects.get(era="legacy", code="06")


def counts() -> tuple[int, ...]:
    return (
        Policy.objects.count(),
        SupportGrant.objects.count(),
        Course.objects.count(),
        Participant.objects.count(),
        RemediationCase.objects.count(),
        Product.objects.count(),
        ValueChainLink.objects.count(),
    )


def test_share_reached_by_policies_in_bac_kan_2019_is_60_of_167(loaded):
    reach = selectors.reached_by_policies(bac_kan(), date(2019, 1, 1), date(2019, 12, 31))
    assert (reach.numerator, reach.denominator) == (60, 167)
    assert reach.percent == Decimal("35.9")
    assert reach.numerator == demo.REACHED_2019


def test_earlier_years_reach_their_planned_numbers(loaded):
    for year, reached in ((2017, 34), (2018, 47)):
        reach = selectors.reached_by_policies(bac_kan(), date(year, 1, 1), date(year, 12, 31))
        assert reach.numerator == reached


def test_share_in_value_chains_on_31_december_2019_is_24_of_167(loaded):
    share = market_selectors.in_value_chain(bac_kan(), date(2019, 12, 31))
    assert (share.numerator, share.denominator, share.percent) == (24, 167, Decimal("14.4"))


def test_named_htx_have_their_products_and_ocop(loaded):
    tea = Product.objects.get(name="Chè Shan tuyết Mỹ Phương")
    assert tea.cooperative.name == "HTX Chè Mỹ Phương"
    assert Certification.objects.filter(product=tea, kind="ocop", stars=4, year=2019).exists()
    assert set(Product.objects.values_list("cooperative__name", flat=True)) >= {
        "HTX Chè Mỹ Phương", "HTX Đông Nam Dược", "HTX Fresh Oil", "HTX Trần Phú",
    }  # fmt: skip
    assert SupportGrant.objects.exclude(product_support="").count() == 4


def test_no_support_before_an_htx_was_founded(loaded):
    for grant in SupportGrant.objects.select_related("cooperative"):
        assert (
            grant.cooperative.founded_on is None or grant.granted_on > grant.cooperative.founded_on
        )


def test_remediation_cases_open_for_weak_htx(loaded):
    cases = RemediationCase.objects.select_related("cooperative__district_legacy")
    assert cases.count() >= 1
    assert all(case.actions.count() == 2 and case.notes.count() == 1 for case in cases)


def test_demo_is_idempotent(loaded):
    before = counts()
    demo.load(StringIO())
    market_demo.load(StringIO())
    assert counts() == before
