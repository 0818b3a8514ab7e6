"""The indicators of the annual report: one spec per column of AnnualReport (pure data).

Sources (each spec's `source` names its document; the national forms print it):
- the annual report's contents under the 2012 law (Nghị định 193/2013/NĐ-CP as amended by
  Nghị định 107/2017/NĐ-CP; form Phụ lục I-19 of Thông tư 07/2019/TT-BKHĐT): members,
  workers, business results, assets, capital and investment. The contents under Luật HTX
  17/2023/QH15 were not retrieved (NOT_FOUND); this list stands until they are.
- the indicators of Công văn 9371/BKHĐT-HTX (24/12/2019) and the GSO series (so_thanh_vien,
  so_lao_dong_thuong_xuyen, so_can_bo_quan_ly, doanh_thu_voi_thanh_vien, loi_nhuan_truoc_thue,
  thu_nhap_binh_quan_ld, von_dieu_le, tong_nguon_von, tong_tai_san, tai_san_chung_khong_chia,
  so_htx_ocop).
- ratings/rules/data/*.yaml `indicators`: the keys the rating rules read (doanh_thu,
  doanh_thu_ke_hoach, loi_nhuan_sau_thue, trich_quy_dau_tu_phat_trien,
  trich_quy_du_phong_tai_chinh — TT 09/2017/TT-BNNPTNT criterion 1; tong_nguon_von,
  tai_san_chung_khong_chia — TT 01/2020/TT-BKHĐT criteria 1–2).
The other columns (joined/left, own and borrowed capital, costs, funds, income paid back,
dividends) are the issue's list, read as the usual items of an HTX's financial statements.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

MONEY = "vnd"
COUNT = "count"


@dataclass(frozen=True, slots=True)
class IndicatorSpec:
    field: str  # the AnnualReport column
    code: str  # the stable key (domain code where the domain names one)
    group: str
    unit: str  # MONEY or COUNT
    required: bool = False  # needed before the report can be submitted
    signed: bool = False  # may be negative (a loss)
    source: str = ""


MEMBERS = "members"
CAPITAL = "capital"
RESULTS = "results"
DISTRIBUTION = "distribution"
OTHER = "other"

GROUPS: dict[str, object] = {
    MEMBERS: _("Members and workers"),
    CAPITAL: _("Capital and assets"),
    RESULTS: _("Business results"),
    DISTRIBUTION: _("Distribution of income"),
    OTHER: _("Other"),
}

# The documents the specs cite (the bracket names the indicator code).
_LAW = "Nghị định 193/2013/NĐ-CP, sửa đổi bởi Nghị định 107/2017/NĐ-CP (báo cáo năm)"
_IND = "Công văn 9371/BKHĐT-HTX"
_GSO = "Tổng cục Thống kê, Sách trắng hợp tác xã"

INDICATORS: tuple[IndicatorSpec, ...] = (
    IndicatorSpec(
        "members_count", "so_thanh_vien", MEMBERS, COUNT, True, source=f"{_IND} [so_thanh_vien]"
    ),
    IndicatorSpec(
        "members_joined",
        "so_thanh_vien_moi",
        MEMBERS,
        COUNT,
        source=f"{_IND} [so_thanh_vien] (CV 9371: joined)",
    ),
    IndicatorSpec(
        "members_left",
        "so_thanh_vien_ra",
        MEMBERS,
        COUNT,
        source=f"{_IND} [so_thanh_vien] (CV 9371: left)",
    ),
    IndicatorSpec(
        "workers_count",
        "so_lao_dong_thuong_xuyen",
        MEMBERS,
        COUNT,
        True,
        source=f"{_IND} [so_lao_dong_thuong_xuyen]",
    ),
    IndicatorSpec(
        "workers_members",
        "so_lao_dong_la_thanh_vien",
        MEMBERS,
        COUNT,
        source=f"{_IND} [so_lao_dong_thuong_xuyen]",
    ),
    IndicatorSpec(
        "managers_count", "so_can_bo_quan_ly", MEMBERS, COUNT, source=f"{_IND} [so_can_bo_quan_ly]"
    ),
    IndicatorSpec(
        "managers_higher_education",
        "so_can_bo_cd_dh",
        MEMBERS,
        COUNT,
        source=f"{_IND} [so_can_bo_quan_ly]",
    ),
    IndicatorSpec(
        "managers_vocational",
        "so_can_bo_so_trung_cap",
        MEMBERS,
        COUNT,
        source=f"{_IND} [so_can_bo_quan_ly]",
    ),
    IndicatorSpec(
        "average_worker_income",
        "thu_nhap_binh_quan_ld",
        MEMBERS,
        MONEY,
        source=f"{_IND} [thu_nhap_binh_quan_ld]",
    ),
    IndicatorSpec(
        "charter_capital", "von_dieu_le", CAPITAL, MONEY, True, source=f"{_IND} [von_dieu_le]"
    ),
    IndicatorSpec("operating_capital", "von_hoat_dong", CAPITAL, MONEY, source=_LAW),
    IndicatorSpec(
        "equity", "von_chu_so_huu", CAPITAL, MONEY, signed=True, source=f"{_IND} [tong_nguon_von]"
    ),
    IndicatorSpec("liabilities", "no_phai_tra", CAPITAL, MONEY, source=f"{_IND} [tong_nguon_von]"),
    IndicatorSpec("borrowed_capital", "von_vay", CAPITAL, MONEY, source=_LAW),
    IndicatorSpec(
        "total_capital", "tong_nguon_von", CAPITAL, MONEY, True, source=f"{_IND} [tong_nguon_von]"
    ),
    IndicatorSpec(
        "total_assets", "tong_tai_san", CAPITAL, MONEY, True, source=f"{_IND} [tong_tai_san]"
    ),
    IndicatorSpec(
        "indivisible_assets",
        "tai_san_chung_khong_chia",
        CAPITAL,
        MONEY,
        source=f"{_IND} [tai_san_chung_khong_chia]",
    ),
    IndicatorSpec("investment", "dau_tu_trong_nam", CAPITAL, MONEY, source=_LAW),
    IndicatorSpec(
        "revenue",
        "doanh_thu",
        RESULTS,
        MONEY,
        True,
        source="ratings tt09-2017.yaml#indicators[doanh_thu]",
    ),
    IndicatorSpec(
        "revenue_planned",
        "doanh_thu_ke_hoach",
        RESULTS,
        MONEY,
        source="ratings tt09-2017.yaml#indicators[doanh_thu_ke_hoach]",
    ),
    IndicatorSpec(
        "revenue_from_members",
        "doanh_thu_voi_thanh_vien",
        RESULTS,
        MONEY,
        source=f"{_IND} [doanh_thu_voi_thanh_vien]",
    ),
    IndicatorSpec("costs", "chi_phi", RESULTS, MONEY, True, source=_LAW),
    IndicatorSpec(
        "profit_before_tax",
        "loi_nhuan_truoc_thue",
        RESULTS,
        MONEY,
        True,
        signed=True,
        source=f"{_GSO} [loi_nhuan_truoc_thue]",
    ),
    IndicatorSpec(
        "profit_after_tax",
        "loi_nhuan_sau_thue",
        RESULTS,
        MONEY,
        True,
        signed=True,
        source="ratings tt09-2017.yaml#indicators[loi_nhuan_sau_thue]",
    ),
    IndicatorSpec(
        "development_fund",
        "trich_quy_dau_tu_phat_trien",
        DISTRIBUTION,
        MONEY,
        source="ratings tt09-2017.yaml#indicators[trich_quy_dau_tu_phat_trien]",
    ),
    IndicatorSpec(
        "reserve_fund",
        "trich_quy_du_phong_tai_chinh",
        DISTRIBUTION,
        MONEY,
        source="ratings tt09-2017.yaml#indicators[trich_quy_du_phong_tai_chinh]",
    ),
    IndicatorSpec("other_funds", "trich_quy_khac", DISTRIBUTION, MONEY),
    IndicatorSpec("returned_to_members", "thu_nhap_chia_theo_giao_dich", DISTRIBUTION, MONEY),
    IndicatorSpec("dividends", "chia_lai_theo_von_gop", DISTRIBUTION, MONEY),
    IndicatorSpec(
        "ocop_products", "so_san_pham_ocop", OTHER, COUNT, source=f"{_IND} [so_htx_ocop]"
    ),
)

REQUIRED_FIELDS: tuple[str, ...] = tuple(spec.field for spec in INDICATORS if spec.required)

# The keys the rating rules read (ratings/rules/data/*.yaml `indicators`) → AnnualReport field.
RATING_KEYS: dict[str, str] = {
    "tong_nguon_von": "total_capital",
    "tai_san_chung_khong_chia": "indivisible_assets",
    "doanh_thu": "revenue",
    "doanh_thu_ke_hoach": "revenue_planned",
    "loi_nhuan_sau_thue": "profit_after_tax",
    "so_thanh_vien": "members_count",
    "trich_quy_dau_tu_phat_trien": "development_fund",
    "trich_quy_du_phong_tai_chinh": "reserve_fund",
}
