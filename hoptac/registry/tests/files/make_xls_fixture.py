"""How chodon_2019.xls was made (kept for the record; not run by the tests).

No maintained library writes the old Excel format (.xls, BIFF8), so the fixture was written
once with xlwt 1.3.0, which is unmaintained and not one of hoptac's requirements:

    pip install --target /tmp/xlwt-lib xlwt==1.3.0
    PYTHONPATH=/tmp/xlwt-lib python hoptac/registry/tests/files/make_xls_fixture.py

It is a district's list as offices keep them: a title block, a two-row header with merged
cells (the address split into commune, district and province under one "Địa chỉ"), a year
column, capital in millions of đồng and a real date cell.
"""

from datetime import date
from pathlib import Path

import xlwt  # type: ignore[import-not-found]

HERE = Path(__file__).resolve().parent


def main() -> None:
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("Danh sach")
    bold = xlwt.easyxf("font: bold on; align: horiz center")
    day = xlwt.easyxf(num_format_str="DD/MM/YYYY")
    sheet.write_merge(0, 0, 0, 10, "DANH SÁCH HỢP TÁC XÃ HUYỆN CHỢ ĐỒN NĂM 2019", bold)
    sheet.write_merge(1, 1, 0, 10, "(Kèm theo Báo cáo số 12/BC-UBND ngày 30/4/2019)")
    for col, text in enumerate(["STT", "Tên HTX", "Mã số HTX"]):
        sheet.write_merge(3, 4, col, col, text, bold)
    sheet.write_merge(3, 3, 3, 5, "Địa chỉ", bold)
    for col, text in enumerate(["Xã", "Huyện", "Tỉnh"], start=3):
        sheet.write(4, col, text, bold)
    tail = ["Lĩnh vực", "Năm thành lập", "Vốn điều lệ (triệu đồng)", "Số thành viên"]
    for col, text in enumerate([*tail, "Ngày đăng ký"], start=6):
        sheet.write_merge(3, 4, col, col, text, bold)
    rows = [
        [
            1,
            "HTX Chè Mỹ Phương",
            "4700123456",
            "Lương Bằng",
            "Chợ Đồn",
            "Bắc Kạn",
            "Nông nghiệp",
            2015,
            1500,
            12,
            date(2015, 3, 20),
        ],
        [
            2,
            "HTX Dịch vụ Nghĩa Tá",
            "",
            "Nghĩa Tá",
            "Chợ Đồn",
            "Bắc Kạn",
            "Phi nông nghiệp",
            2018,
            300,
            7,
            date(2018, 6, 1),
        ],
        [
            3,
            "HTX Cao Phong",
            "4700654321",
            "Lương Bằng",
            "Chợ Đồn",
            "Bắc Kạn",
            "Nông nghiệp",
            2012,
            2000.5,
            25,
            date(2012, 9, 9),
        ],
    ]
    for offset, row in enumerate(rows):
        for col, value in enumerate(row):
            if isinstance(value, date):
                sheet.write(5 + offset, col, value, day)
            else:
                sheet.write(5 + offset, col, value)
    book.save(str(HERE / "chodon_2019.xls"))


if __name__ == "__main__":
    main()
