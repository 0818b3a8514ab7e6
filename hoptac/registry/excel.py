"""The registry's spreadsheet layout (COLUMNS), and reading and writing spreadsheets.

One spec serves the import (headers matched by name, with or without diacritics, in
Vietnamese or English), the export (headers in the active language, typed cells) and the
blank template. Columns are matched by a stable `key`, never by position.

Reading: .xlsx (openpyxl, read-only, through defusedxml), .xls (xlrd), .ods (python-calamine)
and .csv (UTF-8 with or without BOM, UTF-16 as Excel's "Unicode text", Windows-1258; comma,
semicolon or tab). The format is told from the content, not the file name. Each problem with
the file itself is a ImportFileError whose message says, in the active language, what is wrong.

The value parsers (parse_cell) and header matching are pure: no database.
"""

from __future__ import annotations

import codecs
import csv
import functools
import io
import itertools
import math
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.db import models
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hoptac.core.text import fold
from hoptac.registry.choices import Kind, Sector, Status, SubSector


class ColumnType:
    """How a column's cells are read and written."""

    TEXT = "text"
    CODE = "code"  # an identifier written with digits: kept as text, leading zeros restored
    PHONE = "phone"
    INTEGER = "integer"
    MONEY = "money"  # whole đồng
    FLOAT = "float"
    DATE = "date"
    BOOL = "bool"
    CHOICE = "choice"
    PLACE = "place"  # an address of administrative units, resolved by the importing package


@dataclass(frozen=True)
class Column:
    """One column of the registry's spreadsheets.

    key: the stable key (a Cooperative field name, or a place key); header: the English
    header (its translation is the Vietnamese one); aliases: other names accepted on import,
    Vietnamese or English, with or without diacritics, each with an optional scale (a number
    of đồng per unit written: "Vốn điều lệ (triệu đồng)"); required: a new cooperative needs
    it; export: written by the export and the template (the split address parts are not).
    """

    key: str
    header: Promise
    type: str
    aliases: tuple[str | tuple[str, int], ...] = ()
    required: bool = False
    choices: type[models.TextChoices] | None = None
    choice_aliases: dict[str, str] = field(default_factory=dict)
    export: bool = True
    width: int = 16

    @property
    def is_field(self) -> bool:
        """True when the key is a Cooperative field set through the profile form."""
        return self.key not in PLACE_KEYS and self.key != "status"


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
        choices=Sector,
        choice_aliases={
            "nn": Sector.AGRICULTURAL,
            "htx nong nghiep": Sector.AGRICULTURAL,
            "pnn": Sector.NON_AGRICULTURAL,
            "phi nn": Sector.NON_AGRICULTURAL,
            "htx phi nong nghiep": Sector.NON_AGRICULTURAL,
        },
        width=16,
    ),
    Column(
        "sub_sector",
        gettext_lazy("Sub-sector"),
        ColumnType.CHOICE,
        ("Ngành", "Phân ngành", "Ngành, lĩnh vực", "Lĩnh vực chính"),
        choices=SubSector,
        choice_aliases={
            "thuy san": SubSector.FISHERIES,
            "nuoi trong thuy san": SubSector.FISHERIES,
            "cong nghiep ttcn": SubSector.INDUSTRY,
            "cong nghiep tieu thu cong nghiep": SubSector.INDUSTRY,
            "tieu thu cong nghiep": SubSector.INDUSTRY,
            "thuong mai dich vu": SubSector.TRADE,
            "tin dung": SubSector.CREDIT,
            "quy tin dung nhan dan": SubSector.CREDIT,
            "qtdnd": SubSector.CREDIT,
            "nong nghiep tong hop": SubSector.AGRI_GENERAL,
        },
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
            "Vốn điều lệ (đồng)",
            "Vốn điều lệ",
            "Vốn điều lệ (VNĐ)",
            "Vốn điều lệ (VND)",
            ("Vốn điều lệ (nghìn đồng)", 1_000),
            ("Vốn điều lệ (triệu đồng)", 1_000_000),
            ("Vốn điều lệ (tr.đ)", 1_000_000),
            ("Vốn điều lệ (trđ)", 1_000_000),
            ("Vốn điều lệ (tỷ đồng)", 1_000_000_000),
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
        choice_aliases={
            "hoat dong": Status.ACTIVE,
            "dang hd": Status.ACTIVE,
            "tam ngung hoat dong": Status.SUSPENDED,
            "tam ngung": Status.SUSPENDED,
            "ngung hoat dong cho giai the": Status.DISSOLVING,
            "cho giai the": Status.DISSOLVING,
            "dang giai the": Status.DISSOLVING,
            "giai the": Status.DISSOLVED,
            "pha san": Status.BANKRUPT,
            "bi thu hoi giay chung nhan": Status.REVOKED,
            "thu hoi gcn": Status.REVOKED,
        },
        width=18,
    ),
)
COLUMNS_BY_KEY: dict[str, Column] = {c.key: c for c in COLUMNS}
EXPORT_COLUMNS: tuple[Column, ...] = tuple(c for c in COLUMNS if c.export)

# Headers of columns that are known but never imported: row numbers, notes, the fix-list's
# own error column.
IGNORED_HEADERS = (
    "STT",
    "TT",
    "Số TT",
    "Số thứ tự",
    "No.",
    "Ghi chú",
    "Notes",
    "Note",
    "Lỗi",
    "Error",
    "Errors",
)

# --- header matching ---------------------------------------------------------------------

_NON_WORD = re.compile(r"[^a-z0-9]+")
_PARENTHESES = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_PHRASES = (("lien hiep hop tac xa", "lhhtx"), ("hop tac xa", "htx"), ("to hop tac", "tht"))


def normalize_header(text: Any) -> str:
    """A header as compared: folded, words only, the kinds' long names abbreviated.

    "Tên hợp tác xã (*)" and "Ten HTX" both give "ten htx".
    """
    words = _NON_WORD.sub(" ", fold(str(text if text is not None else ""))).strip()
    for phrase, short in _PHRASES:
        words = re.sub(rf"\b{phrase}\b", short, words)
    return words


@dataclass(frozen=True, slots=True)
class HeaderMatch:
    """What a file's header names: a column (key) and the scale of its unit, or nothing to
    import (key None: a row number, notes, the fix-list's errors)."""

    key: str | None
    scale: int = 1


_IGNORED = HeaderMatch(None)


@functools.cache
def _header_index() -> dict[str, HeaderMatch]:
    """Every accepted name, normalized: the headers in English and Vietnamese and the aliases."""
    index: dict[str, HeaderMatch] = {}
    for column in COLUMNS:
        names: list[tuple[str, int]] = [(column.key.replace("_", " "), 1)]
        for language in ("en", "vi"):
            with translation.override(language):
                names.append((str(column.header), 1))
        names += [alias if isinstance(alias, tuple) else (alias, 1) for alias in column.aliases]
        for name, scale in names:
            index.setdefault(normalize_header(name), HeaderMatch(column.key, scale))
    for name in IGNORED_HEADERS:
        index.setdefault(normalize_header(name), _IGNORED)
    with translation.override("vi"):
        index.setdefault(normalize_header(_("Error")), _IGNORED)
    return index


def match_header(text: Any) -> HeaderMatch | None:
    """The column a file's header names, or None when it names none we know.

    Tried as written (normalized), then without its parenthesised parts ("Số thành viên
    (người)" is "Số thành viên").
    """
    normalized = normalize_header(text)
    if not normalized:
        return None
    index = _header_index()
    if normalized in index:
        return index[normalized]
    bare = normalize_header(_PARENTHESES.sub(" ", str(text)))
    return index.get(bare) if bare else None


# --- values ------------------------------------------------------------------------------


class CellError(ValueError):
    """A cell that cannot be read as its column's type; the message is for the officer."""


class YearOnly(date):
    """A date known only by its year ("Năm thành lập: 2015"), stored as 1 January; an import
    treats it as unchanged when the stored date has the same year."""


TRUE_WORDS = frozenset({"x", "co", "yes", "y", "1", "true", "dung", "v", "c", "\u2713", "\u2714"})
FALSE_WORDS = frozenset({"khong", "no", "n", "0", "false", "sai", "-", "k"})
DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%Y/%m/%d", "%d/%m/%y")
EXCEL_EPOCH = date(1899, 12, 30)
_SPACES = re.compile(r"[\s\u00a0\u202f]+")
_CURRENCY = re.compile(r"(vnd|vnđ|đồng|dong|đ)$", re.IGNORECASE)


def clean_cell(value: Any) -> Any:
    """A raw cell as its parsers take it: text stripped and NFC, empty text and NaN as None."""
    if isinstance(value, str):
        value = unicodedata.normalize("NFC", value).strip()
        return value or None
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _number_text(value: Any) -> str:
    """A number as text without a spurious ".0"."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _as_text(value: Any) -> str:
    if isinstance(value, datetime):
        value = value.date() if not (value.hour or value.minute or value.second) else value
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, bool):
        return "x" if value else ""
    if isinstance(value, int | float | Decimal):
        return _number_text(value)
    return str(value)


def display(value: Any) -> str:
    """A raw cell as an officer reads it: dates as dd/mm/yyyy, whole numbers without ".0"."""
    value = clean_cell(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).upper()
    return _as_text(value)


def _digits_number(text: str, *, whole: bool) -> Decimal:
    """Read "1.500.000", "1,500,000", "1 500 000", "2,5" or "2.5" as a Decimal.

    With both separators, the last one is the decimal mark; a single kind that repeats, or
    that is followed by exactly three digits in a whole-number column, groups thousands.
    """
    text = _CURRENCY.sub("", _SPACES.sub("", text)).strip()
    if text.startswith("+"):
        text = text[1:]
    dots, commas = text.count("."), text.count(",")
    if dots and commas:
        decimal_mark = "." if text.rfind(".") > text.rfind(",") else ","
        thousands = "," if decimal_mark == "." else "."
        text = text.replace(thousands, "").replace(decimal_mark, ".")
    elif dots or commas:
        mark = "." if dots else ","
        count = dots or commas
        tail = text.rsplit(mark, 1)[1]
        if count > 1 or (whole and len(tail) == 3):
            text = text.replace(mark, "")
        else:
            text = text.replace(mark, ".")
    if not re.fullmatch(r"-?\d+(\.\d+)?", text):
        raise InvalidOperation(text)
    return Decimal(text)


def _parse_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if float(value).is_integer() and 1900 <= value <= 2100:
            return YearOnly(int(value), 1, 1)
        if 0 < value < 2958466:  # an Excel serial day number
            return EXCEL_EPOCH + timedelta(days=int(value))
        raise ValueError(value)
    text = str(value).strip()
    if re.fullmatch(r"\d{4}", text) and 1900 <= int(text) <= 2100:
        return YearOnly(int(text), 1, 1)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?", text):
        text = text[:10]
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()  # noqa: DTZ007  (a date, no time)
        except ValueError:
            continue
    raise ValueError(text)


@functools.cache
def _choice_index(key: str) -> dict[str, str]:
    """Folded names of each choice of column `key`: its code, its labels in English and
    Vietnamese (the part in parentheses too), and the column's aliases."""
    column = COLUMNS_BY_KEY[key]
    assert column.choices is not None  # noqa: S101  (only choice columns get here)
    index: dict[str, str] = {}
    for choice in column.choices:
        names = [choice.value, choice.value.replace("_", " ")]
        for language in ("vi", "en"):
            with translation.override(language):
                label = str(choice.label)
            names.append(label)
            names += re.findall(r"\(([^)]*)\)", label)
            names.append(_PARENTHESES.sub(" ", label))
        for name in names:
            index.setdefault(normalize_header(name), choice.value)
    for alias, value in column.choice_aliases.items():
        index.setdefault(normalize_header(alias), value)
    return index


def choice_labels(column: Column) -> list[str]:
    """The labels a choice column accepts, in the active language."""
    assert column.choices is not None  # noqa: S101
    return [str(choice.label) for choice in column.choices]


def parse_cell(column: Column, raw: Any, scale: int = 1) -> Any:
    """The value of one cell as its column's type, or None when empty.

    Raises CellError with a message naming the value and what was expected.
    """
    value = clean_cell(raw)
    if value is None:
        return False if column.type == ColumnType.BOOL else None
    kind = column.type
    if kind in (ColumnType.TEXT, ColumnType.PLACE):
        return _as_text(value)
    if kind == ColumnType.CODE:
        if isinstance(value, int | float) and not isinstance(value, bool):
            text = _number_text(value)
            return text.zfill(10) if len(text) == 9 else text  # a lost leading zero
        return _SPACES.sub("", str(value)).lstrip("'")
    if kind == ColumnType.PHONE:
        if isinstance(value, int | float) and not isinstance(value, bool):
            text = _number_text(value)
            return "0" + text if len(text) in (9, 10) and not text.startswith("0") else text
        return str(value).lstrip("'")
    if kind == ColumnType.BOOL:
        if isinstance(value, bool):
            return value
        if isinstance(value, int | float):
            if value in (0, 1):
                return bool(value)
        else:
            word = fold(str(value))
            if word in TRUE_WORDS:
                return True
            if word in FALSE_WORDS:
                return False
        raise CellError(
            _("“%(value)s” is not yes or no: write x (or “có”) for yes, leave it empty for no.")
            % {"value": _as_text(value)}
        )
    if kind == ColumnType.CHOICE:
        found = _choice_index(column.key).get(normalize_header(_as_text(value)))
        if found is None:
            raise CellError(
                _("“%(value)s” is not one of: %(choices)s.")
                % {"value": _as_text(value), "choices": "; ".join(choice_labels(column))}
            )
        return found
    if kind == ColumnType.DATE:
        try:
            return _parse_date(value)
        except (ValueError, OverflowError) as error:
            raise CellError(
                _("“%(value)s” is not a date: write it as dd/mm/yyyy.") % {"value": _as_text(value)}
            ) from error
    if kind == ColumnType.FLOAT:
        try:
            if isinstance(value, int | float) and not isinstance(value, bool):
                return float(value)
            return float(_digits_number(str(value), whole=False))
        except (InvalidOperation, ValueError) as error:
            raise CellError(
                _("“%(value)s” is not a number.") % {"value": _as_text(value)}
            ) from error
    # INTEGER and MONEY
    try:
        if isinstance(value, bool):
            raise InvalidOperation(value)
        if isinstance(value, int | float | Decimal):
            number = Decimal(_number_text(value))
        else:
            number = _digits_number(str(value), whole=True)
    except (InvalidOperation, ValueError) as error:
        raise CellError(
            _("“%(value)s” is not a whole number.") % {"value": _as_text(value)}
        ) from error
    number *= scale
    if number != number.to_integral_value():
        raise CellError(_("“%(value)s” is not a whole number.") % {"value": _as_text(value)})
    return int(number) if kind == ColumnType.INTEGER else number.quantize(Decimal(1))


# --- reading -----------------------------------------------------------------------------


class ImportFileError(Exception):
    """The file itself cannot be imported; the message says why, for the officer."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
MAX_ZIP_RATIO = 200  # a member inflating more than this (and past 10 MB) is a zip bomb
MERGE_RE = re.compile(rb"<(?:\w+:)?mergeCell\s+ref=\"([A-Z]+)(\d+):([A-Z]+)(\d+)\"")
TEXT_CHUNK = 1 << 20


@dataclass(frozen=True, slots=True)
class Merge:
    """A merged range, 1-based and inclusive, as the spreadsheet shows it."""

    first_row: int
    first_col: int
    last_row: int
    last_col: int


@dataclass
class Sheet:
    """One sheet: its rows (row number as shown, values) read afresh at each call of
    `rows()`, the merged ranges we know of, and an estimate of the number of rows."""

    name: str
    rows: Callable[[], Iterator[tuple[int, list[Any]]]]
    merges: list[Merge] = field(default_factory=list)
    total_rows: int | None = None


@dataclass
class Spreadsheet:
    """An opened file: its format ("xlsx", "xls", "ods", "csv") and its sheets."""

    format: str
    sheets: list[Sheet]
    close: Callable[[], None] = lambda: None
    csv_dialect: tuple[str, str] | None = None  # (encoding, delimiter) of a CSV

    def __enter__(self) -> Spreadsheet:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _not_a_spreadsheet() -> ImportFileError:
    return ImportFileError(
        _(
            "This file is not a spreadsheet hoptac can read. Save it from Excel or LibreOffice "
            "as .xlsx, .xls, .ods or .csv and try again."
        )
    )


def _corrupt(detail: object = "") -> ImportFileError:
    return ImportFileError(
        _(
            "This spreadsheet is damaged and cannot be read. Open it in Excel or LibreOffice, "
            "save it again, and try again."
        )
    )


def _encrypted() -> ImportFileError:
    return ImportFileError(
        _(
            "This spreadsheet is protected by a password, so it cannot be read. Open it in "
            "Excel, remove the password (File → Info → Protect Workbook), save it and try again."
        )
    )


def _xml_bomb() -> ImportFileError:
    return ImportFileError(
        _(
            "This spreadsheet contains unsafe content (XML entity declarations, as in an "
            "“XML bomb”) and was refused. Save the data into a new Excel file and try again."
        )
    )


def too_large(size: int, limit_mb: int) -> ImportFileError:
    """The file is bigger than HOPTAC_MAX_IMPORT_MB."""
    return ImportFileError(
        _(
            "This file is %(size)s MB; files of up to %(limit)s MB can be imported. Split it "
            "into smaller files, or remove other sheets, pictures and formatting."
        )
        % {"size": f"{size / 1024 / 1024:.1f}", "limit": limit_mb}
    )


def sniff_format(path: Path) -> str:
    """The format of the file at `path`, from its content: "xlsx", "xls", "ods" or "csv".

    Raises ImportFileError for an encrypted workbook (an OLE file holding "EncryptionInfo"), a
    zip that is not a spreadsheet, a zip bomb, and anything that is not text.
    """
    with path.open("rb") as handle:
        head = handle.read(8)
    if head.startswith(ZIP_MAGIC):
        return _sniff_zip(path)
    if head == OLE_MAGIC:
        return _sniff_ole(path)
    if _looks_like_text(path):
        return "csv"
    raise _not_a_spreadsheet()


def _sniff_zip(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            for info in archive.infolist():
                inflated = info.file_size > 10 * 1024 * 1024
                if inflated and info.file_size > MAX_ZIP_RATIO * max(info.compress_size, 1):
                    raise ImportFileError(
                        _(
                            "This file inflates to an unreasonable size (a “zip bomb”) "
                            "and was refused."
                        )
                    )
            for info in archive.infolist():
                if info.filename.endswith((".xml", ".rels")) and _declares_dtd(archive, info):
                    raise _xml_bomb()
            if "xl/workbook.xml" in names or any(n.endswith("/workbook.xml") for n in names):
                return "xlsx"
            if "content.xml" in names:
                mimetype = archive.read("mimetype")[:100] if "mimetype" in names else b""
                if mimetype.startswith(ODS_MIMETYPE):
                    return "ods"
    except zipfile.BadZipFile as error:
        raise _corrupt(error) from error
    raise _not_a_spreadsheet()


ROOT_ELEMENT = re.compile(rb"<[A-Za-z_]")
PROLOG_LIMIT = 1 << 20


def _declares_dtd(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    """Does this XML part declare a DTD (where entities, and so XML bombs, live)? No
    spreadsheet writer puts one in .xlsx or .ods parts, so any is refused, whichever parser
    (defusedxml, or lxml when installed) openpyxl would use. Only the prolog is read."""
    head = b""
    with archive.open(info) as part:
        while len(head) < PROLOG_LIMIT:
            chunk = part.read(65536)
            if not chunk:
                break
            head += chunk
            text = head
            if head.startswith((b"\xff\xfe", b"\xfe\xff")):
                text = head.decode("utf-16", errors="ignore").encode("utf-8")
            root = ROOT_ELEMENT.search(text)
            if root is not None:
                return b"<!DOCTYPE" in text[: root.start()].upper()
    return b"<!DOCTYPE" in head.upper()


def _sniff_ole(path: Path) -> str:
    from xlrd.compdoc import CompDoc, CompDocError

    try:
        document = CompDoc(path.read_bytes(), logfile=io.StringIO())
    except (CompDocError, IndexError, ValueError) as error:
        raise _corrupt(error) from error
    names = {entry.name for entry in document.dirlist}
    if names & {"EncryptionInfo", "EncryptedPackage"}:
        raise _encrypted()
    if names & {"Workbook", "Book"}:
        return "xls"
    raise _not_a_spreadsheet()


def _looks_like_text(path: Path) -> bool:
    with path.open("rb") as handle:
        sample = handle.read(8192)
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    if b"\x00" in sample:
        return _utf16_without_bom(sample) is not None
    controls = sum(1 for byte in sample if byte < 9 or 13 < byte < 32)
    return controls <= len(sample) // 100


def _utf16_without_bom(sample: bytes) -> str | None:
    """ "utf-16-le"/"utf-16-be" when every other byte of a sample is zero (ASCII-ish text)."""
    even, odd = sample[0::2], sample[1::2]
    if odd and odd.count(0) > len(odd) * 0.4 and even.count(0) < len(even) * 0.1:
        return "utf-16-le"
    if even and even.count(0) > len(even) * 0.4 and odd.count(0) < len(odd) * 0.1:
        return "utf-16-be"
    return None


def open_spreadsheet(path: Path, *, merges: bool = True) -> Spreadsheet:
    """Open the file at `path` for reading; the caller closes it (a context manager).

    merges: read the merged ranges of the first rows (what finding the header needs; reading
    the rows does not).
    """
    fmt = sniff_format(path)
    opener = {"xlsx": _open_xlsx, "xls": _open_xls, "ods": _open_ods, "csv": _open_csv}[fmt]
    return opener(path, merges)


def _xml_guard(action: Callable[[], Any]) -> Any:
    """Run a reading step, turning XML attacks and corruption into ImportFileErrors."""
    from defusedxml import DefusedXmlException

    try:
        return action()
    except DefusedXmlException as error:
        raise _xml_bomb() from error
    except ImportFileError:
        raise
    except Exception as error:
        cause: BaseException | None = error
        while cause is not None:  # openpyxl wraps what the parser raised in a ValueError
            if isinstance(cause, DefusedXmlException):
                raise _xml_bomb() from error
            cause = cause.__cause__ or cause.__context__
        if isinstance(error, zipfile.BadZipFile | KeyError | EOFError | OSError | ValueError):
            raise _corrupt(error) from error
        if isinstance(error, TypeError) or "ParseError" in type(error).__name__:
            raise _corrupt(error) from error
        raise


def _column_number(letters: bytes) -> int:
    number = 0
    for char in letters:
        number = number * 26 + (char - 64)
    return number


def _xlsx_merges(worksheet: Any) -> list[Merge]:
    """The merged ranges of a read-only worksheet (openpyxl does not read them in that mode):
    a scan of the sheet's XML for <mergeCell ref="A1:C2"/>, chunk by chunk."""
    merges: list[Merge] = []
    try:
        source = worksheet._get_source()  # the sheet's XML inside the archive
    except (AttributeError, KeyError):
        return merges
    with source:
        tail = b""
        while chunk := source.read(TEXT_CHUNK):
            data = tail + chunk
            last_end = 0
            for found in MERGE_RE.finditer(data):
                c1, r1, c2, r2 = found.groups()
                merges.append(Merge(int(r1), _column_number(c1), int(r2), _column_number(c2)))
                last_end = found.end()
            tail = data[max(last_end, len(data) - 200) :]  # a tag cut by the chunk's end
    return merges


def _open_xlsx(path: Path, with_merges: bool) -> Spreadsheet:
    import openpyxl

    if not openpyxl.DEFUSEDXML:  # pragma: no cover  (defusedxml is a requirement)
        raise RuntimeError("defusedxml must be installed: openpyxl reads .xlsx through it")
    workbook = _xml_guard(lambda: openpyxl.load_workbook(path, read_only=True, data_only=True))

    def reader(worksheet: Any) -> Callable[[], Iterator[tuple[int, list[Any]]]]:
        def rows() -> Iterator[tuple[int, list[Any]]]:
            iterator = iter(worksheet.iter_rows(values_only=True))
            number = 0
            while True:
                row = _xml_guard(lambda: next(iterator, None))
                if row is None:
                    return
                number += 1
                yield number, list(row)

        return rows

    sheets = []
    for worksheet in workbook.worksheets[:10]:
        if getattr(worksheet, "sheet_state", "visible") != "visible":
            continue
        merges = _xml_guard(lambda ws=worksheet: _xlsx_merges(ws)) if with_merges else []
        total = worksheet.max_row if isinstance(worksheet.max_row, int) else None
        sheets.append(Sheet(worksheet.title, reader(worksheet), merges, total))
    return Spreadsheet("xlsx", sheets, close=workbook.close)


def _open_xls(path: Path, with_merges: bool) -> Spreadsheet:
    import xlrd

    try:
        book = xlrd.open_workbook(
            file_contents=path.read_bytes(),
            formatting_info=True,
            on_demand=True,
            logfile=io.StringIO(),
        )
    except xlrd.biffh.XLRDError as error:
        if "encrypt" in str(error).lower():
            raise _encrypted() from error
        raise _corrupt(error) from error
    except (AssertionError, IndexError, KeyError, ValueError, struct_error()) as error:
        raise _corrupt(error) from error

    def reader(sheet: Any) -> Callable[[], Iterator[tuple[int, list[Any]]]]:
        def rows() -> Iterator[tuple[int, list[Any]]]:
            for index in range(sheet.nrows):
                values = []
                for cell in sheet.row(index):
                    values.append(_xls_value(cell, book.datemode))
                yield index + 1, values

        return rows

    sheets = []
    for index in range(min(book.nsheets, 10)):
        sheet = book.sheet_by_index(index)
        if getattr(sheet, "visibility", 0) != 0:
            continue
        merges = [Merge(r0 + 1, c0 + 1, r1, c1) for r0, r1, c0, c1 in sheet.merged_cells]
        sheets.append(Sheet(sheet.name, reader(sheet), merges, sheet.nrows))
    return Spreadsheet("xls", sheets, close=book.release_resources)


def struct_error() -> type[Exception]:
    import struct

    return struct.error


def _xls_value(cell: Any, datemode: int) -> Any:
    import xlrd

    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            return xlrd.xldate_as_datetime(cell.value, datemode)
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return cell.value
    if cell.ctype == xlrd.XL_CELL_NUMBER:
        return int(cell.value) if float(cell.value).is_integer() else cell.value
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return bool(cell.value)
    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
        return None
    return cell.value


def _open_ods(path: Path, with_merges: bool) -> Spreadsheet:
    from python_calamine import CalamineError, CalamineWorkbook, PasswordError

    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except PasswordError as error:
        raise _encrypted() from error
    except (CalamineError, ValueError, OSError) as error:
        if "entity" in str(error).lower() or "doctype" in str(error).lower():
            raise _xml_bomb() from error
        raise _corrupt(error) from error

    def reader(name: str) -> Callable[[], Iterator[tuple[int, list[Any]]]]:
        def rows() -> Iterator[tuple[int, list[Any]]]:
            try:
                sheet = workbook.get_sheet_by_name(name)
            except (CalamineError, ValueError) as error:
                raise _corrupt(error) from error
            first_row, first_col = sheet.start or (0, 0)
            for index, values in enumerate(sheet.iter_rows()):
                yield first_row + index + 1, [None] * first_col + [_ods_value(v) for v in values]

        return rows

    sheets = []
    ranges = _xml_guard(lambda: _ods_merges(path)) if with_merges else []
    for number, name in enumerate(workbook.sheet_names[:10]):
        try:
            sheet = workbook.get_sheet_by_name(name)
        except (CalamineError, ValueError) as error:
            if "entity" in str(error).lower() or "doctype" in str(error).lower():
                raise _xml_bomb() from error
            raise _corrupt(error) from error
        merges = ranges[number] if number < len(ranges) else []
        first_row = (sheet.start or (0, 0))[0]
        sheets.append(Sheet(name, reader(name), merges, first_row + sheet.height))
    return Spreadsheet("ods", sheets, close=workbook.close)


MERGE_SCAN_ROWS = 40
ODS_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"


def _ods_merges(path: Path) -> list[list[Merge]]:
    """The merged ranges starting in the first rows of each table of an .ods (calamine does
    not report them for this format): content.xml read as a stream through defusedxml."""
    from defusedxml.ElementTree import iterparse

    tables: list[list[Merge]] = []
    row = col = 0
    repeat = 1
    with zipfile.ZipFile(path) as archive, archive.open("content.xml") as source:
        for event, element in iterparse(source, events=("start", "end")):
            tag = element.tag
            if event == "start":
                if tag == f"{ODS_TABLE}table":
                    tables.append([])
                    row = 0
                elif tag == f"{ODS_TABLE}table-row":
                    repeat = int(element.get(f"{ODS_TABLE}number-rows-repeated", "1"))
                    col = 0
                elif tag in (f"{ODS_TABLE}table-cell", f"{ODS_TABLE}covered-table-cell"):
                    rows = int(element.get(f"{ODS_TABLE}number-rows-spanned", "1"))
                    cols = int(element.get(f"{ODS_TABLE}number-columns-spanned", "1"))
                    if (rows > 1 or cols > 1) and tables and row < MERGE_SCAN_ROWS:
                        tables[-1].append(Merge(row + 1, col + 1, row + rows, col + cols))
                    col += int(element.get(f"{ODS_TABLE}number-columns-repeated", "1"))
            elif tag == f"{ODS_TABLE}table-row":
                row += repeat
                element.clear()
    return tables


def _ods_value(value: Any) -> Any:
    if value == "":
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def decode_text(data: bytes) -> tuple[str, str]:
    """The text of a CSV file and its encoding: a BOM decides (UTF-8, UTF-16); else UTF-8 if
    it decodes, else Windows-1258 (Vietnamese Windows, as older Excel saves CSV)."""
    if data.startswith(b"\xef\xbb\xbf"):
        encoding = "utf-8-sig"
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    elif (guess := _utf16_without_bom(data[:8192])) is not None:
        encoding = guess
    else:
        try:
            return unicodedata.normalize("NFC", data.decode("utf-8")), "utf-8"
        except UnicodeDecodeError:
            encoding = "cp1258"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        raise _not_a_spreadsheet() from error
    return unicodedata.normalize("NFC", text), encoding


def sniff_delimiter(lines: Sequence[str]) -> str:
    """The delimiter that splits the first lines into the most columns, consistently."""
    best, best_score = ",", -1.0
    for delimiter in (",", ";", "\t", "|"):
        counts = [len(row) for row in csv.reader(lines, delimiter=delimiter) if any(row)]
        if not counts:
            continue
        widest = max(counts)
        score = widest * sum(1 for count in counts if count == widest) if widest > 1 else 0
        if score > best_score:
            best, best_score = delimiter, score
    return best


TEXT_READ = 1 << 20  # bytes read at a time when scanning a CSV


def csv_encoding(path: Path) -> tuple[str, int]:
    """The encoding of a CSV file (as decode_text decides it) and its number of lines, read
    in blocks: the file is never held in memory whole. ImportFileError if it does not decode."""
    with path.open("rb") as handle:
        head = handle.read(8192)
        if head.startswith(b"\xef\xbb\xbf"):
            candidates = ["utf-8-sig"]
        elif head.startswith((b"\xff\xfe", b"\xfe\xff")):
            candidates = ["utf-16"]
        elif (guess := _utf16_without_bom(head)) is not None:
            candidates = [guess]
        else:
            candidates = ["utf-8", "cp1258"]
        for encoding in candidates:
            handle.seek(0)
            decoder = codecs.getincrementaldecoder(encoding)()
            lines = 0
            try:
                while block := handle.read(TEXT_READ):
                    lines += decoder.decode(block).count("\n")
                lines += decoder.decode(b"", final=True).count("\n")
            except UnicodeDecodeError:
                continue
            return encoding, lines
    raise _not_a_spreadsheet()


def _open_csv(path: Path, with_merges: bool) -> Spreadsheet:
    encoding, lines = csv_encoding(path)

    def text_lines() -> Iterator[str]:
        with path.open(encoding=encoding, newline="") as handle:
            for line in handle:
                yield unicodedata.normalize("NFC", line)

    sample = list(itertools.islice(text_lines(), 30))
    delimiter = sniff_delimiter([line.rstrip("\r\n") for line in sample])

    def rows() -> Iterator[tuple[int, list[Any]]]:
        reader = csv.reader(text_lines(), delimiter=delimiter)
        try:
            # The row number Excel shows: a quoted cell may span lines, so count records.
            for number, row in enumerate(reader, start=1):
                yield number, list(row)
        except csv.Error as error:
            raise _corrupt(error) from error

    total = lines + 1
    return Spreadsheet("csv", [Sheet("CSV", rows, [], total)], csv_dialect=(encoding, delimiter))


# --- writing -----------------------------------------------------------------------------

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
DATE_FORMAT = "dd/mm/yyyy"
MONEY_FORMAT = "#,##0"
MAX_EXACT_NUMBER = 2**53  # larger whole numbers are written as text, not to lose digits


def headers(columns: Iterable[Column] = EXPORT_COLUMNS) -> list[str]:
    """The headers of `columns` in the active language."""
    return [str(column.header) for column in columns]


def xlsx_cell_value(value: Any) -> Any:
    """A value as an xlsx cell holds it: numbers, dates and booleans typed."""
    if isinstance(value, Decimal):
        return int(value) if abs(value) < MAX_EXACT_NUMBER else str(value)
    return value


def csv_cell_value(value: Any) -> str:
    """A value as CSV text: ISO dates (read by Excel in any locale), plain numbers."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value.quantize(Decimal(1))) if value == value.to_integral_value() else str(value)
    return str(value)


def write_xlsx(
    target: Any,
    rows: Iterable[Sequence[Any]],
    *,
    header: Sequence[str],
    columns: Sequence[Column | None] = (),
    title_rows: Sequence[Sequence[Any]] = (),
    sheet_title: str = "",
) -> int:
    """Write an .xlsx to `target` (a path or binary file) with openpyxl's write-only mode,
    so memory stays flat whatever the number of rows. Returns the number of data rows."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title or _("Cooperatives"))
    for index, column in enumerate(columns):
        if column is not None:
            letter = _column_letter(index + 1)
            sheet.column_dimensions[letter].width = column.width
    if header:
        sheet.freeze_panes = f"A{len(title_rows) + 2}"
    for title in title_rows:
        sheet.append([xlsx_cell_value(v) for v in title])
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    head_cells = []
    for text in header:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = bold
        cell.alignment = wrap
        head_cells.append(cell)
    sheet.append(head_cells)
    formats = [_number_format(c) for c in columns] + [None] * (len(header) - len(columns))
    count = 0
    for row in rows:
        cells = []
        for index, value in enumerate(row):
            value = xlsx_cell_value(value)
            number_format = formats[index] if index < len(formats) else None
            if number_format is None and isinstance(value, date):
                number_format = DATE_FORMAT
            if number_format and value is not None and not isinstance(value, str):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = number_format
                cells.append(cell)
            else:
                cells.append(value)
        sheet.append(cells)
        count += 1
    workbook.save(target)
    return count


def _number_format(column: Column | None) -> str | None:
    if column is None:
        return None
    if column.type == ColumnType.DATE:
        return DATE_FORMAT
    if column.type == ColumnType.MONEY:
        return MONEY_FORMAT
    return None


def _column_letter(number: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(number)


class _Echo:
    """A file-like object whose write returns what it was given (for csv.writer)."""

    def write(self, value: str) -> str:
        return value


def csv_lines(
    rows: Iterable[Sequence[Any]],
    *,
    header: Sequence[str],
    title_rows: Sequence[Sequence[Any]] = (),
    delimiter: str = ",",
) -> Iterator[str]:
    """CSV text, line by line, starting with a UTF-8 BOM (so that Excel reads the
    Vietnamese letters right): for a StreamingHttpResponse or a file."""
    writer = csv.writer(_Echo(), delimiter=delimiter)
    yield "\ufeff"
    for title in title_rows:
        yield writer.writerow([csv_cell_value(v) for v in title])
    yield writer.writerow(list(header))
    for row in rows:
        yield writer.writerow([csv_cell_value(v) for v in row])


def template_workbook() -> bytes:
    """The blank template: the header row of every exported column, and a second sheet that
    explains each column (required or not, the format, the accepted values)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Cooperatives")
    bold = Font(bold=True)
    for index, column in enumerate(EXPORT_COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index, value=str(column.header))
        cell.font = bold
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        letter = _column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        number_format = _number_format(column)
        if column.type == ColumnType.CHOICE:
            values = ",".join(v.replace(",", " ") for v in choice_labels(column))
            if len(values) < 250:  # Excel's limit for a list written in the rule
                rule = DataValidation(type="list", formula1=f'"{values}"', allow_blank=True)
                rule.add(f"{letter}2:{letter}5000")
                sheet.add_data_validation(rule)
        if number_format:
            for row in range(2, 202):
                sheet.cell(row=row, column=index).number_format = number_format
    sheet.freeze_panes = "A2"
    guide = workbook.create_sheet(_("Guide"))
    guide.append([_("Column"), _("Required"), _("How to write it"), _("Also accepted as header")])
    for cell in guide[1]:
        cell.font = bold
    for column in EXPORT_COLUMNS:
        aliases = [a[0] if isinstance(a, tuple) else a for a in column.aliases]
        guide.append(
            [
                str(column.header),
                _("Yes") if column.required else "",
                column_hint(column),
                "; ".join(aliases),
            ]
        )
    for letter, width in zip("ABCD", (34, 10, 70, 60), strict=True):
        guide.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def column_hint(column: Column) -> str:
    """How to write a column's values, for the template's guide."""
    hints = {
        ColumnType.TEXT: _("Text."),
        ColumnType.CODE: _("The 10-digit code, written as text so that leading zeros stay."),
        ColumnType.PHONE: _("Phone number, written as text."),
        ColumnType.INTEGER: _("A whole number."),
        ColumnType.MONEY: _("A whole number of đồng (a header “(triệu đồng)” means millions)."),
        ColumnType.FLOAT: _("A decimal number, e.g. 22.1468."),
        ColumnType.DATE: _("A date, dd/mm/yyyy (a year alone means 1 January)."),
        ColumnType.BOOL: _("x (or “có”) for yes; empty for no."),
        ColumnType.PLACE: _(
            "The administrative address, of the tree before or after 1 July 2025, e.g. "
            "“Xã Lương Bằng, Huyện Chợ Đồn, Tỉnh Bắc Kạn”."
        ),
    }
    if column.type == ColumnType.CHOICE:
        return _("One of: %(choices)s.") % {"choices": "; ".join(choice_labels(column))}
    return str(hints.get(column.type, ""))


# --- the registry's rows -------------------------------------------------------------------


CHOICES_OF = {"kind": Kind, "sector": Sector, "sub_sector": SubSector, "status": Status}
PLACE_VALUES = {"address": "commune_legacy__full_name", "commune_2025": "commune__full_name"}


def export_rows(cooperatives: Any, *, chunk_size: int = 2000) -> Iterator[list[Any]]:
    """The rows of EXPORT_COLUMNS for a queryset of cooperatives, typed (the import reads them
    back unchanged), read as plain values in chunks (no model objects: memory stays flat).

    The address is the commune of the tree the cooperative was recorded in (the old tree
    before 1 July 2025); the next column is the 2025 commune it is in today.
    """
    labels = {
        key: {choice.value: str(choice.label) for choice in choices}
        for key, choices in CHOICES_OF.items()
    }
    names = [c.key for c in EXPORT_COLUMNS if c.key not in PLACE_VALUES]
    values = cooperatives.values(*names, *PLACE_VALUES.values())
    for row in values.iterator(chunk_size=chunk_size):
        out = []
        for column in EXPORT_COLUMNS:
            key = column.key
            if key == "address":
                value = row["commune_legacy__full_name"] or row["commune__full_name"] or ""
            elif key == "commune_2025":
                value = row["commune__full_name"] or ""
            elif key in labels:
                value = labels[key].get(row[key], row[key] or "")
            else:
                value = row[key]
            out.append(value)
        yield out


# --- CSV export by PostgreSQL's COPY -------------------------------------------------------------


def _copy_expression(column: Column, labels: dict[str, dict[str, str]]) -> Any:
    """The SQL of one exported column, giving the text csv_cell_value gives the value that
    export_rows reads (NULL where that text is empty: COPY writes NULL as nothing, and would
    quote an empty string)."""
    from django.db.models import Case, F, Func, Q, TextField, Value, When
    from django.db.models.functions import Cast, Coalesce, NullIf

    text = TextField()

    def empty_as_null(expression: Any) -> Any:
        return NullIf(expression, Value(""), output_field=text)

    key = column.key
    if key == "address":
        legacy = empty_as_null(F("commune_legacy__full_name"))
        return Coalesce(legacy, empty_as_null(F("commune__full_name")), output_field=text)
    if key == "commune_2025":
        return empty_as_null(F("commune__full_name"))
    if key in labels:
        whens = [When(Q(**{key: value}), then=Value(label)) for value, label in labels[key].items()]
        return Case(*whens, default=empty_as_null(F(key)), output_field=text)
    if column.type == ColumnType.DATE:
        return Func(F(key), Value("YYYY-MM-DD"), function="to_char", output_field=text)
    if column.type == ColumnType.BOOL:
        return Case(
            When(Q(**{key: True}), then=Value("TRUE")), default=Value("FALSE"), output_field=text
        )
    if column.type == ColumnType.FLOAT:
        # Python writes a whole float as "105.0", PostgreSQL as "105".
        return Func(
            F(key),
            template=(
                "CASE WHEN %(expressions)s = trunc(%(expressions)s) "
                "AND abs(%(expressions)s) < 1e15 "
                "THEN %(expressions)s::text || '.0' ELSE %(expressions)s::text END"
            ),
            output_field=text,
        )
    if column.type in (ColumnType.MONEY, ColumnType.INTEGER):
        return Cast(F(key), text)
    return empty_as_null(F(key))


def csv_copy_chunks(cooperatives: Any, *, header: Sequence[str]) -> Iterator[bytes]:
    """The CSV export of `cooperatives` (a PostgreSQL queryset, its filters, order and slice
    kept) as bytes, the rows written by PostgreSQL: `COPY (SELECT …) TO STDOUT WITH CSV`.

    The same bytes as csv_lines(export_rows(…)) encoded in UTF-8: the BOM and header from
    Python, then each row as COPY sends it (one message a row), its line end made "\\r\\n"
    as Python's csv writes it. Labels of codes are those of the active language."""
    from django.db import connections

    labels = {
        key: {choice.value: str(choice.label) for choice in choices}
        for key, choices in CHOICES_OF.items()
    }
    expressions = {
        f"c{index}": _copy_expression(column, labels) for index, column in enumerate(EXPORT_COLUMNS)
    }
    rows = cooperatives.values(**expressions)
    sql, params = rows.query.sql_with_params()
    yield "".join(csv_lines((), header=header)).encode()
    connection = connections[rows.db]
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)", params) as copy,
    ):
        for data in copy:
            row = bytes(data)
            yield row[:-1] + b"\r\n" if row.endswith(b"\n") else row
