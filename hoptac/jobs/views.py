"""The pages of background jobs: "my jobs", a job's progress (polled by HTMX until it ends),
cancel, run again, and its result file."""

from __future__ import annotations

import io

from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from hoptac.accounts import access, audit
from hoptac.core import paging
from hoptac.jobs import registry, selectors, services
from hoptac.jobs.choices import JobState
from hoptac.jobs.models import Job

PAGE_SIZE = 30


def _result_url(job: Job) -> str | None:
    kind = registry.KINDS.get(job.kind)
    if kind is None or kind.result_url is None or job.state != JobState.SUCCEEDED:
        return None
    return kind.result_url(job)


def job_list(request: HttpRequest) -> HttpResponse:
    everyone = request.GET.get("all") == "1" and access.scope_of(request.user).everything
    seen_before = selectors.seen_at(request)
    selectors.mark_seen(request)
    jobs = selectors.job_list(user=request.user, everyone=everyone)
    page = paging.EstimatingPaginator(jobs, PAGE_SIZE).get_page(request.GET.get("page"))
    for job in page:
        selectors.with_live_progress(job)
        job.is_new = bool(
            job.finished_at
            and job.owner_id == request.user.pk
            and (seen_before is None or job.finished_at > seen_before)
        )
    context = {
        "page": page,
        "everyone": everyone,
        "may_see_all": access.scope_of(request.user).everything,
    }
    return render(request, "jobs/job_list.html", context)


def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = selectors.job_get(user=request.user, job_id=pk)
    if job.finished and job.owner_id == request.user.pk:
        selectors.mark_seen(request)
    template = "jobs/job_detail.html"
    embedded = request.GET.get("embedded") == "1"
    if request.htmx and not request.htmx.boosted:  # type: ignore[attr-defined]
        if embedded and job.finished:  # the page that started it shows the result: reload it
            response = HttpResponse()
            response["HX-Refresh"] = "true"
            return response
        template += "#progress"
    context = {"job": job, "result_url": _result_url(job), "embedded": embedded}
    return render(request, template, context)


@require_POST
def job_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    job = selectors.job_get(user=request.user, job_id=pk)
    services.job_cancel(job, by=request.user)  # type: ignore[arg-type]
    return redirect("jobs:detail", pk=job.pk)


@require_POST
def job_retry(request: HttpRequest, pk: int) -> HttpResponse:
    job = selectors.job_get(user=request.user, job_id=pk)
    if job.state not in (JobState.FAILED, JobState.CANCELLED):
        return redirect("jobs:detail", pk=job.pk)
    retry = services.job_retry(job, by=request.user)  # type: ignore[arg-type]
    return redirect("jobs:detail", pk=retry.pk)


def job_file(request: HttpRequest, pk: int) -> HttpResponse:
    job = selectors.job_get(user=request.user, job_id=pk, with_file=True)
    if not job.has_file or job.file_content is None:
        return redirect("jobs:detail", pk=job.pk)
    if isinstance(job.result.get("rows"), int):
        audit.export_total(request, job.result["rows"])  # the audit log's row count
    return FileResponse(
        io.BytesIO(bytes(job.file_content)),
        as_attachment=True,
        filename=job.file_name,
        content_type=job.file_type or "application/octet-stream",
    )
