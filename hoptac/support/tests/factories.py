"""Test data of the support app, made through its services (eligibility checked, history
kept, as in real use). A test names what it depends on; the defaults are one plausible record
of Bắc Kạn."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import factory

from hoptac.areas.models import AdminUnit
from hoptac.registry.tests.factories import CooperativeFactory
from hoptac.support import services
from hoptac.support.choices import CourseTopic, FundingSource, ParticipantRole, PolicyKind
from hoptac.support.models import (
    Course,
    Participant,
    Policy,
    PolicyBudget,
    RemediationCase,
    SupportGrant,
)


def _bac_kan() -> AdminUnit:
    return AdminUnit.objects.get(era="legacy", code="06")


def _service(name: str):
    """A factory's `_create` through `services.<name>(by=…, **fields)` (by: None unless told)."""
    return classmethod(lambda cls, *a, **kw: getattr(services, name)(by=kw.pop("by", None), **kw))


class PolicyFactory(factory.django.DjangoModelFactory):
    """A local policy of Tỉnh Bắc Kạn without criteria (so every HTX of the province is
    eligible)."""

    class Meta:
        model = Policy

    code = factory.Sequence(lambda n: f"bk-test-{n}")
    name = factory.Sequence(lambda n: f"Hỗ trợ xây dựng nhãn hiệu {n}")
    kind = PolicyKind.BRANDING
    area = factory.LazyFunction(_bac_kan)

    _create = _service("policy_create")


class BudgetFactory(factory.django.DjangoModelFactory):
    """500 million đồng of the province's budget for 2019."""

    class Meta:
        model = PolicyBudget

    policy = factory.SubFactory(PolicyFactory)
    year = 2019
    area = factory.LazyFunction(_bac_kan)
    source = FundingSource.PROVINCE
    amount = Decimal(500_000_000)

    _create = _service("budget_save")


class GrantFactory(factory.django.DjangoModelFactory):
    """20 million đồng of the province's budget, given on 1/6/2019 to an HTX of Lương Bằng."""

    class Meta:
        model = SupportGrant

    cooperative = factory.SubFactory(CooperativeFactory)
    policy = factory.SubFactory(PolicyFactory)
    granted_on = date(2019, 6, 1)
    source = FundingSource.PROVINCE
    amount = Decimal(20_000_000)

    _create = _service("grant_record")


class CourseFactory(factory.django.DjangoModelFactory):
    """A three-day course on the Cooperative Law for Tỉnh Bắc Kạn, in March 2019."""

    class Meta:
        model = Course

    title = factory.Sequence(lambda n: f"Tập huấn Luật Hợp tác xã {n}")
    topic = CourseTopic.COOPERATIVE_LAW
    starts_on = date(2019, 3, 4)
    ends_on = date(2019, 3, 6)
    organiser = "Liên minh HTX tỉnh Bắc Kạn"
    area = factory.LazyFunction(_bac_kan)

    _create = _service("course_save")


class ParticipantFactory(factory.django.DjangoModelFactory):
    """A manager of an HTX of Lương Bằng who attended (role officer: give `area`)."""

    class Meta:
        model = Participant

    course = factory.SubFactory(CourseFactory)
    name = factory.Sequence(lambda n: f"Học viên {n}")
    role = ParticipantRole.MANAGER
    cooperative = factory.SubFactory(CooperativeFactory)

    _create = _service("participant_save")


class RemediationCaseFactory(factory.django.DjangoModelFactory):
    """The 2019 case of an HTX of Lương Bằng rated weak."""

    class Meta:
        model = RemediationCase

    cooperative = factory.SubFactory(CooperativeFactory)
    year = 2019
    causes = "Thiếu vốn, không có hợp đồng tiêu thụ."

    _create = _service("remediation_open")
