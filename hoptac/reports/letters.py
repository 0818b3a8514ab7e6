"""The letters the reports app writes, in the official frame of Nghị định 30/2020/NĐ-CP
(core.officialdoc): the reminder to file the annual report (a công văn: "Số:      /STC",
"V/v nhắc nộp báo cáo năm …") as a page to print, DOCX or PDF, and the cover of the
national-system forms (national.py). The issuer is the letterhead of the area of the officer
who writes it (areas.letterheads), or, for the administrator, of the HTX's province."""

from __future__ import annotations

from datetime import date
from typing import Any

from hoptac.areas import letterheads
from hoptac.areas.models import AdminUnit
from hoptac.core.officialdoc import docx as official_docx
from hoptac.core.officialdoc import pdf as official_pdf
from hoptac.core.officialdoc.frame import Frame
from hoptac.registry.models import Cooperative

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def issuer_area(user: Any, cooperative: Cooperative) -> AdminUnit | None:
    """The officer's own area; for the administrator (no area), the HTX's province."""
    area: AdminUnit | None = getattr(user, "area", None)
    return area or cooperative.province or cooperative.province_legacy


def reminder_frame(*, cooperative: Cooperative, year: int, user: Any, on: date) -> Frame:
    """The frame of the reminder letter to `cooperative` for the report of `year`."""
    return Frame(
        issuer=letterheads.issuer_for(issuer_area(user, cooperative)),
        kind="letter",
        summary=f"nhắc nộp báo cáo năm {year}",
        on=on,
    )


def paragraphs(body: str) -> list[str]:
    return [part.strip() for part in body.split("\n\n") if part.strip()]


def letter_docx(frame: Frame, body: str) -> bytes:
    document = official_docx.new_document()
    official_docx.write_head(document, frame)
    for text in paragraphs(body):
        official_docx.body_paragraph(document, text)
    official_docx.write_tail(document, frame)
    return official_docx.to_bytes(document)


def letter_pdf(frame: Frame, body: str, title: str) -> bytes:
    pdf = official_pdf.new_pdf(title)
    official_pdf.write_head(pdf, frame)
    for text in paragraphs(body):
        official_pdf.body_paragraph(pdf, text)
    official_pdf.write_tail(pdf, frame)
    return official_pdf.to_bytes(pdf)
