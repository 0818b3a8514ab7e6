"""The list's total: exact up to HOPTAC_EXACT_COUNT_LIMIT rows, the planner's estimate above it
on PostgreSQL (always exact elsewhere); paging works whatever the estimate says."""

from copy import copy

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import translation

from hoptac.core import paging
from hoptac.registry.models import Cooperative
from hoptac.registry.tests.factories import CooperativeFactory

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the planner's estimate exists on PostgreSQL only; SQLite always counts exactly",
)


@pytest.mark.parametrize(
    ("value", "shown"),
    [(7, 7), (99, 99), (1_001, 1_000), (42_541, 43_000), (35_582, 36_000), (999_970, 1_000_000)],
)
def test_an_estimate_is_shown_with_two_significant_digits(value, shown):
    assert paging.round_estimate(value) == shown


def english_list_url():
    with translation.override("en"):
        return reverse("registry:cooperative_list")


def many(count):
    """`count` organisations named "HTX Mẫu 000"…, in one INSERT after the first."""
    first = CooperativeFactory(name="HTX Mẫu 000", tax_code="")
    rows = []
    for i in range(1, count):
        row = copy(first)
        row.pk, row.name = None, f"HTX Mẫu {i:03d}"
        rows.append(row)
    Cooperative.objects.bulk_create(rows)
    return Cooperative.objects.order_by("name", "pk")


@pytest.mark.django_db
def test_below_the_limit_the_count_is_exact(settings):
    settings.HOPTAC_EXACT_COUNT_LIMIT = 20
    paginator = paging.EstimatingPaginator(many(12), 5)
    assert paginator.count == 12
    assert not paginator.estimated
    assert paginator.num_pages == 3


@pytest.mark.django_db
def test_other_databases_and_a_zero_limit_always_count_exactly(settings):
    settings.HOPTAC_EXACT_COUNT_LIMIT = 3
    paginator = paging.EstimatingPaginator(many(12), 5)
    if connection.vendor == "postgresql":
        assert paginator.estimated
        assert paginator.count >= 4  # the estimate, at least the rows seen
    else:
        assert (paginator.count, paginator.estimated) == (12, False)
    always = paging.EstimatingPaginator(Cooperative.objects.order_by("name"), 5, exact_limit=0)
    assert always.count == 12
    assert not always.estimated


@postgresql_only
@pytest.mark.django_db
def test_above_the_limit_the_count_is_the_planners_estimate(settings):
    settings.HOPTAC_EXACT_COUNT_LIMIT = 5
    rows = many(30)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE registry_cooperative")
    paginator = paging.EstimatingPaginator(rows, 10)
    assert paginator.count == paging.planner_estimate(rows) == 30
    assert paginator.estimated
    narrower = rows.filter(name__startswith="HTX Mẫu 00")
    assert paging.planner_estimate(narrower) < 30


@postgresql_only
@pytest.mark.django_db
def test_paging_over_an_estimate_reaches_every_row_and_ends_exactly(settings):
    """Whatever the estimate (no ANALYZE here: the planner guesses), walking "next" reads every
    row once; the last page makes the count exact; a page beyond the end shows the last one."""
    settings.HOPTAC_EXACT_COUNT_LIMIT = 5
    rows = many(23)
    expected = list(rows.values_list("name", flat=True))

    paginator = paging.EstimatingPaginator(rows, 5)
    assert paginator.estimated
    seen, number = [], 1
    while True:
        page = paginator.get_page(number)
        seen.extend(c.name for c in page)
        if not page.has_next():
            break
        number = page.next_page_number()
    assert seen == expected
    assert (paginator.count, paginator.estimated, paginator.num_pages) == (23, False, 5)

    beyond = paging.EstimatingPaginator(rows, 5).get_page(10_000)
    assert beyond.number == 5
    assert [c.name for c in beyond] == expected[20:]
    assert (beyond.paginator.count, beyond.paginator.estimated) == (23, False)


@postgresql_only
@pytest.mark.django_db
def test_list_page_shows_an_approximate_total_and_pages_beyond_it(client, admin, settings):
    settings.HOPTAC_EXACT_COUNT_LIMIT = 10
    many(60)  # more than a page of 50
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE registry_cooperative")
    client.force_login(admin)
    list_url = english_list_url()

    response = client.get(list_url)
    page = response.context["page"]
    assert page.paginator.estimated
    html = response.content.decode()
    assert 'data-estimated="true"' in html
    assert "Cooperatives found: about 60" in html
    assert "Page 1 of about 2" in html

    last = client.get(list_url, {"page": 99})
    assert last.status_code == 200
    assert last.context["page"].number == 2
    assert len(last.context["page"]) == 10
    html = last.content.decode()
    assert "Cooperatives found: 60" in html
    assert "data-estimated" not in html


@pytest.mark.django_db
def test_list_page_counts_exactly_below_the_limit_and_on_sqlite(client, admin, settings):
    settings.HOPTAC_EXACT_COUNT_LIMIT = 100 if connection.vendor == "postgresql" else 10
    many(60)
    client.force_login(admin)
    response = client.get(english_list_url())
    html = response.content.decode()
    assert "Cooperatives found: 60" in html
    assert "data-estimated" not in html
    assert "Page 1 of 2" in html
    assert client.get(english_list_url(), {"page": 99}).context["page"].number == 2
