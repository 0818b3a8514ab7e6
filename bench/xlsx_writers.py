"""Compare .xlsx writers on the registry's export: the rows of the national list, written by
each candidate library with the export's typed cells (text as text, dd/mm/yyyy dates, #,##0
money, a bold header), each in its own process so that its peak memory is its own.

    .venv/bin/python bench/xlsx_writers.py --rows 35000
    # candidates that are not hoptac's dependencies, installed aside:
    .venv/bin/pip install --target /tmp/xlsx-candidates xlsxwriter==3.3.1 pyexcelerate==0.13.0 \\
        rustpy-xlsxwriter==0.8.0
    PYTHONPATH=/tmp/xlsx-candidates .venv/bin/python bench/xlsx_writers.py --rows 35000

The rows are read once from the benchmark database (excel.export_rows, as the export reads
them) and handed to each writer from a file: only the writing is timed. A candidate that is not
installed is skipped. Prints rows/s of CPU time (the writing process's own work, which
depends less than the wall time on the load of a shared machine) and of wall time, and the
peak RSS growth (ru_maxrss) per writer, best of --rounds, at --rows and at a tenth of it.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common

WRITERS = ("hoptac", "openpyxl", "xlsxwriter", "pyexcelerate", "rustpy")


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _stream(rows: list[list[Any]]) -> Any:
    """The rows one by one, as the export hands them over (a Decimal is a whole number)."""
    for row in rows:
        yield [int(v) if isinstance(v, Decimal) else v for v in row]


def write(which: str, source: Path, target: Path, count: int) -> dict[str, Any]:
    header, rows, dates, money = pickle.loads(source.read_bytes())  # noqa: S301  (our own file)
    rows = rows[:count]
    if which == "hoptac":  # Django set up before the clock starts
        common.setup_django(os.environ["BENCH_URL"])
        from hoptac.core.tabular.writing import write_xlsx
    before = _rss_mb()
    started, cpu_started = time.perf_counter(), time.process_time()
    if which == "hoptac":
        formats = ["dd/mm/yyyy" if i in dates else "#,##0" if i in money else None
                   for i in range(len(header))]  # fmt: skip
        write_xlsx(target, _stream(rows), header=header, formats=formats, sheet_title="HTX")
    elif which == "openpyxl":  # write-only, as hoptac wrote it before
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Font

        book = Workbook(write_only=True)
        sheet = book.create_sheet("HTX")
        head = []
        for text in header:
            cell = WriteOnlyCell(sheet, value=text)
            cell.font = Font(bold=True)
            head.append(cell)
        sheet.append(head)
        for row in _stream(rows):
            out: list[Any] = []
            for i, value in enumerate(row):
                if isinstance(value, str) or value is None:
                    out.append(value)
                    continue
                cell = WriteOnlyCell(sheet, value=value)
                if i in dates or i in money:
                    cell.number_format = "dd/mm/yyyy" if i in dates else "#,##0"
                out.append(cell)
            sheet.append(out)
        book.save(target)
    elif which == "xlsxwriter":  # constant_memory, a typed write per cell
        import xlsxwriter

        book = xlsxwriter.Workbook(
            str(target), {"constant_memory": True, "strings_to_formulas": False,
                          "strings_to_numbers": False, "strings_to_urls": False},
        )  # fmt: skip
        sheet = book.add_worksheet("HTX")
        bold = book.add_format({"bold": True})
        day = book.add_format({"num_format": "dd/mm/yyyy"})
        amount = book.add_format({"num_format": "#,##0"})
        for c, text in enumerate(header):
            sheet.write_string(0, c, text, bold)
        for r, row in enumerate(_stream(rows), start=1):
            for c, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, str):
                    sheet.write_string(r, c, value)
                elif isinstance(value, bool):
                    sheet.write_boolean(r, c, value)
                elif isinstance(value, date):
                    sheet.write_datetime(r, c, value, day)
                else:
                    sheet.write_number(r, c, value, amount if c in money else None)
        book.close()
    elif which == "pyexcelerate":  # holds the whole sheet in memory
        from pyexcelerate import Workbook as FastWorkbook

        book = FastWorkbook()
        book.new_sheet("HTX", data=[header, *_stream(rows)])
        book.save(str(target))
    elif which == "rustpy":  # rows as dicts keyed by header (headers must be unique)
        import rustpy_xlsxwriter

        records = (dict(zip(header, row, strict=True)) for row in _stream(rows))
        rustpy_xlsxwriter.write_worksheet(
            records, str(target), sheet_name="HTX", datetime_format="dd/mm/yyyy",
            bold_headers=True, freeze_row=1,
        )  # fmt: skip
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    return {"rows": count, "seconds": seconds, "rows_per_s": count / seconds,
            "cpu_seconds": cpu, "cpu_rows_per_s": count / cpu,
            "rss_growth_mb": _rss_mb() - before, "bytes": target.stat().st_size}  # fmt: skip


def available(which: str) -> bool:
    module = {"hoptac": "rvgsrust_xlsxwriter", "rustpy": "rustpy_xlsxwriter"}.get(which, which)
    try:
        __import__(module)
    except ImportError:
        return False
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=35_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--database-url", default=common.DEFAULT_DATABASE_URL)
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        which, source, target, count = args.child
        print(json.dumps(write(which, Path(source), Path(target), int(count))))
        return
    url = common.check_url(args.database_url)
    common.setup_django(url)
    from django.utils import translation

    from hoptac.accounts.models import User
    from hoptac.registry import excel, selectors
    from hoptac.registry.excel.columns import ColumnType

    translation.activate("vi")
    admin = User.objects.filter(role="admin").first()
    cooperatives = selectors.cooperative_list(user=admin, filters={})[: args.rows]
    rows = list(excel.export_rows(cooperatives))
    columns = excel.EXPORT_COLUMNS
    dates = {i for i, c in enumerate(columns) if c.type == ColumnType.DATE}
    money = {i for i, c in enumerate(columns) if c.type == ColumnType.MONEY}
    writers = [w for w in WRITERS if available(w)]
    print(f"{len(rows):,} rows of {len(columns)} columns; writers: {', '.join(writers)}")
    with tempfile.TemporaryDirectory(prefix="hoptac-xlsx-bench-") as folder:
        source = Path(folder) / "rows.pickle"
        source.write_bytes(pickle.dumps((excel.headers(), rows, dates, money)))
        best: dict[tuple[str, int], dict[str, Any]] = {}
        for _round in range(args.rounds):
            for count in (len(rows) // 10, len(rows)):
                for which in writers:
                    target = Path(folder) / f"{which}-{count}.xlsx"
                    command = [sys.executable, __file__, "--child", which, str(source),
                               str(target), str(count)]  # fmt: skip
                    env = {**os.environ, "BENCH_URL": url}
                    done = subprocess.run(  # noqa: S603  (this script)
                        command, capture_output=True, text=True, check=True, env=env
                    )
                    result = json.loads(done.stdout.strip().splitlines()[-1])
                    key = (which, count)
                    if key not in best or result["cpu_seconds"] < best[key]["cpu_seconds"]:
                        best[key] = result
        print(f"best of {args.rounds}, load {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
        print("| writer | rows | rows/s (CPU) | rows/s (wall) | peak RSS growth | file |")
        print("|---|---:|---:|---:|---:|---:|")
        ranked = sorted(best.items(), key=lambda i: (i[0][1], -i[1]["cpu_rows_per_s"]))
        for (which, count), r in ranked:
            print(f"| {which} | {count:,} | {r['cpu_rows_per_s']:,.0f} | {r['rows_per_s']:,.0f} "
                  f"| +{r['rss_growth_mb']:.0f} MB | {r['bytes'] / 1e6:.1f} MB |")  # fmt: skip


if __name__ == "__main__":
    main()
