"""The fragment cache is exact: versions move when a write commits, once per transaction, and
never come back to a value a fragment was stored under."""

from __future__ import annotations

import socket

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext, override_settings

from hoptac.core import fragments
from hoptac.core.models import CacheVersion


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def _updates(queries: CaptureQueriesContext) -> int:
    return sum(q["sql"].startswith("UPDATE") and "core_cacheversion" in q["sql"] for q in queries)


@pytest.mark.django_db
def test_a_new_namespace_starts_at_a_random_version():
    first = fragments.versions(["a"])["a"]
    CacheVersion.objects.all().delete()  # a flushed table, as between test runs
    again = fragments.versions(["a"])["a"]
    assert first != again
    assert fragments.versions(["a", "b"]).keys() == {"a", "b"}


# A test runs inside a transaction that never commits: `commit()` (pytest-django's
# django_capture_on_commit_callbacks(execute=True)) runs the hooks a commit would run.


@pytest.mark.django_db
def test_a_bump_moves_the_version_once_when_the_transaction_commits(
    django_capture_on_commit_callbacks,
):
    before = fragments.versions(["a"])["a"]
    with (
        CaptureQueriesContext(connection) as queries,
        django_capture_on_commit_callbacks(execute=True) as hooks,
    ):
        for _ in range(500):  # an import of 500 rows
            fragments.bump("a", "b")
        assert fragments.versions(["a"])["a"] == before  # not yet: the data is not visible
    assert fragments.versions(["a"])["a"] == before + 1
    assert len(hooks) == 1
    assert _updates(queries) == 2  # a and b, once each


@pytest.mark.django_db
def test_a_rolled_back_transaction_bumps_nothing_and_the_next_one_bumps_again(
    django_capture_on_commit_callbacks,
):
    before = fragments.versions(["a"])["a"]
    with django_capture_on_commit_callbacks(execute=True) as hooks:
        try:
            with transaction.atomic():
                fragments.bump("a")
                raise RuntimeError
        except RuntimeError:
            pass
    assert (hooks, fragments.versions(["a"])["a"]) == ([], before)
    with django_capture_on_commit_callbacks(execute=True):
        fragments.bump("a")
    assert fragments.versions(["a"])["a"] == before + 1


@pytest.mark.django_db
def test_a_bump_after_a_rolled_back_savepoint_is_registered_again(
    django_capture_on_commit_callbacks,
):
    before = fragments.versions(["a"])["a"]
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                fragments.bump("a")
                raise RuntimeError
        except RuntimeError:
            pass
        fragments.bump("a")  # the savepoint's hook is gone with it; this one must count
    assert fragments.versions(["a"])["a"] == before + 1


@pytest.mark.django_db
def test_a_bump_within_the_transaction_moves_the_version_at_once():
    before = fragments.versions(["a"])["a"]
    fragments.bump_within_transaction("a")
    assert fragments.versions(["a"])["a"] == before + 1


@pytest.mark.django_db
def test_cached_renders_once_per_version(django_capture_on_commit_callbacks):
    calls = []

    def render():
        calls.append(1)
        return f"rendered {len(calls)}"

    assert fragments.cached("box", ["vi"], ["a"], render) == "rendered 1"
    assert fragments.cached("box", ["vi"], ["a"], render) == "rendered 1"
    assert fragments.cached("box", ["en"], ["a"], render) == "rendered 2"
    with django_capture_on_commit_callbacks(execute=True):
        fragments.bump("a")
    assert fragments.cached("box", ["vi"], ["a"], render) == "rendered 3"


@pytest.mark.django_db
@override_settings(HOPTAC_FRAGMENT_CACHE=False)
def test_switched_off_it_renders_every_time():
    calls = []
    for _ in range(3):
        fragments.cached("box", [], ["a"], lambda: calls.append(1))
    assert len(calls) == 3


def _redis_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.3).close()
    except OSError:
        return False
    return True


REDIS = "redis://127.0.0.1:6379/7"
REDIS_CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS}
}


@pytest.mark.skipif(not _redis_up(), reason="no Redis server on 127.0.0.1:6379")
@pytest.mark.django_db
@override_settings(REDIS_URL=REDIS, CACHES=REDIS_CACHES)
def test_with_redis_the_versions_live_there_and_move_at_commit(
    django_capture_on_commit_callbacks,
):
    cache.clear()
    before = fragments.versions(["a"])["a"]
    with django_capture_on_commit_callbacks(execute=True):
        fragments.bump("a")
        fragments.bump("a")
        assert fragments.versions(["a"])["a"] == before
    assert fragments.versions(["a"])["a"] == before + 1
    assert not CacheVersion.objects.filter(name="a").exists()
    cache.clear()  # an evicted version comes back as a new random value
    assert fragments.versions(["a"])["a"] not in (before, before + 1)
    cache.clear()


def test_a_new_release_reads_no_fragment_of_the_old_one(settings, tmp_path):
    (tmp_path / "templates").mkdir()
    page = tmp_path / "templates" / "page.html"
    page.write_text("<p>{{ old }}</p>")
    settings.BASE_DIR = tmp_path
    fragments.release.cache_clear()
    try:
        before = fragments.key_of("page", "/")
        page.write_text("<p>{{ new }}</p>")  # a deploy changes a template
        assert fragments.key_of("page", "/") == before  # this process still renders the old one
        fragments.release.cache_clear()  # the new release's processes start
        assert fragments.key_of("page", "/") != before
    finally:
        fragments.release.cache_clear()
