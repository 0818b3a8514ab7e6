"""Pages of the indicators: the dashboard of an area, the table of indicators, the HTX behind
a number, and the written report (HTML, DOCX, PDF, XLSX).

Thin: parse the area-and-date form, check access (selectors.frame_for → 404 outside the
user's scope), call the selectors, render.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render

from hoptac.accounts import access
from hoptac.core import paging, params
from hoptac.indicators import exporting, forms, page_parts, selectors, writing
from hoptac.indicators import jobs as indicator_jobs
from hoptac.indicators.sources import Frame

PAGE_SIZE = 50


def _frame(request: HttpRequest) -> tuple[forms.FrameForm, Frame]:
    form = forms.FrameForm(request.GET or None, user=request.user)
    if form.is_bound and form.data.get("area") and form.has_error("area"):
        raise Http404  # an area outside the user's scope (or none at all): as if missing
    return form, selectors.frame_for(user=request.user, **form.frame_args())


def _query(frame: Frame) -> str:
    """The query string that reopens the same area and date."""
    from urllib.parse import urlencode

    query = {"date": frame.on.isoformat()}
    if frame.area is not None:
        query["area"] = str(frame.area.pk)
    if frame.year is not None:
        query["year"] = str(frame.year)
    return urlencode(query)


def dashboard(request: HttpRequest) -> HttpResponse:
    form, frame = _frame(request)
    context: dict[str, Any] = {
        "form": form,
        "frame": frame,
        "query": _query(frame),
        "parts": page_parts.dashboard(request, frame),  # rendered, or from the cache
    }
    return render(request, "indicators/dashboard.html", context)


def indicator_list(request: HttpRequest) -> HttpResponse:
    form, frame = _frame(request)
    results = selectors.indicator_values(frame=frame)
    context = {"form": form, "frame": frame, "query": _query(frame), "results": results.values()}
    return render(request, "indicators/indicator_list.html", context)


def drilldown(request: HttpRequest, code: str) -> HttpResponse:
    form, frame = _frame(request)
    part = "denominator" if request.GET.get("part") == "denominator" else "numerator"
    result, cooperatives = selectors.drilldown(frame=frame, code=code, part=part)
    page = paging.EstimatingPaginator(cooperatives, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "frame": frame, "result": result, "part": part, "page": page}
    return render(request, "indicators/drilldown.html", context)


def written_report(request: HttpRequest) -> HttpResponse:
    """The report as a page, or as a file; the file of a province or of the country is written
    by a background job (indicators.jobs), downloaded from the job's page."""
    form, frame = _frame(request)
    fmt = request.GET.get("format", "")
    if fmt in exporting.CONTENT_TYPES and indicator_jobs.is_large(frame):
        job = indicator_jobs.written_report_start(
            by=request.user,
            query=request.GET,
            frame=frame,
            file_format=fmt,
        )
        return redirect("jobs:detail", pk=job.pk)
    document = writing.build_report(frame=frame, user=request.user)
    if fmt in exporting.CONTENT_TYPES:
        response = HttpResponse(
            exporting.render(document, fmt), content_type=exporting.CONTENT_TYPES[fmt]
        )
        name = indicator_jobs.report_filename(frame, fmt)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    context = {"form": form, "frame": frame, "query": _query(frame), "document": document}
    if frame.area is not None and access.may_change(request.user, frame.area):
        context["letterhead_area"] = frame.area
    return render(request, "indicators/report.html", context)


def map_points(request: HttpRequest) -> JsonResponse:
    """The HTX of the dashboard's area and date inside the box `bbox=south,west,north,east`
    (at most selectors.MAP_POINT_LIMIT, by name), for a map that shows counts per commune
    when the area holds too many HTX to embed: the visible part's points, on demand."""
    _form, frame = _frame(request)
    try:
        south, west, north, east = params.parse_floats(request.GET.get("bbox", ""), count=4)
    except ValueError:
        return JsonResponse({"error": "bbox=south,west,north,east"}, status=400)
    points = selectors.map_points(
        frame=frame, bbox=(south, west, north, east), limit=selectors.MAP_POINT_LIMIT + 1
    )
    complete = len(points) <= selectors.MAP_POINT_LIMIT
    return JsonResponse({"points": points[: selectors.MAP_POINT_LIMIT], "complete": complete})
