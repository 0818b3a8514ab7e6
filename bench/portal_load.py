"""Throughput of the public portal's pages against a trivial view, in the same run.

Starts gunicorn (sync workers, as the README deploys it) on a free loopback port against a
PostgreSQL benchmark database holding the demo data, drives it with wrk (Debian's package),
and prints one table: requests per second, latency percentiles, errors, and each page's
throughput as a share of /robots.txt's (a view through the same middleware that renders a
tiny template). Then it checks that the visitor counters are exact: the requests carry a
browser's User-Agent and cookies from a fixed pool of visitor tokens, so the day's visits must
grow by exactly the number of tokens the run used.

    .venv/bin/python bench/portal_load.py                 # prepare the data if needed, then run
    .venv/bin/python bench/portal_load.py --redis         # with REDIS_URL (cache and counters)
    .venv/bin/python bench/portal_load.py --repeat 3      # the worst of 3 runs per page

Only loopback traffic, bounded in time (--duration per page and run). The database name must
contain "bench"; it is created, migrated and filled with the demo data when empty.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from http.cookies import SimpleCookie
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, check_url, ensure_database, machine

PAGES = [
    ("trivial view", "/robots.txt"),
    ("portal home", "/"),
    ("directory", "/danh-ba/"),
    ("news list", "/tin-tuc/"),
]
BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:131.0) Gecko/20100101 Firefox/131.0"
VISITORS = 200  # browser sessions per page and run
GOAL_RATIO = 0.30
GOAL_P99_MS = 100.0

# Browsers: each request takes the next session of the list (its cookies, as a browser sends
# them back: the visitor token and the "counted today" note the first page view gave it).
# First visits: a browser User-Agent and no cookie, so every request is a new visitor.
LUA = """
local sessions = {}
local counter = 0
function init(args)
  if args[1] ~= "-" then
    for line in io.lines(args[1]) do sessions[#sessions + 1] = line end
  end
end
function request()
  counter = counter + 1
  wrk.headers["User-Agent"] = "@AGENT@"
  if #sessions > 0 then
    wrk.headers["Cookie"] = sessions[(counter % #sessions) + 1]
  end
  return wrk.format(nil)
end
""".replace("@AGENT@", BROWSER)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(url: str, static_root: str, redis: bool) -> dict[str, str]:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "bench-" + os.urandom(24).hex(),
        "DJANGO_STATIC_ROOT": static_root,
        "HOPTAC_SECURE_COOKIES": "false",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("REDIS_URL", None)
    if redis:
        env["REDIS_URL"] = "redis://127.0.0.1:6379/5"
    return env


def prepare(url: str, env: dict[str, str]) -> None:
    """Create, migrate and fill the database with the demo data when it has none."""
    ensure_database(url)
    manage = [sys.executable, str(ROOT / "manage.py")]
    for args in (
        ["migrate", "-v0"],
        ["areas", "load"],
        ["demo"],
        ["collectstatic", "--noinput", "-v0"],
    ):
        subprocess.run([*manage, *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)  # noqa: S603


def visits_today(env: dict[str, str]) -> int:
    code = (
        "import django; django.setup(); from hoptac.portal import visits; "
        "print(visits.visit_stats().today)"
    )
    out = subprocess.run(  # noqa: S603  (our own code)
        [sys.executable, "-c", code], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return int(out.stdout.strip().splitlines()[-1])


def wait_for(port: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"gunicorn exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/robots.txt", timeout=5):
                return
        except OSError:
            time.sleep(0.3)
    sys.exit("gunicorn did not answer within 60 s")


def to_ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def browser_sessions(port: int, path: str, count: int, prefix: str) -> Path:
    """`count` new browser sessions, each after its first page view (which the counter counts
    as a visit): a file of their Cookie headers, one a line."""
    lines = []
    for n in range(count):
        token = f"{prefix}-visitor-{n:05d}"
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}{path}",
            headers={"User-Agent": BROWSER, "Cookie": f"hoptac_visitor={token}"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            cookies = SimpleCookie()
            for header in response.headers.get_all("Set-Cookie") or []:
                cookies.load(header)
        sent = {"hoptac_visitor": token} | {k: m.value for k, m in cookies.items()}
        lines.append("; ".join(f"{k}={v}" for k, v in sent.items()))
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as out:
        out.write("\n".join(lines) + "\n")
    return Path(out.name)


def run_wrk(port: int, path: str, args: argparse.Namespace, script: Path, sessions: str) -> dict:
    command = [
        "wrk",
        f"-t{args.threads}",
        f"-c{args.connections}",
        f"-d{args.duration}s",
        "--latency",
        "-s",
        str(script),
        f"http://127.0.0.1:{port}{path}",
        "--",
        sessions,
    ]
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout  # noqa: S603
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)$", out, re.MULTILINE))
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": to_ms(latency["50"]),
        "p99": to_ms(latency["99"]),
        "errors": errors + (int(non2xx.group(1)) if non2xx else 0),
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
    }


def keep_worst(results: dict[str, dict], key: str, got: dict) -> None:
    """The lowest throughput of the runs, and the highest p99."""
    worst = results.get(key)
    if worst is None:
        results[key] = got
        return
    p99 = max(worst["p99"], got["p99"])
    if got["rps"] < worst["rps"]:
        results[key] = got
    results[key]["p99"] = p99
    results[key]["errors"] = max(worst["errors"], got["errors"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/hoptac_bench_portal"
    )
    parser.add_argument("--duration", type=int, default=10, help="seconds per page and run")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--repeat", type=int, default=1, help="runs per page; the worst is shown")
    parser.add_argument("--redis", action="store_true", help="run with REDIS_URL set")
    parser.add_argument("--no-cache", action="store_true", help="HOPTAC_FRAGMENT_CACHE=false")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("bench: wrk is missing (apt-get install wrk)")
    url = check_url(args.database_url)
    static_root = tempfile.mkdtemp(prefix="hoptac-bench-static-")
    env = server_env(url, static_root, args.redis)
    if args.no_cache:
        env["HOPTAC_FRAGMENT_CACHE"] = "false"
    prepare(url, env)
    if args.redis:
        subprocess.run(["redis-cli", "-n", "5", "FLUSHDB"], check=False, capture_output=True)  # noqa: S607
    port = free_port()
    gunicorn = ROOT / ".venv" / "bin" / "gunicorn"
    server = subprocess.Popen(  # noqa: S603
        [
            str(gunicorn),
            "config.wsgi",
            "--workers",
            str(args.workers),
            "--bind",
            f"127.0.0.1:{port}",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    results: dict[str, dict] = {}
    try:
        wait_for(port, server)
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
            lua.write(LUA)
        script = Path(lua.name)
        for _name, path in PAGES:  # warm each page in both workers
            for _ in range(4):
                urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30).read()
        before = visits_today(env)
        load_before = machine()["load"]
        expected = 0
        for run in range(args.repeat):
            for index, (_name, path) in enumerate(PAGES):
                sessions = "-"
                if path != "/robots.txt":
                    made = browser_sessions(port, path, VISITORS, f"r{os.getpid()}x{run}p{index}")
                    sessions, expected = str(made), expected + VISITORS
                keep_worst(results, path, run_wrk(port, path, args, script, sessions))
        grown = visits_today(env) - before
        for _run in range(args.repeat):  # every request a new visitor (not checked: wrk
            # leaves requests in flight at its end, which it does not count)
            keep_worst(results, "first", run_wrk(port, "/", args, script, "-"))
        load_after = machine()["load"]
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(static_root, ignore_errors=True)

    trivial = results["/robots.txt"]["rps"]
    cache = "off" if args.no_cache else ("Redis" if args.redis else "local memory + table")
    print(
        f"\nportal load: gunicorn {args.workers} sync workers, wrk {args.threads} threads × "
        f"{args.connections} connections, {args.duration} s per page, worst of {args.repeat}; "
        f"fragment cache: {cache}; counters: {'Redis' if args.redis else 'PostgreSQL'}"
    )
    print(f"load average before {load_before}, after {load_after}, {os.cpu_count()} CPUs\n")
    print("| page | path | req/s | p50 ms | p99 ms | errors | share of trivial | goal |")
    print("|---|---|---|---|---|---|---|---|")
    rows = [*PAGES, ("home, every request a first visit", "first")]
    for name, path in rows:
        r = results[path]
        share = r["rps"] / trivial
        goal = "—"
        if path not in ("/robots.txt", "first"):
            met = share >= GOAL_RATIO and r["p99"] < GOAL_P99_MS and r["errors"] == 0
            goal = "met" if met else "NOT met"
        shown = "`/`" if path == "first" else f"`{path}`"
        print(
            f"| {name} | {shown} | {r['rps']:,.0f} | {r['p50']:.1f} | {r['p99']:.1f} | "
            f"{r['errors']} | {share:.0%} | {goal} |"
        )
    print(
        f"\nvisitor counters: today's visits grew by {grown:,} during the browser runs; "
        f"expected {expected:,} (the browser sessions made): "
        f"{'exact' if grown == expected else 'NOT exact'}"
    )


if __name__ == "__main__":
    main()
