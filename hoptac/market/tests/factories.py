"""Test data of the market app, made through its services (search text, history and
validation as in real use). Each factory's defaults describe one plausible record of Bắc Kạn;
a test names what it depends on."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import factory

from hoptac.market import services
from hoptac.market.choices import Category, CertificationKind, EventKind, LinkKind, TrademarkKind
from hoptac.market.models import (
    Certification,
    EventParticipation,
    PartnerCompany,
    Product,
    TradeEvent,
    Trademark,
    ValueChainLink,
)
from hoptac.registry.tests.factories import CooperativeFactory


def _service(name: str):
    return classmethod(lambda cls, *a, **kw: getattr(services, name)(by=kw.pop("by", None), **kw))


class ProductFactory(factory.django.DjangoModelFactory):
    """A tea of an HTX of Xã Lương Bằng."""

    class Meta:
        model = Product

    cooperative = factory.SubFactory(CooperativeFactory)
    name = factory.Sequence(lambda n: f"Chè Shan tuyết {n}")
    category = Category.TEA
    unit = "kg"

    _create = _service("product_save")


class CertificationFactory(factory.django.DjangoModelFactory):
    """VietGAP of 2019 (an OCOP one needs `stars` 3 to 5)."""

    class Meta:
        model = Certification

    product = factory.SubFactory(ProductFactory)
    kind = CertificationKind.VIETGAP
    year = 2019

    _create = _service("certification_save")


class TrademarkFactory(factory.django.DjangoModelFactory):
    """A collective mark of the HTX's product."""

    class Meta:
        model = Trademark

    cooperative = factory.SubFactory(CooperativeFactory)
    product = None
    name = factory.Sequence(lambda n: f"Chè Bắc Kạn {n}")
    kind = TrademarkKind.COLLECTIVE
    number = factory.Sequence(lambda n: f"4-0{n:06d}")

    _create = _service("trademark_save")


class TradeEventFactory(factory.django.DjangoModelFactory):
    """A fair of June 2019, nationwide unless `area` is given."""

    class Meta:
        model = TradeEvent

    name = factory.Sequence(lambda n: f"Hội chợ nông sản {n}")
    kind = EventKind.FAIR
    starts_on = date(2019, 6, 1)
    ends_on = date(2019, 6, 5)
    place = "Thành phố Bắc Kạn"

    _create = _service("event_save")


class ParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EventParticipation

    event = factory.SubFactory(TradeEventFactory)
    cooperative = factory.SubFactory(CooperativeFactory)
    contracts = 2
    contract_value = Decimal(150_000_000)
    sales = Decimal(20_000_000)

    _create = _service("participation_save")


class CompanyFactory(factory.django.DjangoModelFactory):
    """A partner company; kept by the province of `by` (none when by is None)."""

    class Meta:
        model = PartnerCompany

    name = factory.Sequence(lambda n: f"Công ty TNHH Nông sản {n}")
    tax_code = factory.Sequence(lambda n: f"48{n:08d}")
    address = "Bắc Kạn"

    _create = _service("company_save")


class LinkFactory(factory.django.DjangoModelFactory):
    """A link in force from 1/1/2019 without an end: the company buys the HTX's tea."""

    class Meta:
        model = ValueChainLink

    cooperative = factory.SubFactory(CooperativeFactory)
    company = factory.SubFactory(CompanyFactory)
    kind = LinkKind.OUTPUT
    product_name = "Chè búp khô"
    starts_on = date(2019, 1, 1)

    _create = _service("link_save")
