"""The written report as plain text, DOCX (python-docx) and PDF (fpdf2), both in the official
frame of Nghị định 30/2020/NĐ-CP (core.officialdoc: issuing body, number, place and date, kind
and title, signature, recipients; Times New Roman in the DOCX, Tinos in the PDF), and XLSX
(core.spreadsheet_safety's workbook: the tables, numbers as typed cells)."""

from __future__ import annotations

from decimal import Decimal

from hoptac.core import spreadsheet_safety
from hoptac.core.officialdoc import docx as official_docx
from hoptac.core.officialdoc import pdf as official_pdf
from hoptac.core.officialdoc.frame import size as element_size
from hoptac.core.officialdoc.frame import text_lines

from .document import Document, Heading, Paragraph, Table

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
    head, tail = text_lines(document.head)
    lines = [*head]
    for block in document.blocks:
        if isinstance(block, Heading | Paragraph):
            lines += [block.text, ""]
        else:
            lines += [*_table_text(block), ""]
    lines += tail
    return "\n".join(lines).rstrip() + "\n"


# --- DOCX -----------------------------------------------------------------------------------


def to_docx(document: Document) -> bytes:
    """An editable Word document in the official frame (core.officialdoc.docx)."""
    from docx.shared import Pt

    docx = official_docx.new_document()
    official_docx.write_head(docx, document.head)
    for block in document.blocks:
        if isinstance(block, Heading):
            paragraph = docx.add_paragraph()
            run = paragraph.add_run(block.text)
            run.bold, run.font.size = True, Pt(element_size("body"))
        elif isinstance(block, Paragraph):
            official_docx.body_paragraph(docx, block.text, italic=block.style in ("note", "italic"))
        else:
            _docx_table(docx, block)
    official_docx.write_tail(docx, document.head)
    return official_docx.to_bytes(docx)


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
        run = cell.paragraphs[0].add_run(name)
        run.bold, run.font.size = True, Pt(12)
    for r, row in enumerate(rows, start=1):
        for i in range(len(table.columns)):
            paragraph = grid.rows[r].cells[i].paragraphs[0]
            run = paragraph.add_run(table.text(row, i))
            run.font.size = Pt(12)
            run.bold = table.total is not None and r == len(rows)
            if table.numeric(i):
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


# --- PDF ------------------------------------------------------------------------------------


def to_pdf(document: Document) -> bytes:
    """The PDF in the official frame (core.officialdoc.pdf), with the title line under the
    kind, as in the DOCX and the text."""
    from fpdf.fonts import FontFace

    pdf = official_pdf.new_pdf(f"{document.title} {document.subtitle}")
    official_pdf.write_head(pdf, document.head)
    width = pdf.epw
    for block in document.blocks:
        if isinstance(block, Heading):
            pdf.ln(1)
            pdf.set_font(official_pdf.FAMILY, "B", element_size("body"))
            pdf.multi_cell(width, official_pdf.line_height("body"), block.text)
            pdf.ln(1)
        elif isinstance(block, Paragraph):
            italic = block.style in ("note", "italic")
            official_pdf.body_paragraph(pdf, block.text, italic=italic)
        else:
            pdf.set_font(official_pdf.FAMILY, "B", 12)
            pdf.multi_cell(width, 6, block.title)
            pdf.set_font(official_pdf.FAMILY, "", 10)
            rows = [*block.rows, *([block.total] if block.total else [])]
            aligns = ["RIGHT" if block.numeric(i) else "LEFT" for i in range(len(block.columns))]
            widths = (2.6, *([1.0] * (len(block.columns) - 1)))
            with pdf.table(
                align="LEFT",  # at the left margin: "CENTER" centres on the page, whose
                # margins differ (30 and 15 mm), and crossed the left one
                col_widths=widths,
                text_align=aligns,
                headings_style=FontFace(emphasis="BOLD"),
                line_height=5,
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
    official_pdf.write_tail(pdf, document.head)
    return official_pdf.to_bytes(pdf)


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
