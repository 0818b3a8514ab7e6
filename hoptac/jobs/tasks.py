"""The one task of the queue: run a Job by its kind (hoptac.jobs.registry)."""

from __future__ import annotations

import logging

from django_tasks import task

from hoptac.jobs import running

logger = logging.getLogger(__name__)


@task()
def run_job(job_id: int) -> str:
    """Run the job `job_id` if it still waits; returns its final state."""
    return running.run(job_id)
