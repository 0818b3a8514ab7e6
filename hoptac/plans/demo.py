"""Demo plans of Bắc Kạn (old tree), from the seed articles; illustrative where they are silent.

- Cổng TTĐT Bắc Kạn, 13/05/2019 (seeds/004…): "Từ nay đến hết năm 2020, tỉnh Bắc Kạn phấn đấu có
  200 hợp tác xã và 01 liên hiệp hợp tác xã trở lên; trên 40% hợp tác xã hoạt động hiệu quả;
  100% hợp tác xã hoạt động theo đúng quy định của Luật Hợp tác xã và các văn bản liên quan;
  40% hợp tác xã tiếp cận được các chính sách của tỉnh và Trung ương." The article names neither
  the document, its number nor its issuer: the kind (Kế hoạch), the issuer (UBND tỉnh) and the
  period start (2019, "từ nay") are our reading, said so in the summary. The same article: the
  province "đã chỉ đạo ngành chuyên môn tập trung xây dựng Đề án phát triển hợp tác xã giai đoạn
  2020 - 2025 và giai đoạn 2025 - 2030" (plans without targets yet).
- Huyện Chợ Mới (seeds/000…): Nghị quyết số 05-NQ/HU của Huyện ủy về "Xây dựng và phát triển kinh
  tế hợp tác giai đoạn 2016-2020"; after four years the district had 15 HTX, 10 of them
  agricultural. The resolution's targets are not in the seed, so none is invented.

"Hoạt động hiệu quả" has no official definition in law (ministries read it as khá + tốt, e.g.
Nghị quyết 106/NQ-CP 2023; some provinces as tốt, 80 points of Thông tư 01/2020/TT-BKHĐT): the
demo target reads it as rated khá + tốt (indicator ty_le_htx_hieu_qua_kha_tot), and says so.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, TextIO

from django.db import transaction

from hoptac.areas.models import AdminUnit
from hoptac.plans.choices import Comparison, PlanKind
from hoptac.plans.models import Plan, Target

DUE_2020 = date(2020, 12, 31)
BAC_KAN_PLAN: dict[str, Any] = {
    "kind": PlanKind.PLAN,
    "number": "",
    "title": "Phát triển hợp tác xã tỉnh Bắc Kạn đến năm 2020",
    "issuer": "UBND tỉnh Bắc Kạn",
    "start_year": 2019,
    "end_year": 2020,
    "summary": (
        "Từ nay đến hết năm 2020, tỉnh Bắc Kạn phấn đấu có 200 hợp tác xã và 01 liên hiệp hợp "
        "tác xã trở lên; trên 40% hợp tác xã hoạt động hiệu quả; 100% hợp tác xã hoạt động theo "
        "đúng quy định của Luật Hợp tác xã và các văn bản liên quan; 40% hợp tác xã tiếp cận "
        "được các chính sách của tỉnh và Trung ương.\n"
        "Nguồn: Cổng thông tin điện tử Bắc Kạn, 13/05/2019. Bài viết không nêu số hiệu, loại văn "
        "bản và cơ quan ban hành; các thông tin đó trong dữ liệu minh hoạ là giả định. "
        '"Hoạt động hiệu quả" được hiểu là xếp loại khá và tốt.'
    ),
}
BAC_KAN_TARGETS = [
    ("so_htx", Comparison.AT_LEAST, "200", "phấn đấu có 200 hợp tác xã"),
    ("so_lhhtx", Comparison.AT_LEAST, "1", "01 liên hiệp hợp tác xã trở lên"),
    (
        "ty_le_htx_hieu_qua_kha_tot",
        Comparison.MORE_THAN,
        "40",
        "trên 40% hợp tác xã hoạt động hiệu quả (tính theo xếp loại khá, tốt)",
    ),
    (
        "ty_le_htx_dung_luat",
        Comparison.EQUAL,
        "100",
        "100% hợp tác xã hoạt động theo đúng quy định của Luật Hợp tác xã",
    ),
    (
        "ty_le_htx_tiep_can_ho_tro",
        Comparison.AT_LEAST,
        "40",
        "40% hợp tác xã tiếp cận được các chính sách của tỉnh và Trung ương",
    ),
]
CHO_MOI_RESOLUTION: dict[str, Any] = {
    "kind": PlanKind.RESOLUTION,
    "number": "05-NQ/HU",
    "title": "Xây dựng và phát triển kinh tế hợp tác giai đoạn 2016-2020",
    "issuer": "Huyện ủy Chợ Mới",
    "start_year": 2016,
    "end_year": 2020,
    "summary": (
        "Qua 04 năm triển khai, thực hiện Nghị quyết số 05-NQ/HU, trên địa bàn huyện thành lập "
        "được 15 hợp tác xã (trong đó có 10 hợp tác xã nông nghiệp).\n"
        "Nguồn: bài viết về huyện Chợ Mới năm 2019. Các chỉ tiêu của Nghị quyết không có trong "
        "nguồn nên chưa được nhập."
    ),
}
PROJECTS: list[dict[str, Any]] = [
    {
        "kind": PlanKind.PROJECT,
        "number": "",
        "title": f"Đề án phát triển hợp tác xã tỉnh Bắc Kạn giai đoạn {start} - {end}",
        "issuer": "UBND tỉnh Bắc Kạn",
        "start_year": start,
        "end_year": end,
        "summary": (
            "UBND tỉnh đã chỉ đạo ngành chuyên môn tập trung xây dựng Đề án (Cổng TTĐT Bắc Kạn, "
            "13/05/2019): chú trọng mô hình hợp tác xã gắn với chuỗi giá trị, ứng dụng công nghệ "
            "cao trong nông nghiệp. Chưa có chỉ tiêu."
        ),
    }
    for start, end in ((2020, 2025), (2025, 2030))
]


def _plan(area: AdminUnit, fields: dict[str, Any]) -> tuple[Plan, bool]:
    defaults = {k: v for k, v in fields.items() if k not in ("kind", "title")}
    return Plan.objects.get_or_create(
        area=area, kind=fields["kind"], title=fields["title"], defaults=defaults
    )


@transaction.atomic
def load(out: TextIO) -> None:
    """Create the demo plans once; a second run changes nothing."""
    province = AdminUnit.objects.get(era="legacy", code="06")
    district = AdminUnit.objects.get(era="legacy", code="065")
    created = 0
    plan, new = _plan(province, BAC_KAN_PLAN)
    if new:
        created += 1
        for order, (code, comparison, value, wording) in enumerate(BAC_KAN_TARGETS):
            Target.objects.create(
                plan=plan,
                indicator=code,
                comparison=comparison,
                value=Decimal(value),
                due_on=DUE_2020,
                wording=wording,
                order=order,
            )
    for area, fields in [(district, CHO_MOI_RESOLUTION), *((province, p) for p in PROJECTS)]:
        created += _plan(area, fields)[1]
    out.write(f"demo plans: {created} plans created (Bắc Kạn, Chợ Mới)\n")
