"""What a running job's handler gets: its parameters, its owner, and the means to report
progress, stop when asked, and attach its result file."""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils.translation import gettext as _

from hoptac.jobs import channel

if TYPE_CHECKING:
    from hoptac.accounts.models import User
    from hoptac.jobs.models import Job

REPORT_EVERY = 0.5  # seconds between two progress writes


def heartbeat_every() -> float:
    """Seconds between two signs of life during a long step: a third of the silence after
    which a job counts as dead (HOPTAC_JOB_STALE_SECONDS), at most 10."""
    return min(10.0, settings.HOPTAC_JOB_STALE_SECONDS / 3)


class JobCancelled(Exception):  # noqa: N818  (raised to stop a job, as the officer asked)
    """Raised inside a job when its owner cancelled it: the job's transaction rolls back."""

    def __init__(self) -> None:
        super().__init__(_("Cancelled by the user."))


class JobContext:
    def __init__(self, job: Job) -> None:
        self.job = job
        self.params: dict[str, Any] = dict(job.params)
        self.phase = ""
        self.done = 0
        self.total = 0
        self.file: tuple[str, str, bytes] | None = None
        self._last_report = 0.0
        self._lock = threading.Lock()

    @property
    def owner(self) -> User | None:
        return self.job.owner

    def progress(self, phase: str, done: int, total: int) -> None:
        """Report progress (written at most every REPORT_EVERY seconds) and stop here with
        JobCancelled if the owner cancelled the job."""
        with self._lock:
            self.phase, self.done, self.total = phase, done, total
        now = time.monotonic()
        if now - self._last_report < REPORT_EVERY and done < total:
            return
        self._last_report = now
        channel.report(self.job, phase=phase, done=done, total=total)
        self.check_cancelled()

    def check_cancelled(self) -> None:
        if channel.cancel_requested(self.job):
            raise JobCancelled

    def attach(self, name: str, content_type: str, content: bytes) -> None:
        """The job's result file (an export, a fix-list, a written report)."""
        self.file = (name[:200], content_type[:120], content)

    # -- the heartbeat of long steps that report no progress

    def heartbeat(self) -> _Heartbeat:
        return _Heartbeat(self)

    def figures(self) -> tuple[str, int, int]:
        with self._lock:
            return self.phase, self.done, self.total


class _Heartbeat:
    """A thread that says the job is alive every heartbeat_every() seconds while it runs."""

    def __init__(self, context: JobContext) -> None:
        self.context = context
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True, name="job-heartbeat")

    def __enter__(self) -> _Heartbeat:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join(timeout=5)

    def _run(self) -> None:
        try:
            while not self.stop.wait(heartbeat_every()):
                phase, done, total = self.context.figures()
                channel.alive(self.context.job, phase, done, total)
        finally:
            channel.close()
