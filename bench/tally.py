"""Measure what keeping the indicators' tally up to date costs a write, on the database the
dashboard's benchmark uses (bench/DASHBOARD.md):

    .venv/bin/python bench/tally.py \\
        --database-url postgres://postgres@127.0.0.1:5432/hoptac_bench_dashboard

For an organisation of the largest 2025 province, each --requests times: flip its "applies high
technology" mark (every year of its commune is rewritten, then the province pair and the
country rows of the sources and years that changed), record a support grant of today's year
(only that year), and move a status change one year earlier; each write is committed and
the refresh its commit runs (`tally/marking.py`) is timed apart from the write. Every change
is undone afterwards (and refreshed again). Prints median and p95 of the write and of the
refresh, and the tally's size and last build time.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common
from dashboard import DEFAULT_URL, percentile


def timed(write: Any, refresh: Any) -> tuple[float, float]:
    from django.db import transaction

    started = time.perf_counter()
    with transaction.atomic():
        write()
    wrote = time.perf_counter()
    refresh()
    return (wrote - started) * 1000, (time.perf_counter() - wrote) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--requests", type=int, default=20)
    args = parser.parse_args()
    common.setup_django(common.check_url(args.database_url))

    from django.db.models import Count
    from django.utils import timezone

    from hoptac.indicators.models import Tally, TallyMark, TallyState
    from hoptac.indicators.tally import building, marking
    from hoptac.registry.models import Cooperative, StatusChange
    from hoptac.support.models import SupportGrant

    state = TallyState.objects.first()
    if state is None:
        sys.exit("bench: no tally; run manage.py tally --rebuild first")
    # The commit's own refresh is what is timed: run it here, not from on_commit.
    marking.refresh_after_commit = lambda: None  # type: ignore[assignment]
    biggest = Cooperative.objects.values("province").annotate(n=Count("pk")).order_by("-n").first()
    coops = list(
        Cooperative.objects.filter(
            province=biggest["province"], kind="hop_tac_xa", status="dang_hoat_dong"
        ).order_by("pk")[: args.requests]
    )
    grant_model = SupportGrant.objects.order_by("pk").first()
    today = timezone.localdate()
    figures: dict[str, list[tuple[float, float]]] = {"mark": [], "grant": [], "status": []}
    for coop in coops:

        def flip(coop: Cooperative = coop) -> None:
            coop.high_tech = not coop.high_tech
            coop.save()

        figures["mark"].append(timed(flip, building.refresh))
        grant = SupportGrant(
            cooperative=coop,
            policy=grant_model.policy,
            granted_on=today,
            source=grant_model.source,
            amount=1_000_000,
        )
        figures["grant"].append(timed(grant.save, building.refresh))
        change = StatusChange.objects.filter(cooperative=coop).order_by("effective_on").first()
        moved = change.effective_on

        def earlier(change: StatusChange = change) -> None:
            change.effective_on = date(change.effective_on.year - 1, 1, 1)
            change.save()

        figures["status"].append(timed(earlier, building.refresh))
        # Undo (not timed).
        flip()
        grant.delete()
        change.effective_on = moved
        change.save()
        building.refresh()
    assert not TallyMark.objects.exists()
    print(
        f"tally: {Tally.objects.count():,} rows, years {state.first_year}-{state.last_year}, "
        f"last build {state.build_seconds:.0f} s; {len(coops)} organisations of province "
        f"{biggest['province']} ({biggest['n']:,}); load {common.machine()['load']}"
    )
    for name, pairs in figures.items():
        for index, part in enumerate(("write", "refresh")):
            values = [pair[index] for pair in pairs]
            print(
                f"  {name:<7} {part:<8} median {statistics.median(values):7.1f} ms  "
                f"p95 {percentile(values, 95):7.1f} ms"
            )


if __name__ == "__main__":
    main()
