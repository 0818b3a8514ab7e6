"""The official frame (Nghị định 30/2020/NĐ-CP, Phụ lục I): its texts without a database, and
the DOCX and PDF read back element by element."""

from datetime import date
from io import BytesIO

import docx
import pytest
from docx.shared import Pt
from pypdf import PdfReader

from hoptac.core.officialdoc import docx as official_docx
from hoptac.core.officialdoc import pdf as official_pdf
from hoptac.core.officialdoc.frame import (
    Frame,
    Issuer,
    date_line,
    default_issuer,
    number_line,
    recipient_lines,
    text_lines,
)

ISSUER = Issuer(
    parent_body="UBND tỉnh Bắc Kạn",
    issuing_body="Sở Tài chính",
    symbol="STC",
    place="Bắc Kạn",
    signer_authority=("KT. Giám đốc",),
    signer_title="Phó Giám đốc",
    signer_name="Nguyễn Văn Ký",
    recipients=("Bộ Tài chính", "- UBND tỉnh;", "Lưu: VT, KTTH"),
)
TITLE = "Tình hình phát triển hợp tác xã trên địa bàn tỉnh Bắc Kạn"
FRAME = Frame(issuer=ISSUER, kind="report", summary=TITLE, on=date(2026, 12, 3))
BODY = "Đến hết tháng 4/2019, tỉnh Bắc Kạn có 167 hợp tác xã, trong đó có 123 hợp tác xã nông " * 4


@pytest.mark.parametrize(
    ("on", "line"),
    [
        (date(2026, 12, 3), "Bắc Kạn, ngày 03 tháng 12 năm 2026"),
        (date(2019, 5, 13), "Bắc Kạn, ngày 13 tháng 5 năm 2019"),  # month 5: no zero
        (date(2020, 1, 5), "Bắc Kạn, ngày 05 tháng 01 năm 2020"),
        (date(2020, 2, 29), "Bắc Kạn, ngày 29 tháng 02 năm 2020"),
        (date(2020, 10, 10), "Bắc Kạn, ngày 10 tháng 10 năm 2020"),
    ],
)
def test_date_line_pads_days_below_ten_and_months_one_and_two(on, line):
    assert date_line("Bắc Kạn", on) == line


def test_number_line_is_left_blank_for_the_records_office_or_padded():
    assert number_line("BC-UBND") == "Số:      /BC-UBND"
    assert number_line("BC-UBND", 5) == "Số: 05/BC-UBND"
    assert number_line("BC-UBND", 112) == "Số: 112/BC-UBND"
    assert FRAME.number_line == "Số:      /BC-STC"
    letter = Frame(issuer=ISSUER, kind="letter", summary="nhắc nộp báo cáo", on=date(2026, 1, 2))
    assert letter.number_line == "Số:      /STC"
    assert letter.kind_name == ""


def test_recipients_end_with_semicolons_and_the_last_with_a_full_stop():
    assert recipient_lines(["Như trên", "- UBND tỉnh;", " ", "Lưu: VT."]) == [
        "- Như trên;",
        "- UBND tỉnh;",
        "- Lưu: VT.",
    ]


def test_signature_and_bodies_are_upper_case():
    assert FRAME.signature_lines == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"]
    assert FRAME.body_lines == ("UBND TỈNH BẮC KẠN", "SỞ TÀI CHÍNH")


def test_defaults_by_level():
    province = default_issuer("tinh", "Bắc Kạn")
    assert (province.parent_body, province.issuing_body, province.symbol) == (
        "UBND TỈNH BẮC KẠN",
        "SỞ TÀI CHÍNH",
        "STC",
    )
    commune = default_issuer("xa", "Nghĩa Tá", "Thái Nguyên")
    assert commune.issuing_body == "ỦY BAN NHÂN DÂN XÃ NGHĨA TÁ"
    assert commune.parent_body == ""
    assert commune.place == "Nghĩa Tá"
    assert commune.signer_authority == ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH")
    assert commune.signer_title == "PHÓ CHỦ TỊCH"
    assert commune.recipients[-1] == "Lưu: VT"
    assert default_issuer(None, "").issuing_body == "BỘ TÀI CHÍNH"


def test_text_has_every_element_in_order():
    head, tail = text_lines(FRAME)
    assert head[:7] == [
        "UBND TỈNH BẮC KẠN",
        "SỞ TÀI CHÍNH",
        "Số:      /BC-STC",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Bắc Kạn, ngày 03 tháng 12 năm 2026",
        "",
    ]
    assert head[7:9] == ["BÁO CÁO", TITLE]
    assert tail[:2] == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"]
    assert "Nguyễn Văn Ký" in tail
    assert tail[-4:] == ["Nơi nhận:", "- Bộ Tài chính;", "- UBND tỉnh;", "- Lưu: VT, KTTH."]


# --- DOCX -------------------------------------------------------------------------------------


def _docx():
    document = official_docx.new_document()
    official_docx.write_head(document, FRAME)
    for _ in range(12):
        official_docx.body_paragraph(document, BODY)
    official_docx.write_tail(document, FRAME)
    return docx.Document(BytesIO(official_docx.to_bytes(document)))


def _runs(cell_or_doc):
    return {p.text: p.runs[0] for p in cell_or_doc.paragraphs if p.runs and p.text.strip()}


def test_docx_page_is_a4_with_the_decrees_margins():
    section = _docx().sections[0]
    sizes = [
        round(length.mm, 1)
        for length in (
            section.page_width,
            section.page_height,
            section.top_margin,
            section.bottom_margin,
            section.left_margin,
            section.right_margin,
        )
    ]
    assert sizes == [210, 297, 20, 20, 30, 15]


def test_docx_head_elements_with_their_sizes_and_styles():
    document = _docx()
    assert document.styles["Normal"].font.name == "Times New Roman"
    left, right = document.tables[0].rows[0].cells
    bodies, motto = _runs(left), _runs(right)
    assert bodies["UBND TỈNH BẮC KẠN"].bold is False
    assert bodies["UBND TỈNH BẮC KẠN"].font.size == Pt(13)
    assert bodies["SỞ TÀI CHÍNH"].bold is True
    assert bodies["SỞ TÀI CHÍNH"].font.size == Pt(13)
    assert bodies["Số:      /BC-STC"].font.size == Pt(13)
    national = motto["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"]
    assert (national.bold, national.font.size) == (True, Pt(13))
    slogan = motto["Độc lập - Tự do - Hạnh phúc"]
    assert (slogan.bold, slogan.underline, slogan.font.size) == (True, True, Pt(14))
    place = motto["Bắc Kạn, ngày 03 tháng 12 năm 2026"]
    assert (place.italic, place.font.size) == (True, Pt(14))
    body = _runs(document)
    assert (body["BÁO CÁO"].bold, body["BÁO CÁO"].font.size) == (True, Pt(14))
    assert (body[TITLE].bold, body[TITLE].font.size) == (True, Pt(14))
    paragraph = next(p for p in document.paragraphs if p.text == BODY)
    assert paragraph.runs[0].font.size == Pt(14)
    assert paragraph.paragraph_format.first_line_indent is not None
    every_run = [
        run
        for container in [document, *(c for t in document.tables for c in t._cells)]
        for p in container.paragraphs
        for run in p.runs
    ]
    assert {run.font.name for run in every_run} == {"Times New Roman"}


def test_docx_signature_and_recipients():
    document = _docx()
    left, right = document.tables[-1].rows[0].cells
    signature, recipients = _runs(right), _runs(left)
    for line in ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Văn Ký"):
        assert (signature[line].bold, signature[line].font.size) == (True, Pt(14))
    heading = recipients["Nơi nhận:"]
    assert (heading.bold, heading.italic, heading.font.size) == (True, True, Pt(12))
    assert recipients["- Lưu: VT, KTTH."].font.size == Pt(11)
    assert list(recipients)[1:] == ["- Bộ Tài chính;", "- UBND tỉnh;", "- Lưu: VT, KTTH."]


def test_docx_numbers_pages_from_the_second_at_the_top_centre():
    section = _docx().sections[0]
    assert section.different_first_page_header_footer is True
    assert section.first_page_header.paragraphs[0].text == ""
    header = section.header.paragraphs[0]
    assert header.alignment == 1  # centre
    assert "PAGE" in header._p.xml
    assert header.runs[0].font.size == Pt(14)


# --- PDF --------------------------------------------------------------------------------------


def _pdf():
    pdf = official_pdf.new_pdf("test")
    official_pdf.write_head(pdf, FRAME)
    for _ in range(12):
        official_pdf.body_paragraph(pdf, BODY)
    official_pdf.write_tail(pdf, FRAME)
    return PdfReader(BytesIO(official_pdf.to_bytes(pdf)))


def _lines(page):
    """(text, x, y) of each text run, in PDF points from the bottom left."""
    found = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            found.append((text.strip(), tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5]))

    page.extract_text(visitor_text=visit)
    return found


def test_pdf_is_a4_in_tinos_with_every_element():
    reader = _pdf()
    assert len(reader.pages) >= 2
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    fonts = {
        str(font.get_object()["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert fonts
    assert all("Tinos" in name for name in fonts)
    first = " ".join(reader.pages[0].extract_text().split())
    for text in (
        "UBND TỈNH BẮC KẠN",
        "SỞ TÀI CHÍNH",
        "Số: /BC-STC",  # the blank number's spaces fold in extraction
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Bắc Kạn, ngày 03 tháng 12 năm 2026",
        "BÁO CÁO",
        TITLE,
    ):
        assert text in first
    last = " ".join(reader.pages[-1].extract_text().split())
    for text in ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Văn Ký", "Nơi nhận:", "- Lưu: VT, KTTH."):
        assert text in last


def test_pdf_keeps_the_margins_and_numbers_pages_from_the_second():
    reader = _pdf()
    mm = 72 / 25.4
    for page in reader.pages:
        lines = _lines(page)
        assert min(x for _, x, _ in lines) >= 30 * mm - 1
        # every line starts inside the text area (a cell after a full-width one once started
        # beyond the page's right edge: the title line the old PDF lost)
        assert max(x for _, x, _ in lines) < (210 - 15) * mm
    title = next(line for line in _lines(reader.pages[0]) if line[0].startswith("Tình hình"))
    assert 30 * mm < title[1] < 105 * mm  # centred: it starts left of the middle
    first = _lines(reader.pages[0])
    assert not any(text == "1" for text, _, _ in first)
    second = _lines(reader.pages[1])
    top = max(second, key=lambda line: line[2])
    assert top[0] == "2"
    assert top[2] > (297 - 20) * mm  # in the top margin
    assert abs(top[1] - (30 + (210 - 45) / 2) * mm) < 10  # centred on the text
