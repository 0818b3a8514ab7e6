"""Add ten years of yearly data to a database bench/generate.py filled: annual reports,
approved ratings and support grants, for the dashboard's benchmark (bench/dashboard.py).

    .venv/bin/python bench/generate.py --scale 35000 \\
        --database-url postgres://postgres@127.0.0.1:5432/hoptac_bench_dashboard
    .venv/bin/python bench/generate_yearly.py \\
        --database-url postgres://postgres@127.0.0.1:5432/hoptac_bench_dashboard

For each year of --first-year..--last-year (default 2016-2025) and each cooperative or union
(kinds hop_tac_xa and lien_hiep_hop_tac_xa; tổ hợp tác file no annual report) that exists on
31 December of that year by its status history (first StatusChange on or before the day, no
dissolution or bankruptcy on or before it, as the indicators count):

- an annual report (hoptac.reports AnnualReport: version 1, current, approved, or submitted
  for about 1 in 12) filed by a share of them that rises from 62 % to 88 % over the years,
  with members, regular workers, average income of a worker, revenue and profit before tax
  (log-normal, growing about 7 % a year; a tenth make a loss); every other figure is left
  empty (NULL);
- an approved rating (hoptac.ratings Rating, status approved: what RatingResult and the
  indicators read) for about 85 % of those that reported, its rank drawn with weights that
  improve over the years (tốt 10 → 18 %, yếu 20 → 10 %), engine rank and total consistent
  with it; the score JSON fields empty;
- a support grant (hoptac.support SupportGrant) for about 40 % of those existing that year,
  dated in the year (never after --horizon), under one of five policies the script creates
  (codes bench-*), some with an amount and some in kind.

Rows are written by PostgreSQL COPY (psycopg's cursor.copy) after a TRUNCATE of the three
tables (and of what references them: history and attachments are not generated); their
indexes other than primary keys and constraints' are dropped during the COPY and rebuilt
after it; foreign-key triggers are off for the session (session_replication_role = replica);
then each table is put in year order (CLUSTER on its year or date index: the rows of a
year sit together, as they do when they are written year after year) and VACUUM ANALYZEd.
Seeded: the same --seed on the same registry gives the same rows.
The timings go to the table bench_meta (key 'generate_yearly').
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/hoptac_bench_dashboard"
REPORTING_KINDS = ("hop_tac_xa", "lien_hiep_hop_tac_xa")
ENDED = ("da_giai_the", "da_pha_san")
RANKS = ("tot", "kha", "trung_binh", "yeu")
RANK_TOTAL = {"tot": (90, 100), "kha": (65, 90), "trung_binh": (50, 65), "yeu": (20, 50)}
POLICIES = (
    ("bench-dao-tao", "Hỗ trợ đào tạo, bồi dưỡng nguồn nhân lực", "training"),
    ("bench-xuc-tien", "Hỗ trợ xúc tiến thương mại, mở rộng thị trường", "trade_promotion"),
    ("bench-khcn", "Hỗ trợ ứng dụng khoa học, kỹ thuật và công nghệ mới", "science_technology"),
    ("bench-tin-dung", "Hỗ trợ tiếp cận vốn và quỹ hỗ trợ phát triển HTX", "credit_capital"),
    ("bench-dat-dai", "Hỗ trợ về đất đai", "land"),
)
SOURCES = (("central", 3), ("province", 5), ("commune", 1), ("other", 1))

REPORT_COLUMNS = (
    "id", "created_at", "updated_at", "cooperative_id", "year", "version", "is_current", "status",
    "revision", "members_count", "workers_count", "average_worker_income", "revenue",
    "profit_before_tax", "notes", "return_comment", "submitted_at", "approved_at",
)  # fmt: skip
RATING_COLUMNS = (
    "id", "created_at", "updated_at", "cooperative_id", "year", "rules_id", "self_scores",
    "verified_scores", "sanctioned", "months_stopped", "report_data", "points", "total",
    "engine_rank", "reason", "reason_code", "errors", "override_rank", "override_note", "rank",
    "status", "published", "approved_at",
)  # fmt: skip
GRANT_COLUMNS = (
    "id", "created_at", "updated_at", "cooperative_id", "policy_id", "granted_on", "amount",
    "in_kind", "source", "product_support", "note", "eligibility", "eligibility_detail",
    "override_reason",
)  # fmt: skip
CLUSTER_BY = {
    "reports_annualreport": "report_year_status",
    "ratings_rating": "rating_year_status_rank",
    "support_supportgrant": "grant_date",
}
TABLES = {
    "reports_annualreport": REPORT_COLUMNS,
    "ratings_rating": RATING_COLUMNS,
    "support_supportgrant": GRANT_COLUMNS,
}


def _check_columns(cursor: Any) -> None:
    """Every NOT NULL column without a default must be written (a column added later fails
    here, not halfway through the COPY)."""
    for table, columns in TABLES.items():
        cursor.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = %s "
            "AND is_nullable = 'NO' AND column_default IS NULL",
            [table],
        )
        missing = sorted({row[0] for row in cursor.fetchall()} - {"id", *columns})
        if missing:
            sys.exit(f"bench: {table} has NOT NULL columns the generator does not write: {missing}")


def _policies(first_year: int) -> list[int]:
    from hoptac.support.models import Policy

    pks = []
    for code, name, kind in POLICIES:
        policy, _ = Policy.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "kind": kind,
                "legal_basis": "Luật Hợp tác xã 2023; Nghị định 113/2024/NĐ-CP",
                "valid_from": date(first_year, 1, 1),
            },
        )
        pks.append(policy.pk)
    return pks


def _organisations(cursor: Any) -> Any:
    """(id, kind, members, workers, first status date, end date or None) of every cooperative
    and union, in id order, streamed."""
    cursor.execute(
        """
        SELECT c.id, c.kind, c.members_count, c.workers_count, s.started, s.ended
        FROM registry_cooperative c
        JOIN (
            SELECT cooperative_id, MIN(effective_on) AS started,
                   MIN(effective_on) FILTER (WHERE status = ANY(%s)) AS ended
            FROM registry_statuschange GROUP BY cooperative_id
        ) s ON s.cooperative_id = c.id
        WHERE c.kind = ANY(%s)
        ORDER BY c.id
        """,
        [list(ENDED), list(REPORTING_KINDS)],
    )
    while rows := cursor.fetchmany(10_000):
        yield from rows


def _stamp(day: date, hours: int) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(hours=hours)


def fill(
    *, first_year: int, last_year: int, seed: int, support_share: float, horizon: date, log: Any
) -> dict[str, Any]:
    import psycopg
    from django.db import connection, transaction
    from generate import _droppable_indexes

    rnd = random.Random(seed)
    years = list(range(first_year, last_year + 1))
    span = max(1, last_year - first_year)
    timings: dict[str, float] = {}
    counts = {"reports": 0, "ratings": 0, "grants": 0, "organisations": 0}
    started = time.perf_counter()
    policies = _policies(first_year)
    settings = connection.settings_dict
    # A second connection streams the organisations while the first one COPYs.
    reader = psycopg.connect(
        dbname=settings["NAME"],
        user=settings["USER"],
        host=settings["HOST"],
        port=settings["PORT"] or 5432,
        password=settings["PASSWORD"] or None,
    )
    with transaction.atomic(), connection.cursor() as cursor:
        _check_columns(cursor)
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        cursor.execute(
            "TRUNCATE reports_annualreport, ratings_rating, support_supportgrant "
            "RESTART IDENTITY CASCADE"
        )
        dropped = []
        for table in TABLES:
            for name, definition in _droppable_indexes(cursor, table):
                cursor.execute(f'DROP INDEX "{name}"')
                dropped.append((name, definition))
        raw = cursor.cursor
        t = time.perf_counter()
        copies = {
            table: f"COPY {table} ({', '.join(columns)}) FROM STDIN"
            for table, columns in TABLES.items()
        }
        report_id = rating_id = grant_id = 0
        reports: list[tuple[Any, ...]] = []
        ratings: list[tuple[Any, ...]] = []
        grants: list[tuple[Any, ...]] = []

        def flush() -> None:
            for table, rows in (
                ("reports_annualreport", reports),
                ("ratings_rating", ratings),
                ("support_supportgrant", grants),
            ):
                if rows:
                    with raw.copy(copies[table]) as copy:
                        for row in rows:
                            copy.write_row(row)
                    rows.clear()

        with reader.cursor(name="organisations") as stream:
            for pk, _kind, members, workers, began, ended in _organisations(stream):
                counts["organisations"] += 1
                members = members or 7
                workers = workers or 1
                # The organisation's size and how well it does, kept over the years.
                scale = rnd.lognormvariate(0, 0.8) * (1 + members / 40)
                quality = rnd.gauss(0, 1)
                for year in years:
                    end = date(year, 12, 31)
                    if began > end or (ended is not None and ended <= end):
                        continue
                    progress = (year - first_year) / span
                    first, last = max(date(year, 1, 1), began), min(end, horizon)
                    if rnd.random() < support_share and first <= last:
                        grant_id += 1
                        granted = first + timedelta(days=rnd.randrange((last - first).days + 1))
                        in_kind = rnd.random() < 0.25
                        amount = None if in_kind else rnd.randrange(5, 500) * 1_000_000
                        grants.append(
                            (
                                grant_id, _stamp(granted, 9), _stamp(granted, 9), pk,
                                rnd.choice(policies), granted, amount,
                                "Máy móc, thiết bị" if in_kind else "",
                                rnd.choices([s[0] for s in SOURCES], [s[1] for s in SOURCES])[0],
                                "", "", "not_checked", "{}", "",
                            )
                        )  # fmt: skip
                    if rnd.random() > 0.62 + 0.26 * progress:
                        continue  # did not report this year
                    growth = 1.07 ** (year - first_year)
                    revenue = int(scale * growth * rnd.lognormvariate(21.0, 0.5))  # ~1.3 bn VND
                    margin = (
                        rnd.uniform(-0.08, 0.02) if rnd.random() < 0.1 else rnd.uniform(0, 0.12)
                    )
                    profit = int(revenue * margin)
                    income = int(growth * rnd.lognormvariate(17.4, 0.3) / 1000) * 1000  # ~36 M
                    year_workers = max(1, int(workers * rnd.uniform(0.8, 1.2)))
                    year_members = max(1, int(members * rnd.uniform(0.9, 1.1)))
                    filed = date(year + 1, 3, 1) + timedelta(days=rnd.randrange(90))
                    approved = rnd.random() > 1 / 12
                    report_id += 1
                    reports.append(
                        (
                            report_id, _stamp(filed, 8), _stamp(filed, 10), pk, year, 1, True,
                            "approved" if approved else "submitted", 1, year_members,
                            year_workers, Decimal(income), Decimal(revenue), Decimal(profit),
                            "", "", _stamp(filed, 8), _stamp(filed, 10) if approved else None,
                        )
                    )  # fmt: skip
                    if rnd.random() > 0.85:
                        continue  # not rated
                    good = quality + rnd.gauss(0, 0.8) + 0.5 * progress
                    if good > 1.1:
                        rank = "tot"
                    elif good > 0.1:
                        rank = "kha"
                    elif good > -0.9:
                        rank = "trung_binh"
                    else:
                        rank = "yeu"
                    low, high = RANK_TOTAL[rank]
                    total = Decimal(rnd.randrange(low * 10, high * 10)) / 10
                    rated = date(year + 1, 6, 1) + timedelta(days=rnd.randrange(90))
                    rating_id += 1
                    ratings.append(
                        (
                            rating_id, _stamp(rated, 8), _stamp(rated, 10), pk, year,
                            "bench", "{}", "{}", False, Decimal(0), "{}", "{}", total, rank, "",
                            "", "[]", "", "", rank, "approved", False, _stamp(rated, 10),
                        )
                    )  # fmt: skip
                if len(reports) >= 50_000:
                    flush()
                if counts["organisations"] % 100_000 == 0:
                    log(
                        f"  {counts['organisations']:,} organisations: {report_id:,} reports, "
                        f"{rating_id:,} ratings, {grant_id:,} grants"
                    )
            flush()
        reader.close()
        counts.update(reports=report_id, ratings=rating_id, grants=grant_id)
        timings["copy_s"] = time.perf_counter() - t
        t = time.perf_counter()
        for name, definition in dropped:
            t1 = time.perf_counter()
            cursor.execute(definition)
            log(f"  index {name}: {time.perf_counter() - t1:.1f} s")
        timings["indexes_s"] = time.perf_counter() - t
        t = time.perf_counter()
        # Reports are filed, ratings approved and support given year after year: in a real
        # database each year's rows sit together. The COPY wrote them organisation by
        # organisation; put them in year (date) order, as time would have.
        for table, index in CLUSTER_BY.items():
            cursor.execute(f"CLUSTER {table} USING {index}")
        timings["cluster_s"] = time.perf_counter() - t
        for table in TABLES:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT coalesce(max(id), 0) + 1 FROM {table}), false)"
            )
    t = time.perf_counter()
    with connection.cursor() as cursor:
        for table in TABLES:
            cursor.execute(f"VACUUM ANALYZE {table}")
    timings["analyze_s"] = time.perf_counter() - t
    timings["total_s"] = time.perf_counter() - started
    return {**counts, **{k: round(v, 1) for k, v in timings.items()}}


def save_meta(info: dict[str, Any]) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_meta (key text PRIMARY KEY, value jsonb)")
        cursor.execute(
            "INSERT INTO bench_meta VALUES ('generate_yearly', %s) "
            "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
            [json.dumps(info, default=str)],
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--first-year", type=int, default=2016)
    parser.add_argument("--last-year", type=int, default=2025)
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--support-share", type=float, default=0.4)
    parser.add_argument(
        "--horizon", type=date.fromisoformat, default=date(2026, 6, 30), help="no grant after it"
    )
    args = parser.parse_args()
    url = common.check_url(args.database_url)
    common.setup_django(url)
    from hoptac.registry.models import Cooperative

    if not Cooperative.objects.exists():
        sys.exit("bench: the registry is empty; run bench/generate.py first")
    load_before = common.machine()["load"]
    print(f"yearly data {args.first_year}-{args.last_year} (seed {args.seed})")
    info = fill(
        first_year=args.first_year,
        last_year=args.last_year,
        seed=args.seed,
        support_share=args.support_share,
        horizon=args.horizon,
        log=print,
    )
    info.update(
        first_year=args.first_year,
        last_year=args.last_year,
        seed=args.seed,
        generated_at=datetime.now(UTC).isoformat(timespec="seconds"),
        load_before=load_before,
        machine=common.machine(),
    )
    save_meta(info)
    print(
        f"done: {info['reports']:,} reports, {info['ratings']:,} ratings, {info['grants']:,} "
        f"grants for {info['organisations']:,} organisations in {info['total_s']:.1f} s (COPY "
        f"{info['copy_s']:.1f} s, indexes {info['indexes_s']:.1f} s, cluster "
        f"{info['cluster_s']:.1f} s, analyze "
        f"{info['analyze_s']:.1f} s); load {info['load_before']} -> {info['machine']['load']}"
    )
    common.rebuild_tally(url)


if __name__ == "__main__":
    main()
