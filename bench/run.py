"""Measure the registry on the database bench/generate.py filled.

    .venv/bin/python bench/run.py --scale 35000

Pages (django.test.Client, the whole middleware stack, signed in with force_login, no HTTP
server): for each, warm-up requests, then --requests timed ones; median and p95 (nearest
rank), the number of SQL queries of one request and their total time.
  list      the list of a province (2025 tree, the province with the most organisations),
            filtered by sector + status, as that province's officer
  search    the search "hop tac xa che", as the province's officer and as the administrator
            (whole country)
  detail    the detail page (profile tab, with the status history) of organisations of the
            province, as its officer
Spreadsheets (each in a subprocess, so that its peak memory is its own; ru_maxrss):
  import    a file of --import-rows new organisations (written by the export's own code,
            excel.export_row + excel.write_xlsx / csv_lines, from the generator), imported by
            importing.run_import (what the page and `import_registry` run) as the
            administrator, then rolled back so the database keeps its size
  export    excel_views.export_xlsx / export_csv (what the export view returns) of the
            national list (selectors.cooperative_list), limited to --export-rows, consumed
            to a file; also its CPU time (this process's: less bound to the machine's
            load than the wall time) and, when the server runs on this machine, the CPU
            time of its PostgreSQL backend (which writes the .xlsx rows on PostgreSQL).
            "xlsx-python" writes the same .xlsx with its rows made in Python
            (excel.write_xlsx of excel.export_rows: SQLite's way, PostgreSQL's before)
Each is also run on a file 10 times smaller: "memory flat in file size" compares the two.

Prints a table and writes bench/results/<date>-<scale>.json (and, with --explain, the
EXPLAIN ANALYZE of each page's slowest queries to bench/results/<date>-<scale>-explain.txt).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common

GOALS = {
    "list_ms_p95": 50,
    "search_ms_p95": 50,
    "import_rows_per_s": 10_000,
    "import_floor_ratio": 3,  # an import within 3× the time of its floor
    "export_rows_per_s": 50_000,
}
QUERY = "hop tac xa che"
HTMX = {"HX-Request": "true"}
PAGES = (
    "list", "list_page_20", "search", "search_national", "quick_search",
    "quick_search_national", "list_national", "detail",
)  # fmt: skip
IMPORT_LIMIT_MB = 200
SECTOR, STATUS = "nong_nghiep", "dang_hoat_dong"


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


# --- users and sample data ------------------------------------------------------------------


def bench_users() -> tuple[Any, Any, Any]:
    """The administrator and the officer of the 2025 province with the most organisations."""
    from django.db.models import Count

    from hoptac.accounts.models import User
    from hoptac.areas.models import AdminUnit
    from hoptac.registry.models import Cooperative

    top = (
        Cooperative.objects.values("province")
        .annotate(n=Count("pk"))
        .order_by("-n", "province")
        .first()
    )
    if top is None:
        sys.exit("bench: the registry is empty; run bench/generate.py first")
    province = AdminUnit.objects.get(pk=top["province"])
    admin, _ = User.objects.update_or_create(
        username="bench-admin",
        defaults={"role": "admin", "area": None, "is_active": True, "full_name": "Bench Admin"},
    )
    officer, _ = User.objects.update_or_create(
        username="bench-province",
        defaults={
            "role": "province_officer",
            "area": province,
            "is_active": True,
            "full_name": "Bench Officer",
        },
    )
    return admin, officer, province


# --- pages ----------------------------------------------------------------------------------


def measure_page(
    client: Any,
    urls: list[str],
    *,
    requests: int,
    warmup: int,
    explain: list[str] | None,
    label: str,
    expect: bytes | None = None,
) -> dict[str, Any]:
    """Time GET requests of `urls` (cycled); count the queries of one more request."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for i in range(warmup):
        response = client.get(urls[i % len(urls)])
        if response.status_code != 200:
            sys.exit(f"bench: {urls[i % len(urls)]} answered {response.status_code}")
        if expect is not None and expect not in response.content:
            sys.exit(f"bench: {urls[i % len(urls)]} does not show {expect!r}")
    times = []
    for i in range(requests):
        started = time.perf_counter()
        response = client.get(urls[i % len(urls)])
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as captured:
        client.get(urls[0])
    queries = captured.captured_queries
    db_ms = sum(float(q["time"]) for q in queries) * 1000
    if explain is not None:
        explain.extend(explain_slowest(label, urls[0], queries))
    return {
        "url": urls[0],
        "requests": requests,
        "median_ms": round(statistics.median(times), 1),
        "p95_ms": round(percentile(times, 95), 1),
        "min_ms": round(min(times), 1),
        "max_ms": round(max(times), 1),
        "queries": len(queries),
        "db_ms": round(db_ms, 1),
        "slowest_query_ms": round(max((float(q["time"]) for q in queries), default=0) * 1000, 1),
    }


def explain_slowest(label: str, url: str, queries: list[dict[str, str]], top: int = 3) -> list[str]:
    """EXPLAIN (ANALYZE, BUFFERS) of the slowest SELECTs of one request."""
    from django.db import connection

    selects = [q for q in queries if q["sql"].lstrip().upper().startswith("SELECT")]
    selects.sort(key=lambda q: float(q["time"]), reverse=True)
    out = [f"===== {label}: {url}"]
    with connection.cursor() as cursor:
        for q in selects[:top]:
            out.append(f"--- {float(q['time']) * 1000:.1f} ms: {q['sql']}")
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {q['sql']}")
            out.extend(row[0] for row in cursor.fetchall())
    return out


def measure_pages(args: argparse.Namespace, explain: list[str] | None) -> dict[str, Any]:
    from django.test import Client
    from django.urls import reverse

    from hoptac.registry import selectors
    from hoptac.registry.models import Cooperative

    admin, officer, province = bench_users()
    officer_client, admin_client = Client(), Client()
    officer_client.force_login(officer)
    admin_client.force_login(admin)
    # the header's quick search asks its list as htmx does
    officer_htmx, admin_htmx = Client(headers=HTMX), Client(headers=HTMX)
    officer_htmx.force_login(officer)
    admin_htmx.force_login(admin)
    quick_url = reverse("registry:cooperative_quick_search") + "?q=" + QUERY.replace(" ", "+")
    list_url = reverse("registry:cooperative_list")
    filters = f"area={province.pk}&sector={SECTOR}&status={STATUS}"
    search = "q=" + QUERY.replace(" ", "+")
    in_province = list(
        Cooperative.objects.filter(province=province)
        .order_by("?")
        .values_list("pk", flat=True)[: args.requests]
    )
    detail_urls = [reverse("registry:cooperative_detail", args=[pk]) for pk in in_province]
    cases: list[tuple[str, Any, list[str], dict[str, Any], Any, bytes | None]] = [
        (
            "list",
            officer_client,
            [f"{list_url}?{filters}"],
            {"area": province, "sector": SECTOR, "status": STATUS},
            officer,
            None,
        ),
        (
            "list_page_20",
            officer_client,
            [f"{list_url}?{filters}&page=20"],
            {"area": province, "sector": SECTOR, "status": STATUS},
            officer,
            None,
        ),
        ("search", officer_client, [f"{list_url}?{search}"], {"q": QUERY}, officer, "Chè".encode()),
        (
            "search_national",
            admin_client,
            [f"{list_url}?{search}"],
            {"q": QUERY},
            admin,
            "Chè".encode(),
        ),
        ("quick_search", officer_htmx, [quick_url], None, officer, b'role="option"'),
        ("quick_search_national", admin_htmx, [quick_url], None, admin, b'role="option"'),
        ("list_national", admin_client, [list_url], {}, admin, None),
        ("detail", officer_client, detail_urls, None, officer, None),
    ]
    results: dict[str, Any] = {
        "province": {"pk": province.pk, "name": province.name},
        "province_organisations": Cooperative.objects.filter(province=province).count(),
    }
    for name, client, urls, filters_, user, expect in cases:
        if args.pages and name not in args.pages:
            continue
        runs = []
        for index in range(args.repeat):  # the worst p95 of --repeat runs is kept
            load = os.getloadavg()[0]
            found = measure_page(
                client,
                urls,
                requests=args.requests,
                warmup=args.warmup,
                explain=explain if index == 0 else None,
                label=name,
                expect=expect,
            )
            found["load_1m"] = round(load, 2)
            runs.append(found)
        result = max(runs, key=lambda r: r["p95_ms"])
        result["p95_runs_ms"] = [r["p95_ms"] for r in runs]
        result["load_runs"] = [r["load_1m"] for r in runs]
        if filters_ is not None:
            result["total"] = selectors.cooperative_list(user=user, filters=filters_).count()
        results[name] = result
        print(
            f"  {name:<16} median {result['median_ms']:>7.1f} ms  p95 {result['p95_ms']:>7.1f} ms"
            f"  {result['queries']:>2} queries ({result['db_ms']:.1f} ms)"
            + (f"  {result['total']:,} rows" if "total" in result else "")
            + f"  load {result['load_1m']}  p95 of {args.repeat} runs {result['p95_runs_ms']}"
        )
    return results


# --- spreadsheets (each in a child process) ----------------------------------------------------


def maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def ambiguous_units() -> frozenset[int]:
    """Communes the import does not resolve back to themselves from their full name (as the
    export writes it), asked through the import's own resolver (importing.PlaceResolver)."""
    from hoptac.areas.models import AdminUnit
    from hoptac.registry.importing import PlaceResolver

    resolver = PlaceResolver()
    units = list(AdminUnit.objects.filter(level=3).values_list("pk", "era", "full_name"))
    if hasattr(resolver, "prefetch"):
        resolver.prefetch([u[2] for u in units if u[1] == "legacy"])
        resolver.prefetch([u[2] for u in units if u[1] != "legacy"], current_only=True)
    bad = set()
    for pk, era, full_name in units:
        place = resolver.resolve(full_name, current_only=era != "legacy")
        found = place.legacy if era == "legacy" else place.current
        if found is None or found.pk != pk:
            bad.add(pk)
    return frozenset(bad)


class _Organisations:
    """Generated organisations shaped like the queryset excel.export_rows reads
    (`.values(*fields).iterator()`), so that the file is written by the export's own code."""

    def __init__(self, organisations: Any) -> None:
        self.organisations = organisations
        self.fields: tuple[str, ...] = ()

    def values(self, *fields: str) -> _Organisations:
        self.fields = fields
        return self

    def iterator(self, chunk_size: int = 0) -> Any:
        for org in self.organisations:
            yield {name: _lookup(org, name) for name in self.fields}


def _lookup(obj: Any, path: str) -> Any:
    for name in path.split("__"):
        if obj is None:
            return None
        obj = getattr(obj, name)
    return obj


def child_make_file(path: Path, rows: int, fmt: str) -> dict[str, Any]:
    """A file of `rows` new organisations (each with a registration code and a name no other
    HTX has, none placed in an ambiguous commune), in the export's layout, written by the
    export's own code."""
    from generate import Generator, Places

    from hoptac.registry import excel

    avoid = ambiguous_units()
    generator = Generator(
        Places.load(7), seed=7, tax_base=50_000_000, always_tax_code=True, avoid=avoid,
        numbered=True,
    )  # fmt: skip
    data = excel.export_rows(_Organisations(generator.organisations(rows, first_pk=10**6)))
    if fmt == "csv":
        with path.open("w", encoding="utf-8", newline="") as handle:
            for line in excel.csv_lines(data, header=excel.headers()):
                handle.write(line)
    else:
        excel.write_xlsx(path, data, header=excel.headers(), columns=excel.EXPORT_COLUMNS)
    return {"rows": rows, "bytes": path.stat().st_size, "ambiguous_units": len(avoid)}


class _Rollback(Exception):  # noqa: N818
    pass


def child_import(path: Path, written: Path | None = None) -> dict[str, Any]:
    """Import the file as the administrator, timed, then roll back. With `written`, the rows
    the import wrote to the organisations' table and its history table are first saved
    there (not timed), for the floor (child_floor)."""
    from django.db import transaction

    from hoptac.registry import importing

    admin = bench_users()[0]
    before_ids = _last_ids()
    before = maxrss_mb()
    started, cpu_started = time.perf_counter(), time.process_time()
    summary = None
    try:
        with transaction.atomic():
            summary = importing.run_import(path, user=admin, filename=path.name)
            seconds = time.perf_counter() - started
            cpu_seconds = time.process_time() - cpu_started
            rss_peak = maxrss_mb()
            if written is not None:
                _save_written(written, before_ids)
            raise _Rollback
    except _Rollback:
        pass
    assert summary is not None
    return {
        "rows": summary.rows,
        "created": summary.created,
        "updated": summary.updated,
        "unchanged": summary.unchanged,
        "error_rows": summary.error_rows,
        "errors": [e.as_dict() for e in summary.errors[:5]],
        "written": summary.written,
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,  # this process's own work, without PostgreSQL's
        "cpu_rows_per_s": summary.rows / cpu_seconds,
        "rows_per_s": summary.rows / seconds,
        "rss_before_mb": before,
        "rss_peak_mb": rss_peak,
    }


# The floor: what any import of these rows must at least do. The tables it writes, each with
# the column that orders its new rows.
FLOOR_TABLES = (("registry_cooperative", "id"), ("registry_historicalcooperative", "history_id"))


def _last_ids() -> dict[str, int]:
    from django.db import connection

    last = {}
    with connection.cursor() as cursor:
        for table, key in FLOOR_TABLES:
            cursor.execute(f"SELECT coalesce(max({key}), 0) FROM {table}")
            last[table] = cursor.fetchone()[0]
    return last


def _floor_columns(table: str, key: str) -> list[str]:
    """The table's columns, without an identity key (the COPY lets the table number them)."""
    from django.db import connection

    with connection.cursor() as cursor:
        columns = [c.name for c in connection.introspection.get_table_description(cursor, table)]
    return [c for c in columns if not (table.startswith("registry_historical") and c == key)]


def _save_written(target: Path, before_ids: dict[str, int]) -> None:
    """The rows the import wrote (newer than `before_ids`), as Python values, pickled."""
    import pickle

    from django.db import connection

    tables = {}
    with connection.cursor() as cursor:
        for table, key in FLOOR_TABLES:
            columns = _floor_columns(table, key)
            cursor.execute(
                f"SELECT {', '.join(columns)} FROM {table} WHERE {key} > %s ORDER BY {key}",
                [before_ids[table]],
            )
            tables[table] = (columns, cursor.fetchall())
    with target.open("wb") as handle:
        pickle.dump(tables, handle, protocol=pickle.HIGHEST_PROTOCOL)


def child_floor(path: Path, written: Path) -> dict[str, Any]:
    """The floor of an import of `path`: read every row of the file with the reader the
    import uses (excel.open_spreadsheet), and COPY the rows the import wrote (saved by
    child_import) into the same tables (the organisations and their history), timed, then
    rolled back. No parsing, no checks, no matching, no history logic: a lower bound."""
    import pickle

    from django.db import connection, transaction

    from hoptac.registry import excel

    with written.open("rb") as handle:
        tables = pickle.load(handle)  # noqa: S301  (our own file, written by child_import)
    rows = sum(len(data) for _columns, data in tables.values())
    before = maxrss_mb()
    started, cpu_started = time.perf_counter(), time.process_time()
    try:
        with transaction.atomic():
            with excel.open_spreadsheet(path, merges=False) as book:
                read = sum(1 for _row in book.sheets[0].rows())
            reading = time.perf_counter() - started
            with connection.cursor() as cursor:
                for table, (columns, data) in tables.items():
                    sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
                    with cursor.cursor.copy(sql) as copy:
                        for row in data:
                            copy.write_row(row)
            seconds = time.perf_counter() - started
            cpu_seconds = time.process_time() - cpu_started
            raise _Rollback
    except _Rollback:
        pass
    organisations = len(tables["registry_cooperative"][1])
    return {
        "rows": organisations,
        "file_rows": read,
        "copied_rows": rows,
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "cpu_rows_per_s": organisations / cpu_seconds,
        "read_seconds": reading,
        "rows_per_s": organisations / seconds,
        "rss_before_mb": before,
        "rss_peak_mb": maxrss_mb(),
    }


def backend_cpu() -> float | None:
    """CPU seconds (user + system) that this connection's PostgreSQL backend has used, read
    from /proc when the server runs on this machine (None elsewhere): the export's rows are
    written by PostgreSQL, whose work is not in this process's CPU time. Parallel workers'
    CPU is not in it: child_export turns them off."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _export_xlsx_python(cooperatives: Any, filename: str) -> Any:
    """excel_views.export_xlsx as SQLite runs it: each row made in Python (export_rows) and
    written by the constant-memory sheet."""
    from django.http import FileResponse

    from hoptac.registry import excel

    handle = tempfile.TemporaryFile()  # noqa: SIM115  (closed by FileResponse)
    rows = excel.export_rows(cooperatives, chunk_size=2000)
    excel.write_xlsx(handle, rows, header=excel.headers(), columns=excel.EXPORT_COLUMNS)
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename=filename)


def child_export(path: Path, rows: int, fmt: str) -> dict[str, Any]:
    from django.db import connection

    from hoptac.registry import excel_views, selectors

    admin = bench_users()[0]  # made here too: `--only export` measures no page first
    with connection.cursor() as cursor:
        # Parallel workers' CPU is not the backend's: without them, backend_cpu is all of
        # PostgreSQL's work (the plan is otherwise the same; its wall time may be longer).
        cursor.execute("SET max_parallel_workers_per_gather = 0")
    before = maxrss_mb()
    pg_started = backend_cpu()
    started, cpu_started = time.perf_counter(), time.process_time()
    cooperatives = selectors.cooperative_list(user=admin, filters={})[:rows]
    if fmt == "csv":
        response = excel_views.export_csv(cooperatives, path.name)
    elif fmt == "xlsx-python":
        response = _export_xlsx_python(cooperatives, path.name)
    else:
        response = excel_views.export_xlsx(cooperatives, path.name)
    size = 0
    with path.open("wb") as handle:
        for chunk in response.streaming_content:
            chunk = chunk.encode() if isinstance(chunk, str) else chunk
            size += len(chunk)
            handle.write(chunk)
    response.close()
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu_started  # this process's own work: less load-bound
    pg_ended = backend_cpu()
    pg_seconds = pg_ended - pg_started if pg_started is not None and pg_ended is not None else None
    written = rows_in(path, fmt)
    return {
        "rows": written,
        "bytes": size,
        "seconds": seconds,
        "rows_per_s": written / seconds,
        "cpu_seconds": cpu_seconds,
        "cpu_rows_per_s": written / cpu_seconds,
        "pg_cpu_seconds": pg_seconds,
        "cpu_with_pg_rows_per_s": written / (cpu_seconds + pg_seconds) if pg_seconds else None,
        "rss_before_mb": before,
        "rss_peak_mb": maxrss_mb(),
    }


def rows_in(path: Path, fmt: str) -> int:
    """Data rows of an exported file (not timed)."""
    if fmt == "csv":
        with path.open(encoding="utf-8-sig") as handle:
            return sum(1 for _ in handle) - 1
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True)
    count = sum(1 for _ in book.worksheets[0].iter_rows(values_only=True)) - 1
    book.close()
    return count


def run_child(url: str, *args: str) -> dict[str, Any]:
    command = [sys.executable, __file__, "--database-url", url, "--child", *args]
    # A 100,000-row .xlsx is about 21 MB, over the default limit of the import (20 MB).
    env = {**os.environ, "HOPTAC_MAX_IMPORT_MB": str(IMPORT_LIMIT_MB)}
    done = subprocess.run(command, capture_output=True, text=True, check=False, env=env)  # noqa: S603
    if done.returncode != 0:
        sys.exit(f"bench: {' '.join(args)} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure_files(args: argparse.Namespace, url: str) -> dict[str, Any]:
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="hoptac-bench-") as tmp:
        for fmt in args.export_formats:
            for rows in (args.export_rows // 10, args.export_rows):
                path = Path(tmp) / f"export-{rows}.{fmt.split('-')[0]}"
                load = os.getloadavg()[0]
                result = run_child(url, "export", str(path), str(rows), fmt)
                result["load_1m"] = round(load, 2)
                results[f"export_{fmt}_{result['rows']}"] = result
                print(_file_line(f"export {fmt}", result), flush=True)
        for fmt in args.import_formats:
            for rows in (args.import_rows // 10, args.import_rows):
                path = Path(tmp) / f"import-{rows}.{fmt}"
                made = run_child(url, "make", str(path), str(rows), fmt)
                written = Path(tmp) / f"written-{rows}.pickle"
                load = os.getloadavg()[0]
                result = run_child(url, "import", str(path), str(written))
                result.update(file_bytes=made["bytes"], load_1m=round(load, 2))
                print(_file_line(f"import {fmt}", result), flush=True)
                if result["created"]:
                    floor = run_child(url, "floor", str(path), str(written))
                    floor["load_1m"] = round(os.getloadavg()[0], 2)
                    result["floor"] = floor
                    result["floor_ratio"] = floor["rows_per_s"] / result["rows_per_s"]
                    print(_file_line(f"  floor {fmt}", floor), flush=True)
                    print(f"  {'':<20} import takes {result['floor_ratio']:.1f}× the floor")
                written.unlink(missing_ok=True)
                results[f"import_{fmt}_{rows}"] = result
    return results


def _file_line(label: str, r: dict[str, Any]) -> str:
    extra = ""
    if "error_rows" in r:
        extra = f"  created {r['created']:,}, errors {r['error_rows']:,}"
    if "cpu_rows_per_s" in r:
        extra += f"  (CPU {r['cpu_seconds']:.1f} s = {r['cpu_rows_per_s']:,.0f} rows/s"
        if r.get("pg_cpu_seconds") is not None:
            extra += (
                f"; with PostgreSQL's {r['pg_cpu_seconds']:.1f} s:"
                f" {r['cpu_with_pg_rows_per_s']:,.0f} rows/s"
            )
        extra += ")"
    growth = r["rss_peak_mb"] - r["rss_before_mb"]
    return (
        f"  {label:<20} {r['rows']:>8,} rows in {r['seconds']:6.1f} s = {r['rows_per_s']:>8,.0f}"
        f" rows/s  peak RSS {r['rss_peak_mb']:6.0f} MB (+{growth:.0f})" + extra
    )


# --- report ----------------------------------------------------------------------------------


def verdict(value: float, goal: float, *, lower_is_better: bool) -> str:
    ok = value < goal if lower_is_better else value >= goal
    return "ok" if ok else "MISSED"


def table(result: dict[str, Any]) -> str:
    """The results as a Markdown table."""
    pages, files = result["pages"], result["files"]
    lines = [
        f"Scale {result['scale']:,} organisations ({result['status_changes']:,} status changes), "
        f"{result['date']}, load {result['machine']['load']} on {result['machine']['cpus']} CPUs",
        "",
        "| measure | median | p95 | queries | rows | goal |",
        "|---|---:|---:|---:|---:|---|",
    ]
    goals = {"list": "list_ms_p95"} | dict.fromkeys(
        ("search", "search_national", "quick_search", "quick_search_national"), "search_ms_p95"
    )
    for name, r in pages.items():
        if not isinstance(r, dict) or "p95_ms" not in r:
            continue
        goal = ""
        if name in goals:
            g = GOALS[goals[name]]
            goal = f"p95 < {g} ms: {verdict(r['p95_ms'], g, lower_is_better=True)}"
        total = f"{r['total']:,}" if "total" in r else ""
        times = f"{r['median_ms']} ms | {r['p95_ms']} ms"
        lines.append(f"| {name} | {times} | {r['queries']} | {total} | {goal} |")
    lines += [
        "",
        "| file | rows | rows/s | peak RSS (growth) | goal | floor rows/s | × floor (≤ 3) |",
        "|---|---:|---:|---:|---|---:|---:|",
    ]
    for name, r in files.items():
        kind = "import" if name.startswith("import") else "export"
        g = GOALS[f"{kind}_rows_per_s"]
        floor = r.get("floor")
        against = ""
        if floor:
            ratio = floor["rows_per_s"] / r["rows_per_s"]
            mark = verdict(ratio, GOALS["import_floor_ratio"] + 1e-9, lower_is_better=True)
            against = f" {floor['rows_per_s']:,.0f} | {ratio:.1f}: {mark} |"
        else:
            against = " | |"
        lines.append(
            f"| {name} | {r['rows']:,} | {r['rows_per_s']:,.0f} | {r['rss_peak_mb']:.0f} MB "
            f"(+{r['rss_peak_mb'] - r['rss_before_mb']:.0f}) | ≥ {g:,}/s: "
            f"{verdict(r['rows_per_s'], g, lower_is_better=False)} |" + against
        )
    return "\n".join(lines)


def generation_info() -> dict[str, Any]:
    from django.db import connection

    with connection.cursor() as cursor:
        try:
            cursor.execute("SELECT value FROM bench_meta WHERE key = 'generate'")
        except Exception:
            return {}
        row = cursor.fetchone()
    value = row[0] if row else {}
    return json.loads(value) if isinstance(value, str) else value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, help="organisations expected in the database")
    parser.add_argument("--database-url", default=common.DEFAULT_DATABASE_URL)
    parser.add_argument("--requests", type=int, default=50, help="timed requests per page (≥ 30)")
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument(
        "--repeat", type=int, default=1, help="measure each page N times; report the worst p95"
    )
    parser.add_argument("--import-rows", type=int, default=100_000)
    parser.add_argument("--export-rows", type=int, default=100_000)
    parser.add_argument("--import-formats", nargs="*", default=["xlsx"], choices=["xlsx", "csv"])
    parser.add_argument(
        "--export-formats",
        nargs="*",
        default=["xlsx", "csv"],
        choices=["xlsx", "csv", "xlsx-python"],
    )
    parser.add_argument(
        "--only",
        nargs="+",
        choices=["pages", "export", "import"],
        default=["pages", "export", "import"],
        help="measure only these; the figures replace those of the latest results file",
    )
    parser.add_argument(
        "--pages",
        nargs="+",
        choices=PAGES,
        help="with --only pages: measure only these pages (the others keep their figures)",
    )
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE slow queries")
    parser.add_argument("--no-save", action="store_true")
    parser.add_argument(
        "--save-as",
        help="save to results/<date>-<scale>-<SAVE_AS>.json on its own (no merge with a full run)",
    )
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    url = common.check_url(args.database_url)
    common.setup_django(url)
    from django.utils import translation

    translation.activate("vi")
    if args.child:
        action, *rest = args.child
        if action == "make":
            out = child_make_file(Path(rest[0]), int(rest[1]), rest[2])
        elif action == "import":
            out = child_import(Path(rest[0]), Path(rest[1]) if len(rest) > 1 else None)
        elif action == "floor":
            out = child_floor(Path(rest[0]), Path(rest[1]))
        else:
            out = child_export(Path(rest[0]), int(rest[1]), rest[2])
        print(json.dumps(out))
        return

    from django.db import connection

    from hoptac.registry.models import Cooperative, StatusChange

    if args.requests < 30:
        sys.exit("bench: --requests must be at least 30")
    count = Cooperative.objects.count()
    if args.scale and count != args.scale:
        sys.exit(f"bench: the database holds {count:,} organisations, not {args.scale:,}; "
                 f"run bench/generate.py --scale {args.scale}")  # fmt: skip
    with connection.cursor() as cursor:
        pg = common.postgres_info(cursor)
    started = time.perf_counter()
    result: dict[str, Any] = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "scale": count,
        "status_changes": StatusChange.objects.count(),
        "machine_before": common.machine(),
        "postgres": pg,
        "generation": generation_info(),
        "goals": GOALS,
    }
    explain: list[str] | None = [] if args.explain else None
    result["pages"], result["files"] = {}, {}
    if "pages" in args.only:
        print(f"pages ({count:,} organisations, load {result['machine_before']['load']}):")
        result["pages"] = measure_pages(args, explain)
    if {"export", "import"} & set(args.only):
        print("spreadsheets (each in its own process):")
        if "export" not in args.only:
            args.export_formats = []
        if "import" not in args.only:
            args.import_formats = []
        result["files"] = measure_files(args, url)
    result["machine"] = common.machine()
    result["seconds"] = round(time.perf_counter() - started, 1)
    stem = f"{datetime.now(UTC):%Y-%m-%d}-{count}"
    target = common.RESULTS_DIR / f"{stem}.json"
    earlier = sorted(common.RESULTS_DIR.glob(f"*-{count}.json"))
    if args.save_as:
        stem = f"{stem}-{args.save_as}"
        target = common.RESULTS_DIR / f"{stem}.json"
    elif len(args.only) < 3 and earlier and not args.no_save:
        target = earlier[-1]  # a partial run completes the latest full one
        stem = target.stem
        result = merged(json.loads(target.read_text()), result, args.only)
    print()
    print(table(result))
    if not args.no_save:
        common.RESULTS_DIR.mkdir(exist_ok=True)
        target.write_text(json.dumps(result, indent=2, ensure_ascii=False, default=str) + "\n")
        print(f"\nsaved {target.relative_to(common.ROOT)}")
        if explain:
            (common.RESULTS_DIR / f"{stem}-explain.txt").write_text("\n".join(explain) + "\n")


def merged(old: dict[str, Any], new: dict[str, Any], parts: list[str]) -> dict[str, Any]:
    """Today's earlier results with the parts measured now replaced; each partial run is
    listed in `runs` with its date and load."""
    runs = old.get("runs") or [{"date": old["date"], "parts": ["pages", "export", "import"],
                                "load": old.get("machine", {}).get("load")}]  # fmt: skip
    runs.append({"date": new["date"], "parts": parts, "load": new["machine"]["load"]})
    if "pages" in parts:
        old["pages"] = {**old.get("pages", {}), **new["pages"]}  # --pages: only those
    for part in ("export", "import"):
        if part in parts:
            files = {k: v for k, v in old["files"].items() if not k.startswith(part)}
            files.update({k: v for k, v in new["files"].items() if k.startswith(part)})
            old["files"] = files
    old["runs"] = runs
    return old


if __name__ == "__main__":
    main()
