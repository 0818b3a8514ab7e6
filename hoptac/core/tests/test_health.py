"""/healthz and /readyz (hoptac.core.health, hoptac.indicators.tally.health)."""

from datetime import timedelta

import pytest
from django.core.cache.backends.base import BaseCache
from django.db.models import F
from django.utils import timezone

from hoptac.indicators.models import TallyMark, TallyState
from hoptac.indicators.tally import building
from hoptac.portal.models import VisitDay, Visitor

pytestmark = pytest.mark.django_db


class UnreachableCache(BaseCache):
    """A cache server that does not answer (as Redis when it is down)."""

    def __init__(self, location, params):
        super().__init__(params)

    def set(self, *args, **kwargs):
        raise ConnectionError("cache server down")

    get = add = delete = set


def with_default_cache(settings, backend: str) -> None:
    settings.CACHES = {**settings.CACHES, "default": {"BACKEND": backend}}


def test_healthz_answers_without_the_database_or_a_session(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert not response.cookies  # no session, CSRF or visitor cookie
    assert "no-store" in response["Cache-Control"]


def test_readyz_reports_every_check_and_is_ready(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["failing"] == []
    assert set(body["checks"]) == {"database", "cache", "tally", "jobs"}
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["cache"]["ok"] is True
    assert body["checks"]["jobs"] is None  # reserved for the job queue's lag
    assert body["checks"]["tally"] == {
        "ok": True,
        "built": False,
        "years": None,
        "current_year": False,
        "built_at": None,
        "refreshed_at": None,
        "marks_waiting": 0,
        "oldest_mark_at": None,
        "behind_seconds": 0.0,
        "stale_after_seconds": None,
        "ms": body["checks"]["tally"]["ms"],
    }


def test_health_urls_need_no_sign_in_set_no_cookie_and_count_no_visit(client):
    before = (VisitDay.objects.count(), Visitor.objects.count())
    for url in ("/healthz", "/readyz"):
        response = client.get(url, HTTP_USER_AGENT="Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0")
        assert response.status_code == 200, url  # not a redirect to the sign-in page
        assert not response.cookies
        assert response["Content-Type"] == "application/json"
    assert (VisitDay.objects.count(), Visitor.objects.count()) == before


def test_health_urls_are_outside_the_language_prefix(client):
    assert client.get("/en/healthz").status_code == 404
    assert client.get("/en/readyz").status_code == 404


def test_health_urls_need_no_csrf_token_and_refuse_writes():
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    assert client.head("/readyz").status_code == 200
    assert client.post("/readyz").status_code == 405  # method not allowed, not a CSRF 403


def test_readyz_is_503_naming_the_cache_when_it_loses_what_was_set(client, settings):
    with_default_cache(settings, "django.core.cache.backends.dummy.DummyCache")
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["failing"] == ["cache"]
    assert body["checks"]["cache"]["error"] == "the cache did not return the value just set"
    assert body["checks"]["database"]["ok"] is True


def test_readyz_reports_an_unreachable_cache_by_its_error_class_only(client, settings):
    with_default_cache(settings, f"{__name__}.UnreachableCache")
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["failing"] == ["cache"]
    assert response.json()["checks"]["cache"]["error"] == "ConnectionError"
    assert b"cache server down" not in response.content  # the text may name hosts


def _waiting_mark(minutes_ago: int) -> None:
    TallyState.objects.create(
        first_year=2020, last_year=timezone.localdate().year, built_at=timezone.now()
    )
    mark = TallyMark.objects.create(commune=None, since=2024)
    TallyMark.objects.filter(pk=mark.pk).update(
        marked_at=F("marked_at") - timedelta(minutes=minutes_ago)
    )


def test_readyz_reports_a_stale_tally_without_failing_by_default(client, settings):
    assert settings.HOPTAC_TALLY_STALE_MINUTES == 0
    _waiting_mark(minutes_ago=120)
    response = client.get("/readyz")
    assert response.status_code == 200
    tally = response.json()["checks"]["tally"]
    assert tally["built"] is True
    assert tally["current_year"] is True
    assert tally["marks_waiting"] == 1
    assert tally["behind_seconds"] >= 120 * 60
    assert tally["stale_after_seconds"] is None


def test_readyz_fails_when_the_tally_is_behind_longer_than_the_setting(client, settings):
    settings.HOPTAC_TALLY_STALE_MINUTES = 60
    _waiting_mark(minutes_ago=120)
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["tally"]
    assert body["checks"]["tally"]["marks_waiting"] == 1
    assert body["checks"]["tally"]["stale_after_seconds"] == 3600

    settings.HOPTAC_TALLY_STALE_MINUTES = 180  # behind by 2 hours: within 3
    assert client.get("/readyz").status_code == 200


def test_a_tally_refresh_records_when_it_ran(settings):
    settings.HOPTAC_TALLY_YEARS = 0  # one year: the refresh is quick
    state = TallyState.objects.create(
        first_year=timezone.localdate().year,
        last_year=timezone.localdate().year,
        built_at=timezone.now() - timedelta(days=3),
    )
    TallyMark.objects.create(commune=None, since=0)
    assert building.refresh() == 1
    state.refresh_from_db()
    assert state.refreshed_at is not None
    assert timezone.now() - state.refreshed_at < timedelta(minutes=1)
    assert not TallyMark.objects.exists()
