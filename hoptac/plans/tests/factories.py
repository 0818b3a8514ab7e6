"""Test data of the plans app, shared by its tests and the project's input tests."""

from datetime import date
from decimal import Decimal

from hoptac.plans import services
from hoptac.plans.models import Plan


def district_plan(area) -> Plan:
    """Nghị quyết 01-NQ/HU of Huyện ủy Chợ Đồn (2016–2020) with one target: at least 40 HTX
    by 31/12/2020, 35 by 2019."""
    plan = services.plan_create(
        by=None,
        kind="nghi_quyet",
        number="01-NQ/HU",
        title="Phát triển kinh tế tập thể",
        issuer="Huyện ủy Chợ Đồn",
        area=area,
        start_year=2016,
        end_year=2020,
    )
    services.target_create(
        plan=plan,
        by=None,
        indicator="so_htx",
        comparison=">=",
        value=Decimal(40),
        due_on=date(2020, 12, 31),
        milestones=[(2019, Decimal(35))],
    )
    return plan
