"""The labels a user reads for the codes of support.rules (which import no Django)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# The eligibility criteria of Nghị định 113/2024/NĐ-CP, Điều 6 (rules.CRITERIA), in its order.
CRITERION_LABELS: dict[str, Promise] = {
    "tang_thanh_vien_2_nam": _("Official members increased in each of the two years before"),
    "tang_ty_le_giao_dich_noi_bo": _("Share of internal transactions increased in the year before"),
    "quy_chung_khong_chia_cao": _(
        "Indivisible common fund above the legal minimum in the year before"
    ),
    "tang_tai_san_chung_khong_chia": _("Indivisible common assets increased in the year before"),
    "dao_tao_5_phan_tram": _("At least 5% of members or workers trained"),
    "moi_thanh_lap_vung_kho_khan": _(
        "Founded within 36 months in an area with difficult conditions"
    ),
}


def criterion_label(code: str) -> str:
    """The label of a criterion code (the code itself when unknown)."""
    label = CRITERION_LABELS.get(code)
    return str(label) if label is not None else code
