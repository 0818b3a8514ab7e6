"""The reports' spreadsheet layout (COLUMNS): one row per HTX and year, one column per indicator.

Reading, value parsing and header normalising are the pipeline's (hoptac.core.tabular); this
module gives the reports' columns, matches a file's headers to
them (in Vietnamese or English, with or without diacritics, the domain code too, and a unit
in parentheses: "Doanh thu (triệu đồng)" is millions), writes export rows and the blank
template. Export and template come from the same COLUMNS, so an export imports back as is.
"""

from __future__ import annotations

from typing import Any

from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hoptac.core import spreadsheet_safety
from hoptac.core.tabular import Column, ColumnType, header_matcher
from hoptac.core.tabular.writing import column_hint
from hoptac.reports.choices import ReportStatus
from hoptac.reports.indicators import INDICATORS, MONEY
from hoptac.reports.models import AnnualReport

EXPORT_ONLY_KEYS = ("status", "version")  # written for the reader, never imported

# Vietnamese names used by provinces' forms for each indicator (beyond its translated label
# and its domain code, which are always accepted).
ALIASES: dict[str, tuple[str, ...]] = {
    "members_count": ("Số thành viên", "Tổng số thành viên", "Thành viên", "Số TV"),
    "members_joined": ("Thành viên mới", "Số thành viên kết nạp mới", "TV mới"),
    "members_left": ("Thành viên ra khỏi HTX", "Số thành viên ra", "TV ra"),
    "workers_count": ("Số lao động", "Lao động thường xuyên", "Tổng số lao động"),
    "workers_members": ("Lao động là thành viên",),
    "managers_count": ("Số cán bộ quản lý", "Cán bộ quản lý"),
    "average_worker_income": ("Thu nhập bình quân lao động", "Thu nhập bình quân"),
    "charter_capital": ("Vốn điều lệ",),
    "operating_capital": ("Vốn hoạt động",),
    "equity": ("Vốn chủ sở hữu",),
    "liabilities": ("Nợ phải trả", "Công nợ"),
    "borrowed_capital": ("Vốn vay",),
    "total_capital": ("Tổng nguồn vốn",),
    "total_assets": ("Tổng tài sản", "Giá trị tài sản"),
    "indivisible_assets": ("Tài sản không chia", "Tài sản chung không chia"),
    "investment": ("Đầu tư trong năm", "Vốn đầu tư"),
    "revenue": ("Doanh thu", "Tổng doanh thu"),
    "revenue_planned": ("Doanh thu kế hoạch", "Kế hoạch doanh thu"),
    "revenue_from_members": ("Doanh thu với thành viên", "Doanh thu từ thành viên"),
    "costs": ("Chi phí", "Tổng chi phí"),
    "profit_before_tax": ("Lợi nhuận trước thuế", "Lãi trước thuế"),
    "profit_after_tax": ("Lợi nhuận sau thuế", "Lãi sau thuế", "Lãi"),
    "development_fund": ("Quỹ đầu tư phát triển", "Trích quỹ đầu tư phát triển"),
    "reserve_fund": ("Quỹ dự phòng tài chính", "Trích quỹ dự phòng tài chính"),
    "other_funds": ("Quỹ khác",),
    "returned_to_members": ("Thu nhập chia cho thành viên", "Chia theo mức độ sử dụng dịch vụ"),
    "dividends": ("Chia lãi theo vốn góp", "Lãi chia theo vốn góp"),
    "ocop_products": ("Sản phẩm OCOP", "Số sản phẩm OCOP"),
}


def _indicator_column(spec: Any) -> Column:
    label = AnnualReport._meta.get_field(spec.field).verbose_name
    kind = ColumnType.MONEY if spec.unit == MONEY else ColumnType.INTEGER
    return Column(
        spec.field,
        capfirst(label),  # type: ignore[arg-type]  # the model's lazy verbose name
        kind,
        (spec.code, *ALIASES.get(spec.field, ())),
        width=18 if kind == ColumnType.MONEY else 12,
    )


COLUMNS: tuple[Column, ...] = (
    Column(
        "tax_code",
        gettext_lazy("Registration code"),
        ColumnType.CODE,
        ("Mã số HTX", "Mã số thuế", "MST", "Mã số", "Mã số HTX (MST)", "Tax code"),
        width=14,
    ),
    Column(
        "name",
        gettext_lazy("Cooperative name"),
        ColumnType.TEXT,
        ("Tên HTX", "Tên hợp tác xã", "Tên đơn vị", "Tên", "Name"),
        width=36,
    ),
    Column(
        "year",
        gettext_lazy("Report year"),
        ColumnType.INTEGER,
        ("Năm báo cáo", "Năm", "Year"),
        width=8,
    ),
    *(_indicator_column(spec) for spec in INDICATORS),
    Column("notes", gettext_lazy("Notes"), ColumnType.TEXT, ("Ghi chú báo cáo",), width=30),
    Column("status", gettext_lazy("Report status"), ColumnType.TEXT, ("Trạng thái báo cáo",)),
    Column("version", gettext_lazy("Version"), ColumnType.INTEGER, ("Phiên bản",), width=8),
)
COLUMNS_BY_KEY: dict[str, Column] = {c.key: c for c in COLUMNS}
IMPORT_KEYS = tuple(c.key for c in COLUMNS if c.key not in EXPORT_ONLY_KEYS)

# The pipeline's matcher (core.tabular.columns): headers in both languages, codes and aliases,
# the fix-list's columns ignored, a money column's unit in its header ("Doanh thu (triệu
# đồng)") as its scale.
match_header = header_matcher(lambda: COLUMNS)


# --- writing ------------------------------------------------------------------------------


def headers() -> list[str]:
    """The headers in the active language."""
    return [str(column.header) for column in COLUMNS]


def export_row(report: AnnualReport) -> list[Any]:
    """A report as a row of COLUMNS, typed (the import reads it back unchanged)."""
    cooperative = report.cooperative
    values: dict[str, Any] = {
        "tax_code": cooperative.tax_code,
        "name": cooperative.name,
        "year": report.year,
        "status": str(ReportStatus(report.status).label),
        "version": report.version,
        "notes": report.notes,
    }
    return [
        values[column.key] if column.key in values else getattr(report, column.key)
        for column in COLUMNS
    ]


def template_workbook() -> bytes:
    """The blank template: the header row, and a guide sheet explaining each column."""
    return spreadsheet_safety.xlsx_bytes(_fill_template)


def _fill_template(book: spreadsheet_safety.XlsxWorkbook) -> None:
    sheet = book.add_sheet(_("Annual reports"))
    columns = [c for c in COLUMNS if c.key not in EXPORT_ONLY_KEYS]
    for index, column in enumerate(columns):
        sheet.write(0, index, str(column.header), spreadsheet_safety.HEADER)
        sheet.column(index, width=column.width)
    sheet.freeze(1, 2)
    guide = book.add_sheet(_("Guide"))
    guide.write_row(
        0,
        [_("Column"), _("Required"), _("How to write it"), _("Also accepted as header")],
        spreadsheet_safety.BOLD,
    )
    for row, column in enumerate(columns, start=1):
        required = _("Yes") if column.key == "year" else ""
        if column.key in ("tax_code", "name"):
            required = _("Code or name")
        hint = column_hint(column)
        if column.key == "tax_code":
            hint += " " + _("The cooperative is found by its code, else by its exact name.")
        guide.write_row(
            row,
            [
                str(column.header),
                required,
                hint,
                "; ".join(a if isinstance(a, str) else a[0] for a in column.aliases),
            ],
        )
    for index, width in enumerate((40, 10, 70, 60)):
        guide.column(index, width=width)
