"""The written report: the seed's sentences from the demo data, and the DOCX, PDF and XLSX
files read back."""

from datetime import date
from decimal import Decimal
from io import BytesIO, StringIO

from django.core.management import call_command

from hoptac.areas.models import AdminUnit
from hoptac.indicators import exporting, writing
from hoptac.indicators.sources import Frame
from hoptac.plans.models import Plan, Target

SEED_PROVINCE = (
    "Đến hết tháng 4/2019, tỉnh Bắc Kạn có 167 hợp tác xã, trong đó có 123 hợp tác xã nông "
    "nghiệp và 44 hợp tác xã phi nông nghiệp."
)
SEED_DISTRICT = (
    "Đến hết năm 2019, huyện Chợ Mới có 15 hợp tác xã, trong đó có 10 hợp tác xã nông nghiệp "
    "và 05 hợp tác xã phi nông nghiệp."
)


def report(code, on):
    area = AdminUnit.objects.get(era="legacy", code=code)
    return writing.build_report(frame=Frame(area=area, on=on), written_on=date(2019, 5, 13))


def test_province_report_has_the_seed_sentence_models_and_plan_progress(demo):
    text = exporting.to_text(report("06", date(2019, 4, 30)))
    assert SEED_PROVINCE in text
    assert "Hợp tác xã Cao Phong (huyện Chợ Đồn)" in text
    assert "Hợp tác xã Trần Phú (huyện Na Rì)" in text
    assert "Hợp tác xã Chè Mỹ Phương (huyện Ba Bể)" in text
    assert "đạt 167 hợp tác xã, bằng 83,5% chỉ tiêu" in text
    assert "Bắc Kạn, ngày 13 tháng 5 năm 2019" in text
    assert "Biểu 1. Số lượng hợp tác xã theo đơn vị hành chính" in text


def test_district_report_for_2019_has_the_seed_numbers(demo):
    text = exporting.to_text(report("065", date(2019, 12, 31)))
    assert SEED_DISTRICT in text
    # The ratings sentence comes from the ratings app (seeds/000: the district's 2019 review).
    assert "02 HTX xếp loại khá; 01 HTX xếp loại trung bình; 02 HTX xếp loại yếu" in text
    assert "05-NQ/HU" in text  # the district's resolution in force, without targets
    assert "Văn bản chưa được nhập chỉ tiêu cụ thể." in text


def test_report_command_writes_text_and_files(demo, tmp_path):
    out = StringIO()
    call_command("report", "--area", "06", "--date", "2019-04-30", "--format", "txt", stdout=out)
    assert SEED_PROVINCE in out.getvalue()
    target = tmp_path / "bao-cao.docx"
    call_command(
        "report", "--area", "06", "--date", "2019-04-30", "--format", "docx",
        "--output", str(target), stdout=StringIO(),
    )  # fmt: skip
    assert target.read_bytes()[:2] == b"PK"


def test_docx_reads_back_with_the_sentence_and_tables(demo):
    from docx import Document

    data = exporting.to_docx(report("06", date(2019, 4, 30)))
    docx = Document(BytesIO(data))
    text = "\n".join(p.text for p in docx.paragraphs)
    assert SEED_PROVINCE in text
    cells = [[c.text for c in row.cells] for table in docx.tables for row in table.rows]
    assert any(row[:4] == ["Huyện Chợ Mới", "15", "10", "5"] for row in cells)
    assert any(row[:2] == ["Tổng số", "167"] for row in cells)


def test_pdf_reads_back_with_the_sentence_and_tables(demo):
    from pypdf import PdfReader

    data = exporting.to_pdf(report("06", date(2019, 4, 30)))
    assert data[:5] == b"%PDF-"
    text = "\n".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages)
    flat = " ".join(text.split())
    assert " ".join(SEED_PROVINCE.split()) in flat
    assert "Biểu 1. Số lượng hợp tác xã theo đơn vị hành chính" in flat
    assert "Huyện Chợ Mới" in flat
    assert "Tổng số" in flat


def test_xlsx_has_the_tables_as_typed_numbers(demo):
    from openpyxl import load_workbook

    data = exporting.to_xlsx(report("06", date(2019, 4, 30)))
    book = load_workbook(BytesIO(data))
    sheet = book["theo_dia_ban"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == "Đơn vị hành chính"
    assert tuple(next(r for r in rows if r[0] == "Huyện Chợ Mới")[:4]) == (
        "Huyện Chợ Mới",
        15,
        10,
        5,
    )
    assert rows[-1][:2] == ("Tổng số", 167)
    assert "chi_tieu" in book.sheetnames  # the plans' targets


def test_effective_share_is_written_both_ways(demo):
    text = exporting.to_text(report("065", date(2019, 12, 31)))
    assert "đạt 40% nếu tính các hợp tác xã xếp loại tốt và khá (02 hợp tác xã)" in text
    assert "0% nếu chỉ tính các hợp tác xã xếp loại tốt" in text


def test_an_area_without_ratings_says_so(demo):
    nghia_ta = AdminUnit.objects.get(era="legacy", code="02071")
    frame = Frame(area=nghia_ta, on=date(2016, 12, 31))
    assert writing.ratings_paragraph(frame) == ""
    text = exporting.to_text(writing.build_report(frame=frame))
    assert "Chưa có kết quả đánh giá, phân loại hợp tác xã." in text


def test_demo_plans_with_the_bac_kan_targets(demo):
    bac_kan = AdminUnit.objects.get(era="legacy", code="06")
    plan = Plan.objects.get(area=bac_kan, kind="ke_hoach")
    targets = {(t.indicator, t.comparison, t.value) for t in plan.targets.all()}
    assert targets == {
        ("so_htx", ">=", Decimal(200)),
        ("so_lhhtx", ">=", Decimal(1)),
        ("ty_le_htx_hieu_qua_kha_tot", ">", Decimal(40)),
        ("ty_le_htx_dung_luat", "=", Decimal(100)),
        ("ty_le_htx_tiep_can_ho_tro", ">=", Decimal(40)),
    }
    resolution = Plan.objects.get(number="05-NQ/HU")
    assert (resolution.area.code, resolution.period) == ("065", "2016–2020")
    assert not resolution.targets.exists()  # the seed gives none; none invented
    projects = Plan.objects.filter(kind="de_an", area=bac_kan)
    assert sorted(p.period for p in projects) == ["2020–2025", "2025–2030"]
    assert not Target.objects.filter(plan__in=projects).exists()
