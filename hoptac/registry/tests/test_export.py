"""Export of the list (its filters applied) to .xlsx and .csv, the blank template, and the
round trip: a file exported and imported again changes nothing."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.http import FileResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils import translation

from hoptac.registry import excel, importing, services
from hoptac.registry.choices import Kind, Sector, Status, SubSector
from hoptac.registry.models import Cooperative

pytestmark = pytest.mark.django_db

URL = "registry:cooperative_export"


@pytest.fixture
def registry(admin, luong_bang, nghia_ta, thai_nguyen):
    """Cooperatives of every shape: old and new tree, a divided commune's non-default
    successor, empty and full fields, a union, a changed status."""
    full = services.cooperative_create(
        by=admin,
        name="HTX Chè Mỹ Phương",
        short_name="Chè MP",
        tax_code="0101234567",
        registered_on=date(2015, 3, 20),
        founded_on=date(2015, 3, 15),
        registering_authority="Phòng Tài chính – Kế hoạch huyện Chợ Đồn",
        representative_name="Hoàng Văn Tâm",
        representative_title="Giám đốc",
        representative_phone="0912345678",
        phone="02093881234",
        email="chemyphuong@example.vn",
        website="https://chemyphuong.example.vn",
        street="Thôn Nà Pài",
        commune_legacy=luong_bang,
        sector=Sector.AGRICULTURAL,
        sub_sector=SubSector.CROPS,
        business_lines="Trồng chè;\nchế biến chè khô",
        charter_capital=Decimal(1_500_000_000),
        members_count=12,
        workers_count=20,
        high_tech=True,
        value_chain=True,
    )
    bare = services.cooperative_create(
        by=admin, name="HTX Nghĩa Tá", commune_legacy=nghia_ta, founded_on=date(2010, 1, 1)
    )
    commune_2025 = nghia_ta.successions.get().new
    new_tree = services.cooperative_create(
        by=admin,
        kind=Kind.COOPERATIVE_GROUP,
        name="Tổ hợp tác Mới",
        commune=commune_2025,
        sector=Sector.NON_AGRICULTURAL,
        sub_sector=SubSector.TRANSPORT,
        latitude=21.9,
        longitude=105.8,
    )
    services.cooperative_change_status(
        cooperative=bare, status=Status.SUSPENDED, effective_on=date(2024, 5, 1), by=admin
    )
    return [full, bare, new_tree]


def _xlsx(response) -> list[list]:
    content = b"".join(response.streaming_content)
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_xlsx_has_the_import_headers_and_typed_cells(client, admin, registry):
    client.force_login(admin)
    response = client.get(reverse(URL), {"format": "xlsx"})
    assert response.status_code == 200
    assert isinstance(response, FileResponse)
    assert response["Content-Type"] == excel.XLSX_CONTENT_TYPE
    assert "attachment" in response["Content-Disposition"]
    rows = _xlsx(response)
    with translation.override("vi"):
        assert rows[0] == excel.headers()
    header = rows[0]
    che = dict(
        zip(header, rows[1 + [r[1] for r in rows[1:]].index("HTX Chè Mỹ Phương")], strict=True)
    )
    assert che["Tên HTX"] == "HTX Chè Mỹ Phương"
    assert che["Mã số HTX"] == "0101234567"  # text: the leading zero stays
    assert che["Ngày thành lập"] == datetime(2015, 3, 15)  # noqa: DTZ001  (a date cell)
    assert che["Vốn điều lệ (đồng)"] == 1_500_000_000  # a number cell
    assert che["Thành viên"] == 12
    assert che["Ứng dụng công nghệ cao"] is True
    assert che["Địa chỉ (xã, huyện, tỉnh)"] == "Xã Lương Bằng, Huyện Chợ Đồn, Tỉnh Bắc Kạn"
    assert che["Xã, phường từ 1/7/2025"] == "Xã Nghĩa Tá, Tỉnh Thái Nguyên"
    assert len(rows) == 4


def test_csv_is_streamed_with_a_bom_and_the_same_headers(client, admin, registry):
    client.force_login(admin)
    response = client.get(reverse(URL), {"format": "csv"})
    assert isinstance(response, StreamingHttpResponse)
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    with translation.override("vi"):
        assert rows[0] == excel.headers()
    che = next(row for row in rows if row[1] == "HTX Chè Mỹ Phương")
    assert che[3] == "0101234567"
    assert che[5] == "2015-03-15"
    business_lines = [c.key for c in excel.EXPORT_COLUMNS].index("business_lines")
    assert che[business_lines] == "Trồng chè;\nchế biến chè khô"  # over two lines, quoted


def test_the_export_applies_the_list_filters(client, admin, registry):
    client.force_login(admin)
    rows = _xlsx(client.get(reverse(URL), {"format": "xlsx", "sector": Sector.NON_AGRICULTURAL}))
    assert [row[1] for row in rows[1:]] == ["Tổ hợp tác Mới"]
    rows = _xlsx(client.get(reverse(URL), {"q": "che my phuong"}))
    assert [row[1] for row in rows[1:]] == ["HTX Chè Mỹ Phương"]


def test_the_export_holds_only_what_the_user_may_see(client, commune_officer, registry):
    client.force_login(commune_officer)
    rows = _xlsx(client.get(reverse(URL)))
    assert [row[1] for row in rows[1:]] == ["HTX Chè Mỹ Phương"]


def test_the_blank_template_has_the_headers_the_import_reads(client, commune_officer):
    client.force_login(commune_officer)
    response = client.get(reverse("registry:cooperative_import_template"))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in sheet[1]]
    assert [excel.match_header(h).key for h in header] == [c.key for c in excel.EXPORT_COLUMNS]


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_a_round_trip_changes_nothing(client, admin, registry, tmp_path, fmt):
    client.force_login(admin)
    response = client.get(reverse(URL), {"format": fmt})
    path = tmp_path / f"export.{fmt}"
    path.write_bytes(b"".join(response.streaming_content))
    records = Cooperative.history.count()
    plans: list[importing.RowPlan] = []
    summary = importing.run_import(path, user=admin, on_plan=plans.append)
    changes = [(p.row, p.name, [(c.label, c.old, c.new) for c in p.changes]) for p in plans]
    assert (summary.created, summary.updated, summary.error_rows) == (0, 0, 0), (
        changes,
        summary.errors,
    )
    assert summary.unchanged == 3
    assert Cooperative.history.count() == records


def test_a_round_trip_by_an_officer_of_the_2025_tree(client, current_officer, registry, tmp_path):
    client.force_login(current_officer)
    path = tmp_path / "export.xlsx"
    path.write_bytes(b"".join(client.get(reverse(URL)).streaming_content))
    summary = importing.run_import(path, user=current_officer, dry_run=True)
    assert (summary.unchanged, summary.error_rows) == (3, 0), summary.errors


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the COPY export exists on PostgreSQL only; SQLite writes the CSV in Python",
)
@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_copy_csv_is_byte_for_byte_the_python_csv(admin, registry, luong_bang, language):
    """On PostgreSQL the CSV rows are written by COPY: the same bytes as the Python writer
    (labels, numbers, dates, booleans, empty cells, quotes, commas and line breaks)."""
    services.cooperative_create(
        by=admin,
        name='HTX "Ba Bể", Hồ',
        short_name="",
        tax_code="0109999999",
        street='Thôn 1,\r\nxã "Cũ"',
        commune_legacy=luong_bang,
        sector=Sector.NON_AGRICULTURAL,
        sub_sector="",
        latitude=22.0,
        longitude=105.123456789,
        charter_capital=Decimal(0),
        members_count=0,
        business_lines="'; DROP TABLE x; --",
    )
    cooperatives = Cooperative.objects.order_by("name", "pk")
    with translation.override(language):
        python = "".join(
            excel.csv_lines(excel.export_rows(cooperatives), header=excel.headers())
        ).encode()
        copied = b"".join(excel.csv_copy_chunks(cooperatives, header=excel.headers()))
        sliced = b"".join(excel.csv_copy_chunks(cooperatives[1:3], header=excel.headers()))
        python_sliced = "".join(
            excel.csv_lines(excel.export_rows(cooperatives[1:3]), header=excel.headers())
        ).encode()
    assert copied == python
    assert sliced == python_sliced
    assert copied.count(b"\r\n") >= 5  # header, four rows (and the street's own line break)
