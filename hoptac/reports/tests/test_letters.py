"""The reminder letter and the national forms' cover in the official frame (Nghị định
30/2020/NĐ-CP): the issuer is the letterhead of the writer's area (or its defaults), read back
from the page, the DOCX and the PDF."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from docx import Document
from pypdf import PdfReader

from hoptac.areas.models import Letterhead
from hoptac.registry.tests.factories import CooperativeFactory
from hoptac.reports import national
from hoptac.reports.models import ReportReminder
from hoptac.reports.tests.factories import approved_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def coop(db):
    return CooperativeFactory(name="HTX Lương Bằng", email="htx@example.vn")


@pytest.fixture
def cho_don_letterhead(cho_don):
    return Letterhead.objects.create(
        area=cho_don,
        issuing_body="ỦY BAN NHÂN DÂN HUYỆN CHỢ ĐỒN",
        symbol="UBND",
        place="Chợ Đồn",
        signer_authority="TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH",
        signer_title="PHÓ CHỦ TỊCH",
        signer_name="Hoàng Thị Ký",
        recipients="Như trên\nLưu: VT, TCKH",
    )


def letter(client, coop, **query):
    return client.get(reverse("reports:reminder_letter", args=[coop.pk, 2019]), query)


def test_printed_letter_is_in_the_frame_of_the_officers_area(
    client, coop, district_officer, cho_don_letterhead
):
    client.force_login(district_officer)
    page = letter(client, coop).content.decode()
    for text in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "ỦY BAN NHÂN DÂN HUYỆN CHỢ ĐỒN",
        "Số:      /UBND",
        "V/v nhắc nộp báo cáo năm 2019",
        "TM. ỦY BAN NHÂN DÂN",
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "Hoàng Thị Ký",
        "Nơi nhận:",
        "- Như trên;",
        "- Lưu: VT, TCKH.",
        "Kính gửi: HTX Lương Bằng.",
    ):
        assert text in page
    assert "Chợ Đồn, ngày " in page
    assert not ReportReminder.objects.exists()


def test_letter_as_docx_and_pdf(client, coop, district_officer, cho_don_letterhead):
    client.force_login(district_officer)
    response = letter(client, coop, format="docx")
    assert response["Content-Disposition"].endswith('.docx"')
    document = Document(io.BytesIO(response.content))
    head_left = document.tables[0].rows[0].cells[0].text
    assert "ỦY BAN NHÂN DÂN HUYỆN CHỢ ĐỒN" in head_left
    assert "Số:      /UBND" in head_left
    assert "V/v nhắc nộp báo cáo năm 2019" in head_left
    body = "\n".join(p.text for p in document.paragraphs)
    assert "Kính gửi: HTX Lương Bằng." in body
    assert "15/01/2020" in body
    tail = document.tables[-1].rows[0].cells
    assert tail[1].paragraphs[-1].text == "Hoàng Thị Ký"
    assert tail[0].paragraphs[0].text == "Nơi nhận:"
    pdf = PdfReader(io.BytesIO(letter(client, coop, format="pdf").content))
    text = " ".join(" ".join(page.extract_text() for page in pdf.pages).split())
    for part in ("ỦY BAN NHÂN DÂN HUYỆN CHỢ ĐỒN", "V/v nhắc nộp báo cáo năm 2019", "Hoàng Thị Ký"):
        assert part in text
    assert not ReportReminder.objects.exists()  # a download records nothing either


def test_administrators_letter_uses_the_provinces_defaults(client, coop, admin):
    client.force_login(admin)
    page = letter(client, coop).content.decode()
    province = coop.province or coop.province_legacy
    assert f"UBND TỈNH {province.short_name.upper()}" in page
    assert "SỞ TÀI CHÍNH" in page
    assert "Số:      /STC" in page


def test_national_forms_open_with_a_cover_in_the_frame(coop, district_officer, cho_don_letterhead):
    report = approved_report(coop, 2019, revenue=Decimal(2_400_000_000), members_count=32)
    data = national.national_forms_docx(report, user=district_officer, on=date(2020, 2, 4))
    document = Document(io.BytesIO(data))
    head_left, head_right = document.tables[0].rows[0].cells
    assert "ỦY BAN NHÂN DÂN HUYỆN CHỢ ĐỒN" in head_left.text
    assert "Số:      /BC-UBND" in head_left.text
    assert "Chợ Đồn, ngày 04 tháng 02 năm 2020" in head_right.text
    texts = [p.text for p in document.paragraphs]
    summary = (
        "Cập nhật thông tin năm 2019 của HTX Lương Bằng lên Hệ thống thông tin quốc gia về "
        "hợp tác xã"
    )
    assert texts[texts.index("BÁO CÁO") + 1] == summary
    signature = document.tables[1].rows[0].cells[1].text
    assert "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH" in signature
    assert "Hoàng Thị Ký" in signature
    assert document.sections[0].different_first_page_header_footer is True
    assert len(document.tables) == 5  # head, signature, then the three forms
