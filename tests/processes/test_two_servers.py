"""Imports as background jobs across real processes: two app servers (gunicorn), one worker
(`manage.py worker`), one database (the run's: PostgreSQL in CI, a SQLite file otherwise), all
on this machine, driven by Chromium.

- A 20,000-row file is checked and imported through the page: the POST answers at once with
  the job's bar, the bar is followed on the other app server, and reaches 100 %.
- The worker is killed (SIGKILL) in the middle of an import: nothing is written, the job shows
  failed with a retry, and the retry (by a new worker) writes every row.
- A running import is cancelled: nothing is written.

The processes use their own database (created here, dropped after), not the tests' one.
"""

from __future__ import annotations

import csv
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent.parent
ROWS = 20_000
PASSWORD = "Sup3r-secret-pw"
ADDRESS = "Xã Lương Bằng, Huyện Chợ Đồn, Tỉnh Bắc Kạn"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Stack:
    env: dict[str, str]
    folder: Path
    database: str
    servers: list[str] = field(default_factory=list)
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    def manage(self, *args: str) -> str:
        result = subprocess.run(  # noqa: S603  (our own command)
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            check=False,
            timeout=600,
        )
        assert result.returncode == 0, result.stderr[-3000:]
        return result.stdout

    def start(self, name: str, *command: str) -> None:
        log = (self.folder / f"{name}.log").open("wb")
        self.processes[name] = subprocess.Popen(  # noqa: S603  (our own commands)
            list(command), cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT
        )

    def start_worker(self) -> None:
        self.start("worker", sys.executable, "manage.py", "worker", "--interval", "0.2")

    def kill(self, name: str) -> None:
        process = self.processes.pop(name)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)

    def count(self, table: str = "registry_cooperative") -> int:
        """Rows of `table`, read straight from the stack's database."""
        query = f"SELECT count(*) FROM {table}"  # noqa: S608  (a constant table name)
        if self.database.startswith("postgres"):
            import psycopg

            with psycopg.connect(self.database.replace("postgres://", "postgresql://")) as conn:
                return int(conn.execute(query).fetchone()[0])
        with sqlite3.connect(self.database.removeprefix("sqlite:///")) as conn:
            return int(conn.execute(query).fetchone()[0])

    def log(self, name: str) -> str:
        path = self.folder / f"{name}.log"
        return path.read_text(errors="replace")[-4000:] if path.exists() else ""


def _wait_until_up(url: str, process: subprocess.Popen[bytes], log: str) -> None:
    for _ in range(200):
        if process.poll() is not None:
            pytest.fail(f"{url} did not start:\n{log}")
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"{url} did not answer")


def _database(folder: Path) -> tuple[str, str | None]:
    """A fresh database on the run's server: (its URL, its name to drop)."""
    default = settings.DATABASES["default"]
    if default["ENGINE"].endswith("postgresql"):
        import psycopg

        name = f"hoptac_stack_{os.getpid()}"
        host, port = default.get("HOST") or "127.0.0.1", default.get("PORT") or 5432
        user = default.get("USER") or "postgres"
        with psycopg.connect(
            host=host, port=port, user=user, dbname="postgres", autocommit=True
        ) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        return f"postgres://{user}@{host}:{port}/{name}", name
    return f"sqlite:///{folder / 'stack.sqlite3'}", None


def _drop(name: str | None) -> None:
    if name is None:
        return
    import psycopg

    default = settings.DATABASES["default"]
    with psycopg.connect(
        host=default.get("HOST") or "127.0.0.1",
        port=default.get("PORT") or 5432,
        user=default.get("USER") or "postgres",
        dbname="postgres",
        autocommit=True,
    ) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def stack(tmp_path_factory) -> Iterator[Stack]:
    folder = tmp_path_factory.mktemp("stack")
    url, dropped = _database(folder)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": url,
        "HOPTAC_VAR_DIR": str(folder),
        "HOPTAC_JOBS_DIR": str(folder / "jobs"),
        "HOPTAC_TASKS_BACKEND": "database",
        "HOPTAC_JOBS_CHANNEL": "database" if url.startswith("postgres") else "files",
        "HOPTAC_JOB_STALE_SECONDS": "6",
        "HOPTAC_FRAGMENT_CACHE": "false",
        "PYTHONUNBUFFERED": "1",
    }
    stack = Stack(env=env, folder=folder, database=url)
    try:
        stack.manage("migrate", "--no-input", "-v0")
        stack.manage("areas", "load")
        stack.manage(
            "shell",
            "-c",
            "from hoptac.accounts.models import User; "
            "u = User(username='quantri', role='admin', is_staff=True, is_superuser=True); "
            f"u.set_password('{PASSWORD}'); u.save()",
        )
        for name in ("web1", "web2"):
            port = _free_port()
            stack.servers.append(f"http://127.0.0.1:{port}")
            stack.start(
                name,
                str(Path(sys.executable).with_name("gunicorn")),
                "config.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                "--timeout",
                "30",
            )
        stack.start_worker()
        for index, server in enumerate(stack.servers):
            _wait_until_up(server, stack.processes[f"web{index + 1}"], stack.log(f"web{index + 1}"))
        yield stack
    finally:
        for process in stack.processes.values():
            process.terminate()
        for process in stack.processes.values():
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
        _drop(dropped)


def _file(folder: Path, prefix: str, rows: int = ROWS) -> Path:
    """A CSV of `rows` new HTX of Xã Lương Bằng, codes and names unique to `prefix`."""
    path = folder / f"{prefix}.csv"
    number = int.from_bytes(prefix.encode(), "big") % 90 + 10
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["STT", "Tên HTX", "Mã số HTX", "Địa chỉ", "Lĩnh vực", "Ngày thành lập"])
        for i in range(rows):
            writer.writerow(
                [i + 1, f"HTX {prefix} {i}", f"47{number:02d}{i:06d}", ADDRESS, "Trồng trọt",
                 "15/03/2015"]
            )  # fmt: skip
    return path


@pytest.fixture
def page(browser, stack) -> Iterator[object]:
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(stack.servers[0] + "/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill("quantri")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_load_state()
    yield page
    context.close()


def _upload(page, server: str, path: Path) -> str:
    """Upload the file on `server`; the URL of its import page."""
    page.goto(server + "/htx/nhap/")
    page.set_input_files("input[type=file]", str(path))
    page.get_by_role("button", name=re.compile("Tải lên|Đọc tệp|Tiếp")).click()
    expect(page.get_by_test_id("mapping-form")).to_be_visible()
    return page.url.split("#")[0]


def _press(page, name: str) -> None:
    page.get_by_role("button", name=name).click()
    expect(page.get_by_test_id("job-progress")).to_be_visible()  # answered with the job's bar


def _job_url(page) -> str:
    return page.get_by_role("link", name="Mở việc").get_attribute("href")


def test_an_import_through_two_app_servers_and_a_worker(page, stack):
    path = _file(stack.folder, "hai")
    one, two = stack.servers
    before = stack.count()
    import_page = _upload(page, one, path)
    _press(page, "Kiểm tra tệp")
    job = _job_url(page)
    # the other app server follows the same job, from the database
    page.goto(two + job)
    expect(page.get_by_test_id("job-progress")).to_have_attribute("data-state", "succeeded",
                                                                   timeout=180_000)  # fmt: skip
    expect(page.get_by_test_id("job-percent")).to_have_attribute("data-percent", "100")
    page.goto(two + import_page.removeprefix(one))
    expect(page.get_by_test_id("import-button")).to_be_visible()
    assert stack.count() == before  # a check writes nothing
    _press(page, "Nhập")
    expect(page.get_by_test_id("import-done")).to_be_visible(timeout=180_000)  # the page reloads
    assert stack.count() == before + ROWS
    page.goto(one + "/viec/")
    expect(page.get_by_test_id("job-row").first).to_contain_text("Nhập")


def _running(page, stack, server: str, job: str) -> None:
    """Wait until the job writes rows (its bar past 0 in the write phase)."""
    for _ in range(600):
        page.goto(server + job)
        progress = page.get_by_test_id("job-progress")
        state = progress.get_attribute("data-state")
        percent = int(page.get_by_test_id("job-percent").get_attribute("data-percent") or 0)
        if state == "running" and 0 < percent < 90:
            return
        assert state in ("queued", "running"), stack.log("worker")
        time.sleep(0.2)
    pytest.fail("the import never ran")


def test_a_worker_killed_mid_import_writes_nothing_and_the_retry_does(page, stack):
    path = _file(stack.folder, "giet")
    one, two = stack.servers
    before = stack.count()
    _upload(page, one, path)
    page.get_by_test_id("mapping-form").get_by_role("button", name="Kiểm tra tệp").click()
    expect(page.get_by_test_id("import-button")).to_be_visible(timeout=180_000)
    _press(page, "Nhập")
    job = _job_url(page)
    _running(page, stack, two, job)
    stack.kill("worker")
    page.goto(two + job)
    expect(page.get_by_test_id("job-progress")).to_have_attribute("data-state", "failed",
                                                                   timeout=30_000)  # fmt: skip
    assert stack.count() == before  # the transaction died with the worker
    stack.start_worker()
    page.get_by_test_id("job-retry").click()
    try:
        expect(page.get_by_test_id("job-progress")).to_have_attribute(
            "data-state", "succeeded", timeout=180_000
        )
    except AssertionError:
        jobs = sorted(p.name for p in (stack.folder / "jobs").glob("*"))
        pytest.fail(f"the retry did not succeed; {jobs}\n{stack.log('worker')}")
    assert stack.count() == before + ROWS


def test_a_running_import_is_cancelled_and_writes_nothing(page, stack):
    path = _file(stack.folder, "huy")
    one, two = stack.servers
    before = stack.count()
    _upload(page, two, path)
    page.get_by_role("button", name="Kiểm tra tệp").click()
    expect(page.get_by_test_id("import-button")).to_be_visible(timeout=180_000)
    _press(page, "Nhập")
    job = _job_url(page)
    _running(page, stack, one, job)
    page.get_by_test_id("job-cancel").click()
    expect(page.get_by_test_id("job-progress")).to_have_attribute("data-state", "cancelled",
                                                                   timeout=60_000)  # fmt: skip
    assert stack.count() == before


def _redis_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


@pytest.mark.skipif(not _redis_reachable(), reason="no Redis on 127.0.0.1:6379")
def test_the_redis_queue_runs_jobs_with_one_setting(stack):
    """HOPTAC_TASKS_BACKEND=rq: the same task, put on Redis, run by `manage.py worker`."""
    env = {**stack.env, "HOPTAC_TASKS_BACKEND": "rq", "REDIS_URL": "redis://127.0.0.1:6379/15"}
    redis_stack = Stack(env=env, folder=stack.folder, database=stack.database)
    queued = redis_stack.manage(
        "shell", "-c",
        "from hoptac.indicators.tasks import refresh_tally; print(refresh_tally.enqueue().id)",
    ).strip().splitlines()[-1]  # fmt: skip
    redis_stack.manage("worker", "--batch")
    status = redis_stack.manage(
        "shell", "-c",
        "from hoptac.indicators.tasks import refresh_tally; "
        f"print(refresh_tally.get_result('{queued}').status)",
    ).strip().splitlines()[-1]  # fmt: skip
    assert status == "SUCCESSFUL"
