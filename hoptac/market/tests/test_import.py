"""The products import on the spreadsheet pipeline (market.importing): the kind run directly
(good file, forgiving values, one message per bad cell naming its row and column, scope, the
same file again changes nothing, the valid rows with a fix-list), the page through its jobs,
and `manage.py import_products` (its JSON and exit codes)."""

import io
import json
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from hoptac.accounts import access
from hoptac.core.models import StoredUpload
from hoptac.core.tabular import run_import
from hoptac.jobs.models import Job
from hoptac.market.choices import Category, CertificationKind
from hoptac.market.importing import PRODUCT_KIND
from hoptac.market.models import Certification, Product
from hoptac.market.tests.factories import ProductFactory
from hoptac.registry.tests.factories import CooperativeFactory

pytestmark = pytest.mark.django_db

HEADER = [
    "STT",
    "Mã số HTX",
    "Tên HTX",
    "Tên sản phẩm",
    "Nhóm sản phẩm",
    "ĐVT",
    "Mùa vụ",
    "Mô tả",
    "Số sao OCOP",
    "Năm công nhận OCOP",
]
TITLE = [["DANH SÁCH SẢN PHẨM CỦA CÁC HTX XÃ LƯƠNG BẰNG"], []]  # the header is in row 3


def good_rows():
    return [
        [1, "4700000101", "HTX Chè Mỹ Phương", "Chè búp khô Mỹ Phương", "Chè", "kg",
         "Tháng 3 – 10", "Chè xanh sao tay", "4 sao", 2023],
        [2, "4700000101", "HTX Chè Mỹ Phương", "Rau cải ngọt", "rau quả", "bó", "", "", None,
         None],
        [3, 4700000101, "HTX Chè Mỹ Phương", "Miến dong", "processed_food", "gói", "Quanh năm",
         "", "3", "2024"],
    ]  # fmt: skip


def xlsx(rows, title=True) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in [*(TITLE if title else []), *rows]:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def rows_of(data: bytes) -> list[tuple]:
    """The rows of the first sheet of an .xlsx."""
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    return list(sheet.values)


@pytest.fixture(autouse=True)
def folders(tmp_path, settings):
    settings.VAR_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def run(tmp_path, cooperative):
    """Run the products kind over `rows` as `user` (vi), as the page's job and the command do."""

    def run(rows, user=access.SYSTEM, **kwargs):
        path = tmp_path / "san-pham.xlsx"
        path.write_bytes(xlsx(rows))
        with translation.override("vi"):
            return run_import(path, PRODUCT_KIND, user=user, **kwargs)

    return run


def errors(summary):
    return [(e.row, e.column, e.message) for e in summary.errors]


# --- the kind ---------------------------------------------------------------------------------


def test_good_file_writes_products_and_ocop(run, cooperative, commune_officer):
    summary = run([HEADER, *good_rows()], user=commune_officer)
    assert (summary.created, summary.error_rows, summary.written) == (3, 0, True), errors(summary)
    products = {p.name: p for p in Product.objects.filter(cooperative=cooperative)}
    tea = products["Chè búp khô Mỹ Phương"]
    assert (tea.category, tea.unit, tea.season, tea.description) == (
        Category.TEA,  # "Chè"
        "kg",
        "Tháng 3 – 10",
        "Chè xanh sao tay",
    )
    assert products["Rau cải ngọt"].category == Category.VEGETABLES_FRUIT  # "rau quả"
    assert products["Miến dong"].category == Category.PROCESSED_FOOD  # the code
    assert tea.created_by == commune_officer
    assert tea.search_text  # written by the service, as from the page
    ocop = {(c.product.name, c.kind, c.stars, c.year) for c in Certification.objects.all()}
    assert ocop == {
        ("Chè búp khô Mỹ Phương", CertificationKind.OCOP, 4, 2023),  # "4 sao"
        ("Miến dong", CertificationKind.OCOP, 3, 2024),  # "3", "2024" as text
    }
    assert tea.history.get().history_user == commune_officer  # change history recorded


def test_same_file_again_changes_nothing(run, cooperative):
    run([HEADER, *good_rows()])
    histories = Product.history.count(), Certification.history.count()
    summary = run([HEADER, *good_rows()])
    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 3)
    assert (Product.history.count(), Certification.history.count()) == histories
    assert Product.objects.count() == 3


def test_a_product_is_matched_by_its_name_without_diacritics(run, product):
    rows = [
        HEADER,
        [1, "4700000101", "", "CHE SHAN TUYET MY PHUONG", "Thực phẩm chế biến", "", "", "", 5,
         2022],
    ]  # fmt: skip
    summary = run(rows, dry_run=True)
    assert (summary.updated, summary.written) == (1, False)
    assert Product.objects.get(pk=product.pk).category == Category.TEA  # a dry run
    summary = run(rows)
    product.refresh_from_db()
    assert (summary.updated, summary.created) == (1, 0)
    assert product.name == "Chè Shan tuyết Mỹ Phương"  # the stored name is kept
    assert product.category == Category.PROCESSED_FOOD
    assert product.unit == "kg"  # an empty cell keeps what the product records
    assert product.certifications.get().stars == 5


def test_an_htx_named_without_its_code_is_found_with_its_products(run, product):
    rows = [
        HEADER,
        [1, "", "htx che my phuong", "Chè Shan tuyết Mỹ Phương", "", "", "", "", None, None],
        [2, None, "HTX Chè Mỹ Phương", "Chè xanh", "Chè", "", "", "", None, None],
    ]
    summary = run(rows)
    assert (summary.unchanged, summary.created, summary.error_rows) == (1, 1, 0), errors(summary)
    assert Product.objects.filter(cooperative=product.cooperative).count() == 2


def test_each_bad_cell_gives_one_message_naming_row_and_column(run, cooperative):
    rows = [
        HEADER,
        [1, "4700000101", "", "Mật ong", "Đồ trang sức", "", "", "", None, None],
        [2, "4700000101", "", "Măng khô", "Lâm sản", "", "", "", 6, 2023],
        [3, "4700000101", "", "Nấm hương", "Lâm sản", "", "", "", 4, None],
        [4, "4799999999", "", "Gạo nếp", "Gạo", "", "", "", None, None],
        [5, "4700000101", "", "", "Gạo", "", "", "", None, None],
        [6, "4700000101", "", "Miến dong", "Thực phẩm", "", "", "", "nhiều", 2023],
        [7, "4700000101", "", "Mien dong", "Thực phẩm", "", "", "", None, None],
    ]
    summary = run(rows)
    assert not summary.written
    assert not Product.objects.exists()
    found = errors(summary)
    assert [(row, column) for row, column, _message in found] == [
        (4, "Nhóm sản phẩm"),
        (5, "Số sao OCOP"),
        (6, "Năm công nhận OCOP"),
        (7, "Mã số HTX"),
        (8, "Tên sản phẩm"),
        (9, "Số sao OCOP"),
    ]
    messages = [message for _row, _column, message in found]
    assert "“Đồ trang sức”" in messages[0]
    assert "Chè" in messages[0]  # what is accepted
    assert "3, 4 hoặc 5 sao" in messages[1]
    assert "cả số sao và năm" in messages[2]
    assert "4799999999" in messages[3]
    assert "“nhiều”" in messages[5]
    # row 10 names the product of row 9 again, but row 9 had an error: it is planned once
    assert (summary.error_rows, summary.rows) == (6, 7)


def test_the_same_product_twice_in_a_file_is_an_error(run, cooperative):
    rows = [
        HEADER,
        [1, "4700000101", "", "Miến dong", "Thực phẩm", "", "", "", None, None],
        [2, "4700000101", "", "MIẾN DONG", "Thực phẩm", "", "", "", None, None],
    ]
    summary = run(rows)
    assert errors(summary) == [(5, "Tên sản phẩm", "Dòng 4 đã ghi sản phẩm này của cùng HTX.")]


def test_rows_outside_the_users_scope_are_errors(run, cooperative, other_cooperative, outsider):
    summary = run([HEADER, *good_rows()], user=outsider)
    assert summary.error_rows == 3
    row, column, message = errors(summary)[0]
    assert (row, column) == (4, "Mã số HTX")
    assert message == "Không có HTX nào bạn được xem có mã số “4700000101”."
    assert not Product.objects.exists()


def test_a_manager_imports_for_his_own_htx_only(run, cooperative, htx_manager):
    CooperativeFactory(name="HTX Bên cạnh", tax_code="4700000199")  # same commune
    rows = [
        HEADER,
        [1, "4700000101", "", "Chè búp", "Chè", "", "", "", None, None],
        [2, "4700000199", "", "Chè búp", "Chè", "", "", "", None, None],
    ]
    summary = run(rows, user=htx_manager, valid_only=True)
    assert [(e.row, e.column) for e in summary.errors] == [(5, "Mã số HTX")]
    assert [p.cooperative for p in Product.objects.all()] == [cooperative]
    assert not Product.objects.filter(cooperative__tax_code="4700000199").exists()


def test_valid_rows_only_with_a_fix_list(run, cooperative, tmp_path):
    rows = [
        HEADER,
        *good_rows()[:1],
        [2, "4700000101", "", "Mật ong", "Đồ trang sức", "", "", "", None, None],
    ]
    fix_list = tmp_path / "loi.xlsx"
    summary = run(rows, valid_only=True, fix_list=fix_list)
    assert (summary.created, summary.error_rows, summary.written) == (1, 1, True)
    assert summary.accounted
    sheet = rows_of(fix_list.read_bytes())
    assert sheet[0][0] == TITLE[0][0]  # the file's own layout
    assert sheet[2][-1] == "Lỗi"
    assert sheet[3][3] == "Mật ong"
    assert sheet[3][-1].startswith("Nhóm sản phẩm: ")


def test_the_export_imports_again_unchanged(client, province_officer, product, tmp_path):
    Certification.objects.create(product=product, kind=CertificationKind.OCOP, stars=4, year=2023)
    client.force_login(province_officer)
    response = client.get(reverse("market:product_export"))
    path = tmp_path / "export.xlsx"
    path.write_bytes(b"".join(response.streaming_content))
    with translation.override("vi"):
        summary = run_import(path, PRODUCT_KIND, user=province_officer)
    assert (summary.rows, summary.unchanged, summary.error_rows) == (1, 1, 0), errors(summary)


# --- the pages --------------------------------------------------------------------------------


@pytest.fixture
def post(client, django_capture_on_commit_callbacks):
    """POST as the page does; the job it starts runs when the request commits."""

    def post(url, data):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data)

    return post


@pytest.fixture
def upload(post):
    def upload(data: bytes, name="san-pham.xlsx"):
        response = post(reverse("market:product_import"), {"file": SimpleUploadedFile(name, data)})
        assert response.status_code == 302, response.content.decode()[:2000]
        return response["Location"]

    return upload


def test_the_page_checks_then_imports_through_jobs(
    client, commune_officer, cooperative, upload, post
):
    client.force_login(commune_officer)
    assert (
        reverse("market:product_import")
        in client.get(reverse("market:product_list")).content.decode()
    )
    page_url = upload(xlsx([HEADER, *good_rows()]))
    job = Job.objects.get()
    assert (job.kind, job.owner, job.state, job.params["commit"]) == (
        "tabular.import",
        commune_officer,
        "succeeded",
        False,
    )
    page = client.get(page_url)
    assert page.context["summary"]["created"] == 3
    assert not Product.objects.exists()  # the check writes nothing
    assert 'data-testid="import-button"' in page.content.decode()
    post(page_url, {"action": "import"})
    page = client.get(page_url)
    assert page.context["committed"]
    assert Product.objects.count() == 3
    assert StoredUpload.objects.get().kind == "market.products"
    # the same file again: the preview says unchanged, and importing it writes nothing
    page_url = upload(xlsx([HEADER, *good_rows()]))
    page = client.get(page_url)
    assert [plan["action"] for plan in page.context["plans"]] == ["unchanged"] * 3
    assert "không đổi" in page.content.decode()


def test_the_page_imports_valid_rows_and_gives_the_fix_list(
    client, commune_officer, cooperative, upload, post
):
    client.force_login(commune_officer)
    rows = [HEADER, *good_rows()[:1], [2, "4700000101", "", "Mật ong", "Xyz", "", "", "", "", ""]]
    page_url = upload(xlsx(rows))
    page = client.get(page_url)
    assert [plan["errors"] for plan in page.context["plans"]][1][0][0] == "Nhóm sản phẩm"
    assert 'data-testid="import-valid-button"' in page.content.decode()
    post(page_url, {"action": "import_valid"})
    page = client.get(page_url)
    assert page.context["committed"]
    assert Product.objects.get().name == "Chè búp khô Mỹ Phương"
    fix_url = reverse("market:product_import_fix_list", args=[page.context["stored"].id.hex])
    assert fix_url in page.content.decode()
    assert rows_of(b"".join(client.get(fix_url).streaming_content))[3][3] == "Mật ong"


def test_a_manager_imports_through_the_page(client, htx_manager, cooperative, upload, post):
    client.force_login(htx_manager)
    page_url = upload(xlsx([HEADER, *good_rows()]))
    post(page_url, {"action": "import"})
    assert client.get(page_url).context["committed"]
    assert Product.objects.filter(cooperative=cooperative).count() == 3


def test_a_stored_file_is_its_owners_only(
    client, commune_officer, district_officer, cooperative, upload
):
    client.force_login(commune_officer)
    page_url = upload(xlsx([HEADER, *good_rows()]))
    client.force_login(district_officer)
    assert client.get(page_url).status_code == 404
    assert client.post(page_url, {"action": "import"}).status_code == 404
    assert not Product.objects.exists()


def test_the_template_has_the_import_headers(client, commune_officer):
    client.force_login(commune_officer)
    response = client.get(reverse("market:product_template"))
    assert rows_of(b"".join(response.streaming_content))[0][:4] == (
        "Mã số HTX",
        "Hợp tác xã",
        "Sản phẩm",
        "Nhóm sản phẩm",
    )


def test_a_file_that_is_no_spreadsheet_is_refused(client, commune_officer, post):
    client.force_login(commune_officer)
    response = post(
        reverse("market:product_import"),
        {"file": SimpleUploadedFile("x.xlsx", b"\x00\x01\x02 junk" * 50)},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert not StoredUpload.objects.exists()
    assert not Job.objects.exists()


# --- the command ------------------------------------------------------------------------------


def command(*args):
    """(exit status, stdout) of `manage.py import_products ARGS`."""
    out = io.StringIO()
    try:
        call_command("import_products", *args, stdout=out, stderr=io.StringIO())
    except SystemExit as exit_:
        return exit_.code, out.getvalue()
    return 0, out.getvalue()


@pytest.fixture
def file(tmp_path, cooperative):
    def file(rows) -> Path:
        path = tmp_path / "san-pham.xlsx"
        path.write_bytes(xlsx(rows))
        return path

    return file


def test_command_json_and_exit_codes(file, tmp_path):
    good = file([HEADER, *good_rows()])
    status, out = command(str(good), "--dry-run", "--format", "json")
    assert status == 0
    assert json.loads(out) | {"errors": []} == {
        "created": 3,
        "updated": 0,
        "unchanged": 0,
        "errors": [],
        "rows": 3,
        "error_rows": 0,
        "written": False,
        "dry_run": True,
        "fix_list": "",
    }
    assert not Product.objects.exists()
    status, out = command(str(good), "--json")
    assert (status, json.loads(out)["written"]) == (0, True)
    assert json.loads(command(str(good), "--json")[1])["unchanged"] == 3

    bad = file([HEADER, [1, "4700000101", "", "Mật ong", "Xyz", "", "", "", "", ""]])
    status, out = command(str(bad), "--json")
    assert status == 1
    assert json.loads(out)["errors"][0]["row"] == 4
    assert json.loads(out)["errors"][0]["column"] == "Nhóm sản phẩm"

    with pytest.raises(CommandError):
        command(str(bad), "--valid-only")
    fix_list = tmp_path / "loi.xlsx"
    status, out = command(str(bad), "--valid-only", "--fix-list", str(fix_list), "--json")
    assert (status, json.loads(out)["fix_list"]) == (0, str(fix_list))
    assert fix_list.exists()


def test_command_as_a_user_is_limited_to_his_scope(file, outsider):
    status, out = command(str(file([HEADER, *good_rows()])), "--user", outsider.username)
    assert status == 1
    assert "4700000101" in out
    assert not Product.objects.exists()


def test_command_refuses_a_file_it_cannot_read(tmp_path, cooperative):
    path = tmp_path / "x.xlsx"
    path.write_bytes(b"junk")
    status, out = command(str(path), "--json")
    assert status == 1
    assert json.loads(out)["errors"][0]["row"] == 0


def test_factory_products_are_not_touched_by_another_htx(run, cooperative):
    """A product of another HTX with the same name is another product."""
    ProductFactory(name="Miến dong", cooperative=CooperativeFactory(tax_code="4700000150"))
    other = Product.objects.get(cooperative__tax_code="4700000150")
    summary = run([HEADER, *good_rows()])
    assert summary.created == 3
    assert Product.objects.filter(name="Miến dong").count() == 2
    assert Product.history.filter(id=other.pk).count() == 1
