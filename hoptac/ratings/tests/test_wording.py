"""The officers' sentence, generated from counts (pure: no database).

The expected sentence of the seed is quoted from seeds/000 (Huyện Chợ Mới, 2019)."""

import pytest

from hoptac.ratings.wording import count_vi, join_vi, reason_phrase, summary_sentence

SEED = (
    "Qua rà soát đánh giá phân loại HTX trên lĩnh vực nông nghiệp: 02 HTX xếp loại khá; 01 HTX "
    "xếp loại trung bình; 02 HTX xếp loại yếu; các HTX nông nghiệp còn lại chưa đánh giá do mới "
    "thành lập trong năm 2019."
)
NEW_2019 = "mới thành lập trong năm 2019"


def test_seed_sentence():
    counts = {"tot": 0, "kha": 2, "trung_binh": 1, "yeu": 2, "chua_danh_gia": 5}
    sentence = summary_sentence(sector="nong_nghiep", counts=counts, not_rated=[(NEW_2019, 5)])
    assert sentence == SEED


HEAD = "Qua rà soát đánh giá phân loại HTX trên lĩnh vực nông nghiệp: "


@pytest.mark.parametrize(
    ("counts", "not_rated", "expected"),
    [
        pytest.param(
            {"tot": 1, "kha": 12, "trung_binh": 9, "yeu": 10},
            [],
            "01 HTX xếp loại tốt; 12 HTX xếp loại khá; 09 HTX xếp loại trung bình; "
            "10 HTX xếp loại yếu.",
            id="leading-zero-below-10-only",
        ),
        pytest.param(
            {"tot": 0, "kha": 0, "trung_binh": 3, "yeu": 0},
            [],
            "03 HTX xếp loại trung bình.",
            id="zero-ranks-omitted",
        ),
        pytest.param(
            {"yeu": 1},
            [(NEW_2019, 2)],
            f"01 HTX xếp loại yếu; các HTX nông nghiệp còn lại chưa đánh giá do {NEW_2019}.",
            id="one-reason-without-count",
        ),
        pytest.param(
            {"kha": 4},
            [(NEW_2019, 3), ("ngừng hoạt động trên 3 tháng trong năm", 1)],
            "04 HTX xếp loại khá; các HTX nông nghiệp còn lại chưa đánh giá do "
            f"{NEW_2019} (03 HTX) và ngừng hoạt động trên 3 tháng trong năm (01 HTX).",
            id="several-reasons-with-counts",
        ),
        pytest.param(
            {},
            [(NEW_2019, 5)],
            f"các HTX nông nghiệp chưa đánh giá do {NEW_2019}.",
            id="none-rated-no-rest",
        ),
        pytest.param(
            {"kha": 2},
            [(NEW_2019, 0)],
            "02 HTX xếp loại khá.",
            id="zero-reason-omitted",
        ),
        pytest.param({}, [], "không có HTX nông nghiệp nào.", id="no-htx"),
    ],
)
def test_sentence_counts(counts, not_rated, expected):
    assert summary_sentence(sector="nong_nghiep", counts=counts, not_rated=not_rated) == (
        HEAD + expected
    )


def test_non_agricultural_sentence_names_its_sector():
    sentence = summary_sentence(sector="phi_nong_nghiep", counts={"kha": 1}, not_rated=[("x", 1)])
    assert sentence == (
        "Qua rà soát đánh giá phân loại HTX trên lĩnh vực phi nông nghiệp: 01 HTX xếp loại khá; "
        "các HTX phi nông nghiệp còn lại chưa đánh giá do x."
    )


@pytest.mark.parametrize(("n", "text"), [(0, "00"), (1, "01"), (9, "09"), (10, "10"), (123, "123")])
def test_count_vi(n, text):
    assert count_vi(n) == text


@pytest.mark.parametrize(
    ("parts", "text"),
    [([], ""), (["a"], "a"), (["a", "b"], "a và b"), (["a", "b", "c"], "a, b và c")],
)
def test_join_vi(parts, text):
    assert join_vi(parts) == text


@pytest.mark.parametrize(
    ("code", "founded", "reason", "phrase"),
    [
        ("moi_thanh_lap", [2019, 2019], "", "mới thành lập trong năm 2019"),
        ("moi_thanh_lap", [2018, 2019], "", "mới thành lập, hoạt động chưa đủ 12 tháng"),
        ("moi_thanh_lap", [], "", "mới thành lập, hoạt động chưa đủ 12 tháng"),
        ("ngung_hoat_dong", [], "", "ngừng hoạt động trên 3 tháng trong năm"),
        ("qtdnd_nhnn", [], "", "là quỹ tín dụng nhân dân do Ngân hàng Nhà nước đánh giá"),
        ("khong_co_quy_dinh", [], "", "chưa có quy định đánh giá, phân loại áp dụng cho năm 2019"),
        ("chua_co_ket_qua", [], "", "chưa hoàn thành việc đánh giá"),
        ("khac", [], "Lý do mới (Thông tư X, Điều 1)", "lý do mới"),
        ("khac", [], "", "chưa đủ điều kiện đánh giá"),
    ],
)
def test_reason_phrase(code, founded, reason, phrase):
    assert reason_phrase(code, year=2019, founded_years=founded, reason_vi=reason) == phrase
