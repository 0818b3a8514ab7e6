"""The written report as plain text, DOCX (python-docx), PDF (fpdf2, with the Be Vietnam Pro
font of the fontpkg-be-vietnam-pro package, which covers Vietnamese) and XLSX
(core.spreadsheet_safety's workbook: the tables, numbers as typed cells)."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

from hoptac.core import spreadsheet_safety

from .document import Document, Heading, Paragraph, Table

NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
CONTENT_TYPES = {
    "txt": "text/plain; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def render(document: Document, fmt: str) -> bytes:
    """The document in `fmt` (txt, docx, pdf or xlsx)."""
    renderers = {"txt": to_text, "docx": to_docx, "pdf": to_pdf, "xlsx": to_xlsx}
    result = renderers[fmt](document)
    return result.encode("utf-8") if isinstance(result, str) else result


# --- text -----------------------------------------------------------------------------------


def _table_text(table: Table) -> list[str]:
    rows = [table.columns] + [
        [table.text(row, i) for i in range(len(table.columns))]
        for row in [*table.rows, *([table.total] if table.total else [])]
    ]
    widths = [max(len(r[i]) for r in rows) for i in range(len(table.columns))]
    lines = [table.title]
    for index, row in enumerate(rows):
        cells = [
            cell.rjust(widths[i]) if table.numeric(i) and index else cell.ljust(widths[i])
            for i, cell in enumerate(row)
        ]
        lines.append(" | ".join(cells).rstrip())
        if index == 0:
            lines.append("-+-".join("-" * w for w in widths))
    return lines


def to_text(document: Document) -> str:
    lines = [document.issuer, f"{NATION} — {MOTTO}", document.place_date, ""]
    lines += [document.title, document.subtitle, ""]
    for block in document.blocks:
        if isinstance(block, Heading | Paragraph):
            lines += [block.text, ""]
        else:
            lines += [*_table_text(block), ""]
    return "\n".join(lines).rstrip() + "\n"


# --- DOCX -----------------------------------------------------------------------------------


def to_docx(document: Document) -> bytes:
    """An editable Word document in the usual layout of an administrative report (Nghị định
    30/2020/NĐ-CP: Times New Roman 13–14, national heading on the right)."""
    from docx import Document as Docx
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    docx = Docx()
    section = docx.sections[0]
    section.left_margin, section.right_margin = Cm(3), Cm(2)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    normal = docx.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(13)

    header = docx.add_table(rows=1, cols=2)
    header.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = header.rows[0].cells
    left.paragraphs[0].add_run(document.issuer.upper()).bold = True
    left.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    right.paragraphs[0].add_run(NATION).bold = True
    right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    motto = right.add_paragraph()
    motto.add_run(MOTTO).bold = True
    motto.alignment = WD_ALIGN_PARAGRAPH.CENTER
    place = right.add_paragraph()
    place.add_run(document.place_date).italic = True
    place.alignment = WD_ALIGN_PARAGRAPH.RIGHT

    title = docx.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(document.title)
    run.bold, run.font.size = True, Pt(14)
    subtitle = docx.add_paragraph()
    subtitle.alignment = WD_ALIGN_PARAGRAPH.CENTER
    subtitle.add_run(document.subtitle).bold = True

    for block in document.blocks:
        if isinstance(block, Heading):
            paragraph = docx.add_paragraph()
            paragraph.add_run(block.text).bold = True
        elif isinstance(block, Paragraph):
            paragraph = docx.add_paragraph(block.text)
            paragraph.paragraph_format.first_line_indent = Cm(1)
            paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            if block.style in ("note", "italic"):
                for run in paragraph.runs:
                    run.italic = True
        else:
            _docx_table(docx, block)
    out = io.BytesIO()
    docx.save(out)
    return out.getvalue()


def _docx_table(docx: object, table: Table) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    caption = docx.add_paragraph()  # type: ignore[attr-defined]
    caption.add_run(table.title).bold = True
    rows = [*table.rows, *([table.total] if table.total else [])]
    grid = docx.add_table(rows=1 + len(rows), cols=len(table.columns))  # type: ignore[attr-defined]
    grid.style = "Table Grid"
    for i, name in enumerate(table.columns):
        cell = grid.rows[0].cells[i]
        cell.paragraphs[0].add_run(name).bold = True
    for r, row in enumerate(rows, start=1):
        for i in range(len(table.columns)):
            paragraph = grid.rows[r].cells[i].paragraphs[0]
            run = paragraph.add_run(table.text(row, i))
            run.font.size = Pt(12)
            run.bold = table.total is not None and r == len(rows)
            if table.numeric(i):
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


# --- PDF ------------------------------------------------------------------------------------


def font_files() -> dict[str, Path]:
    """The regular, bold and italic TTF files of Be Vietnam Pro (from PyPI, never committed)."""
    import fontpkg_be_vietnam_pro

    files = Path(fontpkg_be_vietnam_pro.ROOT) / "files"
    return {
        "": files / "BeVietnamPro-Regular.ttf",
        "B": files / "BeVietnamPro-Bold.ttf",
        "I": files / "BeVietnamPro-Italic.ttf",
    }


def to_pdf(document: Document) -> bytes:
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    pdf = FPDF(format="A4")
    pdf.set_margins(25, 18, 18)
    pdf.set_auto_page_break(auto=True, margin=18)
    for style, path in font_files().items():
        pdf.add_font("BeVietnamPro", style=style, fname=str(path))
    pdf.set_title(document.title)
    pdf.add_page()
    width = pdf.epw

    pdf.set_font("BeVietnamPro", "B", 9.5)
    top = pdf.get_y()
    pdf.multi_cell(width * 0.42, 5, document.issuer.upper(), align="C")
    pdf.set_xy(pdf.l_margin + width * 0.42, top)
    pdf.multi_cell(width * 0.58, 5, f"{NATION}\n{MOTTO}", align="C")
    pdf.set_font("BeVietnamPro", "I", 9.5)
    pdf.set_x(pdf.l_margin + width * 0.42)
    pdf.multi_cell(width * 0.58, 6, document.place_date, align="R")
    pdf.ln(4)
    pdf.set_font("BeVietnamPro", "B", 13)
    pdf.multi_cell(width, 7, document.title, align="C")
    pdf.set_font("BeVietnamPro", "B", 11)
    pdf.multi_cell(width, 6, document.subtitle, align="C")
    pdf.ln(4)

    for block in document.blocks:
        if isinstance(block, Heading):
            pdf.set_font("BeVietnamPro", "B", 11)
            pdf.multi_cell(width, 6, block.text)
            pdf.ln(1)
        elif isinstance(block, Paragraph):
            pdf.set_font("BeVietnamPro", "I" if block.style in ("note", "italic") else "", 10.5)
            pdf.multi_cell(width, 5.6, "      " + block.text, align="J")
            pdf.ln(1.5)
        else:
            pdf.set_font("BeVietnamPro", "B", 10)
            pdf.multi_cell(width, 6, block.title)
            pdf.set_font("BeVietnamPro", "", 8.5)
            rows = [*block.rows, *([block.total] if block.total else [])]
            aligns = ["RIGHT" if block.numeric(i) else "LEFT" for i in range(len(block.columns))]
            widths = (2.6, *([1.0] * (len(block.columns) - 1)))
            with pdf.table(
                col_widths=widths,
                text_align=aligns,
                headings_style=FontFace(emphasis="BOLD"),
                line_height=4.6,
                first_row_as_headings=True,
            ) as grid:
                header = grid.row()
                for name in block.columns:
                    header.cell(name)
                for row in rows:
                    line = grid.row()
                    for i in range(len(block.columns)):
                        line.cell(block.text(row, i))
            pdf.ln(3)
    return bytes(pdf.output())


# --- XLSX -----------------------------------------------------------------------------------


def to_xlsx(document: Document) -> bytes:
    """One sheet per table (title, header, rows), numbers as typed cells."""
    safety = spreadsheet_safety

    def fill(book: safety.XlsxWorkbook) -> None:
        info = book.add_sheet("Thong tin")
        lines = (document.issuer, document.title, document.subtitle, document.place_date)
        for row, line in enumerate(lines):
            info.write(row, 0, line, safety.BOLD if row == 1 else None)
        for table in document.tables:
            sheet = book.add_sheet(table.key[:31])  # a title met twice gets a number
            sheet.write(0, 0, table.title, safety.BOLD)
            sheet.write_row(1, table.columns, safety.BOLD)
            rows = [*table.rows, *([table.total] if table.total else [])]
            for row, values in enumerate(rows, start=2):
                sheet.write_row(row, [_typed(v) for v in values])
            for i, name in enumerate(table.columns):
                longest = max([len(str(name))] + [len(str(r[i] or "")) for r in table.rows])
                sheet.column(i, width=min(max(10, longest + 2), 60))

    return safety.xlsx_bytes(fill)


def _typed(value: object) -> object:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value
