"""Measure the indicators' dashboard and the `indicators` computation on the database that
bench/generate.py and bench/generate_yearly.py filled, against hand-written SQL.

    .venv/bin/python bench/dashboard.py \\
        --database-url postgres://postgres@127.0.0.1:5432/hoptac_bench_dashboard

Pages (django.test.Client, the whole middleware stack, signed in with force_login, no HTTP
server), each at the default date (today) and at --past (default 31/12/2022):
  province   the dashboard of the 2025 province with the most organisations, as its officer
  legacy     the dashboard of the old-tree province with the most organisations, as its officer
  country    the dashboard of the whole country, as the administrator
Computations (what `manage.py indicators --area CODE --date D --format json` runs, with
the command's own code, output to a buffer):
  indicators_province, indicators_country
The floor: the same figures computed by ONE hand-written SQL statement each, on the same
connection: `sql_headline` (the dashboard's headline figures: HTX, agricultural and not, tổ
hợp tác, unions, members, workers, founded in the year, value chain, high technology, rated
good or fair, rated good, reached by support in the year) and `sql_all` (every indicator the
command prints). Before timing, the script checks that the SQL and the app give the same
numbers (it stops otherwise).

For each: --warmup untimed runs, then --requests timed ones; median and p95 (nearest rank),
the number of SQL queries of one more run and their total time. The ratio app / SQL compares
the p95 of the page with the headline SQL, and of the computation with the SQL of all.

Prints a table; saves bench/results/<date>-<scale>-dashboard.json (and, with --explain, the
EXPLAIN ANALYZE of the slowest queries of each page in <date>-<scale>-dashboard-explain.txt).
"""

from __future__ import annotations

import argparse
import io
import json
import math
import os
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/hoptac_bench_dashboard"
GOALS_MS = {"province": 100, "legacy": 100, "country": 300}
RATIO_GOAL = 2.0


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


# --- the hand-written SQL (the floor) ----------------------------------------------------------

EXISTING = (
    "'dang_hoat_dong', 'tam_ngung_kinh_doanh', 'dang_lam_thu_tuc_giai_the', 'bi_thu_hoi_gcn', "
    "'bi_thu_hoi_do_cuong_che_thue', 'dang_lam_thu_tuc_pha_san', 'khong_hoat_dong_tai_dia_chi'"
)
ENDED = "'da_giai_the', 'da_pha_san'"
UNITS = "('hop_tac_xa', 'lien_hiep_hop_tac_xa')"


def _existing_sql(alias: str, on: str, today: date, day: date) -> str:
    """Existing on `day` (the SQL text of the date is `on`): the stored status for today,
    else the history (a change up to the day, no dissolution or bankruptcy up to it)."""
    if day >= today:
        return f"{alias}.status IN ({EXISTING})"
    return (
        f"EXISTS (SELECT 1 FROM registry_statuschange s WHERE s.cooperative_id = {alias}.id "
        f"AND s.effective_on <= {on}) AND ({alias}.status IN ({EXISTING}) OR NOT EXISTS ("
        f"SELECT 1 FROM registry_statuschange s WHERE s.cooperative_id = {alias}.id "
        f"AND s.status IN ({ENDED}) AND s.effective_on <= {on}))"
    )


def _area_sql(alias: str, field: str | None) -> str:
    return f"{alias}.{field}_id = %(area)s" if field else "TRUE"


def headline_sql(field: str | None, today: date, day: date) -> str:
    """The dashboard's headline figures in one statement."""
    area_c, area_f = _area_sql("c", field), _area_sql("f", field)
    join = "JOIN registry_cooperative rc ON rc.id = r.cooperative_id" if field else ""
    area_r = _area_sql("rc", field)
    return f"""
    WITH rating_year AS (
      SELECT r.year FROM ratings_rating r {join}
      WHERE r.status = 'approved' AND {area_r} AND r.year <= %(complete_year)s
      ORDER BY r.year DESC LIMIT 1
    ), rated AS (
      SELECT count(*) FILTER (WHERE r.rank IN ('tot', 'kha')) AS good_fair,
             count(*) FILTER (WHERE r.rank = 'tot') AS good,
             count(*) FILTER (WHERE r.rank IN ('tot', 'kha', 'trung_binh', 'yeu')) AS rated
      FROM ratings_rating r {join}
      WHERE r.status = 'approved' AND {area_r} AND r.year = (SELECT year FROM rating_year)
    )
    SELECT
      count(*) FILTER (WHERE c.kind = 'hop_tac_xa') AS so_htx,
      count(*) FILTER (WHERE c.kind = 'hop_tac_xa' AND c.sector = 'nong_nghiep') AS nn,
      count(*) FILTER (WHERE c.kind = 'hop_tac_xa' AND c.sector = 'phi_nong_nghiep') AS pnn,
      count(*) FILTER (WHERE c.kind = 'to_hop_tac') AS tht,
      count(*) FILTER (WHERE c.kind = 'lien_hiep_hop_tac_xa') AS lh,
      coalesce(sum(c.members_count) FILTER (WHERE c.kind IN {UNITS}), 0) AS members,
      coalesce(sum(c.workers_count) FILTER (WHERE c.kind IN {UNITS}), 0) AS workers,
      (SELECT count(*) FROM registry_cooperative f WHERE {area_f} AND f.kind = 'hop_tac_xa'
         AND f.founded_on BETWEEN %(start)s AND %(on)s) AS founded,
      count(*) FILTER (WHERE c.kind = 'hop_tac_xa' AND c.value_chain) AS chain,
      count(*) FILTER (WHERE c.kind = 'hop_tac_xa' AND c.high_tech) AS high_tech,
      (SELECT good_fair FROM rated), (SELECT good FROM rated), (SELECT rated FROM rated),
      count(*) FILTER (WHERE c.kind IN {UNITS}) AS units,
      count(*) FILTER (WHERE c.kind IN {UNITS} AND EXISTS (
        SELECT 1 FROM support_supportgrant g WHERE g.cooperative_id = c.id
        AND g.granted_on BETWEEN %(start)s AND %(on)s)) AS supported
    FROM registry_cooperative c
    WHERE {area_c} AND {_existing_sql("c", "%(on)s", today, day)}
    """


def tally_headline_sql(field: str | None) -> str:
    """The headline figures in one statement over the tally (indicators_tally, the figures
    added up in advance), in the order of headline_sql: the floor of a page that reads it."""
    grain = "province" if field else "country"
    area = f"t.{field} = %(area)s" if field else "TRUE"
    reg = "t.source = 'registry' AND t.year = %(year)s"
    rated = "t.source = 'ratings' AND t.year = (SELECT year FROM rating_year)"
    return f"""
    WITH rating_year AS (
      SELECT max(t.year) AS year FROM indicators_tally t
      WHERE t.grain = '{grain}' AND {area} AND t.source = 'ratings'
        AND t.year <= %(complete_year)s
    )
    SELECT
      coalesce(sum(t.n) FILTER (WHERE {reg} AND t.kind = 'hop_tac_xa'), 0),
      coalesce(sum(t.n) FILTER (WHERE {reg} AND t.kind = 'hop_tac_xa'
        AND t.sector = 'nong_nghiep'), 0),
      coalesce(sum(t.n) FILTER (WHERE {reg} AND t.kind = 'hop_tac_xa'
        AND t.sector = 'phi_nong_nghiep'), 0),
      coalesce(sum(t.n) FILTER (WHERE {reg} AND t.kind = 'to_hop_tac'), 0),
      coalesce(sum(t.n) FILTER (WHERE {reg} AND t.kind = 'lien_hiep_hop_tac_xa'), 0),
      coalesce(sum(t.members) FILTER (WHERE {reg} AND t.kind IN {UNITS}), 0),
      coalesce(sum(t.workers) FILTER (WHERE {reg} AND t.kind IN {UNITS}), 0),
      coalesce(sum(t.n) FILTER (WHERE t.source = 'founded' AND t.year = %(year)s
        AND t.kind = 'hop_tac_xa'), 0),
      coalesce(sum(t.n) FILTER (WHERE {reg} AND t.kind = 'hop_tac_xa' AND t.value_chain), 0),
      coalesce(sum(t.n) FILTER (WHERE {reg} AND t.kind = 'hop_tac_xa' AND t.high_tech), 0),
      coalesce(sum(t.n) FILTER (WHERE {rated} AND t.rank IN ('tot', 'kha')), 0),
      coalesce(sum(t.n) FILTER (WHERE {rated} AND t.rank = 'tot'), 0),
      coalesce(sum(t.n) FILTER (WHERE {rated}
        AND t.rank IN ('tot', 'kha', 'trung_binh', 'yeu')), 0),
      coalesce(sum(t.n) FILTER (WHERE {reg} AND t.kind IN {UNITS}), 0),
      coalesce(sum(t.n) FILTER (WHERE t.source = 'support' AND t.year = %(year)s
        AND t.kind IN {UNITS} AND t.supported), 0)
    FROM indicators_tally t
    WHERE t.grain = '{grain}' AND {area}
      AND t.source IN ('registry', 'founded', 'support', 'ratings')
    """


def tally_state() -> dict[str, Any] | None:
    """What the tally holds (None: not built; the pages then read the live tables)."""
    from hoptac.indicators.models import Tally, TallyState

    state = TallyState.objects.first()
    if state is None:
        return None
    return {
        "years": [state.first_year, state.last_year],
        "build_seconds": state.build_seconds,
        "rows": Tally.objects.count(),
    }


def all_sql(field: str | None, today: date, day: date) -> str:
    """Every indicator of the `indicators` command in one statement: the registry at the
    date (with the status that day), founded and ended in the year, the reports and ratings
    of the data year, filing for it, support in the year."""
    area_c = _area_sql("c", field)
    status = (
        "c.status"
        if day >= today
        else "(SELECT s.status FROM registry_statuschange s WHERE s.cooperative_id = c.id "
        "AND s.effective_on <= %(on)s ORDER BY s.effective_on DESC, s.id DESC LIMIT 1)"
    )
    join = "JOIN registry_cooperative c ON c.id = x.cooperative_id"

    def latest(table: str, extra: str) -> str:
        # The latest year with data: the year index read backwards, stopping at the first
        # row of the area.
        return (
            f"(SELECT x.year FROM {table} x {join} WHERE {area_c} AND {extra} "
            "AND x.year <= %(complete_year)s ORDER BY x.year DESC LIMIT 1)"
        )

    reported = "x.is_current AND x.status IN ('submitted', 'approved')"
    report_year = latest("reports_annualreport", reported)
    rating_year = latest("ratings_rating", "x.status = 'approved'")
    existing_end = _existing_sql("c", "make_date(y.year, 12, 31)", today, date(1900, 1, 1))
    both = "x.average_worker_income IS NOT NULL AND x.workers_count IS NOT NULL"
    return f"""
    WITH reg AS (
      SELECT c.kind, c.sector, c.members_count, c.workers_count, c.value_chain, c.high_tech,
             c.model_cooperative, {status} AS status_then
      FROM registry_cooperative c WHERE {area_c}
    ), live AS (SELECT * FROM reg WHERE status_then IN ({EXISTING})),
    rep AS (
      SELECT count(*) AS n, sum(x.revenue) AS revenue, count(x.revenue) AS n_revenue,
             sum(x.profit_before_tax) AS profit, count(x.profit_before_tax) AS n_profit,
             sum(x.average_worker_income * x.workers_count) FILTER (WHERE {both}) AS mass,
             sum(x.workers_count) FILTER (WHERE {both}) AS income_workers
      FROM reports_annualreport x {join}
      WHERE {area_c} AND {reported} AND x.year = {report_year}
    ), y AS (SELECT {report_year} AS year),
    filing AS (
      SELECT count(*) AS htx, count(*) FILTER (WHERE EXISTS (
               SELECT 1 FROM reports_annualreport x WHERE x.cooperative_id = c.id
               AND {reported} AND x.year = y.year)) AS filed
      FROM registry_cooperative c, y
      WHERE {area_c} AND c.kind = 'hop_tac_xa' AND {existing_end}
    ), rat AS (
      SELECT count(*) FILTER (WHERE x.rank IN ('tot', 'kha')) AS good_fair,
             count(*) FILTER (WHERE x.rank = 'tot') AS good,
             count(*) FILTER (WHERE x.rank = 'yeu') AS weak,
             count(*) FILTER (WHERE x.rank IN ('tot', 'kha', 'trung_binh', 'yeu')) AS rated
      FROM ratings_rating x {join}
      WHERE {area_c} AND x.status = 'approved' AND x.year = {rating_year}
    ), sup AS (
      SELECT count(*) AS units, count(*) FILTER (WHERE EXISTS (
               SELECT 1 FROM support_supportgrant g WHERE g.cooperative_id = c.id
               AND g.granted_on BETWEEN %(start)s AND %(on)s)) AS supported
      FROM registry_cooperative c
      WHERE {area_c} AND c.kind IN {UNITS} AND {_existing_sql("c", "%(on)s", today, day)}
    )
    SELECT
      (SELECT count(*) FILTER (WHERE kind = 'hop_tac_xa') FROM live) AS so_htx,
      (SELECT count(*) FILTER (WHERE kind = 'hop_tac_xa' AND sector = 'nong_nghiep') FROM live),
      (SELECT count(*) FILTER (WHERE kind = 'hop_tac_xa' AND sector = 'phi_nong_nghiep')
         FROM live),
      (SELECT count(*) FILTER (WHERE kind = 'hop_tac_xa' AND status_then = 'dang_hoat_dong')
         FROM live),
      (SELECT count(*) FILTER (WHERE kind = 'hop_tac_xa'
         AND status_then = 'tam_ngung_kinh_doanh') FROM live),
      (SELECT count(*) FILTER (WHERE kind = 'to_hop_tac') FROM live),
      (SELECT count(*) FILTER (WHERE kind = 'lien_hiep_hop_tac_xa') FROM live),
      (SELECT count(*) FROM registry_cooperative c WHERE {area_c} AND c.kind = 'hop_tac_xa'
         AND c.founded_on BETWEEN %(start)s AND %(on)s) AS founded,
      (SELECT count(*) FROM registry_cooperative c WHERE {area_c} AND c.kind = 'hop_tac_xa'
         AND EXISTS (SELECT 1 FROM registry_statuschange s WHERE s.cooperative_id = c.id
         AND s.status IN ({ENDED}) AND s.effective_on BETWEEN %(start)s AND %(on)s)) AS ended,
      (SELECT count(*) FILTER (WHERE kind = 'hop_tac_xa' AND model_cooperative) FROM live),
      (SELECT coalesce(sum(members_count) FILTER (WHERE kind IN {UNITS}), 0) FROM live),
      (SELECT coalesce(sum(workers_count) FILTER (WHERE kind IN {UNITS}), 0) FROM live),
      rep.*, filing.*, rat.*, sup.*,
      (SELECT count(*) FILTER (WHERE kind = 'hop_tac_xa' AND value_chain) FROM live),
      (SELECT count(*) FILTER (WHERE kind = 'hop_tac_xa' AND high_tech) FROM live)
    FROM rep, filing, rat, sup
    """


def _params(area: Any, day: date) -> dict[str, Any]:
    complete = day.year if (day.month, day.day) == (12, 31) else day.year - 1
    return {
        "area": area.pk if area is not None else None,
        "on": day,
        "start": date(day.year, 1, 1),
        "year": day.year,
        "complete_year": complete,
    }


def run_sql(sql: str, params: dict[str, Any]) -> tuple[Any, ...]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def _n(x: Any) -> Any:
    """A number as the app's JSON gives it (int when whole)."""
    if x is None:
        return None
    x = Decimal(x)
    return int(x) if x == x.to_integral_value() else float(x)


def app_figures(frame: Any, codes: Any = None) -> dict[str, Any]:
    from hoptac.indicators import selectors

    return {c: r.as_json() for c, r in selectors.indicator_values(frame=frame, codes=codes).items()}


def check_headline(row: tuple[Any, ...], app: dict[str, Any]) -> list[str]:
    (so_htx, nn, pnn, tht, lh, members, workers, founded, chain, high, good_fair, good, rated,
     units, supported) = row  # fmt: skip
    expected = {
        "so_htx": so_htx,
        "so_htx_nong_nghiep": nn,
        "so_htx_phi_nong_nghiep": pnn,
        "so_tht": tht,
        "so_lhhtx": lh,
        "so_thanh_vien": members,
        "so_lao_dong_thuong_xuyen": workers,
        "so_htx_thanh_lap_moi": founded,
        "ty_le_htx_chuoi_gia_tri": (chain, so_htx),
        "ty_le_htx_ung_dung_cnc": (high, so_htx),
        "ty_le_htx_hieu_qua_kha_tot": (good_fair, rated),
        "ty_le_htx_hieu_qua_tot": (good, rated),
        "ty_le_htx_tiep_can_ho_tro": (supported, units),
    }
    return _compare(expected, app)


def check_all(row: tuple[Any, ...], app: dict[str, Any]) -> list[str]:
    (so_htx, nn, pnn, active, suspended, tht, lh, founded, ended, model, members, workers,
     _n_rep, revenue, n_revenue, profit, n_profit, mass, income_workers, htx_end, filed,
     good_fair, good, weak, rated, units, supported, chain, high) = row  # fmt: skip
    expected = {
        "so_htx": so_htx,
        "so_htx_nong_nghiep": nn,
        "so_htx_phi_nong_nghiep": pnn,
        "so_htx_dang_hoat_dong": active,
        "so_htx_tam_ngung": suspended,
        "so_tht": tht,
        "so_lhhtx": lh,
        "so_htx_thanh_lap_moi": founded,
        "so_htx_giai_the": ended,
        "so_htx_dien_hinh": model,
        "so_thanh_vien": members,
        "so_lao_dong_thuong_xuyen": workers,
        "doanh_thu_tong": revenue or 0,
        "loi_nhuan_tong": profit or 0,
        "doanh_thu_binh_quan": (revenue or 0, n_revenue),
        "lai_binh_quan": (profit or 0, n_profit),
        "thu_nhap_binh_quan_ld": (mass or 0, income_workers or 0),
        "ty_le_htx_dung_luat": (filed, htx_end),
        "ty_le_htx_hieu_qua_kha_tot": (good_fair, rated),
        "ty_le_htx_hieu_qua_tot": (good, rated),
        "ty_le_htx_yeu": (weak, rated),
        "ty_le_htx_tiep_can_ho_tro": (supported, units),
        "ty_le_htx_chuoi_gia_tri": (chain, so_htx),
        "ty_le_htx_ung_dung_cnc": (high, so_htx),
    }
    return _compare(expected, app)


def _compare(expected: dict[str, Any], app: dict[str, Any]) -> list[str]:
    problems = []
    for code, want in expected.items():
        got = app[code]
        if isinstance(want, tuple):
            pair = (_n(got["numerator"]), _n(got["denominator"]))
            if pair != (_n(want[0]), _n(want[1])):
                problems.append(f"{code}: app {pair}, SQL {want}")
        elif _n(got["numerator"]) != _n(want):
            problems.append(f"{code}: app {got['numerator']}, SQL {want}")
    return problems


# --- timing ------------------------------------------------------------------------------------


def measure(
    work: Callable[[], Any], *, requests: int, warmup: int, explain: list[str] | None, label: str
) -> dict[str, Any]:
    """Time `work` (warm-up runs first); count the queries of one more run."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(warmup):
        work()
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as captured:
        work()
    queries = captured.captured_queries
    if explain is not None:
        explain.extend(explain_slowest(label, queries))
    return {
        "requests": requests,
        "median_ms": round(statistics.median(times), 1),
        "p95_ms": round(percentile(times, 95), 1),
        "min_ms": round(min(times), 1),
        "max_ms": round(max(times), 1),
        "queries": len(queries),
        "db_ms": round(sum(float(q["time"]) for q in queries) * 1000, 1),
        "slowest_query_ms": round(max((float(q["time"]) for q in queries), default=0) * 1000, 1),
    }


def explain_slowest(label: str, queries: list[dict[str, str]], top: int = 3) -> list[str]:
    from django.db import connection

    selects = [q for q in queries if q["sql"].lstrip().upper().startswith(("SELECT", "WITH"))]
    selects.sort(key=lambda q: float(q["time"]), reverse=True)
    out = [f"===== {label}"]
    with connection.cursor() as cursor:
        for q in selects[:top]:
            out.append(f"--- {float(q['time']) * 1000:.1f} ms: {q['sql']}")
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {q['sql']}")
            out.extend(row[0] for row in cursor.fetchall())
    return out


# --- the cases ---------------------------------------------------------------------------------


def bench_users() -> dict[str, Any]:
    """The administrator and the officers of the largest province of each tree."""
    from django.db.models import Count

    from hoptac.accounts.models import User
    from hoptac.areas.models import AdminUnit
    from hoptac.registry.models import Cooperative

    found: dict[str, Any] = {}
    for key, field in (("province", "province"), ("legacy", "province_legacy")):
        top = (
            Cooperative.objects.exclude(**{field: None})
            .values(field)
            .annotate(n=Count("pk"))
            .order_by("-n", field)
            .first()
        )
        if top is None:
            sys.exit("bench: the registry is empty; run bench/generate.py first")
        unit = AdminUnit.objects.get(pk=top[field])
        user, _ = User.objects.update_or_create(
            username=f"bench-dashboard-{key}",
            defaults={
                "role": "province_officer",
                "area": unit,
                "is_active": True,
                "full_name": f"Bench {key}",
            },
        )
        found[key] = (user, unit, top["n"])
    admin, _ = User.objects.update_or_create(
        username="bench-dashboard-admin",
        defaults={"role": "admin", "area": None, "is_active": True, "full_name": "Bench Admin"},
    )
    found["country"] = (admin, None, Cooperative.objects.count())
    return found


def run(args: argparse.Namespace) -> dict[str, Any]:
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from hoptac.core import fragments
    from hoptac.indicators import selectors
    from hoptac.indicators.sources import Frame

    today = timezone.localdate()
    past = args.past
    users = bench_users()
    dashboard = reverse("indicators:dashboard")
    explain: list[str] | None = [] if args.explain else None
    results: dict[str, Any] = {
        "areas": {
            key: {
                "pk": unit.pk if unit else None,
                "name": unit.name if unit else "Cả nước",
                "code": unit.code if unit else None,
                "organisations": n,
            }
            for key, (_user, unit, n) in users.items()
        },
        "today": today.isoformat(),
        "past": past.isoformat(),
        "tally": tally_state(),
        "measures": {},
    }
    measures = results["measures"]

    def record(name: str, result: dict[str, Any]) -> None:
        measures[name] = result
        print(
            f"  {name:<28} median {result['median_ms']:>8.1f} ms  p95 {result['p95_ms']:>8.1f} ms"
            f"  {result['queries']:>3} queries ({result['db_ms']:.1f} ms)"
            f"  load {result['load_1m']}  p95 of {len(result['p95_runs_ms'])} runs "
            f"{result['p95_runs_ms']}",
            flush=True,
        )

    def timed(name: str, run: Callable[[], Any], *, explained: bool = False) -> None:
        """Measure `--repeat` times; keep the run with the worst p95, with every run's p95
        and the machine's load at its start."""
        runs = []
        for index in range(args.repeat):
            load = round(os.getloadavg()[0], 2)
            found = measure(
                run,
                requests=args.requests,
                warmup=args.warmup,
                explain=explain if explained and index == 0 else None,
                label=name if explained else "",
            )
            found["load_1m"] = load
            runs.append(found)
        worst = max(runs, key=lambda r: r["p95_ms"])
        worst["p95_runs_ms"] = [r["p95_ms"] for r in runs]
        worst["load_runs"] = [r["load_1m"] for r in runs]
        record(name, worst)

    def floor(
        name: str, sql: str, params: dict[str, Any], frame: Frame, *, every: bool = False
    ) -> None:
        """Time a hand-written statement after checking it gives the app's figures."""
        check = check_all if every else check_headline
        problems = check(run_sql(sql, params), app_figures(frame))
        if problems:
            sys.exit(f"bench: {name}: the SQL and the app differ: {problems}")
        timed(name, lambda: run_sql(sql, params))

    for key, (user, unit, _n) in users.items():
        if args.areas and key not in args.areas:
            continue
        client = Client()
        client.force_login(user)
        field = None
        if unit is not None:
            field = "province" if unit.era == "2025" else "province_legacy"
        for when, day in (("today", today), ("past", past)):
            if args.dates and when not in args.dates:
                continue
            label = f"{key}_{when}"
            query = {"date": day.isoformat()}
            frame = Frame(area=unit, on=day)
            # Each floor is checked against the app's figures before it is timed.
            params = _params(unit, day)

            def page(client: Any = client, query: dict[str, str] = query) -> None:
                response = client.get(dashboard, query)
                if response.status_code != 200:
                    sys.exit(f"bench: the dashboard answered {response.status_code}")

            floor(f"sql_headline_{label}", headline_sql(field, today, day), params, frame)
            timed(f"page_{label}", page, explained=True)
            area_versions = fragments.area_namespaces([None if unit is None else unit.pk])

            def cold(page: Callable[[], None] = page, names: list[str] = area_versions) -> None:
                fragments.bump(*names)  # as a write to the area does: the parts made afresh
                page()

            timed(f"page_{label}_cold", cold)
            if results["tally"] is not None:
                floor(f"sql_tally_{label}", tally_headline_sql(field), params, frame)
            if key == "legacy":
                continue
            floor(f"sql_all_{label}", all_sql(field, today, day), params, frame, every=True)
            options: dict[str, Any] = {"date": day.isoformat(), "format": "json"}
            if unit is not None:
                options["area"] = f"{unit.era}:{unit.code}"

            def command(options: dict[str, Any] = options) -> None:
                call_command("indicators", stdout=io.StringIO(), **options)

            timed(f"indicators_{label}", command, explained=True)
    del selectors, connection
    return {"results": results, "explain": explain}


# --- report ------------------------------------------------------------------------------------


def rows_of(result: dict[str, Any]) -> list[dict[str, Any]]:
    """One line per measured thing: the app's figure, the SQL floor, the ratio, the goal."""
    m = result["measures"]
    lines = []
    for name, value in m.items():
        if name.startswith("sql_"):
            continue
        kind, _, case = name.partition("_")
        area = case.rsplit("_", 1)[0]
        floor = m.get(f"sql_headline_{case}" if kind == "page" else f"sql_all_{case}")
        ratio = round(value["p95_ms"] / floor["p95_ms"], 1) if floor and floor["p95_ms"] else None
        tally = m.get(f"sql_tally_{case}") if kind == "page" else None
        tally_ratio = round(value["p95_ms"] / tally["p95_ms"], 1) if tally else None
        goal = GOALS_MS.get(area)
        verdict = ""
        if goal is not None:
            fast = value["p95_ms"] < goal
            near = ratio is not None and ratio <= RATIO_GOAL
            verdict = f"p95 < {goal} ms: {'ok' if fast else 'MISSED'}; ≤ 2× SQL: " + (
                "ok" if near else "MISSED"
            )
        lines.append(
            {
                "measure": name,
                "median_ms": value["median_ms"],
                "p95_ms": value["p95_ms"],
                "queries": value["queries"],
                "sql_p95_ms": floor["p95_ms"] if floor else None,
                "ratio": ratio,
                "tally_sql_p95_ms": tally["p95_ms"] if tally else None,
                "tally_ratio": tally_ratio,
                "verdict": verdict,
            }
        )
    return lines


def table(result: dict[str, Any]) -> str:
    out = [
        "| measure | median | p95 | queries | SQL floor p95 | app / SQL "
        "| tally SQL p95 | app / tally SQL | goal |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in rows_of(result):
        floor = f"{r['sql_p95_ms']:.1f} ms" if r["sql_p95_ms"] is not None else ""
        ratio = f"{r['ratio']:.1f}×" if r["ratio"] is not None else ""
        tally = f"{r['tally_sql_p95_ms']:.1f} ms" if r["tally_sql_p95_ms"] is not None else ""
        tally_ratio = f"{r['tally_ratio']:.1f}×" if r["tally_ratio"] is not None else ""
        out.append(
            f"| {r['measure']} | {r['median_ms']:.1f} ms | {r['p95_ms']:.1f} ms | "
            f"{r['queries']} | {floor} | {ratio} | {tally} | {tally_ratio} | {r['verdict']} |"
        )
    return "\n".join(out)


def generation_info() -> dict[str, Any]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('bench_meta')")
        if cursor.fetchone()[0] is None:
            return {}
        cursor.execute("SELECT key, value FROM bench_meta")
        return {
            key: json.loads(value) if isinstance(value, str) else value
            for key, value in cursor.fetchall()
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument(
        "--repeat", type=int, default=1, help="measure each N times; report the worst p95"
    )
    parser.add_argument("--past", type=date.fromisoformat, default=date(2022, 12, 31))
    parser.add_argument("--explain", action="store_true")
    parser.add_argument(
        "--no-jit",
        action="store_true",
        help="SET jit = off for the session (the server's setting otherwise)",
    )
    parser.add_argument("--no-save", action="store_true")
    parser.add_argument(
        "--no-freeze",
        action="store_true",
        help="do not load config.wsgi (whose gc.freeze() the app servers run at startup)",
    )
    parser.add_argument(
        "--areas",
        nargs="+",
        choices=("province", "legacy", "country"),
        help="measure only these areas (default: all three)",
    )
    parser.add_argument(
        "--dates", nargs="+", choices=("today", "past"), help="only these dates (default: both)"
    )
    args = parser.parse_args()
    if args.requests < 20:
        sys.exit("bench: --requests must be at least 20 for a p95")
    url = common.check_url(args.database_url)
    common.setup_django(url)
    if not args.no_freeze:
        import config.wsgi  # noqa: F401  (as gunicorn loads it: gc.freeze() after startup)
    from django.db import connection

    from hoptac.registry.models import Cooperative

    scale = Cooperative.objects.count()
    with connection.cursor() as cursor:
        if args.no_jit:
            cursor.execute("SET jit = off")
        postgres = common.postgres_info(cursor)
    print(f"dashboard benchmark: {scale:,} organisations; load {common.machine()['load']}")
    started = time.perf_counter()
    done = run(args)
    result = {
        "scale": scale,
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "duration_s": round(time.perf_counter() - started, 1),
        "machine": common.machine(),
        "postgres": postgres,
        "generation": generation_info(),
        **done["results"],
    }
    result["table"] = rows_of(result)
    print()
    print(table(result))
    if args.no_save:
        return
    stem = f"{datetime.now(UTC).date().isoformat()}-{scale}-dashboard"
    if args.areas or args.dates:
        stem += "-" + "-".join([*(args.areas or []), *(args.dates or [])])
    if args.no_jit:
        stem += "-nojit"
    if result["tally"] is not None:
        stem += "-tally"
    if args.no_freeze:
        stem += "-nofreeze"
    common.RESULTS_DIR.mkdir(exist_ok=True)
    target = common.RESULTS_DIR / f"{stem}.json"
    target.write_text(json.dumps(result, indent=2, ensure_ascii=False, default=str) + "\n")
    print(f"\nsaved {target.relative_to(common.ROOT)}")
    if done["explain"]:
        (common.RESULTS_DIR / f"{stem}-explain.txt").write_text("\n".join(done["explain"]) + "\n")


if __name__ == "__main__":
    main()
