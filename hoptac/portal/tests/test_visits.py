"""Visitor statistics in one process: what counts as a visit, and the four figures."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from hoptac.portal import visits
from hoptac.portal.middleware import COOKIE
from hoptac.portal.models import VisitDay, Visitor

pytestmark = pytest.mark.django_db
BROWSER = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:131.0) Gecko/20100101 Firefox/131.0"
HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def _get(client, path="/so-do-trang/", agent=BROWSER, **extra):
    return client.get(path, HTTP_USER_AGENT=agent, **extra)


def test_a_session_counts_once_however_many_pages_it_views(client):
    first = _get(client)
    assert COOKIE in first.cookies
    for path in ("/so-do-trang/", "/tin-tuc/", "/gop-y/"):
        _get(client, path)
    assert VisitDay.objects.get().visits == 1
    assert Visitor.objects.count() == 1


def test_each_new_session_is_a_visit():
    from django.test import Client

    for _ in range(3):
        _get(Client())
    assert VisitDay.objects.get().visits == 3


@pytest.mark.parametrize(
    "agent", ["Mozilla/5.0 (compatible; Googlebot/2.1)", "curl/8.5.0", "", "HeadlessChrome/140"]
)
def test_bots_are_not_counted(client, agent):
    response = _get(client, agent=agent)
    assert COOKIE not in response.cookies
    assert not VisitDay.objects.exists()


def test_non_pages_are_not_counted(client):
    _get(client, "/sitemap.xml")
    _get(client, "/robots.txt")
    _get(client, "/khong-co/")
    client.post("/gop-y/", {}, HTTP_USER_AGENT=BROWSER)
    _get(client, "/tin-tuc/", HTTP_HX_REQUEST="true")
    _get(client, "/tin-tuc/", HTTP_SEC_PURPOSE="prefetch")
    assert not VisitDay.objects.exists()


def test_no_address_or_token_is_stored(client):
    response = _get(client, REMOTE_ADDR="203.0.113.77")
    token = response.cookies[COOKIE].value
    stored = " ".join(str(v) for row in Visitor.objects.values() for v in row.values())
    assert "203.0.113.77" not in stored
    assert token not in stored
    assert response.cookies[COOKIE]["httponly"]


def test_the_same_session_counts_again_the_next_day():
    counter = visits.DatabaseCounter()
    day = datetime(2026, 11, 20, 9, 0, tzinfo=HCM)
    assert counter.record("k1", day)
    assert not counter.record("k1", day + timedelta(hours=3))
    assert counter.record("k1", day + timedelta(days=1))
    assert list(VisitDay.objects.order_by("day").values_list("visits", flat=True)) == [1, 1]


def test_today_week_total_and_online_figures():
    counter = visits.DatabaseCounter()
    now = datetime(2026, 11, 22, 10, 0, tzinfo=HCM)  # a Sunday
    VisitDay.objects.create(day=now.date() - timedelta(days=7), visits=100)  # last week
    VisitDay.objects.create(day=now.date() - timedelta(days=6), visits=40)  # this Monday
    for key in ("a", "b", "c"):
        counter.record(key, now - timedelta(minutes=10))  # today, no longer online
    for key in ("d", "e"):
        counter.record(key, now - timedelta(minutes=1))
    counter.record("a", now)  # "a" is back: online again, not a new visit
    assert counter.stats(now) == visits.VisitStats(online=3, today=5, week=45, total=145)


def test_sidebar_shows_the_figures(client):
    VisitDay.objects.create(day=datetime.now(HCM).date(), visits=4219159)
    html = _get(client, agent="curl/8").content.decode()
    assert 'data-testid="visits-total">4.219.159<' in html
    english = _get(client, "/en/so-do-trang/", agent="curl/8").content.decode()
    assert 'data-testid="visits-total">4,219,159<' in english
    assert "Thống kê truy cập" in html
    assert "Đang online" in html


def test_redis_counter_counts_like_the_database(redis_server):
    counter = visits.RedisCounter(redis_server, prefix="t")
    now = datetime(2026, 11, 22, 10, 0, tzinfo=HCM)
    assert counter.record("a", now - timedelta(minutes=10))
    assert not counter.record("a", now)
    assert counter.record("b", now)
    assert counter.record("c", now - timedelta(days=6))  # this Monday
    assert counter.stats(now) == visits.VisitStats(online=2, today=2, week=3, total=3)
    assert not VisitDay.objects.exists()
