"""A small data set with one object of every kind a URL names, in Xã Lương Bằng (Chợ Đồn,
Bắc Kạn; old tree), so that the administrator and the officers of the province, the district
and the commune all see it. Made through the services, as in real use."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from hoptac.areas.models import AdminUnit
from hoptac.market import services as market_services
from hoptac.market.choices import Category, CertificationKind, EventKind, LinkKind, TrademarkKind
from hoptac.plans import services as plan_services
from hoptac.portal import services as portal_services
from hoptac.ratings import services as rating_services
from hoptac.registry.tests.factories import CooperativeFactory
from hoptac.reports.tests.factories import approved_report, make_report
from hoptac.support import services as support_services
from hoptac.support.choices import CourseTopic, FundingSource, ParticipantRole
from hoptac.support.models import Policy

YEAR = 2019


def build_sample(*, admin: Any, manager: Any) -> None:
    """One of each: HTX (with `manager`), reports, rating, plan and target, policy, budget,
    grant and its file, course and participant, remediation case and action, product and
    certification, trademark, trade event and participation, partner company and link, news
    article and citizen's message."""
    province = AdminUnit.objects.get(era="legacy", code="06")
    district = AdminUnit.objects.get(era="legacy", code="064")
    commune = AdminUnit.objects.get(era="legacy", code="02062")
    cooperative = CooperativeFactory(name="HTX Chè Mỹ Phương", is_published=True)
    cooperative.managers.add(manager)
    approved_report(cooperative, YEAR - 1)
    approved_report(cooperative, YEAR)
    make_report(cooperative, YEAR + 1)
    rating_services.rating_start(cooperative=cooperative, year=YEAR, by=admin)

    plan = plan_services.plan_create(
        by=None, kind="nghi_quyet", number="01-NQ/HU", title="Kinh tế tập thể",
        issuer="Huyện ủy Chợ Đồn", area=district, start_year=2016, end_year=2020,
    )  # fmt: skip
    plan_services.target_create(
        plan=plan, by=None, indicator="so_htx", comparison=">=", value=Decimal(40),
        due_on=date(2020, 12, 31), milestones=[(YEAR, Decimal(35))],
    )  # fmt: skip

    policy = Policy.objects.create(code="bk-fuzz", name="Hỗ trợ", kind="branding", area=province)
    support_services.budget_save(
        by=None, policy=policy, year=YEAR, area=province, source=FundingSource.PROVINCE,
        amount=Decimal(5_000_000),
    )  # fmt: skip
    grant = support_services.grant_record(
        by=None, cooperative=cooperative, policy=policy, granted_on=date(YEAR, 5, 2),
        source=FundingSource.PROVINCE, amount=Decimal(1_000_000), override_reason="Thử",
    )  # fmt: skip
    support_services.attachment_add(
        grant=grant, file=SimpleUploadedFile("qd.pdf", b"%PDF-1.4 x"), by=None
    )
    course = support_services.course_save(
        by=None, title="Tập huấn", topic=CourseTopic.COOPERATIVE_LAW, starts_on=date(YEAR, 3, 1),
        ends_on=date(YEAR, 3, 2), organiser="UBND xã", area=commune,
    )  # fmt: skip
    support_services.participant_save(
        by=None, course=course, name="Lục Văn Phong", role=ParticipantRole.MANAGER,
        cooperative=cooperative,
    )  # fmt: skip
    case = support_services.remediation_open(cooperative=cooperative, year=YEAR, by=None)
    support_services.action_save(case=case, by=None, description="Bồi dưỡng Ban quản trị")
    support_services.note_add(case=case, by=None, text="Đã làm việc với HTX")

    product = market_services.product_save(
        by=None, cooperative=cooperative, name="Chè Shan tuyết", category=Category.TEA, unit="kg"
    )
    market_services.certification_save(
        by=None, product=product, kind=CertificationKind.OCOP, stars=3, year=YEAR
    )
    market_services.trademark_save(
        by=None, cooperative=cooperative, name="Chè Mỹ Phương", kind=TrademarkKind.COLLECTIVE
    )
    event = market_services.event_save(
        by=None, name="Hội chợ", kind=EventKind.FAIR, starts_on=date(YEAR, 6, 1), area=province
    )
    market_services.participation_save(by=None, event=event, cooperative=cooperative, contracts=1)
    company = market_services.company_save(
        by=None, name="Công ty Nông sản", tax_code="4700900001", address="Bắc Kạn"
    )
    market_services.link_save(
        by=None, cooperative=cooperative, company=company, kind=LinkKind.OUTPUT,
        product_name="Chè", starts_on=date(YEAR, 1, 1),
    )  # fmt: skip

    portal_services.article_save(
        by=admin, province=province, title="Tin thử", summary="Tóm tắt", body="<p>Nội dung</p>",
        status="published",
    )  # fmt: skip
    portal_services.message_submit(
        kind="feedback", name="Người dân", contact="0912345678", subject="Hỏi",
        content="Xin hỏi về thủ tục",
    )  # fmt: skip
