"""The test-data factories of every app make their rows through the apps' services, so that a
test's data is as in real use: each test here checks what only the service does (a folded
search text, a history record with its author, an audit entry, an eligibility check, a
proposal of the rating engine, a sanitised body, a job's recorded language), and would fail
for a factory that wrote the model directly."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import transaction

from conftest import TEST_PASSWORD
from hoptac.accounts.choices import AuditAction, Role
from hoptac.accounts.models import AuditEntry
from hoptac.accounts.tests.factories import UserFactory, coop_manager, root_admin
from hoptac.jobs.choices import JobState
from hoptac.jobs.tests.factories import JobFactory
from hoptac.market.tests.factories import CompanyFactory, ProductFactory
from hoptac.plans.tests.factories import PlanFactory, TargetFactory
from hoptac.portal.choices import MessageStatus
from hoptac.portal.tests.factories import ArticleFactory, MessageFactory
from hoptac.ratings.tests.factories import RatingFactory
from hoptac.registry.tests.factories import CooperativeFactory
from hoptac.support.choices import Eligibility
from hoptac.support.tests.factories import (
    BudgetFactory,
    CourseFactory,
    GrantFactory,
    ParticipantFactory,
    PolicyFactory,
    RemediationCaseFactory,
)

pytestmark = pytest.mark.django_db


def test_user_factory_creates_through_the_service_with_an_audit_entry(luong_bang):
    user = UserFactory(full_name="Nông Thị Mai")
    assert (user.role, user.area, user.is_staff) == (Role.COMMUNE_OFFICER, luong_bang, False)
    assert user.check_password(TEST_PASSWORD)
    assert user.search_name == f"{user.username} nong thi mai"
    assert user.history.get().history_user == root_admin()
    entry = AuditEntry.objects.get(action=AuditAction.USER_CREATED)
    assert (entry.actor, entry.object_id) == (root_admin(), str(user.pk))


def test_user_factory_refuses_an_area_that_does_not_fit_the_role(bac_kan):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        UserFactory(role=Role.DISTRICT_OFFICER, area=bac_kan)
    assert list(error.value.message_dict) == ["area"]


def test_coop_manager_is_bound_to_the_htx():
    htx = CooperativeFactory(name="HTX Chè Mỹ Phương")
    manager = coop_manager(htx)
    assert (manager.role, list(htx.managers.all())) == (Role.COOP_MANAGER, [manager])
    assert manager.area == htx.commune_legacy


def test_market_factories_fold_the_search_text():
    product = ProductFactory(name="Trà hoa vàng", cooperative=CooperativeFactory(name="HTX Mỹ"))
    assert product.search_text == "tra hoa vang che tea htx my"
    company = CompanyFactory(name="Công ty Đặc sản", tax_code="4700000009", address="Bắc Kạn")
    assert company.search_text == "cong ty dac san 4700000009 bac kan"


def test_support_factories_check_eligibility_and_keep_history(province_officer, bac_kan):
    policy = PolicyFactory(by=province_officer)
    grant = GrantFactory(policy=policy, by=province_officer)
    assert grant.eligibility == Eligibility.NOT_CHECKED  # a policy without criteria
    assert grant.history.get().history_user == province_officer
    budget = BudgetFactory(policy=policy)
    assert (budget.area, budget.year, budget.amount) == (bac_kan, 2019, Decimal(500_000_000))
    participant = ParticipantFactory(course=CourseFactory(area=bac_kan))
    assert participant.area is None  # an HTX manager has no area of his own (Participant.clean)
    case = RemediationCaseFactory(by=province_officer)
    assert (case.year, case.is_open, case.created_by) == (2019, True, province_officer)


def test_rating_factory_is_the_engines_proposal_from_the_approved_report():
    rating = RatingFactory()
    assert (rating.year, rating.rules_id) == (2019, "tt09-2017")
    assert rating.report is not None
    assert rating.report.year == 2019
    assert rating.history.get().history_user is None  # the system proposed it


def test_plan_factories_validate_the_indicator_and_store_milestones(cho_don):
    target = TargetFactory(plan=PlanFactory(area=cho_don), milestones=[(2019, Decimal(35))])
    assert (target.plan.area, target.indicator, target.due_on) == (
        cho_don,
        "so_htx",
        date(2020, 12, 31),
    )
    assert list(target.milestones.values_list("year", "value")) == [(2019, Decimal(35))]


def test_portal_factories_sanitise_and_date_the_article():
    article = ArticleFactory(body='<p onclick="x()">Tin <script>alert(1)</script>mới</p>')
    assert article.body == "<p>Tin mới</p>"
    assert article.slug.startswith("hop-tac-xa-che-bac-kan-vao-mua-")
    assert article.published_at is not None
    assert article.created_by == root_admin()
    message = MessageFactory(name="  Hà Văn Tú  ")
    assert (message.name, message.status) == ("Hà Văn Tú", MessageStatus.NEW)


def test_job_factory_queues_on_commit_with_the_language(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        job = JobFactory()
    assert (job.state, job.owner, job.params) == (
        JobState.QUEUED,
        None,
        {"n": 3, "_language": "vi"},
    )
    assert len(callbacks) == 1
