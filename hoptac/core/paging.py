"""Paging of long lists (the registry list, the HTX behind an indicator): the total is
counted exactly up to a limit, estimated above it.

Counting a million rows exactly (or the 35,000 that a search matches nationally) costs more
than the page itself: PostgreSQL must visit every matching row. Above
HOPTAC_EXACT_COUNT_LIMIT rows (default 1,000) the list shows the planner's estimate instead
("about 53,000"): the `Plan Rows` of EXPLAIN of the list's query, which costs a plan and no
scan. Below the limit, and on other databases, the count is exact.

Page numbers still work: each page reads one row more than it shows, so "next" is offered
while there are rows; a page with fewer rows is the last one and makes the count exact; a
page beyond the end (the estimate was too high) counts exactly and shows the last page.
"""

from __future__ import annotations

import json
from functools import cached_property
from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db import connections
from django.db.models import QuerySet

DEFAULT_EXACT_COUNT_LIMIT = 1000


def exact_count_limit() -> int:
    """HOPTAC_EXACT_COUNT_LIMIT: up to how many rows a list counts exactly (0: always)."""
    return int(getattr(settings, "HOPTAC_EXACT_COUNT_LIMIT", DEFAULT_EXACT_COUNT_LIMIT))


def planner_estimate(queryset: QuerySet[Any]) -> int | None:
    """The rows PostgreSQL's planner expects `queryset` to return (EXPLAIN's `Plan Rows`),
    without running it; None on other databases."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    sql, params = queryset.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str | bytes):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


def round_estimate(value: int) -> int:
    """An estimate as people say it: two significant digits (42,541 → 43,000)."""
    if value < 100:
        return value
    magnitude = 10 ** (len(str(value)) - 2)
    return int(round(value / magnitude) * magnitude)


class EstimatingPaginator(Paginator):
    """A Paginator of a QuerySet whose `count` is exact up to `exact_limit` rows and the
    planner's estimate above it (PostgreSQL only; elsewhere always exact).

    `estimated` tells whether `count` is an estimate; `shown_count` is what to print.

    `estimate_above` (optional): ask the planner first, and take its estimate without counting
    when it expects more than that many rows. For a search, whose bounded count must build
    the whole bitmap of its matches (bench/README.md, "Search"); the estimate can be wrong by
    a factor (it already is, above the limit), and a first page with fewer rows than a page
    still makes the count exact.
    """

    def __init__(
        self,
        object_list: QuerySet[Any],
        per_page: int,
        *,
        exact_limit: int | None = None,
        estimate_above: int | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(object_list, per_page, **kwargs)
        self.exact_limit = exact_count_limit() if exact_limit is None else exact_limit
        self.estimate_above = estimate_above
        self._estimated = False

    @property
    def estimated(self) -> bool:
        """Is `count` the planner's estimate (not an exact count)?"""
        return self.count >= 0 and self._estimated

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        limit = self.exact_limit
        if limit <= 0 or connections[queryset.db].vendor != "postgresql":
            return queryset.count()
        estimate = None
        if self.estimate_above is not None:
            estimate = planner_estimate(queryset) or 0
            if estimate > max(self.estimate_above, limit):
                self._estimated = True
                return estimate
        bounded = queryset.order_by()[: limit + 1].count()
        if bounded <= limit:
            return bounded
        if estimate is None:
            estimate = planner_estimate(queryset) or 0
        self._estimated = True
        return max(estimate, limit + 1)

    @property
    def shown_count(self) -> int:
        return round_estimate(self.count) if self.estimated else self.count

    def _set_count(self, count: int, *, exact: bool) -> None:
        self.__dict__["count"] = count
        self._estimated = self._estimated and not exact
        for name in ("num_pages", "page_range"):
            self.__dict__.pop(name, None)

    def page(self, number: Any) -> Page:
        number = self.validate_number(number)
        if not self.estimated:
            return super().page(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        if len(rows) > self.per_page:
            # More rows follow: the estimate must leave a next page.
            if self.count < bottom + len(rows):
                self._set_count(bottom + len(rows), exact=False)
            rows = rows[: self.per_page]
        elif rows:
            # The last page: now the total is known.
            self._set_count(bottom + len(rows), exact=True)
        else:
            # Beyond the end (the estimate was too high): count, and show the last page.
            self._set_count(self.object_list.count(), exact=True)
            if number > 1:
                return self.page(self.num_pages)
        return self._get_page(rows, number, self)
