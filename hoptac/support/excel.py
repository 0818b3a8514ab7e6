"""The spreadsheets of the support lists: one column spec per list serves the import
(importing.py, on the pipeline of hoptac.core.tabular), the export and the blank template
(written by hoptac.core.tabular.writing). Columns are matched by a
stable key; headers follow the active language, and Vietnamese or English names, with or
without diacritics, are accepted on import."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from hoptac.core.tabular import Column, ColumnType
from hoptac.support.choices import FundingSource, ParticipantRole, ProductSupport

GRANT_COLUMNS: tuple[Column, ...] = (
    Column(
        "cooperative_code",
        _("Registration code"),
        ColumnType.CODE,
        ("Mã số HTX", "Mã số thuế", "MST", "Mã HTX", "Tax code"),
        width=14,
    ),
    Column(
        "cooperative_name",
        _("Cooperative name"),
        ColumnType.TEXT,
        ("Tên HTX", "Tên hợp tác xã", "HTX"),
        width=36,
    ),
    Column(
        "policy",
        _("Policy"),
        ColumnType.TEXT,
        ("Chính sách", "Chính sách hỗ trợ", "Tên chính sách", "Mã chính sách"),
        required=True,
        width=40,
    ),
    Column(
        "granted_on",
        _("Date"),
        ColumnType.DATE,
        ("Ngày hỗ trợ", "Ngày", "Ngày quyết định", "Thời gian"),
        required=True,
        width=13,
    ),
    Column(
        "amount",
        _("Amount (VND)"),
        ColumnType.MONEY,
        (
            "Số tiền",
            "Số tiền (đồng)",
            "Kinh phí",
            "Kinh phí hỗ trợ",
            ("Số tiền (triệu đồng)", 1_000_000),
            ("Kinh phí (triệu đồng)", 1_000_000),
        ),
        width=16,
    ),
    Column(
        "in_kind", _("In kind"), ColumnType.TEXT, ("Hiện vật", "Hỗ trợ bằng hiện vật"), width=30
    ),
    Column(
        "source",
        _("Funding source"),
        ColumnType.CHOICE,
        ("Nguồn kinh phí", "Nguồn vốn", "Nguồn"),
        required=True,
        choices=FundingSource,
        choice_aliases={
            "trung uong": FundingSource.CENTRAL,
            "ngan sach trung uong": FundingSource.CENTRAL,
            "tw": FundingSource.CENTRAL,
            "tinh": FundingSource.PROVINCE,
            "ngan sach tinh": FundingSource.PROVINCE,
            "xa": FundingSource.COMMUNE,
            "ngan sach xa": FundingSource.COMMUNE,
            "khac": FundingSource.OTHER,
        },
        width=18,
    ),
    Column(
        "product_support",
        _("Product support"),
        ColumnType.CHOICE,
        ("Hỗ trợ sản phẩm", "Bao bì, nhãn mác, truy xuất"),
        choices=ProductSupport,
        choice_aliases={
            "bao bi": ProductSupport.PACKAGING,
            "nhan mac": ProductSupport.LABEL,
            "truy xuat nguon goc": ProductSupport.TRACEABILITY,
        },
        width=16,
    ),
    Column("note", _("Note"), ColumnType.TEXT, ("Nội dung", "Ghi chú nội dung"), width=30),
    Column(
        "override_reason",
        _("Reason for supporting anyway"),
        ColumnType.TEXT,
        ("Lý do", "Lý do hỗ trợ"),
        width=30,
    ),
)

# Written by the export only (read back, they are ignored).
GRANT_EXPORT_EXTRA: tuple[Column, ...] = (
    Column("commune", _("Commune"), ColumnType.TEXT, width=40),
    Column("eligibility", _("Eligibility"), ColumnType.TEXT, width=22),
)


def grant_row(grant: Any) -> list[Any]:
    """A support as a row of GRANT_COLUMNS + GRANT_EXPORT_EXTRA, typed."""
    cooperative = grant.cooperative
    unit = cooperative.commune_legacy or cooperative.commune
    return [
        cooperative.tax_code,
        cooperative.name,
        grant.policy.code or grant.policy.name,
        grant.granted_on,
        grant.amount,
        grant.in_kind,
        grant.get_source_display(),
        grant.get_product_support_display() if grant.product_support else "",
        grant.note,
        grant.override_reason,
        unit.full_name if unit else "",
        grant.get_eligibility_display(),
    ]


PARTICIPANT_COLUMNS: tuple[Column, ...] = (
    Column(
        "name",
        _("Full name"),
        ColumnType.TEXT,
        ("Họ và tên", "Họ tên", "Tên", "Học viên"),
        required=True,
        width=28,
    ),
    Column(
        "role",
        _("Role"),
        ColumnType.CHOICE,
        ("Vai trò", "Đối tượng", "Thành phần"),
        required=True,
        choices=ParticipantRole,
        choice_aliases={
            "can bo": ParticipantRole.OFFICER,
            "cong chuc": ParticipantRole.OFFICER,
            "quan ly htx": ParticipantRole.MANAGER,
            "can bo quan ly htx": ParticipantRole.MANAGER,
            "giam doc": ParticipantRole.MANAGER,
            "thanh vien": ParticipantRole.MEMBER,
            "thanh vien htx": ParticipantRole.MEMBER,
            "lao dong": ParticipantRole.MEMBER,
        },
        width=18,
    ),
    Column(
        "place",
        _("Area or cooperative"),
        ColumnType.TEXT,
        ("Đơn vị", "Đơn vị công tác", "Cơ quan, đơn vị", "Địa bàn", "HTX", "Mã số HTX"),
        width=40,
    ),
    Column("attended", _("Attended"), ColumnType.BOOL, ("Tham dự", "Có mặt", "Dự học"), width=10),
    Column(
        "certificate",
        _("Certificate number"),
        ColumnType.TEXT,
        ("Số chứng chỉ", "Chứng chỉ", "Số giấy chứng nhận"),
        width=16,
    ),
)


def participant_row(participant: Any) -> list[Any]:
    place = participant.cooperative or participant.area
    shown = ""
    if participant.cooperative is not None:
        shown = participant.cooperative.tax_code or participant.cooperative.name
    elif place is not None:
        shown = place.full_name
    return [
        participant.name,
        participant.get_role_display(),
        shown,
        participant.attended,
        participant.certificate,
    ]


BUDGET_COLUMNS: tuple[Column, ...] = (
    Column("policy", _("Policy"), ColumnType.TEXT, width=40),
    Column("year", _("Year"), ColumnType.INTEGER, width=8),
    Column("area", _("Area"), ColumnType.TEXT, width=40),
    Column("source", _("Funding source"), ColumnType.TEXT, width=18),
    Column("amount", _("Amount (VND)"), ColumnType.MONEY, width=18),
    Column("note", _("Note"), ColumnType.TEXT, width=30),
)


def budget_row(budget: Any) -> list[Any]:
    return [
        budget.policy.name,
        budget.year,
        budget.area.full_name,
        budget.get_source_display(),
        budget.amount,
        budget.note,
    ]
