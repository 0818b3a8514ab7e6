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


def _unidecode_fold(text: str) -> str:
    """fold() as it was written first: unidecode on the whole text."""
    import re

    from unidecode import unidecode

    return re.sub(r"\s+", " ", unidecode(text or "").lower()).strip()


def test_fold_word_by_word_is_unidecode_of_the_whole_text():
    """fold() folds word by word (remembering each word): the same as unidecode on the whole
    text, for every character of the Vietnamese letters' ranges, every whitespace character
    and characters unidecode spells with spaces."""
    import sys

    spaces = [chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()]
    letters = [chr(c) for start, end in ((0x80, 0x250), (0x300, 0x370), (0x1E00, 0x1F00))
               for c in range(start, end)]  # fmt: skip
    for char in [*letters, *spaces]:
        for text in (f"A{char}b", f" {char} x", char):
            assert fold(text) == _unidecode_fold(text), hex(ord(char))
    for text in (
        "Hợp tác xã Chè Mỹ Phương",
        "Cà phê 咖啡 Đắk Lắk",
        "Nhà\u00a0văn\u2013hoá",
        "Ω ß Æ",
    ):
        assert fold(text) == _unidecode_fold(text)
        assert fold(text) == _unidecode_fold(text)  # remembered words: the same
    assert fold("Cà phê 咖啡") == "ca phe ka pei"  # unidecode's reading
