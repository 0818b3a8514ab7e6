"""Forms VII-1/2/3 (Circular 09/2024/TT-BKHĐT) filled from the approved report and the registry."""

import io
from decimal import Decimal

import openpyxl
import pytest
from docx import Document

from hoptac.registry.tests.factories import CooperativeFactory
from hoptac.reports import national
from hoptac.reports.tests.factories import approved_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def report():
    coop = CooperativeFactory(name="HTX Chè Lương Bằng", representative_name="Ma Văn Chè")
    return approved_report(coop, 2019, revenue=Decimal(2_400_000_000), members_count=32)


def _values(sheet):
    return {row[1]: row[2] for row in sheet.iter_rows(min_row=5, values_only=True)}


def test_three_sheets_filled_from_registry_and_report(report):
    book = openpyxl.load_workbook(io.BytesIO(national.national_forms_xlsx(report)))
    assert book.sheetnames == ["VII-1", "VII-2", "VII-3"]
    general = _values(book["VII-1"])
    assert "HTX Chè Lương Bằng" in general.values()
    assert "Ma Văn Chè" in general.values()
    assert report.cooperative.tax_code in general.values()
    members = _values(book["VII-2"])
    assert 32 in members.values()
    results = _values(book["VII-3"])
    assert 2_400_000_000 in results.values()  # a typed number, not text


def test_every_sheet_says_what_the_legal_sources_lack(report):
    book = openpyxl.load_workbook(io.BytesIO(national.national_forms_xlsx(report)))
    for sheet in book.worksheets:
        assert "NOT_FOUND" in sheet["A2"].value
        assert "09/2024/TT-BKHĐT" in sheet["A1"].value


def test_docx_has_a_table_per_form(report):
    document = Document(io.BytesIO(national.national_forms_docx(report)))
    assert len(document.tables) == 5  # the cover's head and signature, then the three forms
    text = "\n".join(cell.text for t in document.tables[2:] for r in t.rows for cell in r.cells)
    assert "HTX Chè Lương Bằng" in text
    assert "NOT_FOUND" in "\n".join(p.text for p in document.paragraphs)
