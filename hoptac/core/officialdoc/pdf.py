"""The official frame drawn in a PDF (fpdf2): A4, the decree's margins, Tinos (metrically
Times New Roman, fonts.py), each element's size and style from the data file, page numbers from
page 2 at the top centre. A writer calls `new_pdf`, `write_head`, its own body
(`body_paragraph`), then `write_tail`."""

from __future__ import annotations

from typing import Any

from fpdf import FPDF, XPos, YPos

from .fonts import FAMILY, font_files
from .frame import Frame, element, margins_mm, size

PT = 0.3528  # millimetres in a point
# Characters the Tinos files of @fontsource/tinos lack (they hold the Latin, Latin Extended and
# Vietnamese letters, no mathematical signs), written with what they have: the plans' targets
# say "≥ 200 HTX".
SUBSTITUTES = str.maketrans({"≥": ">=", "≤": "<=", "≠": "!="})


def _style(name: str) -> str:
    spec = element(name)
    return (
        ("B" if spec.get("bold") else "")
        + ("I" if spec.get("italic") else "")
        + ("U" if spec.get("underline") else "")
    )


def line_height(name: str) -> float:
    return size(name) * PT * 1.25


class OfficialPDF(FPDF):
    """A4 with the decree's margins; the page number, from page 2, centred in the top margin.
    A multi_cell goes on at the left margin of the next line (fpdf2's default goes on to the
    right of the cell, so that the next full-width cell fell off the page: the title line of
    the old PDF)."""

    def normalize_text(self, text: str) -> str:
        return super().normalize_text(text.translate(SUBSTITUTES))

    def multi_cell(self, *args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("new_x", XPos.LMARGIN)
        kwargs.setdefault("new_y", YPos.NEXT)
        return super().multi_cell(*args, **kwargs)

    def header(self) -> None:
        if self.page_no() < 2 and not element("page_number")["first_page"]:
            return
        y = self.get_y()
        self.set_font(FAMILY, _style("page_number"), size("page_number"))
        self.set_y(margins_mm()["top"] / 2 - 2)
        self.cell(self.epw, line_height("page_number"), str(self.page_no()), align="C")
        self.set_y(y)


def use(pdf: FPDF, name: str) -> float:
    """Set the element's font, size and style; return its line height."""
    pdf.set_font(FAMILY, _style(name), size(name))
    return line_height(name)


def new_pdf(title: str) -> OfficialPDF:
    margins = margins_mm()
    pdf = OfficialPDF(format="A4")
    pdf.set_margins(margins["left"], margins["top"], margins["right"])
    pdf.set_auto_page_break(auto=True, margin=margins["bottom"])
    for style, path in font_files().items():
        pdf.add_font(FAMILY, style=style, fname=str(path))
    pdf.set_title(title)
    pdf.add_page()
    return pdf


def _short_line(pdf: FPDF, x: float, width: float) -> None:
    y = pdf.get_y() + 0.8
    pdf.line(x + width * 0.35, y, x + width * 0.65, y)
    pdf.set_y(y + 1.5)


def write_head(pdf: FPDF, frame: Frame) -> None:
    left_w, right_w = pdf.epw * 0.4, pdf.epw * 0.6
    x0, top = pdf.l_margin, pdf.get_y()
    parent, body = frame.body_lines
    if parent:
        pdf.multi_cell(left_w, use(pdf, "parent_body"), parent, align="C")
    pdf.set_x(x0)
    pdf.multi_cell(left_w, use(pdf, "issuing_body"), body, align="C")
    _short_line(pdf, x0, left_w)
    pdf.set_x(x0)
    pdf.multi_cell(left_w, use(pdf, "number"), frame.number_line, align="C")
    if not frame.kind_name:
        pdf.set_x(x0)
        pdf.multi_cell(left_w, use(pdf, "letter_summary"), f"V/v {frame.summary}", align="C")
    left_bottom = pdf.get_y()
    motto, motto_line = frame.motto
    pdf.set_xy(x0 + left_w, top)
    pdf.multi_cell(right_w, use(pdf, "motto"), motto, align="C")
    pdf.set_x(x0 + left_w)
    pdf.multi_cell(right_w, use(pdf, "motto_line"), motto_line, align="C")
    pdf.ln(3)
    pdf.set_x(x0 + left_w)
    pdf.multi_cell(right_w, use(pdf, "place_date"), frame.place_date, align="C")
    pdf.set_y(max(left_bottom, pdf.get_y()) + 6)
    if frame.kind_name:
        pdf.multi_cell(pdf.epw, use(pdf, "kind"), frame.kind_name, align="C")
        pdf.multi_cell(pdf.epw, use(pdf, "summary"), frame.summary, align="C")
        _short_line(pdf, pdf.l_margin, pdf.epw)
        pdf.ln(4)
    if frame.addressees:
        text = "Kính gửi: " + "; ".join(frame.addressees) + "."
        pdf.multi_cell(pdf.epw, use(pdf, "body"), text, align="C")
        pdf.ln(4)


def body_paragraph(pdf: FPDF, text: str, *, italic: bool = False, bold: bool = False) -> None:
    """A paragraph of the body: justified, first line indented, space after."""
    spec = element("body")
    pdf.set_font(FAMILY, ("B" if bold else "") + ("I" if italic else ""), size("body"))
    pdf.set_x(pdf.l_margin)
    columns = pdf.text_columns(text_align="J", line_height=spec["line_spacing"])
    with (
        columns,
        columns.paragraph(
            first_line_indent=spec["first_line_indent_cm"]["value"] * 10,
            bottom_margin=spec["space_after_pt"] * PT,
        ) as paragraph,
    ):
        paragraph.write(text)


def write_tail(pdf: FPDF, frame: Frame) -> None:
    needed = (len(frame.signature_lines) + 6) * line_height("signature_authority")
    if pdf.get_y() + needed > pdf.h - pdf.b_margin:
        pdf.add_page()
    pdf.ln(6)
    x0, top = pdf.l_margin, pdf.get_y()
    left_w, right_w = pdf.epw * 0.45, pdf.epw * 0.55
    pdf.multi_cell(left_w, use(pdf, "recipients_heading"), frame.recipients_heading)
    for line in frame.recipient_lines:
        pdf.set_x(x0)
        pdf.multi_cell(left_w, use(pdf, "recipients"), line)
    pdf.set_xy(x0 + left_w, top)
    for line in frame.signature_lines:
        pdf.set_x(x0 + left_w)
        pdf.multi_cell(right_w, use(pdf, "signature_authority"), line, align="C")
    pdf.ln(line_height("signer_name") * 4)  # the space for the signature and the seal
    pdf.set_x(x0 + left_w)
    pdf.multi_cell(right_w, use(pdf, "signer_name"), frame.issuer.signer_name or " ", align="C")


def to_bytes(pdf: FPDF) -> bytes:
    return bytes(pdf.output())
