"""What the benchmark's generator and runner share: the database, Django, the machine's load.

The benchmark never reads DATABASE_URL from the environment: it wipes the registry of the
database it is pointed at, so it takes its own URL (--database-url, default hoptac_bench) and
refuses a database whose name does not contain "bench".
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = Path(__file__).resolve().parent
RESULTS_DIR = BENCH_DIR / "results"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/hoptac_bench"
SETTINGS = "config.settings.test"  # DEBUG off, fast hashers; the database comes from our URL


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def check_url(url: str) -> str:
    """The URL, if it points at a PostgreSQL database meant for the benchmark."""
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql"):
        sys.exit(f"bench: PostgreSQL only, not {parts.scheme!r}")
    if "bench" not in database_name(url):
        sys.exit(f"bench: refusing {database_name(url)!r}: the database name must contain 'bench'")
    return url


def django_env(url: str) -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": SETTINGS}


def setup_django(url: str) -> None:
    """Django configured against the benchmark database (no test database is created)."""
    os.environ.update({"DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": SETTINGS})
    os.environ.setdefault("DATABASE_CONN_MAX_AGE", "600")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def manage(url: str, *args: str) -> None:
    """Run a manage.py command against the benchmark database."""
    command = [sys.executable, str(ROOT / "manage.py"), *args]
    subprocess.run(command, cwd=ROOT, env=django_env(url), check=True)  # noqa: S603  (our manage.py)


def rebuild_tally(url: str) -> None:
    """The generators write by COPY, past the models' signals: rebuild the indicators' tally
    (hoptac/indicators/tally/) whole."""
    manage(url, "tally", "--rebuild")


def ensure_database(url: str) -> bool:
    """Create the database if it is missing; True when it was created."""
    import psycopg
    from psycopg import sql

    name = database_name(url)
    with psycopg.connect(url, dbname="postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists:
            return False
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return True


def machine() -> dict[str, Any]:
    """The machine and how busy it is right now (load averages over 1, 5 and 15 minutes)."""
    load = os.getloadavg()
    info: dict[str, Any] = {
        "cpus": os.cpu_count(),
        "load": [round(x, 2) for x in load],
        "python": platform.python_version(),
        "platform": platform.platform(terse=True),
    }
    try:
        meminfo = Path("/proc/meminfo").read_text().splitlines()
        total = next(line for line in meminfo if line.startswith("MemTotal"))
        info["memory_gb"] = round(int(total.split()[1]) / 1024 / 1024, 1)
    except (OSError, StopIteration):
        pass
    return info


def postgres_info(cursor: Any) -> dict[str, Any]:
    """The server's version and the settings that matter for these figures."""
    cursor.execute("SHOW server_version")
    info: dict[str, Any] = {"version": cursor.fetchone()[0]}
    for name in ("shared_buffers", "work_mem", "effective_cache_size", "random_page_cost", "jit"):
        cursor.execute(f"SHOW {name}")
        info[name] = cursor.fetchone()[0]
    return info
