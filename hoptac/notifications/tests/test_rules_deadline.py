"""The day arithmetic of the deadline notices (reports.rules), without a database."""

from datetime import date

import pytest

from hoptac.reports.rules import deadline_notices, parse_notice_days


@pytest.mark.parametrize(
    ("text", "days"),
    [("14,3", [14, 3]), ("3, 14", [14, 3]), ("7", [7]), ("0", [0]), ("3,3", [3])],
)
def test_notice_days_are_read_from_the_setting(text, days):
    assert parse_notice_days(text) == days


@pytest.mark.parametrize("text", ["", "a", "-1", "367", "3;14", "1.5"])
def test_bad_notice_days_are_refused(text):
    with pytest.raises(ValueError):  # noqa: PT011
        parse_notice_days(text)


@pytest.mark.parametrize(
    ("today", "days", "expected"),
    [
        # 15 January 2026 is the deadline of the 2025 report (Nghị định 107/2017/NĐ-CP)
        (date(2026, 1, 1), [14, 3], [(2025, 14, date(2026, 1, 15))]),
        (date(2026, 1, 12), [14, 3], [(2025, 3, date(2026, 1, 15))]),
        (date(2026, 1, 2), [14, 3], []),  # 13 days: neither
        (date(2026, 1, 15), [0], [(2025, 0, date(2026, 1, 15))]),
        (date(2025, 12, 16), [30], [(2025, 30, date(2026, 1, 15))]),  # across the new year
        (date(2025, 12, 16), [31], []),
    ],
)
def test_deadline_notices_fall_exactly_n_days_before(today, days, expected):
    assert deadline_notices(today, days, month=1, day=15) == expected


def test_deadline_notices_count_the_leap_day():
    # a deadline of 1 March: 14 days before is 16 February in 2024 (29 days), 15 in 2025
    assert deadline_notices(date(2024, 2, 16), [14], month=3, day=1) == [
        (2023, 14, date(2024, 3, 1))
    ]
    assert deadline_notices(date(2025, 2, 15), [14], month=3, day=1) == [
        (2024, 14, date(2025, 3, 1))
    ]
