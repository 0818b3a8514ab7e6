"""Pure rules of the reports: no database."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.utils import translation

from hoptac.reports import messages, rules
from hoptac.reports.choices import ReportStatus
from hoptac.reports.indicators import INDICATORS, RATING_KEYS, REQUIRED_FIELDS

END = datetime(2020, 1, 15, 23, 59, 59, tzinfo=UTC)


def entry(status, submitted=None, missing=0, version=1):
    return rules.DeskEntry(status, submitted, missing, version)


@pytest.mark.parametrize(
    ("action", "status", "allowed"),
    [
        (rules.EDIT, ReportStatus.DRAFT, True),
        (rules.EDIT, ReportStatus.RETURNED, True),
        (rules.EDIT, ReportStatus.SUBMITTED, False),
        (rules.EDIT, ReportStatus.APPROVED, False),
        (rules.SUBMIT, ReportStatus.DRAFT, True),
        (rules.SUBMIT, ReportStatus.SUBMITTED, False),
        (rules.APPROVE, ReportStatus.SUBMITTED, True),
        (rules.APPROVE, ReportStatus.DRAFT, False),
        (rules.RETURN, ReportStatus.SUBMITTED, True),
        (rules.RETURN, ReportStatus.APPROVED, False),
        (rules.CORRECT, ReportStatus.APPROVED, True),
        (rules.CORRECT, ReportStatus.DRAFT, False),
    ],
)
def test_workflow(action, status, allowed):
    assert rules.may_act(action, status) is allowed


def test_older_versions_take_no_action():
    assert not any(
        rules.may_act(a, s, is_current=False) for a in rules.ALLOWED_FROM for s in ReportStatus
    )


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"equity": 10, "liabilities": 5, "total_capital": 16}, "total_capital"),
        ({"borrowed_capital": 6, "liabilities": 5}, "borrowed_capital"),
        ({"workers_members": 6, "workers_count": 5}, "workers_members"),
        (
            {"managers_count": 2, "managers_higher_education": 2, "managers_vocational": 1},
            "managers_count",
        ),
        ({"revenue_from_members": 11, "revenue": 10}, "revenue_from_members"),
        ({"profit_after_tax": 11, "profit_before_tax": 10}, "profit_after_tax"),
    ],
)
def test_report_errors(values, field):
    assert list(rules.report_errors(values)) == [field]


def test_consistent_and_partial_figures_pass():
    assert rules.report_errors({"equity": 10, "liabilities": 5, "total_capital": 15}) == {}
    assert rules.report_errors({"equity": Decimal(-3), "liabilities": 5, "total_capital": 2}) == {}
    assert rules.report_errors({"equity": 10, "total_capital": 99}) == {}  # liabilities unknown
    assert rules.report_errors({"profit_after_tax": -5, "profit_before_tax": -5}) == {}


def test_missing_required():
    assert rules.missing_required({}) == list(REQUIRED_FIELDS)
    full = dict.fromkeys(REQUIRED_FIELDS, 1)
    assert rules.missing_required(full) == []
    assert rules.missing_required({**full, "revenue": None}) == ["revenue"]


def test_deadline_is_in_the_following_year():
    # ND 193/2013 as amended by ND 107/2017: 15 January, covering the previous year.
    assert rules.report_deadline(2019, month=1, day=15) == date(2020, 1, 15)


@pytest.mark.parametrize(
    ("item", "reported", "on_time", "late", "incomplete"),
    [
        (entry(None), False, False, True, False),
        (entry("draft", missing=3), False, False, True, True),
        (entry("draft", missing=0), False, False, True, False),
        (entry("returned", datetime(2020, 1, 5, tzinfo=UTC)), False, False, True, True),
        (entry("submitted", datetime(2020, 1, 15, 20, tzinfo=UTC)), True, True, False, False),
        (entry("approved", datetime(2020, 1, 16, tzinfo=UTC)), True, False, True, False),
        (entry("draft", datetime(2020, 1, 2, tzinfo=UTC), version=2), True, True, False, False),
    ],
)
def test_desk_classes_after_the_deadline(item, reported, on_time, late, incomplete):
    now = datetime(2020, 3, 1, tzinfo=UTC)
    assert rules.is_reported(item) is reported
    assert rules.is_on_time(item, END) is on_time
    assert rules.is_late(item, END, now) is late
    assert rules.is_incomplete(item) is incomplete


def test_nothing_is_late_before_the_deadline():
    assert not rules.is_late(entry(None), END, datetime(2020, 1, 10, tzinfo=UTC))


def test_rates_as_dhis2():
    assert rules.rate(3, 4) == Decimal("75.0")
    assert rules.rate(1, 3) == Decimal("33.3")
    assert rules.rate(0, 0) is None


@pytest.mark.parametrize(
    ("reported", "founded", "flag"),
    [
        (set(), 2010, True),
        ({2018}, 2010, False),
        ({2019}, 2010, False),
        (set(), 2019, False),  # founded in the year: not two years yet
        (set(), 2018, True),  # founded last year: it owed both years
        (set(), None, True),
    ],
)
def test_two_years_without_a_report_flags_for_review(reported, founded, flag):
    assert rules.needs_review(reported, 2019, founded) is flag


def test_rating_keys_are_report_fields():
    fields = {spec.field for spec in INDICATORS}
    assert set(RATING_KEYS.values()) <= fields
    assert set(RATING_KEYS) == {
        "tong_nguon_von",
        "tai_san_chung_khong_chia",
        "doanh_thu",
        "doanh_thu_ke_hoach",
        "loi_nhuan_sau_thue",
        "so_thanh_vien",
        "trich_quy_dau_tu_phat_trien",
        "trich_quy_du_phong_tai_chinh",
    }


def test_each_problem_has_its_message_in_vietnamese():
    values = {"borrowed_capital": 6, "liabilities": 5, "revenue_from_members": 11, "revenue": 10}
    assert rules.report_errors(values) == {
        "borrowed_capital": rules.BORROWED_ABOVE_LIABILITIES,
        "revenue_from_members": rules.MEMBER_REVENUE_ABOVE_REVENUE,
    }
    with translation.override("vi"):
        shown = {name: str(message) for name, message in messages.report_errors(values).items()}
    assert shown == {
        "borrowed_capital": "Vốn vay không được lớn hơn nợ phải trả.",
        "revenue_from_members": "Doanh thu với thành viên không được lớn hơn doanh thu.",
    }
    codes = {code for name, code in vars(rules).items() if name.isupper() and "_ABOVE_" in name}
    codes.add(rules.TOTAL_NOT_EQUITY_PLUS_LIABILITIES)
    assert set(messages.REPORT_ERRORS) == codes
    for message in messages.REPORT_ERRORS.values():
        with translation.override("en"):
            english = str(message)
        with translation.override("vi"):
            assert str(message) != english
