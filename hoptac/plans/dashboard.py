"""The plans' part of the indicators dashboard and of the written report (registered in
PlansConfig.ready through hoptac.indicators.extensions)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest

from hoptac.indicators.document import Block, Heading, Paragraph, Table
from hoptac.indicators.formulas.wording import as_of_vi, count_vi, number_vi, percent_vi
from hoptac.indicators.writing import UNIT_VI
from hoptac.plans import rules, selectors
from hoptac.plans.choices import KIND_VI, OUTCOME_VI

if TYPE_CHECKING:
    from hoptac.accounts.models import User
    from hoptac.indicators.sources import Frame


def dashboard_context(request: HttpRequest, frame: Frame) -> dict[str, Any]:
    plans = selectors.plans_for_frame(frame=frame, user=request.user)
    return {"frame": frame, "plans": selectors.plans_progress(frame=frame, plans=plans)}


ORG_WORDS = {"so_tht": "tổ hợp tác", "so_lhhtx": "liên hiệp hợp tác xã"}


def _value_vi(value: Any, unit: str, code: str = "") -> str:
    if value is None:
        return "—"
    if unit == "percent":
        return percent_vi(value)
    if unit == "org":
        return f"{count_vi(value)} {ORG_WORDS.get(code, 'hợp tác xã')}"
    return f"{number_vi(value)} {UNIT_VI[unit]}"


def plan_name_vi(plan: Any) -> str:
    kind = KIND_VI.get(plan.kind, "")
    number = f" số {plan.number}" if plan.number else ""
    return f"{kind}{number} của {plan.issuer} về {plan.title} ({plan.start_year}–{plan.end_year})"


def target_sentence_vi(item: selectors.TargetProgress, on: date) -> str:
    """ "Chỉ tiêu “có 200 hợp tác xã” (đến 31/12/2020): đến hết tháng 4/2019 đạt 167 tổ chức,
    bằng 83,5% chỉ tiêu; đánh giá: có nguy cơ không đạt." """
    target, result, assessment = item.target, item.result, item.assessment
    unit = result.indicator.unit
    sign = rules.SIGNS[target.comparison]
    code = result.indicator.code
    wording = (
        target.wording or f"{result.indicator.name_vi} {sign} {_value_vi(target.value, unit, code)}"
    )
    text = f"Chỉ tiêu “{wording}” (đến {target.due_on:%d/%m/%Y})"
    if target.is_illustrative:
        text += " [chỉ tiêu minh hoạ, không có trong văn bản]"
    if result.no_data:
        return f"{text}: chưa có số liệu để đánh giá."
    as_of = as_of_vi(on)
    as_of = as_of[0].lower() + as_of[1:]
    if unit == "org" and not result.value:
        text += f": {as_of} chưa có {ORG_WORDS.get(code, 'hợp tác xã')} nào"
    else:
        text += f": {as_of} đạt {_value_vi(result.value, unit, code)}"
    if assessment.progress and result.value:
        text += f", bằng {percent_vi(assessment.progress)} chỉ tiêu"
    return f"{text}; đánh giá: {OUTCOME_VI[assessment.outcome]}."


def report_blocks(frame: Frame, user: User | None) -> list[Block]:
    """The written report's section on the plans in force in the frame's area."""
    plans = selectors.plans_progress(
        frame=frame, plans=selectors.plans_for_frame(frame=frame, user=user)
    )
    blocks: list[Block] = [Heading("KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU KẾ HOẠCH")]
    if not plans:
        blocks.append(
            Paragraph("Trên địa bàn chưa có kế hoạch, nghị quyết còn hiệu lực có chỉ tiêu.", "note")
        )
        return blocks
    rows: list[list[Any]] = []
    for item in plans:
        blocks.append(Paragraph(f"Thực hiện {plan_name_vi(item.plan)}:"))
        if not item.targets:
            blocks.append(Paragraph("Văn bản chưa được nhập chỉ tiêu cụ thể.", "note"))
        for progress in item.targets:
            blocks.append(Paragraph(f"- {target_sentence_vi(progress, frame.on)}"))
            rows.append(_table_row(item.plan, progress))
    if rows:
        blocks.append(
            Table(
                key="chi_tieu",
                title="Biểu 4. Tiến độ thực hiện các chỉ tiêu kế hoạch",
                columns=[
                    "Văn bản",
                    "Chỉ tiêu",
                    "Mục tiêu",
                    "Thời hạn",
                    "Hiện đạt",
                    "Tỷ lệ (%)",
                    "Đánh giá",
                ],
                rows=rows,
                decimals={4: 2, 5: 1},
            )
        )
    return blocks


def _table_row(plan: Any, item: selectors.TargetProgress) -> list[Any]:
    target = item.target
    return [
        plan.number or plan.title,
        item.result.indicator.name_vi + (" (minh hoạ)" if target.is_illustrative else ""),
        f"{rules.SIGNS[target.comparison]} {number_vi(target.value, 2)}",
        f"{target.due_on:%d/%m/%Y}",
        None if item.result.no_data else item.result.value,
        item.assessment.progress,
        OUTCOME_VI[item.assessment.outcome],
    ]
