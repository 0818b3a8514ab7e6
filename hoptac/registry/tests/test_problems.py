"""The data-quality filter of the registry list (selectors.with_problem, ?problem=)."""

import pytest
from django.urls import reverse

from hoptac.registry import selectors
from hoptac.registry.choices import Problem
from hoptac.registry.models import Cooperative
from hoptac.registry.tests.factories import CooperativeFactory, legacy_unit

pytestmark = pytest.mark.django_db


def _names(user, problem):
    qs = selectors.cooperative_list(user=user, filters={"problem": problem})
    return sorted(qs.values_list("name", flat=True))


def test_no_commune_keeps_only_organisations_placed_nowhere(admin):
    placed = CooperativeFactory(name="HTX Có Xã")
    nowhere = CooperativeFactory(name="HTX Không Xã")
    Cooperative.objects.filter(pk=nowhere.pk).update(commune_legacy=None, commune=None)  # type: ignore[attr-defined]
    assert _names(admin, Problem.NO_COMMUNE) == ["HTX Không Xã"]
    assert placed.name not in _names(admin, Problem.NO_COMMUNE)


def test_duplicate_name_ignores_case_and_diacritics(admin):
    CooperativeFactory(name="HTX Chè Tân Cương")
    CooperativeFactory(name="htx che tan cuong")
    CooperativeFactory(name="HTX Chè Khác")
    assert _names(admin, Problem.DUPLICATE_NAME) == ["HTX Chè Tân Cương", "htx che tan cuong"]


def test_duplicate_name_counts_only_twins_the_user_may_see(commune_officer):
    CooperativeFactory(name="HTX Song Sinh", commune_legacy=legacy_unit("02062"))
    CooperativeFactory(name="HTX Song Sinh", commune_legacy=legacy_unit("02071"))  # not his
    assert _names(commune_officer, Problem.DUPLICATE_NAME) == []


def test_unknown_problem_keeps_nothing(admin):
    CooperativeFactory()
    assert _names(admin, "nonsense") == []


def test_the_list_page_filters_by_problem(client, admin):
    CooperativeFactory(name="HTX Đôi")
    CooperativeFactory(name="HTX Doi")
    CooperativeFactory(name="HTX Lẻ")
    client.force_login(admin)
    response = client.get(reverse("registry:cooperative_list"), {"problem": "duplicate_name"})
    assert response.context["page"].paginator.count == 2
    assert "HTX Lẻ" not in response.text
