"""Annual reports: list, read, create and change (the HTX's managers and the officers of its
area), submit, approve or return (officers of its area), through the reports' form
(reports.forms.ReportForm: each figure's checks and the one-report rules) and workflow services
(reports.services: who may act, which status allows what, the history's author). What a caller
sees is `AnnualReport.objects.visible_to` (404 outside); a change by one who may not make it
is 403; a step the workflow does not allow (submitting an approved report) is 409.

A change of the figures needs `If-Match` with the ETag of the read, `"<id>-<revision>"`
(428 without, 412 when stale), as the edit page refuses a form loaded before someone's save.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import ConfigDict, Field

from hoptac.accounts import access
from hoptac.api import rules
from hoptac.api.auth import caller_of, require_write
from hoptac.api.errors import ApiError, field_errors, form_errors
from hoptac.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, chosen_fields, cursor_page
from hoptac.api.routers.common import LIMIT_DESCRIPTION, MAX_ID, ListPage, area_for, page_body
from hoptac.api.schemas import ERRORS, WRITE_ERRORS
from hoptac.registry import selectors as registry_selectors
from hoptac.reports import forms, selectors, services
from hoptac.reports.choices import ReportStatus
from hoptac.reports.models import AnnualReport

router = Router(tags=["annual reports"])

VALUE_FIELDS = tuple(forms.VALUE_FIELDS)
REPORT_FIELDS = (
    "id",
    "cooperative",
    "year",
    "version",
    "is_current",
    "status",
    "revision",
    "values",
    "notes",
    "missing",
    "submitted_at",
    "first_submitted_at",
    "approved_at",
    "returned_at",
    "return_comment",
    "created_at",
    "updated_at",
)


class ReportOut(Schema):
    """One version of an HTX's annual report. `values`: the figures by field name (amounts
    in whole đồng); `missing`: the required figures still empty (submitting needs none)."""

    id: int | None = None
    cooperative: int | None = None
    year: int | None = None
    version: int | None = None
    is_current: bool | None = None
    status: str | None = None
    revision: int | None = None
    values: dict[str, int | None] | None = None
    notes: str | None = None
    missing: list[str] | None = None
    submitted_at: datetime | None = None
    first_submitted_at: datetime | None = None
    approved_at: datetime | None = None
    returned_at: datetime | None = None
    return_comment: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


class ReportPage(ListPage):
    items: list[ReportOut]


class ReportQuery(Schema):
    cooperative: int | None = Field(None, ge=1, le=MAX_ID, description="The id of one cooperative")
    area: int | None = Field(
        None, ge=1, le=MAX_ID, description="A unit of either tree: the HTX placed in it"
    )
    year: int | None = Field(None, ge=1990, le=2100)
    status: list[str] | None = Field(None, description="draft, submitted, approved, returned")
    all_versions: bool = Field(False, description="Also the versions replaced by a correction")
    cursor: str | None = None
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=LIMIT_DESCRIPTION)
    fields: str | None = Field(None, description="Comma-separated members to return")


class ReportIn(Schema):
    """A new report: the HTX, the year and its figures so far (it starts as a draft)."""

    model_config = ConfigDict(extra="forbid")

    cooperative: int = Field(ge=1, le=MAX_ID)
    year: int = Field(ge=1990, le=2100)
    values: dict[str, int | None] = Field(default_factory=dict)
    notes: str = ""


class ReportChangeIn(Schema):
    """The figures to change (only those sent), and the notes."""

    model_config = ConfigDict(extra="forbid")

    values: dict[str, int | None] = Field(default_factory=dict)
    notes: str | None = None


class ActionIn(Schema):
    """A workflow step; `revision` (optional) refuses it if the report changed since read."""

    model_config = ConfigDict(extra="forbid")

    revision: int | None = Field(None, ge=0, le=2_147_483_647)


class ReturnIn(ActionIn):
    comment: str = Field(description="What must be corrected")


# --- reading ----------------------------------------------------------------------------------


def _value(report: AnnualReport, name: str) -> Any:
    if name == "cooperative":
        return report.cooperative_id
    if name == "values":
        values = {field: getattr(report, field) for field in VALUE_FIELDS}
        return {k: int(v) if isinstance(v, Decimal) else v for k, v in values.items()}
    if name == "missing":
        return report.missing_fields()
    return getattr(report, name)


def report_data(report: AnnualReport, fields: list[str] | tuple[str, ...]) -> dict[str, Any]:
    return {name: _value(report, name) for name in fields}


def _etag(response: HttpResponse, report: AnnualReport) -> None:
    response["ETag"] = rules.etag_of(report.pk, report.revision)


@router.get(
    "",
    response={200: ReportPage, **ERRORS},
    exclude_unset=True,
    url_name="report_list",
    summary="Annual reports the caller may see (current versions unless all_versions)",
)
def report_list(request: HttpRequest, params: Query[ReportQuery]) -> Any:
    user = caller_of(request).user
    fields = chosen_fields(params.fields, REPORT_FIELDS)
    unknown = sorted(set(params.status or ()) - set(ReportStatus.values))
    if unknown:
        raise ApiError(
            400,
            _("Some filters are not valid."),
            errors=[{"field": "status", "message": name} for name in unknown],
        )
    reports = selectors.report_list(
        user=user,
        cooperative=params.cooperative,
        area=area_for(user, params.area),
        year=params.year,
        statuses=params.status or (),
        current=not params.all_versions,
    )
    page = cursor_page(reports, order="-year", cursor=params.cursor, limit=params.limit)
    return page_body(request, page, [report_data(r, fields) for r in page.rows])


@router.get(
    "/{id:pk}",
    response={200: ReportOut, **ERRORS},
    exclude_unset=True,
    url_name="report_detail",
    summary="One version of an annual report, with its ETag (for If-Match on change)",
)
def report_detail(
    request: HttpRequest, response: HttpResponse, pk: int, fields: str | None = None
) -> Any:
    chosen = chosen_fields(fields, REPORT_FIELDS)
    report = selectors.report_get_for_user(user=caller_of(request).user, pk=pk)
    _etag(response, report)
    return report_data(report, chosen)


# --- writing ----------------------------------------------------------------------------------


def _form(values: dict[str, Any], notes: str | None, report: AnnualReport) -> forms.ReportForm:
    """The page's form over the report's current figures with `values` put in; 422 naming
    the figures the report has not, or those the form refuses."""
    unknown = sorted(set(values) - set(VALUE_FIELDS))
    if unknown:
        raise ApiError(
            422,
            _("The data was not accepted."),
            errors=[
                {"field": f"values.{n}", "message": _("There is no such figure.")} for n in unknown
            ],
        )
    data: dict[str, Any] = {}
    for name in VALUE_FIELDS:
        value = values[name] if name in values else getattr(report, name)
        data[name] = "" if value is None else str(int(value))
    data["notes"] = report.notes if notes is None else notes
    form = forms.ReportForm(data, instance=report)
    if not form.is_valid():
        labels = {name: f"values.{name}" for name in VALUE_FIELDS}
        raise ApiError(422, _("The data was not accepted."), errors=form_errors(form, labels))
    return form


def _run(call: Any) -> AnnualReport:
    """Run a workflow service: a stale revision is 412, a step the workflow refuses 409,
    other refusals of the figures 422."""
    try:
        return call()
    except services.ReportConflictError as error:
        raise ApiError(
            412,
            _("The report changed after you read it: read it again and send your change."),
            revision=error.revision,
        ) from error
    except ValidationError as error:
        status = (
            409 if getattr(error, "code", None) in ("workflow", "locked", "superseded") else 422
        )
        labels = {name: f"values.{name}" for name in VALUE_FIELDS}
        raise ApiError(
            status, " ".join(error.messages), errors=field_errors(error, labels)
        ) from error


@router.post(
    "",
    response={201: ReportOut, **WRITE_ERRORS},
    url_name="report_create",
    summary="Start an HTX's report for a year, as a draft (its managers, officers of its area)",
)
def report_create(request: HttpRequest, response: HttpResponse, payload: ReportIn) -> Any:
    caller = caller_of(request)
    cooperative = registry_selectors.cooperative_get_for_user(
        user=caller.user, pk=payload.cooperative
    )
    user = require_write(request).user
    if not access.may_change_cooperative(user, cooperative):
        raise ApiError(403, _("You may not make this cooperative's report."))
    form = _form(payload.values, payload.notes, AnnualReport(year=payload.year))
    report = _run(
        lambda: services.report_create(
            cooperative=cooperative, year=payload.year, by=user, **form.values()
        )
    )
    _etag(response, report)
    response["Location"] = reverse("api-v1:report_detail", args=[report.pk])
    return Status(201, report_data(report, REPORT_FIELDS))


@router.patch(
    "/{id:pk}",
    response={200: ReportOut, **WRITE_ERRORS},
    url_name="report_update",
    summary="Change the figures of a draft or returned report (If-Match: its ETag)",
)
def report_update(
    request: HttpRequest, response: HttpResponse, pk: int, payload: ReportChangeIn
) -> Any:
    report = selectors.report_get_for_user(user=caller_of(request).user, pk=pk)
    user = require_write(request).user
    if not access.may_change_cooperative(user, report.cooperative):
        raise ApiError(403, _("You may not change this report."))
    if_match = request.headers.get("If-Match", "").strip()
    if not if_match:
        raise ApiError(428, _("Send If-Match with the ETag of the report as you read it."))
    revision = report.revision if if_match == "*" else rules.version_of(if_match, report.pk)
    form = _form(payload.values, payload.notes, report)
    updated = _run(
        lambda: services.report_update(
            report=report, by=user, revision=revision or 0, **form.values()
        )
    )
    _etag(response, updated)
    return report_data(updated, REPORT_FIELDS)


def _act(request: HttpRequest, response: HttpResponse, pk: int, step: Any) -> Any:
    report = selectors.report_get_for_user(user=caller_of(request).user, pk=pk)
    user = require_write(request).user
    done = _run(lambda: step(report, user))
    _etag(response, done)
    return report_data(done, REPORT_FIELDS)


@router.post(
    "/{id:pk}/submit",
    response={200: ReportOut, **WRITE_ERRORS},
    url_name="report_submit",
    summary="Send a draft or returned report to the authority (its managers, officers)",
)
def report_submit(request: HttpRequest, response: HttpResponse, pk: int, payload: ActionIn) -> Any:
    return _act(
        request,
        response,
        pk,
        lambda r, u: services.report_submit(report=r, by=u, revision=payload.revision),
    )


@router.post(
    "/{id:pk}/approve",
    response={200: ReportOut, **WRITE_ERRORS},
    url_name="report_approve",
    summary="Approve a submitted report (officers of the HTX's area); it is then locked",
)
def report_approve(request: HttpRequest, response: HttpResponse, pk: int, payload: ActionIn) -> Any:
    return _act(
        request,
        response,
        pk,
        lambda r, u: services.report_approve(report=r, by=u, revision=payload.revision),
    )


@router.post(
    "/{id:pk}/return",
    response={200: ReportOut, **WRITE_ERRORS},
    url_name="report_return",
    summary="Send a submitted report back for correction, saying why (officers of its area)",
)
def report_return(request: HttpRequest, response: HttpResponse, pk: int, payload: ReturnIn) -> Any:
    return _act(
        request,
        response,
        pk,
        lambda r, u: services.report_return(
            report=r, by=u, comment=payload.comment, revision=payload.revision
        ),
    )
