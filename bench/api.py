"""Benchmark of the REST API's list of a province's cooperatives (#15), on the database of
bench/generate.py: `GET /api/v1/cooperatives?area=<province>&limit=100` as the province's
officer with a read token (p50/p95/max of the first page and of a page deep in the list), and
a full walk of the province's cursor pages (`limit=500`, following `next`) in rows per second.

    .venv/bin/python bench/api.py --scale 35000 [--database-url postgres://…/hoptac_bench…]

Through Django's test client in this process (no HTTP server, no network): what is timed is
the API's own work (auth, throttle, filter form, query, page, JSON). Writes the results to
bench/results/<date>-<scale>-api.json and prints a table.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common

RESULTS = Path(__file__).resolve().parent / "results"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def timed(client: Any, url: str, headers: dict[str, str]) -> tuple[float, dict[str, Any]]:
    start = time.perf_counter()
    response = client.get(url, **headers)
    elapsed = time.perf_counter() - start
    if response.status_code != 200:
        sys.exit(f"bench: {url} answered {response.status_code}: {response.content[:300]!r}")
    return elapsed, json.loads(response.content)


def series(client: Any, url: str, headers: dict[str, str], requests: int, warmup: int) -> dict:
    for _ in range(warmup):
        timed(client, url, headers)
    times = [timed(client, url, headers)[0] * 1000 for _ in range(requests)]
    return {
        "url": url,
        "requests": requests,
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(percentile(times, 0.95), 1),
        "max_ms": round(max(times), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=int, required=True)
    parser.add_argument("--database-url", default=common.DEFAULT_DATABASE_URL)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=5)
    args = parser.parse_args()
    url = common.check_url(args.database_url)
    os.environ["HOPTAC_API_RATE"] = "1000000/s"  # the throttle counts, never refuses here
    common.setup_django(url)

    from django.db.models import Count
    from django.test import Client

    from hoptac.accounts import access
    from hoptac.accounts.models import User
    from hoptac.api import services
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
    officer, _created = User.objects.update_or_create(
        username="bench-province",
        defaults={"role": "province_officer", "area": province, "is_active": True},
    )
    issued = services.token_create(by=access.SYSTEM, user=officer, name="bench", scope="read")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {issued.text}"}
    client = Client()
    base = f"/api/v1/cooperatives?area={province.pk}"

    first = series(client, f"{base}&limit=100", headers, args.requests, args.warmup)

    # the full walk, 500 a page, following `next`; the cursor of the middle page kept
    rows, pages, cursors = 0, 0, []
    next_url: str | None = f"{base}&limit=500"
    start = time.perf_counter()
    while next_url:
        _elapsed, page = timed(client, next_url, headers)
        rows += len(page["items"])
        pages += 1
        cursors.append(page["next_cursor"])
        next_url = page["next"] and page["next"].replace("http://testserver", "")
    walk_seconds = time.perf_counter() - start
    expected = top["n"]
    if rows != expected:
        sys.exit(f"bench: the walk read {rows} rows, the province has {expected}")
    middle = cursors[max(0, len(cursors) // 2 - 1)]
    deep = series(client, f"{base}&limit=100&cursor={middle}", headers, args.requests, args.warmup)
    issued.token.delete()

    result = {
        "date": time.strftime("%Y-%m-%d"),
        "scale": args.scale,
        "province": province.full_name,
        "province_rows": expected,
        "first_page_100": first,
        "deep_page_100": deep,
        "walk": {
            "limit": 500,
            "pages": pages,
            "rows": rows,
            "seconds": round(walk_seconds, 2),
            "rows_per_second": round(rows / walk_seconds),
        },
        "machine": common.machine(),
    }
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{result['date']}-{args.scale}-api.json"
    path.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"{'figure':28} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for name in ("first_page_100", "deep_page_100"):
        r = result[name]
        print(f"{name:28} {r['p50_ms']:8} {r['p95_ms']:8} {r['max_ms']:8}")
    w = result["walk"]
    print(
        f"walk: {w['rows']} rows in {w['pages']} pages of {w['limit']}, {w['seconds']} s, "
        f"{w['rows_per_second']} rows/s ({province.full_name})"
    )
    print(f"written to {path}")


if __name__ == "__main__":
    main()
