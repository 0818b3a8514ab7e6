"""The import page: upload, column map, check, import, progress, fix-list; and who may."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from hoptac.jobs.tests.checks import assert_check_job_runs_behind_its_bar
from hoptac.registry.models import Cooperative
from hoptac.registry.tests.files import builders as b

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def imports_folder(tmp_path, settings):
    settings.VAR_DIR = tmp_path


@pytest.fixture
def post(client, django_capture_on_commit_callbacks):
    """POST as the page does; the job it starts runs when the request commits (the tests'
    queue runs a job at once)."""

    def post(url, data, **options):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data, **options)

    return post


def upload(client, data: bytes, name: str = "ds.xlsx"):
    return client.post(
        reverse("registry:cooperative_import"), {"file": SimpleUploadedFile(name, data)}
    )


def sample(bad: bool = False) -> bytes:
    rows = b.sample_rows()
    if bad:
        rows[1][2] = "12345"
    return b.xlsx([["DANH SÁCH HTX"], [], b.HEADER, *rows], merges=["A1:J1"])


def detail_url(response) -> str:
    assert response.status_code == 302, response.content.decode()[:500]
    return response["Location"]


def mapping(response) -> dict[str, str]:
    form = response.context["form"]
    return {name: form[name].value() or "" for name in form.fields}


def test_upload_shows_the_columns_found_for_confirmation(client, commune_officer):
    client.force_login(commune_officer)
    page = client.get(detail_url(upload(client, sample())))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Tên HTX" in html
    assert "HTX Chè Mỹ Phương" in html  # first values of each column
    assert mapping(page)["col_1"] == "name"
    assert mapping(page)["col_0"] == ""  # STT is not imported


def test_check_then_import(client, post, commune_officer):
    client.force_login(commune_officer)
    url = detail_url(upload(client, sample()))
    form = mapping(client.get(url))
    response = post(url, {**form, "action": "check"})
    assert response.status_code == 302
    page = client.get(url)
    assert page.context["summary"]["created"] == 3
    assert 'data-testid="import-button"' in page.content.decode()
    assert not Cooperative.objects.exists()
    post(url, {**form, "action": "import"})
    assert Cooperative.objects.count() == 3
    page = client.get(url)
    assert page.context["committed"]
    assert 'data-testid="import-done"' in page.content.decode()
    post(url, {**form, "action": "import"})  # a second post does nothing
    assert Cooperative.objects.count() == 3


def test_the_preview_shows_each_error_with_row_and_column(client, post, commune_officer):
    client.force_login(commune_officer)
    url = detail_url(upload(client, sample(bad=True)))
    post(url, {**mapping(client.get(url)), "action": "check"})
    page = client.get(url, {"show": "error"})
    html = page.content.decode()
    assert [p["row"] for p in page.context["plans"]] == [5]
    assert "Cột “Mã số HTX”" in html
    assert 'data-testid="import-button"' not in html
    assert 'data-testid="import-valid-button"' in html
    post(url, {**mapping(page), "action": "import"})  # refused: nothing written
    assert not Cooperative.objects.exists()


def test_a_changed_column_map_is_used(client, post, commune_officer):
    client.force_login(commune_officer)
    url = detail_url(upload(client, sample()))
    form = {**mapping(client.get(url)), "col_8": ""}  # leave the members out
    post(url, {**form, "action": "import"})
    assert set(Cooperative.objects.values_list("members_count", flat=True)) == {None}


def test_two_columns_read_as_one_are_refused(client, post, commune_officer):
    client.force_login(commune_officer)
    url = detail_url(upload(client, sample()))
    form = {**mapping(client.get(url)), "col_0": "name"}
    response = post(url, {**form, "action": "check"}, follow=True)
    assert "cùng được đọc là" in response.content.decode()


def test_valid_rows_are_imported_and_the_others_downloaded(client, post, commune_officer):
    client.force_login(commune_officer)
    url = detail_url(upload(client, sample(bad=True)))
    post(url, {**mapping(client.get(url)), "action": "import_valid"})
    assert Cooperative.objects.count() == 2
    page = client.get(url)
    assert 'data-testid="fix-list"' in page.content.decode()
    import_id = url.rstrip("/").rsplit("/", 1)[1]
    response = client.get(reverse("registry:cooperative_import_fix_list", args=[import_id]))
    rows = list(
        openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(
            values_only=True
        )
    )
    assert rows[2][-1] == "Lỗi"
    assert rows[3][1] == "HTX Dịch vụ Lương Bằng"


def test_the_progress_endpoint_reports_the_running_jobs_progress(
    client, commune_officer, django_capture_on_commit_callbacks
):
    from hoptac.jobs.models import Job

    client.force_login(commune_officer)
    url = detail_url(upload(client, sample()))
    import_id = url.rstrip("/").rsplit("/", 1)[1]
    progress_url = reverse("registry:cooperative_import_progress", args=[import_id])
    assert "Đang đọc tệp" in client.get(progress_url).content.decode()  # no job yet
    with django_capture_on_commit_callbacks(execute=False):
        client.post(url, {**mapping(client.get(url)), "action": "import"})
    job = Job.objects.get()
    assert "Đang đọc tệp" in client.get(progress_url).content.decode()  # queued
    # as the job's channel records it from the worker (the job's row on PostgreSQL)
    Job.objects.filter(pk=job.pk).update(state="running", phase="write", done=250, total=1000)
    html = client.get(progress_url).content.decode()
    assert 'aria-valuenow="25"' in html
    assert "Đang nhập: 250" in html
    Job.objects.filter(pk=job.pk).update(state="succeeded")
    assert 'aria-valuenow="0"' in client.get(progress_url).content.decode()  # nothing runs


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b.encrypted_xlsx(), "mật khẩu"),
        (b.xlsx_bomb(), "quả bom XML"),
        (b"%PDF-1.7\x00\x01" * 100, "không phải là bảng tính"),
    ],
)
def test_bad_files_get_a_clear_message_on_the_upload_page(client, commune_officer, data, words):
    client.force_login(commune_officer)
    response = upload(client, data)
    assert response.status_code == 200
    assert words in response.content.decode()


@override_settings(HOPTAC_MAX_IMPORT_MB=1)
def test_a_file_too_large_is_refused_before_reading(client, commune_officer):
    client.force_login(commune_officer)
    response = upload(client, b"a" * (1024 * 1024 + 1), "big.csv")
    assert "tối đa 1 MB" in response.content.decode()


def test_another_users_import_is_not_found(client, commune_officer, district_officer):
    client.force_login(commune_officer)
    url = detail_url(upload(client, sample()))
    client.force_login(district_officer)
    assert client.get(url).status_code == 404


def test_only_officers_and_admins_import(client, make_user):
    manager = make_user("quanly1", "coop_manager")
    client.force_login(manager)
    assert client.get(reverse("registry:cooperative_import")).status_code == 403
    client.logout()
    assert client.get(reverse("registry:cooperative_import")).status_code == 302  # to sign in


def test_a_check_runs_as_a_job_and_the_page_shows_its_bar(
    client, commune_officer, django_capture_on_commit_callbacks
):
    client.force_login(commune_officer)
    url = detail_url(upload(client, sample()))
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post(url, {**mapping(client.get(url)), "action": "check"})
    assert response["Location"] == url  # the request only starts the job
    assert "?embedded=1" in client.get(url).content.decode()  # the bar polls the job's page
    job = assert_check_job_runs_behind_its_bar(
        client, url, queued, owner=commune_officer, form="mapping-form"
    )
    assert job.result["summary"]["created"] == 3
    poll = client.get(reverse("jobs:detail", args=[job.pk]) + "?embedded=1", HTTP_HX_REQUEST="true")
    assert poll["HX-Refresh"] == "true"  # the page reloads to show the preview
    page = client.get(url)
    assert page.context["summary"]["created"] == 3
    assert 'data-testid="mapping-form"' in page.content.decode()


def test_the_officer_may_ask_for_an_e_mail_when_the_import_ends(
    client, post, commune_officer, mailoutbox
):
    commune_officer.email = "xa@example.vn"
    commune_officer.save()
    client.force_login(commune_officer)
    url = detail_url(upload(client, sample()))
    page = client.get(url)
    assert 'data-testid="notify-email"' in page.content.decode()
    post(url, {**mapping(page), "action": "check", "notify_email": "on"})
    assert [m.to for m in mailoutbox] == [["xa@example.vn"]]
    assert (
        url.split("/", 3)[-1].split("#")[0] in mailoutbox[0].body or "/viec/" in mailoutbox[0].body
    )
    post(url, {**mapping(page), "action": "check"})
    assert len(mailoutbox) == 1  # not asked: no mail
