"""Reads with numbers: the share of HTX in value chains, the product search, scopes."""

from datetime import date
from decimal import Decimal

import pytest

from hoptac.market import rules, selectors, services
from hoptac.market.choices import Category, CertificationKind, LinkKind, LinkStatus
from hoptac.market.models import ValueChainLink
from hoptac.market.tests.test_market_rules import LINK_CASE_IDS, LINK_CASES
from hoptac.registry.tests.factories import CooperativeFactory

pytestmark = pytest.mark.django_db


def link(cooperative, company, start, end=None, status=LinkStatus.ACTIVE):
    return services.link_save(
        by=None, cooperative=cooperative, company=company, kind=LinkKind.OUTPUT,
        product_name="Chè", starts_on=start, ends_on=end, status=status,
    )  # fmt: skip


@pytest.mark.parametrize(("status", "start", "end", "day", "active"), LINK_CASES, ids=LINK_CASE_IDS)
def test_active_links_filters_as_the_rule_says(
    cooperative, company, status, start, end, day, active
):
    made = link(cooperative, company, start, end, status)
    found = ValueChainLink.objects.filter(selectors.active_links(day), pk=made.pk).exists()
    assert (
        found
        is active
        is rules.link_active_on(status=status, starts_on=start, ends_on=end, day=day)
    )


def test_in_value_chain_counts_links_in_force(bac_kan, cooperative, other_cooperative, company):
    third = CooperativeFactory(name="HTX Ba")
    fourth = CooperativeFactory(name="HTX Bốn")
    link(cooperative, company, date(2018, 1, 1))
    link(cooperative, company, date(2019, 1, 1))  # two links, one HTX
    link(other_cooperative, company, date(2017, 1, 1), date(2019, 6, 30))  # ended before
    link(third, company, date(2019, 1, 1), status=LinkStatus.SUSPENDED)
    link(fourth, company, date(2020, 1, 1))  # not started yet
    share = selectors.in_value_chain(bac_kan, date(2019, 12, 31))
    assert (share.numerator, share.denominator, share.cooperative_ids) == (1, 4, [cooperative.pk])
    assert share.percent == Decimal("25.0")
    assert selectors.in_value_chain(bac_kan, date(2019, 3, 1))[:2] == (2, 4)


def test_product_search_without_diacritics(province_officer, product, other_cooperative):
    herbs = services.product_save(
        by=None, cooperative=other_cooperative, name="Trà giảo cổ lam", category=Category.MEDICINAL
    )
    services.certification_save(
        by=None, product=herbs, kind=CertificationKind.OCOP, stars=3, year=2019
    )

    def names(**filters):
        return [p.name for p in selectors.product_list(user=province_officer, filters=filters)]

    assert names(q="che my phuong") == ["Chè Shan tuyết Mỹ Phương"]
    assert names(q="GIAO CO LAM") == ["Trà giảo cổ lam"]
    assert names(q="nghia ta") == ["Trà giảo cổ lam"]  # by its HTX's name
    assert names(certification="ocop") == ["Trà giảo cổ lam"]
    assert names(category="tea") == ["Chè Shan tuyết Mỹ Phương"]


def test_products_are_scoped(outsider, htx_manager, product, other_cooperative):
    services.product_save(
        by=None, cooperative=other_cooperative, name="Miến dong", category=Category.PROCESSED_FOOD
    )
    assert [p.name for p in selectors.product_list(user=outsider)] == ["Miến dong"]
    assert [p.name for p in selectors.product_list(user=htx_manager)] == [
        "Chè Shan tuyết Mỹ Phương"
    ]
