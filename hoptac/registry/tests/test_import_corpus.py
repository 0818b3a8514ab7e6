"""The corpus of officers' files (tests/data/imports, written by its make.py): each imported
through importing.run_import, as a dry run and for real (valid rows written, the others to the
fix-list), with the exact values written and the exact message of each bad cell: one message
per bad cell, in Vietnamese, with the row and the column's header (issue #13 item 6)."""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.utils import translation

from hoptac.registry import importing
from hoptac.registry.choices import Sector, Status, SubSector
from hoptac.registry.models import Cooperative

pytestmark = pytest.mark.django_db

CORPUS = Path(settings.BASE_DIR) / "tests" / "data" / "imports"
AGRI, NON = Sector.AGRICULTURAL, Sector.NON_AGRICULTURAL
ACTIVE, SUSPENDED = Status.ACTIVE, Status.SUSPENDED
FIELDS = ("name", "sector", "sub_sector", "founded_on", "registered_on", "charter_capital",
          "members_count", "status")  # fmt: skip
SUB_SECTORS = (
    "Trồng trọt; Chăn nuôi; Lâm nghiệp; Thủy sản; Diêm nghiệp; Dịch vụ nông nghiệp; Nông nghiệp "
    "tổng hợp; Công nghiệp – tiểu thủ công nghiệp; Xây dựng; Thương mại – dịch vụ; Vận tải; "
    "Tín dụng (quỹ tín dụng nhân dân); Nhà ở; Môi trường; Khác"
)
STATUSES = (
    "Đang hoạt động; Tạm ngừng kinh doanh; Đang làm thủ tục giải thể; Đã giải thể; Bị thu hồi "
    "Giấy chứng nhận đăng ký hợp tác xã; Bị thu hồi do cưỡng chế về quản lý thuế; Đang làm thủ "
    "tục phá sản; Đã phá sản; Không hoạt động tại địa chỉ đã đăng ký"
)


@dataclass
class Expected:
    """What a file of the corpus gives: rows read, and by registration code the fields of each
    organisation written (FIELDS, in order), and each bad cell's (row, header, message)."""

    rows: int
    written: dict[str, tuple[Any, ...]]
    errors: list[tuple[int, str, str]] = field(default_factory=list)


EXPECTED: dict[str, Expected] = {
    "statistics_office.xlsx": Expected(
        rows=6,
        written={
            # "Trồng trọt" alone in "Lĩnh vực"; a date cell; "20/4/2015"; "1.500.000" nghìn
            # đồng; "12 người"
            "0101234567": ("HTX Chè Lương Bằng", AGRI, SubSector.CROPS, date(2015, 3, 15),
                           date(2015, 4, 20), Decimal(1_500_000_000), 12, ACTIVE),
            # a number cell that lost its leading zero; "05-06-2018"; an Excel day number;
            # 2500 nghìn đồng; "hoạt động"
            "0101234568": ("HTX Vận tải Nghĩa Tá", NON, SubSector.TRANSPORT, date(2018, 6, 5),
                           date(2018, 6, 7), Decimal(2_500_000), 9, ACTIVE),
            # "Công nghiệp - TTCN"; "15.03.2012"; a day number as text; "2 tỷ" (the cell's
            # unit wins); "Ngừng hoạt động" is a suspension
            "4700123459": ("HTX Thủ công Lương Bằng", NON, SubSector.INDUSTRY, date(2012, 3, 15),
                           date(2015, 3, 15), Decimal(2_000_000_000), 7, SUSPENDED),
            # "Điện" (VSIC D: industry); "Ngày 1 tháng 7 năm 2010"; "tạm ngừng"
            "4700123460": ("HTX Điện Nghĩa Tá", NON, SubSector.INDUSTRY, date(2010, 7, 1), None,
                           Decimal(300_000), 15, SUSPENDED),
        },
        errors=[
            (9, "Lĩnh vực", "“Dịch vụ” có thể là “Thương mại – dịch vụ” hoặc “Dịch vụ nông "
             "nghiệp”: hãy ghi rõ một trong các giá trị đó."),
            (9, "Ngày thành lập", "“31/02/2015” không phải là ngày: hãy ghi theo dạng "
             "ngày/tháng/năm (dd/mm/yyyy)."),
            (9, "Vốn điều lệ (nghìn đồng)", "“abc” không phải là số nguyên."),
            (10, "Lĩnh vực", "“Phi nông nghiệp - Trồng trọt”: ngành Trồng trọt không thuộc lĩnh "
             "vực Phi nông nghiệp."),
            (10, "Ngày cấp GCN", "“2016” chỉ ghi năm: hãy ghi đủ ngày/tháng/năm (dd/mm/yyyy)."),
            (10, "Tình trạng", f"“x” không thuộc các giá trị: {STATUSES}."),
        ],
    ),
    "combined_sector.csv": Expected(
        rows=5,
        written={
            # "Nông nghiệp - Trồng trọt"; a year alone; "1,5" triệu; "22,15" / "105,72"
            "0101234570": ("HTX Nông nghiệp Lương Bằng", AGRI, SubSector.CROPS,
                           date(2019, 1, 1), None, Decimal(1_500_000), None, ACTIVE),
            # "NN - Chăn nuôi"; "15/03/19"; "1.500" triệu
            "0101234571": ("HTX Chăn nuôi Lương Bằng", AGRI, SubSector.LIVESTOCK,
                           date(2019, 3, 15), None, Decimal(1_500_000_000), None, ACTIVE),
            # "Phi nông nghiệp / Thương mại"; "1.500.000 đ" in a triệu column: the cell says đồng
            "0101234572": ("HTX Thương mại Nghĩa Tá", NON, SubSector.TRADE, date(2020, 1, 1),
                           None, Decimal(1_500_000), None, ACTIVE),
            # "Nông nghiệp" + "Trồng trọt và chăn nuôi": tổng hợp (TT 09/2017); "2 tỷ"
            "0101234573": ("HTX Tổng hợp Nghĩa Tá", AGRI, SubSector.AGRI_GENERAL,
                           date(2021, 1, 1), None, Decimal(2_000_000_000), None, ACTIVE),
        },
        errors=[
            (6, "Năm thành lập", "“15/03/35” ghi năm bằng hai chữ số, có thể hiểu là hai thế "
             "kỷ khác nhau: hãy ghi đủ bốn chữ số của năm (dd/mm/yyyy)."),
            (6, "Vốn điều lệ (triệu đồng)", "“12,5,0” không phải là số nguyên."),
            (6, "Ngành", "“Vận tải” khác với ngành ghi ở cột lĩnh vực (Trồng trọt)."),
        ],
    ),
    "commune_list.ods": Expected(
        rows=3,
        written={
            # a number cell 101234580 for the code; the year 2016 as a number; 1,5 tỷ
            "0101234580": ("HTX Lâm nghiệp Lương Bằng", AGRI, SubSector.FORESTRY,
                           date(2016, 1, 1), None, Decimal(1_500_000_000), None, ACTIVE),
            # a text code keeps its zero; "Nước sạch" (VSIC E: environment)
            "0101234581": ("HTX Nước sạch Nghĩa Tá", NON, SubSector.ENVIRONMENT,
                           date(2017, 1, 1), None, Decimal(500_000_000), None, ACTIVE),
        },
        errors=[
            (4, "Lĩnh vực", "“Xyz” không phải là lĩnh vực (Nông nghiệp; Phi nông nghiệp) hay "
             f"ngành ({SUB_SECTORS}) nào."),
            (4, "Năm thành lập", "“1800” không phải là ngày: hãy ghi theo dạng ngày/tháng/năm "
             "(dd/mm/yyyy)."),
            (4, "Vốn điều lệ (tỷ đồng)", "“nhiều” không phải là số nguyên."),
        ],
    ),
}  # fmt: skip


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


def _errors(summary: importing.Summary) -> list[tuple[int, str, str]]:
    return [(e.row, e.column, e.message) for e in summary.errors]


def _written() -> dict[str, tuple[Any, ...]]:
    return {
        coop.tax_code: tuple(getattr(coop, name) for name in FIELDS)
        for coop in Cooperative.objects.order_by("tax_code")
    }


def test_every_file_of_the_corpus_has_its_expectations():
    files = {p.name for p in CORPUS.iterdir() if p.suffix in (".xlsx", ".xls", ".csv", ".ods")}
    assert files == set(EXPECTED)


def test_make_py_writes_the_committed_files():
    spec = importlib.util.spec_from_file_location("corpus_make", CORPUS / "make.py")
    assert spec is not None
    assert spec.loader is not None
    make = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make)
    assert set(make.FILES) == set(EXPECTED)
    for name, build in make.FILES.items():
        assert build() == (CORPUS / name).read_bytes(), f"run tests/data/imports/make.py: {name}"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_dry_run_reads_every_value_and_says_one_thing_per_bad_cell(name, province_officer):
    expected = EXPECTED[name]
    summary = importing.run_import(CORPUS / name, user=province_officer, dry_run=True)
    assert (summary.rows, summary.created, summary.error_rows) == (
        expected.rows,
        len(expected.written),
        len({row for row, _c, _m in expected.errors}),
    )
    assert _errors(summary) == expected.errors
    assert not summary.written
    assert not Cooperative.objects.exists()


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_import_writes_the_exact_values(name, province_officer, tmp_path):
    expected = EXPECTED[name]
    summary = importing.run_import(
        CORPUS / name,
        user=province_officer,
        valid_only=True,
        fix_list=tmp_path / "fix",
        filename=name,
    )
    assert summary.written
    assert summary.created == len(expected.written)
    assert _errors(summary) == expected.errors
    assert _written() == expected.written
    assert summary.accounted


def test_all_or_nothing_writes_nothing_when_a_cell_is_bad(province_officer):
    summary = importing.run_import(CORPUS / "combined_sector.csv", user=province_officer)
    assert not summary.written
    assert _errors(summary) == EXPECTED["combined_sector.csv"].errors
    assert not Cooperative.objects.exists()


def test_a_second_import_of_the_same_file_changes_nothing(province_officer, tmp_path):
    """Values read forgivingly read the same each time: a year alone matches its stored
    1 January, an amount in millions its đồng."""
    for attempt in range(2):
        summary = importing.run_import(
            CORPUS / "commune_list.ods",
            user=province_officer,
            valid_only=True,
            fix_list=tmp_path / f"fix{attempt}",
        )
    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 2)
