"""The yearly update of the National Cooperative Information System (Hệ thống thông tin quốc
gia về hợp tác xã): forms VII-1, VII-2 and VII-3 of Circular 09/2024/TT-BKHĐT, filled from the
approved annual report and the registry — enter once, report many times.

What hoptac's legal sources lack: Circular 09/2024/TT-BKHĐT is known only as the registration
forms (biểu mẫu) for THT/HTX/LHHTX (example: Phụ lục II-8), and the reporting contents and
channel through the national HTX information system under Luật HTX 17/2023/QH15 and Nghị định
92/2024/NĐ-CP were not retrieved (NOT_FOUND). The official layout and field list of forms
VII-1/2/3 are therefore not known here.
The three sheets below group the facts we hold under those names — VII-1 the organisation
(registry), VII-2 members and labour, VII-3 capital, assets and business results (annual
report) — and every file says so; check them against the circular before submitting.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from hoptac.areas import letterheads
from hoptac.core import spreadsheet_safety
from hoptac.core.officialdoc import docx as official_docx
from hoptac.core.officialdoc.frame import Frame
from hoptac.registry.choices import Kind, Sector, SubSector
from hoptac.registry.models import Cooperative
from hoptac.reports import letters
from hoptac.reports.indicators import CAPITAL, DISTRIBUTION, INDICATORS, MEMBERS, OTHER, RESULTS
from hoptac.reports.models import AnnualReport

CIRCULAR = "09/2024/TT-BKHĐT"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass(frozen=True, slots=True)
class Line:
    label: str
    value: Any
    unit: str = ""
    source: str = ""


@dataclass(frozen=True, slots=True)
class Form:
    code: str  # "VII-1"
    title: str
    lines: list[Line]


def caveat() -> str:
    """The note every file carries: what hoptac's legal sources do not give."""
    return _(
        "The official layout of forms VII-1, VII-2 and VII-3 of Circular 09/2024/TT-BKHĐT was "
        "not found in hoptac's legal sources (NOT_FOUND): these sheets group the figures of the "
        "approved annual report and the registry under those names. Check them against the "
        "circular before submitting."
    )


def _label(choices: Any, value: str) -> str:
    return str(choices(value).label) if value else ""


def _registry_lines(cooperative: Cooperative) -> list[Line]:
    unit = cooperative.commune_legacy or cooperative.commune
    source = _("registry")
    return [
        Line(_("Name"), cooperative.name, source=source),
        Line(_("Kind of organisation"), _label(Kind, cooperative.kind), source=source),
        Line(_("Registration code"), cooperative.tax_code, source=source),
        Line(_("Founding date"), cooperative.founded_on, source=source),
        Line(_("Registration date"), cooperative.registered_on, source=source),
        Line(_("Registering authority"), cooperative.registering_authority, source=source),
        Line(_("Street address"), cooperative.street, source=source),
        Line(_("Commune"), unit.full_name if unit else "", source=source),
        Line(
            _("Commune since 1 July 2025"),
            cooperative.commune.full_name if cooperative.commune else "",
            source=source,
        ),
        Line(_("Legal representative"), cooperative.representative_name, source=source),
        Line(_("Representative's title"), cooperative.representative_title, source=source),
        Line(_("Phone"), cooperative.phone, source=source),
        Line(_("Email"), cooperative.email, source=source),
        Line(_("Sector"), _label(Sector, cooperative.sector), source=source),
        Line(_("Sub-sector"), _label(SubSector, cooperative.sub_sector), source=source),
        Line(_("Business lines"), cooperative.business_lines, source=source),
    ]


def _report_lines(report: AnnualReport, groups: tuple[str, ...]) -> list[Line]:
    source = _("annual report %(year)s, version %(version)s") % {
        "year": report.year,
        "version": report.version,
    }
    lines = []
    for spec in INDICATORS:
        if spec.group not in groups:
            continue
        label = capfirst(str(AnnualReport._meta.get_field(spec.field).verbose_name))
        unit = _("VND") if spec.unit == "vnd" else _("count")
        lines.append(Line(label, getattr(report, spec.field), unit, source))
    return lines


def national_forms(report: AnnualReport) -> list[Form]:
    """The three forms for `report` (an approved version) and its cooperative."""
    cooperative = report.cooperative
    return [
        Form("VII-1", _("General information of the organisation"), _registry_lines(cooperative)),
        Form("VII-2", _("Members and labour"), _report_lines(report, (MEMBERS,))),
        Form(
            "VII-3",
            _("Capital, assets and business results"),
            _report_lines(report, (CAPITAL, RESULTS, DISTRIBUTION, OTHER)),
        ),
    ]


def _title(report: AnnualReport, form: Form) -> str:
    return _("Form %(code)s (Circular %(circular)s): %(title)s — %(name)s, year %(year)s") % {
        "code": form.code,
        "circular": CIRCULAR,
        "title": form.title,
        "name": report.cooperative.name,
        "year": report.year,
    }


def national_forms_xlsx(report: AnnualReport) -> bytes:
    """The forms as one workbook, a sheet per form, values typed (numbers, dates)."""
    forms = national_forms(report)
    safety = spreadsheet_safety

    def fill(book: safety.XlsxWorkbook) -> None:
        number_style = safety.Style(num_format=safety.MONEY_FORMAT)
        date_style = safety.Style(num_format=safety.DATE_FORMAT)
        for form in forms:
            sheet = book.add_sheet(form.code)
            sheet.write(0, 0, _title(report, form), safety.Style(bold=True, size=12))
            sheet.merge(1, 0, 4, caveat(), safety.Style(wrap=True))
            sheet.row_height(1, 48)
            sheet.write_row(
                3, [_("No."), _("Item"), _("Value"), _("Unit"), _("Source")], safety.BOLD
            )
            for row, line in enumerate(form.lines, start=4):
                value = line.value
                style = None
                if isinstance(value, int | float) or hasattr(value, "quantize"):
                    style = number_style
                elif hasattr(value, "year"):
                    style = date_style
                sheet.write_row(row, [row - 3, line.label])
                sheet.write(row, 2, value, style)
                sheet.write(row, 3, line.unit)
                sheet.write(row, 4, line.source)
            for index, width in enumerate((6, 52, 22, 10, 30)):
                sheet.column(index, width=width)

    return safety.xlsx_bytes(fill)


def _shown(value: Any) -> str:
    if value in (None, ""):
        return "—"
    if hasattr(value, "year") and hasattr(value, "day"):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, int) or hasattr(value, "quantize"):
        return str(formats.number_format(value, use_l10n=True, force_grouping=True))
    return str(value)


def cover_frame(report: AnnualReport, *, user: Any = None, on: date | None = None) -> Frame:
    """The frame of the forms' cover (Nghị định 30/2020/NĐ-CP): a report of the writer's area
    (letters.issuer_area), dated `on` (today)."""
    cooperative = report.cooperative
    return Frame(
        issuer=letterheads.issuer_for(letters.issuer_area(user, cooperative)),
        kind="report",
        summary=(
            f"Cập nhật thông tin năm {report.year} của {cooperative.name} lên Hệ thống thông "
            "tin quốc gia về hợp tác xã"
        ),
        on=on or timezone.localdate(),
    )


def cover_text(report: AnnualReport) -> str:
    """The cover's paragraph (Vietnamese, the language of official documents)."""
    return (
        f"Gửi kèm theo các biểu VII-1, VII-2 và VII-3 (Thông tư {CIRCULAR}) của "
        f"{report.cooperative.name}, lập từ báo cáo năm {report.year} đã được duyệt (phiên bản "
        f"{report.version}) và sổ theo dõi hợp tác xã, để cập nhật lên Hệ thống thông tin quốc "
        "gia về hợp tác xã."
    )


def national_forms_docx(report: AnnualReport, *, user: Any = None, on: date | None = None) -> bytes:
    """The forms as one Word document (python-docx): a cover in the official frame (issuing
    body, number, date, signature, recipients), then a table per form, each on its own page."""
    document = official_docx.new_document()
    frame = cover_frame(report, user=user, on=on)
    official_docx.write_head(document, frame)
    official_docx.body_paragraph(document, cover_text(report))
    official_docx.body_paragraph(document, caveat(), italic=True)
    official_docx.write_tail(document, frame)
    for form in national_forms(report):
        document.add_page_break()
        document.add_heading(_title(report, form), level=2)
        document.add_paragraph(caveat()).italic = True
        table = document.add_table(rows=1, cols=4)
        table.style = "Table Grid"
        for cell, text in zip(
            table.rows[0].cells, (_("No."), _("Item"), _("Value"), _("Unit")), strict=True
        ):
            cell.text = text
        for number, line in enumerate(form.lines, start=1):
            cells = table.add_row().cells
            cells[0].text, cells[1].text = str(number), line.label
            cells[2].text, cells[3].text = _shown(line.value), line.unit
    return official_docx.to_bytes(document)
