"""Writes the corpus of officers' files (issue #13 item 6): run `python tests/data/imports/make.py`
from the repository root, and commit the files it writes beside it.

Each file is small and holds values the way provincial and commune lists write them: a sector
column filled with sub-sector names, statuses in words, dates and numbers in Vietnamese habits,
units in the headers, codes that lost their leading zero; and a few cells that cannot be read,
each with the one message it must give. hoptac/registry/tests/test_import_corpus.py imports each
file and states what must be written and said. A new kind of file from an officer goes here
as a new function and a new entry of that test.

The files are byte-for-byte reproducible (fixed zip dates and document properties), so the test
also checks that this script still writes what is committed.
"""

from __future__ import annotations

import csv
import io
import re
import sys
import zipfile
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from hoptac.registry.tests.files.builders import ods  # noqa: E402  (after the path is set)

LUONG_BANG = "Xã Lương Bằng, Huyện Chợ Đồn, Tỉnh Bắc Kạn"
NGHIA_TA = "Xã Nghĩa Tá, Huyện Chợ Đồn, Tỉnh Bắc Kạn"
FIXED = (2025, 1, 1, 0, 0, 0)


def stable_zip(data: bytes) -> bytes:
    """The same zip with every member dated FIXED, in the same order and compression."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=FIXED)
            member.compress_type = info.compress_type
            member.external_attr = info.external_attr
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl dates "modified" at saving
                content = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2025-01-01T00:00:00Z", content
                )
            target.writestr(member, content)
    return out.getvalue()


def xlsx(rows: Sequence[Sequence[Any]], merges: Sequence[str] = ()) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.properties.creator = "hoptac"
    workbook.properties.created = datetime(*FIXED)  # noqa: DTZ001
    sheet = workbook.active
    sheet.title = "Danh sách"
    for row in rows:
        sheet.append(list(row))
    for cells in merges:
        sheet.merge_cells(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return stable_zip(buffer.getvalue())


def csv_text(rows: Sequence[Sequence[Any]], *, delimiter: str = ";") -> bytes:
    """A CSV as Excel's "CSV UTF-8" saves it: with a BOM, CRLF, every value as text."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if v is None else str(v) for v in row])
    return buffer.getvalue().encode("utf-8-sig")


# --- the files ----------------------------------------------------------------------------------


def statistics_office_xlsx() -> bytes:
    """A district statistics office's list: a title block, "Lĩnh vực" filled with sub-sector
    names, statuses in words, dates of every kind, capital in thousands of đồng."""
    header = [
        "STT",
        "Tên HTX",
        "Mã số HTX",
        "Địa chỉ",
        "Lĩnh vực",
        "Ngày thành lập",
        "Ngày cấp GCN",
        "Vốn điều lệ (nghìn đồng)",
        "Số thành viên",
        "Tình trạng",
    ]
    rows = [
        [1, "HTX Chè Lương Bằng", "0101234567", LUONG_BANG, "Trồng trọt",
         datetime(2015, 3, 15), "20/4/2015", "1.500.000", "12 người", "Đang hoạt động"],  # noqa: DTZ001
        [2, "HTX Vận tải Nghĩa Tá", 101234568, NGHIA_TA, "Vận tải",
         "05-06-2018", 43258, 2500, 9, "hoạt động"],
        [3, "HTX Thủ công Lương Bằng", "4700123459", LUONG_BANG, "Công nghiệp - TTCN",
         "15.03.2012", "42078", "2 tỷ", 7, "Ngừng hoạt động"],
        [4, "HTX Điện Nghĩa Tá", "4700123460", NGHIA_TA, "Điện",
         "Ngày 1 tháng 7 năm 2010", None, "300", "15", "tạm ngừng"],
        [5, "HTX Dịch vụ Lương Bằng", "4700123461", LUONG_BANG, "Dịch vụ",
         "31/02/2015", None, "abc", 5, "Đang hoạt động"],
        [6, "HTX Rau Nghĩa Tá", "4700123462", NGHIA_TA, "Phi nông nghiệp - Trồng trọt",
         2015, "2016", "1.000", 5, "x"],
    ]  # fmt: skip
    title = [["DANH SÁCH HỢP TÁC XÃ HUYỆN CHỢ ĐỒN"], ["(Số liệu đến 31/12/2024)"], []]
    return xlsx([*title, header, *rows], merges=["A1:J1", "A2:J2"])


def combined_sector_csv() -> bytes:
    """A commune's CSV (Excel "CSV UTF-8", semicolons): sector and sub-sector in one cell,
    years alone, two-digit years, capital in millions with decimal commas."""
    header = ["Tên HTX", "Mã số thuế", "Địa chỉ", "Lĩnh vực", "Ngành", "Năm thành lập",
              "Vốn điều lệ (triệu đồng)", "Vĩ độ", "Kinh độ"]  # fmt: skip
    rows = [
        ["HTX Nông nghiệp Lương Bằng", "0101234570", LUONG_BANG, "Nông nghiệp - Trồng trọt", "",
         "2019", "1,5", "22,15", "105,72"],
        ["HTX Chăn nuôi Lương Bằng", "0101234571", LUONG_BANG, "NN - Chăn nuôi", "",
         "15/03/19", "1.500", "", ""],
        ["HTX Thương mại Nghĩa Tá", "0101234572", NGHIA_TA, "Phi nông nghiệp / Thương mại", "",
         "2020", "1.500.000 đ", "", ""],
        ["HTX Tổng hợp Nghĩa Tá", "0101234573", NGHIA_TA, "Nông nghiệp",
         "Trồng trọt và chăn nuôi", "2021", "2 tỷ", "", ""],
        ["HTX Xe khách Lương Bằng", "0101234574", LUONG_BANG, "Trồng trọt", "Vận tải",
         "15/03/35", "12,5,0", "", ""],
    ]  # fmt: skip
    return csv_text([header, *rows])


def commune_list_ods() -> bytes:
    """A commune's LibreOffice list: typed cells (numbers, a code that lost its zero), the
    founding year alone, capital in billions."""
    rows = [
        ["Tên HTX", "Mã số HTX", "Địa chỉ", "Lĩnh vực", "Năm thành lập",
         "Vốn điều lệ (tỷ đồng)", "Tình trạng"],
        ["HTX Lâm nghiệp Lương Bằng", 101234580, LUONG_BANG, "Lâm nghiệp", 2016, 1.5,
         "Đang hoạt động"],
        ["HTX Nước sạch Nghĩa Tá", "0101234581", NGHIA_TA, "Nước sạch", 2017, 0.5, "hoạt động"],
        ["HTX Muối Nghĩa Tá", "0101234582", NGHIA_TA, "Xyz", 1800, "nhiều", "Đã giải thể"],
    ]  # fmt: skip
    return stable_zip(ods(rows))


FILES: dict[str, Callable[[], bytes]] = {
    "statistics_office.xlsx": statistics_office_xlsx,
    "combined_sector.csv": combined_sector_csv,
    "commune_list.ods": commune_list_ods,
}


def main() -> None:
    for name, build in FILES.items():
        (HERE / name).write_bytes(build())
        print(f"wrote {name}")


if __name__ == "__main__":
    main()
