"""Pure rules of the market app. No database."""

from datetime import date

import pytest

from hoptac.market import rules

# (status, starts_on, ends_on, day, in force); also the cases of selectors.active_links, its
# query (test_market_selectors).
LINK_CASES = [
    ("active", date(2019, 1, 1), None, date(2019, 12, 31), True),
    ("active", date(2019, 1, 1), date(2019, 12, 31), date(2019, 12, 31), True),
    ("active", date(2019, 1, 1), date(2019, 12, 30), date(2019, 12, 31), False),
    ("active", date(2020, 1, 1), None, date(2019, 12, 31), False),
    ("suspended", date(2019, 1, 1), None, date(2019, 12, 31), False),
]
LINK_CASE_IDS = ["open-ended", "last-day-included", "ended", "not-started", "suspended"]


@pytest.mark.parametrize(("status", "start", "end", "day", "active"), LINK_CASES, ids=LINK_CASE_IDS)
def test_link_active_on(status, start, end, day, active):
    assert rules.link_active_on(status=status, starts_on=start, ends_on=end, day=day) is active


def test_search_folds_diacritics():
    assert (
        rules.search_text("Chè Shan tuyết", "HTX Đông Nam Dược")
        == "che shan tuyet htx dong nam duoc"
    )
    assert rules.search_words("  ĐÔNG nam ") == ["dong", "nam"]
