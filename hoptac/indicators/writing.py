"""The written report of an area at a date, in Vietnamese administrative style.

"Đến hết tháng 4/2019, tỉnh Bắc Kạn có 167 hợp tác xã, trong đó có 123 hợp tác xã nông nghiệp
và 44 hợp tác xã phi nông nghiệp." The report is always in Vietnamese (it is the official
document), whatever the page's language; numbers are written as officials write them
(formulas/wording.py). Sections of other apps (plans: progress against targets) come from
extensions.py; the ratings paragraph from the ratings app (`ratings_paragraph`).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from hoptac.areas import letterheads
from hoptac.core.officialdoc.frame import Frame as OfficialFrame
from hoptac.ratings import selectors as ratings_selectors

from . import selectors
from .document import Block, Document, Heading, Paragraph, Table
from .extensions import sections
from .formulas.wording import (
    as_of_vi,
    cooperative_long_name,
    count_vi,
    enumerate_vi,
    money_vi,
    number_vi,
    percent_vi,
    place_vi,
    situation_vi,
)
from .sources import Frame

if TYPE_CHECKING:
    from hoptac.accounts.models import User
    from hoptac.areas.models import AdminUnit


def area_place(area: AdminUnit | None) -> str:
    """ "tỉnh Bắc Kạn", "huyện Chợ Mới", "cả nước" """
    if area is None:
        return place_vi(None, None)
    return place_vi(area.unit_type, area.short_name)


def ratings_paragraph(frame: Frame) -> str:
    """The ratings app's sentences on the frame's area for its data year (the explicit one,
    else the latest rated year up to the last complete year), or "" when there are none."""
    year = frame.year or ratings_selectors.latest_rated_year(
        area=frame.area, until=frame.complete_year
    )
    if year is None:
        return ""
    # ("Qua rà soát đánh giá phân loại HTX trên lĩnh vực nông nghiệp: 02 HTX xếp loại khá; …")
    return " ".join(ratings_selectors.rating_summary(area=frame.area, year=year).sentences())


def _n(results: dict[str, selectors.Result], code: str) -> int:
    return int(results[code].numerator)


def _situation(frame: Frame, r: dict[str, selectors.Result]) -> list[Block]:
    place = area_place(frame.area)
    blocks: list[Block] = [
        Paragraph(
            situation_vi(
                on=frame.on,
                place=place,
                total=_n(r, "so_htx"),
                agricultural=_n(r, "so_htx_nong_nghiep"),
                non_agricultural=_n(r, "so_htx_phi_nong_nghiep"),
            )
        )
    ]
    total, active = _n(r, "so_htx"), _n(r, "so_htx_dang_hoat_dong")
    suspended = _n(r, "so_htx_tam_ngung")
    if total and active != total:
        text = f"Trong đó có {count_vi(active)} hợp tác xã đang hoạt động"
        if suspended:
            text += f", {count_vi(suspended)} hợp tác xã tạm ngừng kinh doanh"
        others = total - active - suspended
        if others:
            text += (
                f", {count_vi(others)} hợp tác xã đang làm thủ tục giải thể, "
                "bị thu hồi giấy chứng nhận hoặc không hoạt động tại địa chỉ đăng ký"
            )
        blocks.append(Paragraph(text + "."))
    groups, unions = _n(r, "so_tht"), _n(r, "so_lhhtx")
    kinds = [f"{count_vi(groups)} tổ hợp tác"] if groups else []
    if unions:
        kinds.append(f"{count_vi(unions)} liên hiệp hợp tác xã")
    if kinds:
        blocks.append(Paragraph(f"Ngoài ra, trên địa bàn có {enumerate_vi(kinds)}."))
    if not unions:
        blocks.append(Paragraph("Trên địa bàn chưa có liên hiệp hợp tác xã."))
    founded, ended = _n(r, "so_htx_thanh_lap_moi"), _n(r, "so_htx_giai_the")
    new = (
        f"thành lập mới {count_vi(founded)} hợp tác xã"
        if founded
        else "chưa có hợp tác xã thành lập mới"
    )
    gone = (
        f"{count_vi(ended)} hợp tác xã giải thể, phá sản"
        if ended
        else "không có hợp tác xã giải thể, phá sản"
    )
    blocks.append(
        Paragraph(f"Từ đầu năm {frame.on.year} đến ngày {frame.on:%d/%m/%Y}, {new}; {gone}.")
    )
    members, workers = _n(r, "so_thanh_vien"), _n(r, "so_lao_dong_thuong_xuyen")
    blocks.append(
        Paragraph(
            f"Tổng số thành viên của các hợp tác xã, liên hiệp hợp tác xã là {number_vi(members)} "
            f"thành viên; số lao động làm việc thường xuyên là {number_vi(workers)} người."
        )
    )
    chain, tech = r["ty_le_htx_chuoi_gia_tri"], r["ty_le_htx_ung_dung_cnc"]
    if total:
        blocks.append(
            Paragraph(
                f"Có {count_vi(chain.numerator)} hợp tác xã tham gia liên kết theo chuỗi giá trị "
                f"(chiếm {percent_vi(chain.value)}) và {count_vi(tech.numerator)} hợp tác xã "
                f"ứng dụng công nghệ cao (chiếm {percent_vi(tech.value)})."
            )
        )
    blocks.extend(_business(r))
    return blocks


def _business(r: dict[str, selectors.Result]) -> list[Block]:
    revenue, profit = r["doanh_thu_binh_quan"], r["lai_binh_quan"]
    income = r["thu_nhap_binh_quan_ld"]
    if revenue.no_data:
        return [Paragraph("Chưa có số liệu báo cáo năm của các hợp tác xã.", "note")]
    parts = [f"doanh thu bình quân đạt {money_vi(revenue.value)}/hợp tác xã"]
    if not profit.no_data and profit.value is not None:
        parts.append(f"lãi bình quân {money_vi(profit.value)}/hợp tác xã")
    if not income.no_data and income.value is not None:
        parts.append(
            "thu nhập bình quân của lao động làm việc thường xuyên đạt "
            f"{money_vi(income.value)}/người/năm"
        )
    reporting = count_vi(revenue.denominator or 0)
    return [
        Paragraph(
            f"Theo báo cáo năm {revenue.year} của {reporting} hợp tác xã, liên hiệp hợp tác xã: "
            + "; ".join(parts)
            + "."
        )
    ]


def _ratings(frame: Frame, r: dict[str, selectors.Result]) -> list[Block]:
    blocks: list[Block] = []
    text = ratings_paragraph(frame)
    if text:
        blocks.append(Paragraph(text))
    both, good = r["ty_le_htx_hieu_qua_kha_tot"], r["ty_le_htx_hieu_qua_tot"]
    weak = r["ty_le_htx_yeu"]
    if both.no_data:
        if not text:
            blocks.append(Paragraph("Chưa có kết quả đánh giá, phân loại hợp tác xã.", "note"))
        return blocks
    rated = count_vi(both.denominator or 0)
    blocks.append(
        Paragraph(
            f"Năm {both.year}, có {rated} hợp tác xã được đánh giá, phân loại. Tỷ lệ hợp tác xã "
            f"hoạt động hiệu quả đạt {percent_vi(both.value)} nếu tính các hợp tác xã xếp loại "
            f"tốt và khá ({count_vi(both.numerator)} hợp tác xã), và {percent_vi(good.value)} "
            f"nếu chỉ tính các hợp tác xã xếp loại tốt ({count_vi(good.numerator)} hợp tác xã); "
            f"tỷ lệ hợp tác xã xếp loại yếu là {percent_vi(weak.value)}."
        )
    )
    return blocks


def _models(frame: Frame) -> list[Block]:
    named = selectors.cooperative_names(frame=frame)
    if not named:
        return [
            Paragraph("Chưa có hợp tác xã được ghi nhận là mô hình điển hình tiên tiến.", "note")
        ]
    items = []
    for cooperative in named:
        district = cooperative.district_legacy
        where = f" ({area_place(district)})" if district is not None else ""
        items.append(f"{cooperative_long_name(cooperative.name)}{where}")
    return [
        Paragraph(
            "Một số hợp tác xã đã mạnh dạn mở rộng sản xuất kinh doanh, đầu tư máy móc và công "
            f"nghệ mới, trở thành mô hình điển hình tiên tiến như: {', '.join(items)}."
        )
    ]


def area_table(frame: Frame) -> Table | None:
    rows = selectors.breakdown_by_area(frame=frame)
    if not rows:
        return None
    codes = selectors.BREAKDOWN[:5]
    body: list[list[Any]] = [
        [row.label, *(int(row.results[c].numerator) for c in codes)] for row in rows
    ]
    total = ["Tổng số", *(sum(r[i] for r in body) for i in range(1, len(codes) + 1))]
    return Table(
        key="theo_dia_ban",
        title="Biểu 1. Số lượng hợp tác xã theo đơn vị hành chính",
        columns=[
            "Đơn vị hành chính",
            "Tổng số HTX",
            "HTX nông nghiệp",
            "HTX phi nông nghiệp",
            "Thành viên",
            "Lao động thường xuyên",
        ],
        rows=body,
        total=total,
    )


def sector_table(frame: Frame) -> Table:
    rows = selectors.breakdown_by_sector(frame=frame)
    codes = ("so_htx", "so_thanh_vien", "so_lao_dong_thuong_xuyen")
    body: list[list[Any]] = [
        [row.label, *(int(row.results[c].numerator) for c in codes)] for row in rows
    ]
    total = ["Tổng số", *(sum(r[i] for r in body) for i in range(1, len(codes) + 1))]
    return Table(
        key="theo_linh_vuc",
        title="Biểu 2. Số lượng hợp tác xã theo lĩnh vực",
        columns=["Lĩnh vực", "Số HTX", "Thành viên", "Lao động thường xuyên"],
        rows=body,
        total=total,
    )


UNIT_VI = {
    "org": "tổ chức",
    "people": "người",
    "vnd": "đồng",
    "vnd_per_org": "đồng/HTX",
    "vnd_per_worker": "đồng/người/năm",
    "percent": "%",
}
MILLION = Decimal(1_000_000)


def _in_table(result: selectors.Result) -> tuple[Any, Any, str]:
    """Numerator, value and unit as the table shows them (amounts in millions of đồng)."""
    unit = result.indicator.unit
    numerator, value = result.numerator, result.value
    if unit.startswith("vnd"):
        numerator = numerator / MILLION
        value = None if value is None else value / MILLION
        return numerator, value, "triệu " + UNIT_VI[unit]
    return numerator, value, UNIT_VI[unit]


def indicator_table(results: dict[str, selectors.Result]) -> Table:
    body: list[list[Any]] = []
    for result in results.values():
        numerator, value, unit = _in_table(result)
        body.append(
            [
                result.indicator.name_vi,
                numerator,
                result.denominator,
                "Chưa có số liệu" if result.no_data else value,
                unit,
                str(result.year) if result.year else "",
            ]
        )
    return Table(
        key="chi_so",
        title="Biểu 3. Các chỉ số phát triển hợp tác xã",
        columns=["Chỉ số", "Tử số", "Mẫu số", "Giá trị", "Đơn vị", "Năm số liệu"],
        rows=body,
        decimals={3: 2},
    )


def build_report(
    *, frame: Frame, user: User | None = None, written_on: date | None = None
) -> Document:
    """The report of the frame's area at its date (access already checked by frame_for)."""
    results = selectors.indicator_values(frame=frame)
    area = frame.area
    written_on = written_on or timezone.localdate()
    document = Document(
        head=OfficialFrame(
            issuer=letterheads.issuer_for(area),
            kind="report",
            summary=f"Tình hình phát triển hợp tác xã trên địa bàn {area_place(area)}",
            on=written_on,
        )
    )
    as_of = as_of_vi(frame.on)
    blocks: list[Block] = [Paragraph(f"(Số liệu {as_of[0].lower()}{as_of[1:]})", "center")]
    blocks.append(Heading("TÌNH HÌNH PHÁT TRIỂN HỢP TÁC XÃ"))
    blocks += _situation(frame, results)
    blocks.append(Heading("KẾT QUẢ ĐÁNH GIÁ, PHÂN LOẠI HỢP TÁC XÃ"))
    blocks += _ratings(frame, results)
    tables: list[Table] = []
    for section in sections():
        for block in section.report(frame, user) if section.report else []:
            (tables if isinstance(block, Table) else blocks).append(block)
    blocks.append(Heading("CÁC MÔ HÌNH HỢP TÁC XÃ ĐIỂN HÌNH"))
    blocks += _models(frame)
    blocks.append(Heading("BIỂU SỐ LIỆU KÈM THEO", level=0))
    table = area_table(frame)
    blocks += [table] if table is not None else []
    blocks += [sector_table(frame), indicator_table(results), *tables]
    blocks.append(Paragraph(NOTE, "note"))
    document.blocks = _numbered(blocks)
    return document


NOTE = (
    'Ghi chú: "hoạt động hiệu quả" chưa có định nghĩa chính thức; báo cáo nêu cả hai cách tính '
    "(xếp loại tốt và khá; chỉ xếp loại tốt). Số liệu được tổng hợp từ sổ theo dõi hợp tác xã, "
    "báo cáo năm và kết quả đánh giá, phân loại trên phần mềm hoptac."
)
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")


def _numbered(blocks: list[Block]) -> list[Block]:
    """Number the sections (level-1 headings) I, II, III…"""
    result: list[Block] = []
    number = 0
    for block in blocks:
        if isinstance(block, Heading) and block.level == 1:
            block = Heading(f"{ROMAN[number]}. {block.text}", 1)
            number += 1
        result.append(block)
    return result
