"""Forms VII-1, VII-2 and VII-3 for the national cooperative information system, for every
HTX of an area with an approved report of a year (reports.national: what hoptac holds grouped
under those forms' names; their official layout in Circular 09/2024/TT-BKHĐT was not found,
and every answer carries that caveat). JSON by default; an .xlsx with
`Accept: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet`, a row per HTX."""

from __future__ import annotations

import io
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from hoptac.accounts import access
from hoptac.api.auth import caller_of
from hoptac.api.errors import ApiError
from hoptac.api.routers.common import MAX_ID, area_for
from hoptac.api.schemas import ERRORS
from hoptac.core.tabular.writing import write_xlsx
from hoptac.reports import national, selectors
from hoptac.reports.choices import ReportStatus

router = Router(tags=["bulk exchange"])

FORMS = ("VII-1", "VII-2", "VII-3")


class NationalQuery(Schema):
    area: int | None = Field(None, ge=1, le=MAX_ID, description="Default: the caller's area")
    year: int = Field(ge=1990, le=2100, description="The reports' year")


class LineOut(Schema):
    label: str
    value: Any = None
    unit: str
    source: str


class NationalItem(Schema):
    cooperative: int
    name: str
    tax_code: str
    report: int
    lines: list[LineOut]


class NationalOut(Schema):
    form: str
    title: str
    circular: str
    caveat: str
    year: int
    items: list[NationalItem]


def _value(value: Any) -> Any:
    """A line's value as JSON holds it (amounts in whole đồng as integers)."""
    if hasattr(value, "as_integer_ratio") and not isinstance(value, bool | int | float):
        return int(value) if value == int(value) else float(value)
    return value


@router.get(
    "/national-forms/{form}",
    response={200: NationalOut, 406: ERRORS[400], **ERRORS},
    url_name="national_forms",
    summary="Form VII-1, VII-2 or VII-3 of an area's approved reports of a year (JSON or .xlsx)",
)
def national_forms(request: HttpRequest, form: str, params: Query[NationalQuery]) -> Any:
    if form not in FORMS:
        raise ApiError(404, _("There is no such form: VII-1, VII-2 or VII-3."))
    user = caller_of(request).user
    scope = access.scope_of(user)
    area = area_for(user, params.area) if params.area is not None else scope.area
    if area is None and not scope.everything:
        raise ApiError(404, _("There is no such object, or it is outside your area."))
    reports = selectors.reports_for_export(
        user=user, area=area, year=params.year, statuses=[ReportStatus.APPROVED]
    )
    index = FORMS.index(form)
    items, title = [], ""
    for report in reports:
        sheet = national.national_forms(report)[index]
        title = sheet.title
        items.append(
            {
                "cooperative": report.cooperative_id,
                "name": report.cooperative.name,
                "tax_code": report.cooperative.tax_code or "",
                "report": report.pk,
                "lines": [
                    {
                        "label": ln.label,
                        "value": _value(ln.value),
                        "unit": ln.unit,
                        "source": ln.source,
                    }
                    for ln in sheet.lines
                ],
            }
        )
    if national.XLSX_CONTENT_TYPE in request.headers.get("Accept", ""):
        return _xlsx(form, params.year, items)
    return {
        "form": form,
        "title": title,
        "circular": national.CIRCULAR,
        "caveat": national.caveat(),
        "year": params.year,
        "items": items,
    }


def _xlsx(form: str, year: int, items: list[dict[str, Any]]) -> HttpResponse:
    """A row per HTX: its registration code and name, then each line of the form."""
    labels = [line["label"] for line in items[0]["lines"]] if items else []
    rows = [
        [item["tax_code"], item["name"], *[line["value"] for line in item["lines"]]]
        for item in items
    ]
    target = io.BytesIO()
    write_xlsx(
        target,
        rows,
        header=[_("Registration code"), _("Cooperative name"), *labels],
        title_rows=[[f"{form} ({national.CIRCULAR}), {year}"], [national.caveat()]],
        sheet_title=form,
    )
    response = HttpResponse(target.getvalue(), content_type=national.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="mau-{form}-{year}.xlsx"'
    return response
