"""The registry's spreadsheet columns (COLUMNS, their aliases) and the matcher of a file's
headers to them. The column spec and the header matching are hoptac.core.tabular's (Column,
ColumnType, normalize_header, HeaderMatch, header_matcher): a money column's header gives its
unit ("Vốn điều lệ (triệu đồng)", "đơn vị: triệu đồng"), a header is tried without its
parenthesised part.

Pure: no database.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from hoptac.core.tabular.columns import (
    IGNORED_HEADERS,
    PARENTHESES,
    Column,
    ColumnType,
    HeaderMatch,
    header_matcher,
    normalize_header,
)
from hoptac.registry.choices import Kind, Sector, Status, SubSector
from hoptac.registry.vocabulary import STATUS_WORDS

__all__ = [
    "COLUMNS",
    "COLUMNS_BY_KEY",
    "EXPORT_COLUMNS",
    "IGNORED_HEADERS",
    "PARENTHESES",
    "PLACE_KEYS",
    "Column",
    "ColumnType",
    "HeaderMatch",
    "match_header",
    "normalize_header",
]

PLACE_KEYS = ("address", "commune_2025", "commune_name", "district_name", "province_name")

COLUMNS: tuple[Column, ...] = (
    Column(
        "kind",
        gettext_lazy("Kind of organisation"),
        ColumnType.CHOICE,
        ("Loại hình", "Loại hình tổ chức", "Loại tổ chức", "Kind", "Type"),
        choices=Kind,
        choice_aliases={
            "htx": Kind.COOPERATIVE,
            "hop tac xa": Kind.COOPERATIVE,
            "cooperative": Kind.COOPERATIVE,
            "tht": Kind.COOPERATIVE_GROUP,
            "to hop tac": Kind.COOPERATIVE_GROUP,
            "cooperative group": Kind.COOPERATIVE_GROUP,
            "lhhtx": Kind.UNION,
            "lien hiep htx": Kind.UNION,
            "lien hiep hop tac xa": Kind.UNION,
            "cooperative union": Kind.UNION,
        },
        width=18,
    ),
    Column(
        "name",
        gettext_lazy("Cooperative name"),
        ColumnType.TEXT,
        (
            "Tên HTX",
            "Tên hợp tác xã",
            "Tên tổ chức",
            "Tên đơn vị",
            "Tên",
            "Name",
            "Tên HTX, LHHTX, THT",
        ),
        required=True,
        width=40,
    ),
    Column(
        "short_name",
        gettext_lazy("Short name"),
        ColumnType.TEXT,
        ("Tên viết tắt", "Tên rút gọn", "Tên giao dịch"),
        width=20,
    ),
    Column(
        "tax_code",
        gettext_lazy("Registration code"),
        ColumnType.CODE,
        (
            "Mã số HTX",
            "Mã số thuế",
            "MST",
            "Mã số doanh nghiệp",
            "Mã số HTX/DN",
            "Mã số HTX (MST)",
            "Mã số đăng ký",
            "Mã số",
            "Tax code",
            "Registration number",
        ),
        width=14,
    ),
    Column(
        "registered_on",
        gettext_lazy("Registration date"),
        ColumnType.DATE,
        (
            "Ngày đăng ký",
            "Ngày cấp GCN",
            "Ngày cấp giấy chứng nhận",
            "Ngày cấp giấy chứng nhận đăng ký",
            "Ngày cấp",
        ),
        width=13,
    ),
    Column(
        "founded_on",
        gettext_lazy("Founding date"),
        ColumnType.DATE,
        ("Ngày thành lập", "Năm thành lập", "Thời điểm thành lập", "Founded", "Founding year"),
        width=13,
    ),
    Column(
        "registering_authority",
        gettext_lazy("Registering authority"),
        ColumnType.TEXT,
        ("Cơ quan đăng ký", "Nơi cấp", "Cơ quan cấp", "Nơi đăng ký"),
        width=24,
    ),
    Column(
        "representative_name",
        gettext_lazy("Legal representative"),
        ColumnType.TEXT,
        (
            "Người đại diện theo pháp luật",
            "Người đại diện",
            "Đại diện pháp luật",
            "Đại diện theo pháp luật",
            "Họ tên người đại diện",
            "Representative",
            "Giám đốc",
        ),
        width=24,
    ),
    Column(
        "representative_title",
        gettext_lazy("Representative's title"),
        ColumnType.TEXT,
        ("Chức vụ người đại diện", "Chức vụ", "Chức danh", "Title"),
        width=18,
    ),
    Column(
        "representative_phone",
        gettext_lazy("Representative's phone"),
        ColumnType.PHONE,
        ("Điện thoại người đại diện", "SĐT người đại diện", "Điện thoại giám đốc"),
        width=15,
    ),
    Column(
        "phone",
        gettext_lazy("Phone"),
        ColumnType.PHONE,
        ("Điện thoại", "Số điện thoại", "SĐT", "ĐT", "Điện thoại liên hệ", "Telephone"),
        width=15,
    ),
    Column("email", gettext_lazy("Email"), ColumnType.TEXT, ("Thư điện tử", "E-mail"), width=24),
    Column(
        "website",
        gettext_lazy("Website"),
        ColumnType.TEXT,
        ("Trang web", "Trang thông tin điện tử"),
        width=24,
    ),
    Column(
        "street",
        gettext_lazy("Street address"),
        ColumnType.TEXT,
        ("Số nhà, thôn, xóm", "Thôn, xóm", "Thôn/xóm", "Thôn", "Địa chỉ chi tiết", "Street"),
        width=24,
    ),
    Column(
        "address",
        gettext_lazy("Address (commune, district, province)"),
        ColumnType.PLACE,
        (
            "Địa chỉ (xã, huyện, tỉnh)",
            "Địa chỉ",
            "Địa chỉ trụ sở",
            "Địa chỉ trụ sở chính",
            "Trụ sở",
            "Trụ sở chính",
            "Address",
        ),
        required=True,
        width=45,
    ),
    Column(
        "commune_2025",
        gettext_lazy("Commune since 1 July 2025"),
        ColumnType.PLACE,
        (
            "Xã, phường từ 1/7/2025",
            "Xã/phường từ 1/7/2025",
            "Xã, phường hiện nay",
            "Xã/phường hiện nay",
            "Địa chỉ mới",
            "Địa chỉ sau sáp nhập",
            "Xã mới",
            "Xã/phường mới",
            "Commune (2025)",
        ),
        width=38,
    ),
    Column(
        "commune_name",
        gettext_lazy("Commune"),
        ColumnType.PLACE,
        (
            "Xã",
            "Xã/phường",
            "Xã, phường",
            "Xã/phường/thị trấn",
            "Xã, phường, thị trấn",
            "Phường/xã",
        ),
        export=False,
    ),
    Column(
        "district_name",
        gettext_lazy("District"),
        ColumnType.PLACE,
        ("Huyện", "Quận/huyện", "Quận, huyện", "Huyện/thị xã/thành phố", "Huyện, thị xã"),
        export=False,
    ),
    Column(
        "province_name",
        gettext_lazy("Province"),
        ColumnType.PLACE,
        ("Tỉnh", "Tỉnh/thành phố", "Tỉnh, thành phố"),
        export=False,
    ),
    Column("latitude", gettext_lazy("Latitude"), ColumnType.FLOAT, ("Vĩ độ",), width=11),
    Column("longitude", gettext_lazy("Longitude"), ColumnType.FLOAT, ("Kinh độ",), width=11),
    Column(
        "sector",
        gettext_lazy("Sector"),
        ColumnType.CHOICE,
        ("Lĩnh vực", "Khu vực", "Lĩnh vực hoạt động", "Nông nghiệp/phi nông nghiệp"),
        required=True,
        choices=Sector,  # read by vocabulary.read_sector, which also gives the sub-sector
        width=16,
    ),
    Column(
        "sub_sector",
        gettext_lazy("Sub-sector"),
        ColumnType.CHOICE,
        ("Ngành", "Phân ngành", "Ngành, lĩnh vực", "Lĩnh vực chính"),
        choices=SubSector,  # read by vocabulary.read_sector
        width=22,
    ),
    Column(
        "business_lines",
        gettext_lazy("Business lines"),
        ColumnType.TEXT,
        (
            "Ngành nghề kinh doanh",
            "Ngành nghề sản xuất kinh doanh",
            "Ngành nghề SXKD",
            "Ngành nghề",
        ),
        width=30,
    ),
    Column(
        "charter_capital",
        gettext_lazy("Charter capital (VND)"),
        ColumnType.MONEY,
        (
            "Vốn điều lệ",
            "Vốn điều lệ (đồng)",
            "Vốn điều lệ (nghìn đồng)",
            "Vốn điều lệ (triệu đồng)",
            "Vốn điều lệ (tỷ đồng)",
            "Vốn đăng ký",
            "Tổng vốn điều lệ",
            "Vốn điều lệ đăng ký",
            "Charter capital",
        ),
        width=18,
    ),
    Column(
        "members_count",
        gettext_lazy("Members"),
        ColumnType.INTEGER,
        ("Số thành viên", "Thành viên", "Tổng số thành viên", "Số lượng thành viên"),
        width=11,
    ),
    Column(
        "workers_count",
        gettext_lazy("Workers"),
        ColumnType.INTEGER,
        ("Số lao động", "Lao động", "Số lao động thường xuyên", "Tổng số lao động"),
        width=11,
    ),
    Column(
        "high_tech",
        gettext_lazy("Applies high technology"),
        ColumnType.BOOL,
        ("Ứng dụng công nghệ cao", "Ứng dụng CNC", "Công nghệ cao", "High technology"),
        width=12,
    ),
    Column(
        "value_chain",
        gettext_lazy("In a value chain"),
        ColumnType.BOOL,
        ("Tham gia chuỗi giá trị", "Liên kết chuỗi giá trị", "Chuỗi giá trị", "Value chain"),
        width=12,
    ),
    Column(
        "model_cooperative",
        gettext_lazy("Advanced model"),
        ColumnType.BOOL,
        (
            "Mô hình điển hình tiên tiến",
            "Điển hình tiên tiến",
            "HTX điển hình tiên tiến",
            "Advanced model cooperative",
        ),
        width=12,
    ),
    Column(
        "status",
        gettext_lazy("Status"),
        ColumnType.CHOICE,
        ("Tình trạng", "Trạng thái", "Tình trạng hoạt động", "Tình trạng pháp lý"),
        choices=Status,
        choice_aliases=STATUS_WORDS,
        width=18,
    ),
)
COLUMNS_BY_KEY: dict[str, Column] = {c.key: c for c in COLUMNS}
EXPORT_COLUMNS: tuple[Column, ...] = tuple(c for c in COLUMNS if c.export)

# What a file's header names among COLUMNS (the row numbers, notes and the fix-list's error
# column are known and not imported); the index is built at the first call.
match_header = header_matcher(lambda: COLUMNS)
