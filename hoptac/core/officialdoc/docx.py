"""The official frame drawn in a Word document (python-docx): A4, the decree's margins, Times
New Roman, each element's size and style from the data file, page numbers from page 2 at the
top centre. A writer calls `new_document`, `write_head`, its own body (`body_paragraph` for
plain paragraphs), then `write_tail`."""

from __future__ import annotations

import io
from typing import Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from .frame import Frame, document_format, element, margins_mm, size

TEXT_WIDTH_MM = 210 - 30 - 15  # A4 less the left and right margins
SHORT_LINE = "————"


def _font(run: Any, name: str) -> Any:
    spec = element(name)
    run.font.name = document_format()["font"]["family"]
    run.font.size = Pt(size(name))
    run.bold = bool(spec.get("bold", False))
    run.italic = bool(spec.get("italic", False))
    run.underline = bool(spec.get("underline", False))
    return run


def _line(container: Any, text: str, name: str, *, first: bool = False, align: Any = None) -> Any:
    paragraph = container.paragraphs[0] if first else container.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if align is None else align
    paragraph.paragraph_format.space_after = Pt(0)
    paragraph.paragraph_format.space_before = Pt(0)
    _font(paragraph.add_run(text), name)
    return paragraph


def _page_number_field(paragraph: Any) -> None:
    """A PAGE field, so that Word numbers each page itself."""
    run = _font(paragraph.add_run(), "page_number")
    begin, instruction = OxmlElement("w:fldChar"), OxmlElement("w:instrText")
    begin.set(qn("w:fldCharType"), "begin")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = "PAGE"
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for part in (begin, instruction, end):
        run._r.append(part)


def new_document() -> Any:
    """An empty A4 document with the decree's margins, font and page numbers."""
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    margins = margins_mm()
    section.top_margin, section.bottom_margin = Mm(margins["top"]), Mm(margins["bottom"])
    section.left_margin, section.right_margin = Mm(margins["left"]), Mm(margins["right"])
    family = document_format()["font"]["family"]
    normal = document.styles["Normal"]
    normal.font.name = family
    normal.font.size = Pt(size("body"))
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), family)
    # Page numbers: centred in the top margin, not on the first page.
    section.different_first_page_header_footer = True
    number = section.header.paragraphs[0]
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_number_field(number)
    return document


def write_head(document: Any, frame: Frame) -> None:
    """Bodies and number on the left, motto and place-date on the right, then kind and
    summary (or, for a letter, "V/v …" under the number and "Kính gửi")."""
    grid = document.add_table(rows=1, cols=2)
    grid.autofit = False
    left, right = grid.rows[0].cells
    left.width, right.width = Mm(TEXT_WIDTH_MM * 0.4), Mm(TEXT_WIDTH_MM * 0.6)
    parent, body = frame.body_lines
    first = True
    if parent:
        _line(left, parent, "parent_body", first=True)
        first = False
    _line(left, body, "issuing_body", first=first)
    _line(left, SHORT_LINE, "parent_body")
    _line(left, frame.number_line, "number")
    if not frame.kind_name:
        _line(left, f"V/v {frame.summary}", "letter_summary")
    motto, motto_line = frame.motto
    _line(right, motto, "motto", first=True)
    _line(right, motto_line, "motto_line")
    right.add_paragraph()
    _line(right, frame.place_date, "place_date")
    document.add_paragraph()
    if frame.kind_name:
        _line(document, frame.kind_name, "kind")
        _line(document, frame.summary, "summary")
        _line(document, SHORT_LINE, "parent_body")
        document.add_paragraph()
    if frame.addressees:
        paragraph = _line(document, "Kính gửi: " + "; ".join(frame.addressees) + ".", "body")
        paragraph.paragraph_format.space_after = Pt(12)


def body_paragraph(document: Any, text: str, *, italic: bool = False) -> Any:
    """A paragraph of the body: justified, first line indented, space after."""
    spec = element("body")
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    paragraph.paragraph_format.first_line_indent = Cm(spec["first_line_indent_cm"]["value"])
    paragraph.paragraph_format.space_after = Pt(spec["space_after_pt"])
    paragraph.paragraph_format.line_spacing = spec["line_spacing"]
    run = _font(paragraph.add_run(text), "body")
    run.italic = italic
    return paragraph


def write_tail(document: Any, frame: Frame) -> None:
    """Recipients bottom left, level with the signature block bottom right."""
    document.add_paragraph()
    grid = document.add_table(rows=1, cols=2)
    grid.autofit = False
    left, right = grid.rows[0].cells
    left.width, right.width = Mm(TEXT_WIDTH_MM * 0.45), Mm(TEXT_WIDTH_MM * 0.55)
    _line(
        left,
        frame.recipients_heading,
        "recipients_heading",
        first=True,
        align=WD_ALIGN_PARAGRAPH.LEFT,
    )
    for line in frame.recipient_lines:
        _line(left, line, "recipients", align=WD_ALIGN_PARAGRAPH.LEFT)
    for index, line in enumerate(frame.signature_lines):
        _line(right, line, "signature_authority", first=index == 0)
    for _ in range(4):  # the space for the signature and the seal
        right.add_paragraph()
    _line(right, frame.issuer.signer_name, "signer_name")


def to_bytes(document: Any) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
