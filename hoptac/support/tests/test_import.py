"""Imports and exports of the support lists, on the spreadsheet pipeline: the upload kept in the
database, its check and import run as jobs; every row checked with the page's form and the
user's scope; one bad row and nothing is written, unless the valid rows only are imported (the
others in a fix-list); the pipeline's file safety applies."""

import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from hoptac.core.models import StoredUpload
from hoptac.jobs.models import Job
from hoptac.jobs.tests.checks import assert_check_job_runs_behind_its_bar
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
    settings.VAR_DIR = tmp_path  # nothing of an import is kept there (the database holds it)
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


@pytest.fixture
def post(client, django_capture_on_commit_callbacks):
    """POST as the page does; the job it starts runs when the request commits (the tests'
    queue runs a job at once)."""

    def post(url, data):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data)

    return post


@pytest.fixture
def upload(post):
    """Upload a list (its check runs as a job); the import page's URL."""

    def upload(data: bytes, name="ho-tro.xlsx", url=None):
        response = post(
            url or reverse("support:grant_import"), {"file": SimpleUploadedFile(name, data)}
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        return response["Location"]

    return upload


@pytest.fixture
def imported(client, post, upload):
    """Upload, check, then import (all rows, or `action`); the import page afterwards."""

    def imported(data: bytes, action="import", url=None):
        page = upload(data, url=url)
        post(page, {"action": action})
        return client.get(page)

    return imported


def errors_of(page) -> list[tuple[int, str, str]]:
    """(row, column, message) of every error the page's preview shows."""
    return [
        (plan["row"], column, message)
        for plan in page.context["plans"]
        for column, message in plan["errors"]
    ]


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


def test_import_writes_every_row(client, commune_officer, htx, local_policy, imported):
    client.force_login(commune_officer)
    page = imported(xlsx([HEADER, *good_rows()]))
    assert page.context["committed"], errors_of(page)
    grants = SupportGrant.objects.order_by("cooperative__name")
    assert [(g.cooperative.name, g.amount, g.source, g.granted_on) for g in grants] == [
        ("HTX Cao Phong", Decimal(20_000_000), FundingSource.CENTRAL, date(2019, 6, 1)),
        ("HTX Chè Mỹ Phương", Decimal(15_000_000), FundingSource.PROVINCE, date(2019, 5, 12)),
    ]
    assert grants[0].created_by == commune_officer
    assert StoredUpload.objects.get().kind == "support.grants"  # kept in the database


def test_the_upload_only_starts_the_check_as_a_job(
    client, commune_officer, htx, local_policy, django_capture_on_commit_callbacks
):
    client.force_login(commune_officer)
    data = {"file": SimpleUploadedFile("ho-tro.xlsx", xlsx([HEADER, *good_rows()]))}
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post(reverse("support:grant_import"), data)
    url = response["Location"]
    assert_check_job_runs_behind_its_bar(
        client, url, queued, owner=commune_officer, form="import-form"
    )
    page = client.get(url)
    assert page.context["summary"]["created"] == 2
    assert 'data-testid="import-button"' in page.content.decode()
    with django_capture_on_commit_callbacks(execute=False):
        client.post(url, {"action": "import"})
    assert Job.objects.count() == 2
    assert not SupportGrant.objects.exists()  # the import waits for its job


def test_one_bad_row_writes_nothing_and_names_the_row(
    client, commune_officer, htx, local_policy, imported
):
    rows = [*good_rows(), [3, "4700000101", "", "Hỗ trợ nhãn hiệu", "31/02/2019", 5, "Tỉnh", ""]]
    client.force_login(commune_officer)
    page = imported(xlsx([HEADER, *rows]))
    assert not page.context["committed"]
    assert not SupportGrant.objects.exists()
    errors = errors_of(page)
    assert len(errors) == 1
    row, column, message = errors[0]
    assert (row, column) == (6, "Ngày hỗ trợ")  # the title block: header in row 3, data from 4
    assert "31/02/2019" in message
    assert 'data-testid="import-valid-button"' in page.content.decode()


def test_the_valid_rows_are_imported_and_the_others_downloaded(
    client, commune_officer, htx, local_policy, imported
):
    rows = [*good_rows(), [3, "4700000101", "", "Chính sách lạ", "01/02/2019", 5, "Tỉnh", ""]]
    client.force_login(commune_officer)
    page = imported(xlsx([HEADER, *rows]), action="import_valid")
    assert SupportGrant.objects.count() == 2
    assert page.context["committed"]
    url = page.context["fix_list_url"]
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(client.get(url).streaming_content))).active
    fixed = list(sheet.values)
    assert fixed[2][-1] == "Lỗi"  # the file's own layout, with the error column
    assert fixed[3][3] == "Chính sách lạ"
    assert "Chính sách lạ" in fixed[3][-1]


def test_rows_outside_the_scope_are_errors(client, outsider, htx, local_policy, imported):
    client.force_login(outsider)
    page = imported(xlsx([HEADER, *good_rows()]))
    assert len(errors_of(page)) == 2
    assert not SupportGrant.objects.exists()


def test_stored_file_of_another_user_is_404(
    client, commune_officer, district_officer, htx, local_policy, upload
):
    client.force_login(commune_officer)
    url = upload(xlsx([HEADER, *good_rows()]))
    client.force_login(district_officer)
    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "import"}).status_code == 404
    assert not SupportGrant.objects.exists()


def test_not_a_spreadsheet_is_refused(client, commune_officer, post):
    client.force_login(commune_officer)
    response = post(
        reverse("support:grant_import"),
        {"file": SimpleUploadedFile("x.xlsx", b"\x00\x01\x02 binary junk" * 50)},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert not StoredUpload.objects.exists()


def test_missing_required_column_is_explained(client, commune_officer, htx, post):
    client.force_login(commune_officer)
    response = post(
        reverse("support:grant_import"),
        {"file": SimpleUploadedFile("x.xlsx", xlsx([["Mã số HTX", "Số tiền"], ["4700000101", 5]]))},
    )
    assert response.status_code == 200
    assert "Chính sách" in response.context["form"].errors["file"][0]
    assert not StoredUpload.objects.exists()
    assert not Job.objects.exists()


def test_state_policy_row_without_reason_is_refused(
    client, commune_officer, htx, state_policy, imported
):
    rows = [[1, "4700000101", "", state_policy.name, "01/03/2025", 5, "Trung ương", ""]]
    client.force_login(commune_officer)
    page = imported(xlsx([HEADER, *rows]))
    assert "Lý do" in errors_of(page)[0][2]
    assert not SupportGrant.objects.exists()


def test_export_reads_back_as_the_same_rows(client, province_officer, htx, local_policy, imported):
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
    assert imported(buffer.getvalue()).context["committed"]
    assert SupportGrant.objects.get().amount == Decimal(15_000_000)


def test_participants_import(client, commune_officer, htx, luong_bang, imported):
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
    url = reverse("support:participant_import", args=[course.pk])
    page = imported(xlsx(rows, title=False), url=url)
    assert page.context["committed"], errors_of(page)
    people = {p.name: p for p in Participant.objects.all()}
    assert people["Lục Văn Phong"].cooperative == htx[0]
    assert people["Lục Văn Phong"].certificate == "CC-01"
    assert people["Hoàng Văn An"].area == luong_bang  # a unit of his area (issue #12)
    assert people["Ma Thị Lan"].cooperative == htx[1]
    assert people["Ma Thị Lan"].attended is False


def test_participants_import_with_an_unknown_htx_writes_nothing(
    client, commune_officer, luong_bang, imported
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
    page = imported(
        xlsx(rows, title=False), url=reverse("support:participant_import", args=[course.pk])
    )
    # one error, in the HTX's column as the file names it
    assert [(row, column) for row, column, _message in errors_of(page)] == [(2, "Đơn vị")]
    assert not Participant.objects.exists()
