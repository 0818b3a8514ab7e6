"""Test data of the plans app, made through its services, shared by its tests and the
project's input tests."""

from datetime import date
from decimal import Decimal

import factory

from hoptac.areas.models import AdminUnit
from hoptac.plans import services
from hoptac.plans.choices import Comparison, PlanKind
from hoptac.plans.models import Plan, Target


class PlanFactory(factory.django.DjangoModelFactory):
    """A resolution of Huyện ủy Chợ Đồn for 2016–2020 (pass `area` for another unit)."""

    class Meta:
        model = Plan

    kind = PlanKind.RESOLUTION
    number = factory.Sequence(lambda n: f"{n:02d}-NQ/HU")
    title = "Phát triển kinh tế tập thể"
    issuer = "Huyện ủy Chợ Đồn"
    area = factory.LazyFunction(lambda: AdminUnit.objects.get(era="legacy", code="064"))
    start_year = 2016
    end_year = 2020

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return services.plan_create(by=kwargs.pop("by", None), **kwargs)


class TargetFactory(factory.django.DjangoModelFactory):
    """At least 40 HTX by 31/12/2020; `milestones` a list of (year, value)."""

    class Meta:
        model = Target

    plan = factory.SubFactory(PlanFactory)
    indicator = "so_htx"
    comparison = Comparison.AT_LEAST
    value = Decimal(40)
    due_on = date(2020, 12, 31)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return services.target_create(by=kwargs.pop("by", None), **kwargs)


def district_plan(area) -> Plan:
    """Nghị quyết 01-NQ/HU of Huyện ủy Chợ Đồn (2016–2020) with one target: at least 40 HTX
    by 31/12/2020, 35 by 2019."""
    plan = PlanFactory(area=area, number="01-NQ/HU")
    TargetFactory(plan=plan, milestones=[(2019, Decimal(35))])
    return plan
