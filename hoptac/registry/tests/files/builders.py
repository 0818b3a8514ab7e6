"""Spreadsheets made in the tests, instead of committed binaries: .xlsx (openpyxl), .ods (its
XML written by hand, merged cells included), .csv in each encoding, an OLE compound file
(what an encrypted .xlsx is), and XML bombs. Only the .xls is a committed file
(chodon_2019.xls, see make_xls_fixture.py): no maintained library writes that format.
"""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

HERE = Path(__file__).resolve().parent
XLS_FIXTURE = HERE / "chodon_2019.xls"

HEADER = [
    "STT",
    "Tên HTX",
    "Mã số HTX",
    "Địa chỉ",
    "Lĩnh vực",
    "Ngành",
    "Ngày thành lập",
    "Vốn điều lệ (triệu đồng)",
    "Số thành viên",
    "Ứng dụng công nghệ cao",
]
LUONG_BANG = "Xã Lương Bằng, Huyện Chợ Đồn, Tỉnh Bắc Kạn"
NGHIA_TA = "Xã Nghĩa Tá, Huyện Chợ Đồn, Tỉnh Bắc Kạn"


def sample_rows() -> list[list[Any]]:
    """Three cooperatives of Xã Lương Bằng, as an officer's list writes them."""
    return [
        [1, "HTX Chè Mỹ Phương", "4700123456", LUONG_BANG, "Nông nghiệp", "Trồng trọt",
         date(2015, 3, 15), 1500, 12, "x"],
        [2, "HTX Dịch vụ Lương Bằng", None, LUONG_BANG, "Phi nông nghiệp", "Thương mại – dịch vụ",
         date(2018, 6, 1), 300, 7, None],
        [3, "HTX Cao Phong", "4700654321", LUONG_BANG, "Nông nghiệp", "Chăn nuôi",
         date(2012, 9, 9), 2000.5, 25, "có"],
    ]  # fmt: skip


def xlsx(
    rows: Sequence[Sequence[Any]],
    *,
    merges: Sequence[str] = (),
    sheet_title: str = "Danh sách",
    extra_sheets: Sequence[str] = (),
) -> bytes:
    """An .xlsx whose first sheet holds `rows` (from row 1), with `merges` ("A1:F1")."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title
    for row in rows:
        sheet.append(list(row))
    for cells in merges:
        sheet.merge_cells(cells)
    for title in extra_sheets:
        workbook.create_sheet(title)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(
    rows: Sequence[Sequence[Any]], *, encoding: str = "utf-8", delimiter: str = ","
) -> bytes:
    """A CSV as Excel saves it: "utf-8-sig" (CSV UTF-8), "utf-16" (Unicode text, tab), "cp1258"."""
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if v is None else _text(v) for v in row])
    text = buffer.getvalue()
    if encoding == "cp1258":
        return _cp1258(text)
    return text.encode(encoding)


TONES = "\u0300\u0301\u0303\u0309\u0323"


def _cp1258(text: str) -> bytes:
    """Windows-1258 as Windows writes it: a precomposed letter where the code page has one,
    else the letter with its vowel mark (â, ơ, ư…) followed by a combining tone mark."""
    import unicodedata

    out = bytearray()
    for char in unicodedata.normalize("NFC", text):
        try:
            out += char.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", char)
        tones = "".join(c for c in parts if c in TONES)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONES))
        out += (base + tones).encode("cp1258")
    return bytes(out)


def _text(value: Any) -> str:
    if isinstance(value, date | datetime):
        return value.strftime("%d/%m/%Y")
    return str(value)


def ods(
    rows: Sequence[Sequence[Any]], *, spans: dict[tuple[int, int], tuple[int, int]] | None = None
) -> bytes:
    """An .ods with `rows` from A1; spans[(row, col)] = (rows, cols) merges a range
    (0-based top-left), its other cells covered as LibreOffice writes them."""
    spans = spans or {}
    covered: set[tuple[int, int]] = set()
    for (r, c), (nr, nc) in spans.items():
        covered |= {(r + i, c + j) for i in range(nr) for j in range(nc)} - {(r, c)}
    xml_rows = []
    for r, row in enumerate(rows):
        cells = []
        for c, value in enumerate(row):
            if (r, c) in covered:
                cells.append("<table:covered-table-cell/>")
                continue
            span = spans.get((r, c))
            extra = ""
            if span:
                extra = (
                    f' table:number-rows-spanned="{span[0]}"'
                    f' table:number-columns-spanned="{span[1]}"'
                )
            cells.append(_ods_cell(value, extra))
        xml_rows.append(f"<table:table-row>{''.join(cells)}</table:table-row>")
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="Danh sách">'
        + "".join(xml_rows)
        + "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    return ods_package(content)


def ods_package(content: str) -> bytes:
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"'
        ' manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/"'
        ' manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet"
        )
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def _ods_cell(value: Any, extra: str) -> str:
    if value is None or value == "":
        return f"<table:table-cell{extra}/>"
    if isinstance(value, bool):
        return (
            f'<table:table-cell office:value-type="boolean" office:boolean-value='
            f'"{str(value).lower()}"{extra}><text:p>{value}</text:p></table:table-cell>'
        )
    if isinstance(value, int | float):
        return (
            f'<table:table-cell office:value-type="float" office:value="{value}"{extra}>'
            f"<text:p>{value}</text:p></table:table-cell>"
        )
    if isinstance(value, date):
        return (
            f'<table:table-cell office:value-type="date" office:date-value='
            f'"{value.isoformat()}"{extra}><text:p>{value:%d/%m/%Y}</text:p></table:table-cell>'
        )
    return (
        f'<table:table-cell office:value-type="string"{extra}><text:p>{escape(str(value))}'
        "</text:p></table:table-cell>"
    )


# --- hostile and broken files -------------------------------------------------------------------

BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n<!ENTITY lol "lol">\n'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n'
        for i in range(1, 10)
    )
    + "]>\n"
)


def xlsx_bomb(part: str = "xl/worksheets/sheet1.xml") -> bytes:
    """A valid .xlsx whose `part` starts with a billion-laughs DOCTYPE (and, in the sheet,
    uses it in the first cell)."""
    source = zipfile.ZipFile(io.BytesIO(xlsx([HEADER, *sample_rows()])))
    original = source.read(part).decode("utf-8")
    body = original.split("?>", 1)[1] if original.startswith("<?xml") else original
    body = body.replace(">STT<", ">&lol9;<", 1)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename == part:
                target.writestr(info.filename, BILLION_LAUGHS + body)
            else:
                target.writestr(info, source.read(info.filename))
    return buffer.getvalue()


def ods_bomb() -> bytes:
    body = (
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0">'
        '<office:body><office:spreadsheet><table:table table:name="A"><table:table-row>'
        '<table:table-cell office:value-type="string"><text:p>&lol9;</text:p></table:table-cell>'
        "</table:table-row></table:table></office:spreadsheet></office:body>"
        "</office:document-content>"
    )
    return ods_package(BILLION_LAUGHS + body)


ENDOFCHAIN, FREESECT, FATSECT, NOSTREAM = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF


def ole(streams: dict[str, bytes]) -> bytes:
    """A minimal OLE compound file (version 3, 512-byte sectors) holding `streams`, each
    padded to at least 4096 bytes so that no mini stream is needed. An encrypted .xlsx is
    such a file with the streams "EncryptionInfo" and "EncryptedPackage"."""
    names = sorted(streams, key=lambda n: (len(n), n.upper()))
    data = {n: streams[n].ljust(4096, b"\0") for n in names}
    fat: list[int] = [FATSECT, ENDOFCHAIN]  # sector 0: the FAT; sector 1: the directory
    starts: dict[str, int] = {}
    body = b""
    for name in names:
        chunk = data[name] + b"\0" * (-len(data[name]) % 512)
        count = len(chunk) // 512
        starts[name] = len(fat)
        fat += [len(fat) + i + 1 for i in range(count - 1)] + [ENDOFCHAIN]
        body += chunk
    assert len(fat) <= 128  # one FAT sector
    fat_sector = struct.pack("<128I", *(fat + [FREESECT] * (128 - len(fat))))

    def entry(name: str, kind: int, right: int, child: int, start: int, size: int) -> bytes:
        encoded = name.encode("utf-16-le") + b"\0\0" if name else b""
        return (
            encoded.ljust(64, b"\0")
            + struct.pack("<HBB", len(encoded), kind, 1)
            + struct.pack("<III", NOSTREAM, right, child)
            + b"\0" * 16
            + b"\0" * 4
            + b"\0" * 16
            + struct.pack("<IQ", start, size)
        )

    entries = [entry("Root Entry", 5, NOSTREAM, 1 if names else NOSTREAM, ENDOFCHAIN, 0)]
    for index, name in enumerate(names):
        right = index + 2 if index + 1 < len(names) else NOSTREAM
        entries.append(entry(name, 2, right, NOSTREAM, starts[name], len(data[name])))
    while len(entries) % 4:
        entries.append(entry("", 0, NOSTREAM, NOSTREAM, 0, 0))
    directory = b"".join(entries)
    assert len(directory) == 512  # one directory sector (up to three streams)
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\0" * 16
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + b"\0" * 6
        + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, ENDOFCHAIN, 0, ENDOFCHAIN, 0)
        + struct.pack("<I", 0)
        + struct.pack("<108I", *([FREESECT] * 108))
    )
    assert len(header) == 512
    return header + fat_sector + directory + body


def encrypted_xlsx() -> bytes:
    """What Excel writes for a password-protected workbook: an OLE file, not a zip."""
    return ole({"EncryptionInfo": b"\x04\x00\x04\x00\x40\x00\x00\x00", "EncryptedPackage": b"x"})
