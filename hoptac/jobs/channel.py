"""Progress, sign of life and cancel requests of a running job, visible to every process while
the job's own transaction is still open.

A job writes its data in one transaction (an import: every row or none), so its progress cannot
go through that transaction. On PostgreSQL it goes through a second connection (the database
alias "jobs", the same server), committed at once; every app server reads it from the job's row.
SQLite has a single writer and no second server: the progress of a job is a small file beside
the database (VAR_DIR/jobs/), which every process of the one machine reads.
"""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import connections
from django.utils import timezone

if TYPE_CHECKING:
    from hoptac.jobs.models import Job

ALIAS = "jobs"


def _shared_database() -> bool:
    """True when progress goes through the database (PostgreSQL), False for files (SQLite).
    settings.HOPTAC_JOBS_CHANNEL chooses; the alias "jobs" exists only for "database"."""
    return ALIAS in settings.DATABASES


def _folder() -> Path:
    return Path(settings.HOPTAC_JOBS_DIR)


def _file(job: Job, suffix: str) -> Path:
    # the creation time too: a test database (or a restored one) reuses ids, never both
    stamp = int(job.created_at.timestamp() * 1_000_000)
    return _folder() / f"{int(job.pk)}-{stamp}.{suffix}"


def report(job: Job, *, phase: str, done: int, total: int) -> None:
    """Record how far the job is, and that it is alive."""
    now = timezone.now()
    if _shared_database():
        with connections[ALIAS].cursor() as cursor:
            cursor.execute(
                "UPDATE jobs_job SET phase = %s, done = %s, total = %s, heartbeat_at = %s "
                "WHERE id = %s",
                [phase[:40], done, total, now, job.pk],
            )
        return
    folder = _folder()
    folder.mkdir(parents=True, exist_ok=True)
    data = {"phase": phase[:40], "done": done, "total": total, "heartbeat_at": now.isoformat()}
    target = _file(job, "json")
    temporary = target.with_suffix(f".{os.getpid()}.tmp")
    temporary.write_text(json.dumps(data))
    temporary.replace(target)  # atomic: a reader never sees half a file


def alive(job: Job, phase: str, done: int, total: int) -> None:
    """A sign of life without new figures (the heartbeat of a long step)."""
    report(job, phase=phase, done=done, total=total)


def read(job: Job) -> dict[str, Any] | None:
    """The progress a job reported through a file (SQLite); None when it reports to its row."""
    if _shared_database():
        return None
    try:
        data = json.loads(_file(job, "json").read_text())
    except (OSError, ValueError):
        return None
    heartbeat = data.get("heartbeat_at")
    data["heartbeat_at"] = datetime.fromisoformat(heartbeat) if heartbeat else None
    return data


def request_cancel(job: Job) -> None:
    """Ask a running job to stop (its row says so too, once its transaction allows)."""
    if _shared_database():
        with connections[ALIAS].cursor() as cursor:
            cursor.execute("UPDATE jobs_job SET cancel_requested = TRUE WHERE id = %s", [job.pk])
        return
    _folder().mkdir(parents=True, exist_ok=True)
    _file(job, "cancel").touch()


def cancel_requested(job: Job) -> bool:
    if _shared_database():
        with connections[ALIAS].cursor() as cursor:
            cursor.execute("SELECT cancel_requested FROM jobs_job WHERE id = %s", [job.pk])
            row = cursor.fetchone()
        return bool(row and row[0])
    return _file(job, "cancel").exists()


def forget(job: Job) -> None:
    """Remove a finished job's files (SQLite); its row holds the final figures."""
    for suffix in ("json", "cancel"):
        _file(job, suffix).unlink(missing_ok=True)


def close() -> None:
    """Close this thread's second connection (the heartbeat thread ends with it)."""
    if ALIAS in settings.DATABASES:
        connections[ALIAS].close()
