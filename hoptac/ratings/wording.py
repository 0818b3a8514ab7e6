"""The sentence officers write about the ratings of an area, generated from the counts (pure: no
Django, no database; tested with parametrised counts).

    "Qua rà soát đánh giá phân loại HTX trên lĩnh vực nông nghiệp: 02 HTX xếp loại khá; 01 HTX
    xếp loại trung bình; 02 HTX xếp loại yếu; các HTX nông nghiệp còn lại chưa đánh giá do mới
    thành lập trong năm 2019."

(seeds/000, the district report of Huyện Chợ Mới). Counts below 10 are written with a leading
zero, as official documents do; a rank nobody holds is left out; the HTX not rated are "the
rest", with the reason(s) the rules gave (one reason: as the seed; several: each with its count).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence

RANK_ORDER = ("tot", "kha", "trung_binh", "yeu")
RANK_WORDS = {"tot": "tốt", "kha": "khá", "trung_binh": "trung bình", "yeu": "yếu"}
SECTOR_WORDS = {"nong_nghiep": "nông nghiệp", "phi_nong_nghiep": "phi nông nghiệp"}

# Short phrases of the reasons an HTX is not rated, after "chưa đánh giá do …". The codes are
# the exclusion ids of the rule files (docs/rules.md), the engine's "ngoai_pham_vi", and the
# ratings app's own (choices.py).
REASON_PHRASES = {
    "ngung_hoat_dong": "ngừng hoạt động trên 3 tháng trong năm",
    "qtdnd_nhnn": "là quỹ tín dụng nhân dân do Ngân hàng Nhà nước đánh giá",
    "ngoai_pham_vi": "không thuộc phạm vi áp dụng của quy định đánh giá",
    "chua_co_ket_qua": "chưa hoàn thành việc đánh giá",
}


def count_vi(n: int) -> str:
    """A count as official documents write it: two digits below 10 ("02"), else as is."""
    return f"{n:02d}"


def join_vi(parts: Sequence[str]) -> str:
    """ "a", "a và b", "a, b và c" """
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " và " + parts[-1]


def reason_phrase(
    code: str, *, year: int, founded_years: Collection[int] = (), reason_vi: str = ""
) -> str:
    """The phrase of one reason for not rating, for the HTX that share it.

    moi_thanh_lap: "mới thành lập trong năm 2019" when all of them were founded in the evaluated
    year, else "mới thành lập, hoạt động chưa đủ 12 tháng"; khong_co_quy_dinh: no rule for the
    year; others from REASON_PHRASES, else the engine's reason up to its citation, lower-cased.
    """
    if code == "moi_thanh_lap":
        if founded_years and all(y == year for y in founded_years):
            return f"mới thành lập trong năm {year}"
        return "mới thành lập, hoạt động chưa đủ 12 tháng"
    if code == "khong_co_quy_dinh":
        return f"chưa có quy định đánh giá, phân loại áp dụng cho năm {year}"
    if code in REASON_PHRASES:
        return REASON_PHRASES[code]
    text = reason_vi.split(" (", 1)[0].strip().rstrip(".")
    return (text[:1].lower() + text[1:]) if text else "chưa đủ điều kiện đánh giá"


def summary_sentence(
    *, sector: str, counts: Mapping[str, int], not_rated: Iterable[tuple[str, int]] = ()
) -> str:
    """The sentence of one sector: the ranks held (tốt, khá, trung bình, yếu, zero ones left
    out), then the HTX not rated and why.

    counts: {rank code: number}; not_rated: (reason phrase, number of HTX) in the order to
    write them.
    """
    sector_vi = SECTOR_WORDS[sector]
    parts = [
        f"{count_vi(counts[rank])} HTX xếp loại {RANK_WORDS[rank]}"
        for rank in RANK_ORDER
        if counts.get(rank, 0) > 0
    ]
    reasons = [(phrase, n) for phrase, n in not_rated if n > 0]
    if reasons:
        who = f"các HTX {sector_vi} còn lại" if parts else f"các HTX {sector_vi}"
        if len(reasons) == 1:
            because = reasons[0][0]
        else:
            because = join_vi([f"{phrase} ({count_vi(n)} HTX)" for phrase, n in reasons])
        parts.append(f"{who} chưa đánh giá do {because}")
    head = f"Qua rà soát đánh giá phân loại HTX trên lĩnh vực {sector_vi}: "
    if not parts:
        return f"{head}không có HTX {sector_vi} nào."
    return head + "; ".join(parts) + "."
