"""Visitor statistics (Thống kê truy cập): online now, today, this week, all time.

A visit is the first page view of a browser session on a day; the session is known by a
random token in a cookie, stored only as a salted hash (rules.visitor_hash). Crawlers and
scripted clients (rules.is_bot) are not counted. Counts stay exact with several app processes
and concurrent requests:

- the database (default): the day's row is incremented with UPDATE … SET visits = visits + 1
  (an F expression), and a session's visit is claimed with a conditional UPDATE (or the unique
  INSERT of its row), so two requests can never both count the same session;
- Redis, when REDIS_URL is set: SET NX claims the session's day, INCR counts, a sorted set
  holds who was active when.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from typing import Protocol

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from hoptac.core import fragments
from hoptac.portal import rules
from hoptac.portal.models import VisitDay, Visitor

log = logging.getLogger(__name__)
NAMESPACE = "visits"  # core.fragments: the cached statistics box
TOUCH_SECONDS = 60  # "last seen" is refreshed at most once a minute per session
KEEP_VISITORS_DAYS = 2  # session rows older than this are deleted once a day


@dataclass(frozen=True, slots=True)
class VisitStats:
    online: int
    today: int
    week: int
    total: int


class Counter(Protocol):
    def record(self, key: str, now: datetime) -> bool: ...

    def stats(self, now: datetime) -> VisitStats: ...


def _relax_commit() -> None:
    """Let this transaction's commit return before its WAL reaches the disk (PostgreSQL's
    synchronous_commit off, for this transaction only). A page view then waits for no disk
    flush (6 ms on the benchmark's machine); a crash of the database server may lose the
    visits of its last fraction of a second, never count one twice. SQLite in WAL mode with
    synchronous=NORMAL (the settings) already behaves so."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


class DatabaseCounter:
    """Counts in the tables VisitDay and Visitor (SQLite or PostgreSQL)."""

    def record(self, key: str, now: datetime) -> bool:
        """Record a page view of session `key`; True when it began the session's visit today."""
        today = timezone.localdate(now)
        stale = now - timedelta(seconds=TOUCH_SECONDS)
        # Most page views are of a session already counted today and seen a moment ago: one
        # read, no transaction, no write.
        seen = Visitor.objects.filter(key=key).values_list("counted_on", "last_seen").first()
        if seen is not None and seen[0] == today and seen[1] >= stale:
            return False
        with transaction.atomic():
            _relax_commit()
            if seen is None:
                new = self._insert(key, now, today)
            elif seen[0] != today:
                new = self._claim(key, now, today)
            else:
                new = False
                Visitor.objects.filter(key=key, last_seen__lt=stale).update(last_seen=now)
            if new:
                self._count(today, now)
                fragments.bump_within_transaction(NAMESPACE)
        return new

    @staticmethod
    def _claim(key: str, now: datetime, today: date) -> bool:
        """Mark today's visit of an existing session; only one concurrent request wins."""
        claimed = (
            Visitor.objects.filter(key=key)
            .exclude(counted_on=today)
            .update(counted_on=today, last_seen=now)
        )
        return claimed == 1

    def _insert(self, key: str, now: datetime, today: date) -> bool:
        try:
            with transaction.atomic():
                Visitor.objects.create(key=key, last_seen=now, counted_on=today)
        except IntegrityError:  # another request of the same session inserted it first
            return self._claim(key, now, today)
        return True

    @staticmethod
    def _count(today: date, now: datetime) -> None:
        if VisitDay.objects.filter(day=today).update(visits=F("visits") + 1):
            return
        try:
            with transaction.atomic():
                VisitDay.objects.create(day=today, visits=1)
        except IntegrityError:  # created meanwhile by another process
            VisitDay.objects.filter(day=today).update(visits=F("visits") + 1)
            return
        # The first visit of a day: forget sessions not seen for a while.
        cutoff = now - timedelta(days=KEEP_VISITORS_DAYS)
        Visitor.objects.filter(last_seen__lt=cutoff).delete()

    def stats(self, now: datetime) -> VisitStats:
        """The four figures in one statement (every page shows them)."""
        today = timezone.localdate(now)
        ops = connection.ops
        day, visitor = VisitDay._meta.db_table, Visitor._meta.db_table
        sql = (
            f"SELECT COALESCE(SUM(visits), 0),"  # noqa: S608  (table names from the models)
            f" COALESCE(SUM(CASE WHEN day >= %s THEN visits END), 0),"
            f" COALESCE(SUM(CASE WHEN day = %s THEN visits END), 0),"
            f" (SELECT COUNT(*) FROM {visitor} WHERE last_seen >= %s)"
            f" FROM {day}"
        )
        since = now - timedelta(minutes=rules.ONLINE_MINUTES)
        params = [
            ops.adapt_datefield_value(rules.week_start(today)),
            ops.adapt_datefield_value(today),
            ops.adapt_datetimefield_value(since),
        ]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            total, week, today_visits, online = cursor.fetchone()
        return VisitStats(
            online=int(online), today=int(today_visits), week=int(week), total=int(total)
        )


class RedisCounter:
    """Counts in Redis (REDIS_URL): for several app servers without database writes."""

    def __init__(self, url: str, prefix: str = "hoptac:visits") -> None:
        import redis

        self.client = redis.Redis.from_url(url)
        self.prefix = prefix

    def _day_key(self, day: date) -> str:
        return f"{self.prefix}:day:{day.isoformat()}"

    def record(self, key: str, now: datetime) -> bool:
        today = timezone.localdate(now)
        online = f"{self.prefix}:online"
        pipe = self.client.pipeline()
        pipe.set(f"{self.prefix}:seen:{today.isoformat()}:{key}", 1, nx=True, ex=2 * 86400)
        pipe.zadd(online, {key: now.timestamp()})
        pipe.zremrangebyscore(online, "-inf", now.timestamp() - 3600)
        new = bool(pipe.execute()[0])
        if new:
            pipe = self.client.pipeline()
            pipe.incr(self._day_key(today))
            pipe.incr(f"{self.prefix}:total")
            pipe.execute()
            fragments.bump(NAMESPACE)
        return new

    def stats(self, now: datetime) -> VisitStats:
        today = timezone.localdate(now)
        monday = rules.week_start(today)
        days = [monday + timedelta(days=n) for n in range((today - monday).days + 1)]
        since = now.timestamp() - rules.ONLINE_MINUTES * 60
        pipe = self.client.pipeline()
        pipe.zcount(f"{self.prefix}:online", since, "+inf")
        pipe.mget([self._day_key(day) for day in days])
        pipe.get(f"{self.prefix}:total")
        online, week, total = pipe.execute()
        week_counts = [int(value or 0) for value in week]
        return VisitStats(
            online=int(online),
            today=week_counts[-1],
            week=sum(week_counts),
            total=int(total or 0),
        )


@cache
def _redis_counter(url: str) -> RedisCounter:
    return RedisCounter(url)


def counter() -> Counter:
    """The counter in use: Redis when REDIS_URL is set, else the database."""
    url = getattr(settings, "REDIS_URL", "")
    return _redis_counter(url) if url else DatabaseCounter()


def visit_record(*, token: str, now: datetime | None = None) -> bool:
    """Record a page view of the session whose cookie holds `token`. A new visit also moves
    the version of the statistics' cached box (namespace "visits")."""
    key = rules.visitor_hash(f"{settings.SECRET_KEY}:portal-visits", token)
    return counter().record(key, now or timezone.now())


def seen_hint(*, token: str, now: datetime) -> str:
    """A signed note for the browser: session `token` was counted on this day and seen now.
    While it is fresh, the session's page views need not reach the counter at all."""
    stamp = f"{timezone.localdate(now).isoformat()}.{int(now.timestamp())}"
    return f"{stamp}.{_hint_signature(token, stamp)}"


def seen_recently(*, token: str, hint: str, now: datetime) -> bool:
    """True when `hint` (from `seen_hint`) is this session's, of today, and less than
    TOUCH_SECONDS old: the counter already has this page view's day and "online" time."""
    day, _, rest = hint.partition(".")
    seconds, _, signature = rest.partition(".")
    if not (seconds.isdigit() and day == timezone.localdate(now).isoformat()):
        return False
    if not 0 <= now.timestamp() - int(seconds) < TOUCH_SECONDS:
        return False
    return constant_time_compare(signature, _hint_signature(token, f"{day}.{seconds}"))


def _hint_signature(token: str, stamp: str) -> str:
    return salted_hmac("hoptac.portal.visits.seen", f"{token}.{stamp}").hexdigest()[:24]


def visit_stats(*, now: datetime | None = None) -> VisitStats:
    """The four figures of the sidebar."""
    return counter().stats(now or timezone.now())
