"""A search's total (issue #17 item 2): on PostgreSQL the list takes the planner's estimate
without the bounded count when the planner expects far more rows than the exact limit; a
search expected to find few is counted exactly; SQLite always counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hoptac.core import paging
from hoptac.registry.models import Cooperative
from hoptac.registry.tests.factories import CooperativeFactory
from hoptac.registry.views import SEARCH_ESTIMATE_FACTOR

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the planner's estimate exists on PostgreSQL only; SQLite always counts exactly",
)


def teas(count, rare=3):
    """`count` tea HTX ("HTX Chè 000"…) and `rare` rice HTX, in one INSERT, analysed."""
    first = CooperativeFactory(name="HTX Chè 000", tax_code="")
    rows = [
        Cooperative(
            **{**_fields(first), "name": f"HTX Chè {i:03d}", "search_text": f"htx che {i:03d}"}
        )
        for i in range(1, count)
    ] + [
        Cooperative(**{**_fields(first), "name": f"HTX Lúa {i}", "search_text": f"htx lua {i}"})
        for i in range(rare)
    ]
    Cooperative.objects.bulk_create(rows)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE registry_cooperative")


def _fields(row):
    skip = {"id", "name", "search_text"}
    return {
        f.attname: getattr(row, f.attname)
        for f in Cooperative._meta.concrete_fields
        if f.attname not in skip
    }


def counts(queries):
    """The bounded counts of organisations among `queries`."""
    return [q["sql"] for q in queries if 'COUNT(*) FROM (SELECT "registry_cooperative"' in q["sql"]]


@postgresql_only
def test_far_above_the_limit_the_estimate_is_taken_without_counting(client, admin, settings):
    settings.HOPTAC_EXACT_COUNT_LIMIT = 10
    teas(80)
    client.force_login(admin)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("registry:cooperative_list"), {"q": "hop tac xa che"})
    paginator = response.context["page"].paginator
    assert paginator.estimated
    assert paginator.count > SEARCH_ESTIMATE_FACTOR * 10
    assert counts(captured.captured_queries) == []  # no bounded count
    assert len(response.context["page"]) == 50


@postgresql_only
def test_a_search_expected_to_find_few_is_counted_exactly(client, admin, settings):
    settings.HOPTAC_EXACT_COUNT_LIMIT = 10
    teas(80)
    client.force_login(admin)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("registry:cooperative_list"), {"q": "lua"})
    paginator = response.context["page"].paginator
    assert (paginator.count, paginator.estimated) == (3, False)
    assert len(counts(captured.captured_queries)) == 1


@postgresql_only
def test_the_estimate_is_asked_once_when_the_count_goes_past_the_limit(settings):
    settings.HOPTAC_EXACT_COUNT_LIMIT = 10
    teas(30)
    rows = Cooperative.objects.filter(search_text__contains="che").order_by("name")
    with CaptureQueriesContext(connection) as captured:
        paginator = paging.EstimatingPaginator(rows, 5, estimate_above=10_000)
        assert paginator.estimated
        assert paginator.count >= 11
    explains = [q for q in captured.captured_queries if q["sql"].startswith("EXPLAIN")]
    assert len(explains) == 1
    assert len(counts(captured.captured_queries)) == 1


def test_without_a_search_or_on_sqlite_the_list_counts_as_before(client, admin, settings):
    settings.HOPTAC_EXACT_COUNT_LIMIT = 1000
    teas(80)
    client.force_login(admin)
    response = client.get(reverse("registry:cooperative_list"), {"q": "hop tac xa che"})
    assert (
        response.context["page"].paginator.count,
        response.context["page"].paginator.estimated,
    ) == (80, False)
    listed = client.get(reverse("registry:cooperative_list"))
    assert listed.context["page"].paginator.count == 83
