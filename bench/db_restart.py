"""What a PostgreSQL restart costs under load, with and without HOPTAC_CONN_HEALTH_CHECKS.

Starts gunicorn (2 sync workers, kept connections: DATABASE_CONN_MAX_AGE=60) on a free
loopback port, drives /readyz (one `SELECT 1`, the cache, the tally's state: every request
uses the database) at a bounded rate from a few client threads, restarts PostgreSQL a few
seconds in (`pg_ctl restart -m fast`: every backend is ended, as in a real restart), and
prints errors / total and the recovery time, once per setting.

The PostgreSQL it restarts is its own: a throwaway cluster made with initdb in a temporary
directory, run as the `postgres` user on a free loopback port, removed at the end. So the
shared server (and every test run on it) is never touched. With --system it restarts the
machine's cluster instead (`pg_ctlcluster 15 main restart`), against --database-url; that
ends every session on the server, other people's included.

    .venv/bin/python bench/db_restart.py                       # both settings, 20 s each
    .venv/bin/python bench/db_restart.py --health-checks on --rate 300 --duration 30

Only loopback traffic; bounded in count (rate x duration) and time.
"""

from __future__ import annotations

import argparse
import http.client
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, SETTINGS, check_url, ensure_database

PG_BIN = Path("/usr/lib/postgresql/15/bin")
PATH = "/readyz"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def as_postgres(*command: str) -> list[str]:
    """Run as the postgres user when we are root (initdb and postgres refuse root)."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else list(command)


class TempCluster:
    """A PostgreSQL 15 cluster of our own, in a temporary directory."""

    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="hoptac-pg-"))
        self.port = free_port()
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
        self.data = self.dir / "data"
        subprocess.run(  # noqa: S603
            as_postgres(
                str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust"
            ),
            check=True,
            capture_output=True,
        )
        self.options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        self.ctl("start")
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/hoptac_bench_restart"

    def ctl(self, action: str, *extra: str) -> None:
        subprocess.run(  # noqa: S603
            as_postgres(
                str(PG_BIN / "pg_ctl"),
                "-D",
                str(self.data),
                "-o",
                self.options,
                "-w",
                "-l",
                str(self.dir / "log"),
                *extra,
                action,
            ),
            check=True,
            capture_output=True,
        )

    def restart(self) -> None:
        self.ctl("restart", "-m", "fast")

    def remove(self) -> None:
        try:
            self.ctl("stop", "-m", "immediate")
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)


class SystemCluster:
    def __init__(self, url: str) -> None:
        self.url = check_url(url)

    def restart(self) -> None:
        subprocess.run(["pg_ctlcluster", "15", "main", "restart"], check=True)  # noqa: S607

    def remove(self) -> None:
        pass


@dataclass
class Outcome:
    at: float  # when the request was sent, in seconds from the start of the run
    ok: bool
    what: str
    seconds: float


@dataclass
class Run:
    outcomes: list[Outcome] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, outcome: Outcome) -> None:
        with self.lock:
            self.outcomes.append(outcome)


def client(port: int, start: float, interval: float, until: float, run: Run) -> None:
    """Requests at `interval` seconds apart on a kept-alive connection (a new one after an
    error), until `until`."""
    connection = None
    next_at = start
    while next_at < until:
        time.sleep(max(0.0, next_at - time.monotonic()))
        next_at += interval
        sent = time.monotonic()
        try:
            if connection is None:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            connection.request("GET", PATH)
            response = connection.getresponse()
            response.read()
            ok, what = response.status == 200, str(response.status)
        except (OSError, http.client.HTTPException) as error:
            ok, what = False, type(error).__name__
            if connection is not None:
                connection.close()
            connection = None
        run.add(Outcome(sent - start, ok, what, time.monotonic() - sent))


def idle_restart(cluster, port: int, requests: int) -> int:
    """Restart while no request runs, wait, then send `requests` one by one (as the first
    visitors after a quiet night): how many fail."""
    cluster.restart()
    time.sleep(2)
    errors = 0
    for _ in range(requests):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        try:
            connection.request("GET", PATH)
            errors += connection.getresponse().status != 200
        except (OSError, http.client.HTTPException):
            errors += 1
        finally:
            connection.close()
        time.sleep(0.05)
    return errors


def gunicorn(url: str, port: int, health_checks: bool) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": SETTINGS,
        "DATABASE_URL": url,
        "DATABASE_CONN_MAX_AGE": "60",
        "HOPTAC_CONN_HEALTH_CHECKS": "true" if health_checks else "false",
        "DJANGO_LOG_LEVEL": "CRITICAL",  # the failed requests' tracebacks are not the point
    }
    process = subprocess.Popen(  # noqa: S603
        [str(ROOT / ".venv/bin/gunicorn"), "config.wsgi", "--workers", "2",
         "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=ROOT, env=env, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", PATH)
            if connection.getresponse().status == 200:
                return process
        except OSError:
            pass
        if process.poll() is not None:
            sys.exit(f"gunicorn exited with {process.returncode}")
        time.sleep(0.3)
    process.terminate()
    sys.exit("gunicorn did not answer /readyz with 200 within 60 s")


def checkpoint(url: str) -> None:
    """Write dirty pages now, so that each run's restart has the same (little) to flush."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("CHECKPOINT")


def measure(cluster, health_checks: bool, args: argparse.Namespace) -> dict:
    checkpoint(cluster.url)
    port = free_port()
    server = gunicorn(cluster.url, port, health_checks)
    run = Run()
    try:
        start = time.monotonic() + 0.5
        until = start + args.duration
        interval = args.clients / args.rate
        threads = [
            threading.Thread(
                target=client,
                args=(port, start + i * interval / args.clients, interval, until, run),
            )
            for i in range(args.clients)
        ]
        for thread in threads:
            thread.start()
        time.sleep(max(0.0, start + args.restart_at - time.monotonic()))
        restart_began = time.monotonic() - start
        cluster.restart()
        restart_took = time.monotonic() - start - restart_began
        for thread in threads:
            thread.join(timeout=args.duration + 30)
        time.sleep(1)
        quiet_errors = idle_restart(cluster, port, args.idle_requests)
    finally:
        server.terminate()
        server.wait(timeout=30)
    outcomes = sorted(run.outcomes, key=lambda o: o.at)
    errors = [o for o in outcomes if not o.ok]
    last_error = errors[-1].at if errors else None
    recovered = next(
        (o.at for o in outcomes if o.ok and last_error is not None and o.at > last_error), None
    )
    kinds: dict[str, int] = {}
    for error in errors:
        kinds[error.what] = kinds.get(error.what, 0) + 1
    return {
        "health_checks": health_checks,
        "total": len(outcomes),
        "errors": len(errors),
        "kinds": kinds,
        "restart_began": restart_began,
        "restart_took": restart_took,
        "errors_from": errors[0].at if errors else None,
        "errors_until": last_error,
        "recovered_after": (recovered - restart_began) if recovered is not None else None,
        "slowest": max(o.seconds for o in outcomes),
        "quiet_errors": quiet_errors,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--health-checks", choices=["on", "off", "both"], default="both")
    parser.add_argument("--rate", type=float, default=200.0, help="requests per second in all")
    parser.add_argument("--clients", type=int, default=8, help="client threads")
    parser.add_argument("--duration", type=float, default=20.0, help="seconds per run")
    parser.add_argument("--restart-at", type=float, default=6.0, help="seconds into the run")
    parser.add_argument(
        "--idle-requests", type=int, default=20, help="requests after a restart without load"
    )
    parser.add_argument("--system", action="store_true", help="restart the machine's cluster")
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/hoptac_bench_restart"
    )
    args = parser.parse_args()
    if not 0 < args.rate <= 1000 or not 0 < args.duration <= 120 or not 1 <= args.clients <= 32:
        sys.exit("bench: --rate up to 1000/s, --duration up to 120 s, 1 to 32 --clients")

    cluster = SystemCluster(args.database_url) if args.system else TempCluster()
    try:
        ensure_database(cluster.url)
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": SETTINGS, "DATABASE_URL": cluster.url}
        subprocess.run(  # noqa: S603
            [sys.executable, str(ROOT / "manage.py"), "migrate", "--no-input", "-v0"],
            cwd=ROOT, env=env, check=True,
        )  # fmt: skip
        settings = {"on": [True], "off": [False], "both": [True, False]}[args.health_checks]
        results = [measure(cluster, health_checks, args) for health_checks in settings]
    finally:
        cluster.remove()

    print(
        f"\nPostgreSQL restart under load: GET {PATH}, {args.rate:.0f} requests/s from "
        f"{args.clients} clients for {args.duration:.0f} s, gunicorn 2 sync workers, "
        f"CONN_MAX_AGE 60, restart ({'pg_ctlcluster' if args.system else 'pg_ctl -m fast'}) "
        f"at {args.restart_at:.0f} s\n"
    )
    print(
        "| health checks | under load: errors / total | error window | restart took "
        "| recovered after | slowest request | errors | after an idle restart: errors |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for r in results:
        window = f"{r['errors_from']:.2f}–{r['errors_until']:.2f} s" if r["errors"] else "none"
        recovered = f"{r['recovered_after']:.2f} s" if r["recovered_after"] is not None else "–"
        kinds = ", ".join(f"{k}: {n}" for k, n in sorted(r["kinds"].items())) or "–"
        print(
            f"| {'on' if r['health_checks'] else 'off'} | {r['errors']} / {r['total']} | "
            f"{window} | {r['restart_took']:.2f} s | {recovered} | {r['slowest']:.2f} s | "
            f"{kinds} | {r['quiet_errors']} / {args.idle_requests} |"
        )
    print(
        "\nerror window: when the failed requests were sent, from the start of the run; "
        "recovered after: from the start of the restart to the first success after the last "
        "error; after an idle restart: the first requests after a restart with no traffic."
    )


if __name__ == "__main__":
    main()
