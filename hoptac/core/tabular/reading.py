"""Reading spreadsheets: the format told from the content (.xlsx, .xls, .ods, .csv), the
file's safety checked (size, password, zip and XML bombs), CSV encodings and delimiters.

.xlsx and .ods are read by python-calamine, .xls by xlrd, CSV by the standard library. Every
zip (.xlsx, .ods) is checked before any reader opens it: no member inflates like a zip bomb and
no XML part declares a DTD, where entities (and so "billion laughs" bombs) live."""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from hoptac.core.spreadsheet_safety import csv_restore


class ImportFileError(Exception):
    """The file itself cannot be imported; the message says why, for the officer."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
MAX_ZIP_RATIO = 200  # a member inflating more than this (and past 10 MB) is a zip bomb


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
    reads the file afterwards. Only the prolog is read."""
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


def _calamine_error(error: BaseException) -> ImportFileError:
    """What calamine's refusal of a workbook means for the officer."""
    text = str(error).lower()
    if "entity" in text or "doctype" in text:
        return _xml_bomb()
    return _corrupt(error)


def _open_xlsx(path: Path, with_merges: bool) -> Spreadsheet:
    """An .xlsx read by python-calamine (a Rust reader, about twenty times faster than
    openpyxl's read-only mode). The file has already passed sniff_format: no part declares a
    DTD (so no entity can be expanded, whatever the parser), no part inflates like a zip bomb,
    and it is not an encrypted OLE file. Calamine loads a sheet whole when it is read; each
    call of `rows()` loads it afresh and lets it go at the end, so only one sheet is held.

    with_merges: load each visible sheet at once for its merged ranges and its height (what
    finding the header needs); the loaded sheet then serves the first `rows()` call."""
    from python_calamine import CalamineError, CalamineWorkbook, PasswordError, SheetVisibleEnum

    try:
        workbook = CalamineWorkbook.from_path(str(path))
        metadata = workbook.sheets_metadata
    except PasswordError as error:
        raise _encrypted() from error
    except (CalamineError, ValueError, OSError) as error:
        raise _calamine_error(error) from error

    def load(name: str) -> Any:
        try:
            return workbook.get_sheet_by_name(name)
        except PasswordError as error:
            raise _encrypted() from error
        except (CalamineError, ValueError, OSError) as error:
            raise _calamine_error(error) from error

    loaded: dict[str, Any] = {}  # a sheet loaded for its merges, until its rows are read

    def reader(name: str, holder: list[Sheet]) -> Callable[[], Iterator[tuple[int, list[Any]]]]:
        def rows() -> Iterator[tuple[int, list[Any]]]:
            sheet = loaded.pop(name, None) or load(name)
            first_row, first_col = sheet.start or (0, 0)
            holder[0].total_rows = first_row + sheet.height
            padding = [None] * first_col
            for index, values in enumerate(sheet.iter_rows()):
                yield first_row + index + 1, padding + [_xlsx_value(v) for v in values]

        return rows

    sheets = []
    for meta in metadata[:10]:
        if meta.visible != SheetVisibleEnum.Visible:
            continue
        holder: list[Sheet] = []
        sheet = Sheet(meta.name, reader(meta.name, holder))
        holder.append(sheet)
        if with_merges:
            found = loaded[meta.name] = load(meta.name)
            sheet.merges = [
                Merge(r0 + 1, c0 + 1, r1 + 1, c1 + 1)
                for (r0, c0), (r1, c1) in found.merged_cell_ranges or []
            ]
            sheet.total_rows = (found.start or (0, 0))[0] + found.height
        sheets.append(sheet)
    return Spreadsheet("xlsx", sheets, close=workbook.close)


def _xlsx_value(value: Any) -> Any:
    """A cell as calamine gives it, typed as the other readers type it: a date cell is a
    datetime (as openpyxl and xlrd give it), a whole number an int, an empty cell None."""
    if type(value) is date:
        return datetime(value.year, value.month, value.day)  # noqa: DTZ001  (Excel has no zones)
    return _ods_value(value)


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
            # Our CSV export puts a quote before text that starts like a formula: dropped.
            for number, row in enumerate(reader, start=1):
                yield number, [csv_restore(value) for value in row]
        except csv.Error as error:
            raise _corrupt(error) from error

    total = lines + 1
    return Spreadsheet("csv", [Sheet("CSV", rows, [], total)], csv_dialect=(encoding, delimiter))
