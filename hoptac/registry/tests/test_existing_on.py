"""CooperativeQuerySet.existing_on: the one definition of "the organisations existing on a
date", which the registry, support, market, indicators and portal all read."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from hoptac.registry import rules, services
from hoptac.registry.choices import EXISTING_STATUSES, Status
from hoptac.registry.models import Cooperative, StatusChange
from hoptac.registry.tests.factories import CooperativeFactory, legacy_unit

pytestmark = pytest.mark.django_db

PAST = date(2026, 1, 1)  # the `today` the changes below are recorded on


def existing(on, **kwargs):
    qs = Cooperative.objects.existing_on(on, **kwargs)
    return sorted(qs.values_list("name", flat=True))


def change(cooperative, status, on):
    services.cooperative_change_status(
        cooperative=cooperative, status=status, effective_on=on, by=None, today=PAST
    )


def test_founded_after_the_date_does_not_exist_yet(db):
    CooperativeFactory(name="HTX Mới", founded_on=date(2020, 2, 1))
    assert existing(date(2020, 1, 31)) == []
    assert existing(date(2020, 2, 1)) == ["HTX Mới"]  # from its first day
    # Registration, when given, is the day it begins (the first status change).
    CooperativeFactory(
        name="HTX Đăng ký", founded_on=date(2018, 1, 1), registered_on=date(2019, 5, 1)
    )
    assert existing(date(2019, 4, 30)) == []
    assert existing(date(2019, 5, 1)) == ["HTX Đăng ký"]


def test_ended_before_the_date_no_longer_exists(db):
    gone = CooperativeFactory(name="HTX Giải thể", founded_on=date(2010, 1, 1))
    change(gone, Status.DISSOLVING, date(2021, 3, 15))
    change(gone, Status.DISSOLVED, date(2022, 1, 10))
    broke = CooperativeFactory(name="HTX Phá sản", founded_on=date(2010, 1, 1))
    change(broke, Status.BANKRUPTCY, date(2020, 6, 1))
    change(broke, Status.BANKRUPT, date(2021, 6, 1))
    assert existing(date(2021, 5, 31)) == ["HTX Giải thể", "HTX Phá sản"]  # in bankruptcy
    assert existing(date(2021, 6, 1)) == ["HTX Giải thể"]  # bankrupt that day
    assert existing(date(2022, 1, 9)) == ["HTX Giải thể"]  # being dissolved still counts
    assert existing(date(2022, 1, 10)) == []  # dissolved that day
    assert existing(timezone.localdate()) == []  # today: the stored status says the same


def test_status_changes_around_the_date_agree_with_the_history_rule(db):
    """Every form (past day with or without the status, today) selects exactly those whose
    status that day by rules.status_at is an existing one, and `status_then` is that status."""
    first = CooperativeFactory(name="HTX Tạm ngừng", founded_on=date(2012, 4, 1))
    change(first, Status.SUSPENDED, date(2015, 1, 1))
    change(first, Status.ACTIVE, date(2016, 1, 1))
    change(first, Status.DISSOLVING, date(2016, 1, 1))  # same day: the later recorded wins
    change(first, Status.DISSOLVED, date(2018, 7, 1))
    second = CooperativeFactory(name="HTX Không địa chỉ", founded_on=date(2014, 1, 1))
    change(second, Status.NOT_AT_ADDRESS, date(2017, 1, 1))
    change(second, Status.REVOKED, date(2019, 1, 1))
    CooperativeFactory(name="HTX Mới", founded_on=date(2018, 7, 1))
    days = [date(2012, 3, 31), date(2012, 4, 1), date(2015, 6, 1), date(2016, 1, 1)]
    days += [date(2018, 6, 30), date(2018, 7, 1), date(2020, 1, 1), timezone.localdate()]
    for on in days:
        expected = {}
        for cooperative in Cooperative.objects.all():
            status = rules.status_at(cooperative.status_changes.order_by("pk"), on)
            if status in EXISTING_STATUSES:
                expected[cooperative.name] = status
        assert existing(on) == sorted(expected), on
        with_status = Cooperative.objects.existing_on(on, with_status=True)
        assert dict(with_status.values_list("name", "status_then")) == expected, on
    assert existing(date(2016, 1, 1)) == ["HTX Không địa chỉ", "HTX Tạm ngừng"]
    assert existing(date(2018, 7, 1)) == ["HTX Không địa chỉ", "HTX Mới"]


def test_without_dates_it_exists_from_the_day_it_was_recorded(db):
    CooperativeFactory(name="HTX Không ngày", founded_on=None, registered_on=None)
    today = timezone.localdate()
    assert StatusChange.objects.get().effective_on == today
    assert existing(today - timedelta(days=1)) == []
    assert existing(today) == ["HTX Không ngày"]
    assert existing(today + timedelta(days=30)) == ["HTX Không ngày"]


def test_no_history_did_not_exist_on_a_past_day(db):
    """A row written around the services (no status change at all) never existed on a past
    day, whatever its stored status."""
    Cooperative.objects.create(
        name="HTX Ngoài sổ", status=Status.ACTIVE, commune_legacy=legacy_unit("02062")
    )
    assert existing(date(2020, 1, 1)) == []
    assert existing(date(2020, 1, 1), with_status=True) == []


def test_it_narrows_any_queryset_of_the_registry(db):
    CooperativeFactory(name="HTX Lương Bằng", founded_on=date(2015, 1, 1))
    CooperativeFactory(
        name="HTX Nghĩa Tá", founded_on=date(2015, 1, 1), commune_legacy=legacy_unit("02071")
    )
    qs = Cooperative.objects.filter(commune_legacy=legacy_unit("02071"))
    assert list(qs.existing_on(date(2016, 1, 1)).values_list("name", flat=True)) == ["HTX Nghĩa Tá"]
    assert qs.existing_on(date(2014, 12, 31)).count() == 0
