"""fold(): Vietnamese text without diacritics, for search."""

import pytest

from hoptac.core.text import fold


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Chợ Đồn", "cho don"),
        ("Xã Lương Bằng", "xa luong bang"),
        ("TỈNH  BẮC\tKẠN ", "tinh bac kan"),
        ("đặc khu Phú Quốc", "dac khu phu quoc"),
        ("", ""),
    ],
)
def test_fold_drops_diacritics_case_and_extra_spaces(text, folded):
    assert fold(text) == folded


def test_fold_of_query_matches_fold_of_name():
    assert fold("cho don") == fold("Chợ Đồn")
