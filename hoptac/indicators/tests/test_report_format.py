"""The written report in the official frame (Nghị định 30/2020/NĐ-CP, Phụ lục I) with the
demo area's letterhead: the DOCX and the PDF read back (each element of the frame itself is
checked in hoptac/core/tests/test_officialdoc.py)."""

from datetime import date
from io import BytesIO

from docx import Document as Docx
from docx.shared import Pt
from pypdf import PdfReader

from hoptac.areas.models import AdminUnit
from hoptac.indicators import exporting, writing
from hoptac.indicators.sources import Frame

TITLE = "Tình hình phát triển hợp tác xã trên địa bàn tỉnh Bắc Kạn"


def report(written_on=date(2019, 5, 3)):
    area = AdminUnit.objects.get(era="legacy", code="06")
    frame = Frame(area=area, on=date(2019, 4, 30))
    return writing.build_report(frame=frame, written_on=written_on)


def flat(text):
    return " ".join(text.split())


def test_text_has_the_frame_of_the_areas_letterhead(demo):
    text = exporting.to_text(report())
    for line in (
        "UBND TỈNH BẮC KẠN\nSỞ KẾ HOẠCH VÀ ĐẦU TƯ\nSố:      /BC-SKHĐT",
        "Bắc Kạn, ngày 03 tháng 5 năm 2019",
        f"BÁO CÁO\n{TITLE}",
        "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC",
        "Hà Văn Thịnh",
        "Nơi nhận:\n- Bộ Kế hoạch và Đầu tư;\n- UBND tỉnh Bắc Kạn;\n- Lưu: VT, ĐKKD.",
    ):
        assert line in text


def test_docx_of_the_report_has_every_element(demo):
    document = Docx(BytesIO(exporting.to_docx(report())))
    head_left, head_right = document.tables[0].rows[0].cells
    assert [p.text for p in head_left.paragraphs if p.text][:3] == [
        "UBND TỈNH BẮC KẠN",
        "SỞ KẾ HOẠCH VÀ ĐẦU TƯ",
        "————",
    ]
    assert "Số:      /BC-SKHĐT" in head_left.text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in head_right.text
    assert "Độc lập - Tự do - Hạnh phúc" in head_right.text
    assert "Bắc Kạn, ngày 03 tháng 5 năm 2019" in head_right.text
    texts = [p.text for p in document.paragraphs]
    assert texts.index(TITLE) == texts.index("BÁO CÁO") + 1
    tail_left, tail_right = document.tables[-1].rows[0].cells
    assert "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC" in tail_right.text
    assert tail_right.paragraphs[-1].text == "Hà Văn Thịnh"
    assert tail_left.paragraphs[0].text == "Nơi nhận:"
    assert tail_left.paragraphs[-1].text == "- Lưu: VT, ĐKKD."
    body = next(p for p in document.paragraphs if p.text.startswith("Đến hết tháng 4/2019"))
    assert body.runs[0].font.size == Pt(14)
    assert body.runs[0].font.name == "Times New Roman"
    assert document.sections[0].different_first_page_header_footer is True


def test_pdf_of_the_report_keeps_the_title_line_and_the_frame(demo):
    reader = PdfReader(BytesIO(exporting.to_pdf(report())))
    first = flat(reader.pages[0].extract_text())
    for text in (
        "SỞ KẾ HOẠCH VÀ ĐẦU TƯ",
        "Số: /BC-SKHĐT",
        "Bắc Kạn, ngày 03 tháng 5 năm 2019",
        f"BÁO CÁO {TITLE}",
    ):
        assert text in first
    assert reader.metadata is not None
    assert reader.metadata.title == f"BÁO CÁO {TITLE}"
    last = flat(reader.pages[-1].extract_text())
    for text in ("KT. GIÁM ĐỐC PHÓ GIÁM ĐỐC", "Hà Văn Thịnh", "Nơi nhận:", "- Lưu: VT, ĐKKD."):
        assert text in last
    assert flat(reader.pages[1].extract_text()).startswith("2 ")
    mm = 72 / 25.4
    starts = []
    for page in reader.pages:
        page.extract_text(
            visitor_text=lambda text, cm, tm, font, size: starts.append(
                (text.strip(), tm[4] * cm[0] + cm[4])
            )
        )
    outside = [text for text, x in starts if text and not 30 * mm - 1 <= x < 195 * mm]
    assert outside == []  # the title line once started beyond the page's right edge


def test_report_page_shows_the_frame_and_links_the_letterhead(client, demo):
    from django.urls import reverse

    from hoptac.accounts.models import User

    bac_kan = AdminUnit.objects.get(era="legacy", code="06")
    link = reverse("areas:letterhead_edit", args=[bac_kan.pk])
    client.force_login(User.objects.get(username="tinh.backan"))
    page = client.get(reverse("indicators:report"), {"date": "2019-04-30"}).content.decode()
    for text in ("SỞ KẾ HOẠCH VÀ ĐẦU TƯ", "Số:      /BC-SKHĐT", "Hà Văn Thịnh", "Nơi nhận:", link):
        assert text in page
    client.force_login(User.objects.get(username="huyen.chomoi"))
    page = client.get(reverse("indicators:report"), {"date": "2019-04-30"}).content.decode()
    assert "ỦY BAN NHÂN DÂN HUYỆN CHỢ MỚI" in page
    assert link not in page  # the district's officer may not set the province's letterhead
