"""Imports and exports of the support lists: every row checked with the page's form and the
user's scope; one bad row and nothing is written; the registry's file safety applies."""

import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from hoptac.registry.tests.factories import CooperativeFactory, legacy_unit
from hoptac.support import services
from hoptac.support.choices import CourseTopic, FundingSource
from hoptac.support.models import Participant, SupportGrant

pytestmark = pytest.mark.django_db

HEADER = [
    "STT",
    "Mã số HTX",
    "Tên HTX",
    "Chính sách",
    "Ngày hỗ trợ",
    "Số tiền (triệu đồng)",
    "Nguồn kinh phí",
    "Nội dung",
]


@pytest.fixture(autouse=True)
def folders(tmp_path, settings):
    settings.VAR_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"


def xlsx(rows, title=True) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    if title:
        sheet.append(["DANH SÁCH HTX ĐƯỢC HỖ TRỢ NĂM 2019"])
        sheet.append([])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def post(client, data: bytes, action="import", name="ho-tro.xlsx"):
    return client.post(
        reverse("support:grant_import"),
        {"file": SimpleUploadedFile(name, data), "action": action},
    )


@pytest.fixture
def htx(db):
    return [
        CooperativeFactory(name="HTX Chè Mỹ Phương", tax_code="4700000101"),
        CooperativeFactory(name="HTX Cao Phong", tax_code="4700000102"),
    ]


def good_rows():
    return [
        [
            1,
            "4700000101",
            "HTX Chè Mỹ Phương",
            "Hỗ trợ nhãn hiệu",
            "12/05/2019",
            15,
            "Tỉnh",
            "Bao bì",
        ],
        [2, None, "HTX Cao Phong", "bk-test", date(2019, 6, 1), 20, "Ngân sách trung ương", ""],
    ]


def test_import_writes_every_row(client, commune_officer, htx, local_policy):
    client.force_login(commune_officer)
    response = post(client, xlsx([HEADER, *good_rows()]))
    assert response.status_code == 302, response.content.decode()[:2000]
    grants = SupportGrant.objects.order_by("cooperative__name")
    assert [(g.cooperative.name, g.amount, g.source, g.granted_on) for g in grants] == [
        ("HTX Cao Phong", Decimal(20_000_000), FundingSource.CENTRAL, date(2019, 6, 1)),
        ("HTX Chè Mỹ Phương", Decimal(15_000_000), FundingSource.PROVINCE, date(2019, 5, 12)),
    ]
    assert grants[0].created_by == commune_officer


def test_one_bad_row_writes_nothing_and_names_the_row(client, commune_officer, htx, local_policy):
    rows = [*good_rows(), [3, "4700000101", "", "Hỗ trợ nhãn hiệu", "31/02/2019", 5, "Tỉnh", ""]]
    client.force_login(commune_officer)
    response = post(client, xlsx([HEADER, *rows]))
    assert response.status_code == 200
    assert not SupportGrant.objects.exists()
    errors = response.context["checked"].errors
    assert len(errors) == 1
    assert errors[0].startswith("Dòng 6")  # the title block: header in row 3, data from row 4
    assert "31/02/2019" in errors[0]


def test_rows_outside_the_scope_are_errors(client, outsider, htx, local_policy):
    client.force_login(outsider)
    response = post(client, xlsx([HEADER, *good_rows()]))
    assert response.status_code == 200
    assert len(response.context["checked"].errors) == 2
    assert not SupportGrant.objects.exists()


def test_check_then_import_the_stored_file(client, commune_officer, htx, local_policy):
    client.force_login(commune_officer)
    response = post(client, xlsx([HEADER, *good_rows()]), action="check")
    assert response.status_code == 200
    assert response.context["checked"].ok
    assert not SupportGrant.objects.exists()
    token = response.context["token"]
    response = client.post(reverse("support:grant_import"), {"token": token, "action": "import"})
    assert response.status_code == 302
    assert SupportGrant.objects.count() == 2


def test_stored_file_of_another_user_is_404(
    client, commune_officer, district_officer, htx, local_policy
):
    client.force_login(commune_officer)
    token = post(client, xlsx([HEADER, *good_rows()]), action="check").context["token"]
    client.force_login(district_officer)
    response = client.post(reverse("support:grant_import"), {"token": token, "action": "import"})
    assert response.status_code == 404


def test_not_a_spreadsheet_is_refused(client, commune_officer):
    client.force_login(commune_officer)
    response = post(client, b"\x00\x01\x02 binary junk" * 50, name="x.xlsx")
    assert response.status_code == 200
    assert response.context["form"].errors["file"]


def test_missing_required_column_is_explained(client, commune_officer, htx):
    client.force_login(commune_officer)
    response = post(client, xlsx([["Mã số HTX", "Số tiền"], ["4700000101", 5]]))
    assert "Chính sách" in response.context["form"].errors["file"][0]


def test_state_policy_row_without_reason_is_refused(client, commune_officer, htx, state_policy):
    rows = [[1, "4700000101", "", state_policy.name, "01/03/2025", 5, "Trung ương", ""]]
    client.force_login(commune_officer)
    response = post(client, xlsx([HEADER, *rows]))
    assert "Lý do" in response.context["checked"].errors[0]
    assert not SupportGrant.objects.exists()


def test_export_reads_back_as_the_same_rows(client, province_officer, htx, local_policy):
    services.grant_record(
        by=None,
        cooperative=htx[0],
        policy=local_policy,
        granted_on=date(2019, 5, 12),
        source=FundingSource.PROVINCE,
        amount=Decimal(15_000_000),
    )
    client.force_login(province_officer)
    response = client.get(reverse("support:grant_export"))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.values)
    assert rows[0][:4] == ("Mã số HTX", "Tên HTX", "Chính sách", "Ngày")
    assert rows[1][0] == "4700000101"
    assert rows[1][4] == 15_000_000
    # the exported file imports again (into a fresh database state)
    SupportGrant.objects.all().delete()
    buffer = io.BytesIO()
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(list(row))
    book.save(buffer)
    assert post(client, buffer.getvalue()).status_code == 302
    assert SupportGrant.objects.get().amount == Decimal(15_000_000)


def test_participants_import(client, commune_officer, htx, luong_bang):
    course = services.course_save(
        by=None,
        title="Luật HTX",
        topic=CourseTopic.COOPERATIVE_LAW,
        starts_on=date(2019, 3, 1),
        ends_on=date(2019, 3, 2),
        organiser="X",
        area=luong_bang,
    )
    rows = [
        ["Họ và tên", "Vai trò", "Đơn vị", "Tham dự", "Số chứng chỉ"],
        ["Lục Văn Phong", "Giám đốc", "4700000101", "x", "CC-01"],
        ["Hoàng Văn An", "Cán bộ", "Xã Lương Bằng, Huyện Chợ Đồn, Tỉnh Bắc Kạn", "x", ""],
        ["Ma Thị Lan", "Thành viên HTX", "HTX Cao Phong", "", ""],
    ]
    client.force_login(commune_officer)
    response = client.post(
        reverse("support:participant_import", args=[course.pk]),
        {"file": SimpleUploadedFile("hv.xlsx", xlsx(rows, title=False)), "action": "import"},
    )
    assert response.status_code == 302, response.context["checked"].errors
    people = {p.name: p for p in Participant.objects.all()}
    assert people["Lục Văn Phong"].cooperative == htx[0]
    assert people["Lục Văn Phong"].certificate == "CC-01"
    assert people["Hoàng Văn An"].area == luong_bang  # a unit of his area (issue #12)
    assert people["Ma Thị Lan"].cooperative == htx[1]
    assert people["Ma Thị Lan"].attended is False


def test_participants_import_with_an_unknown_htx_writes_nothing(
    client, commune_officer, luong_bang
):
    course = services.course_save(
        by=None,
        title="Luật HTX",
        topic=CourseTopic.COOPERATIVE_LAW,
        starts_on=date(2019, 3, 1),
        ends_on=date(2019, 3, 2),
        organiser="X",
        area=luong_bang,
    )
    CooperativeFactory(
        name="HTX Nghĩa Tá", tax_code="4700000109", commune_legacy=legacy_unit("02071")
    )
    rows = [
        ["Họ và tên", "Vai trò", "Đơn vị"],
        ["A", "Thành viên", "4700000109"],
    ]  # not in his commune
    client.force_login(commune_officer)
    response = client.post(
        reverse("support:participant_import", args=[course.pk]),
        {"file": SimpleUploadedFile("hv.xlsx", xlsx(rows, title=False)), "action": "import"},
    )
    assert response.status_code == 200
    assert not Participant.objects.exists()
