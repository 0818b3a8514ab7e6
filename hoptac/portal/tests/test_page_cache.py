"""Public pages come from the cache for anonymous readers, and are never stale: a write shows
on the next view, the CSRF token and the visitor statistics are made per request, and
signed-in users get their own page."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from hoptac.portal import visits
from hoptac.portal.middleware import COOKIE, SEEN_COOKIE
from hoptac.portal.models import Article, VisitDay

pytestmark = pytest.mark.django_db
BROWSER = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:131.0) Gecko/20100101 Firefox/131.0"
BOT = "curl/8.5"  # not counted as a visit: the queries seen are the page's alone


def _page(client: Client, path: str = "/", agent: str = BOT):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, HTTP_USER_AGENT=agent)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def _article(title: str) -> Article:
    from hoptac.portal.choices import ArticleStatus

    return Article.objects.create(
        title=title, slug=f"tin-{Article.objects.count() + 1}", status=ArticleStatus.PUBLISHED
    )


# A test runs inside a transaction that never commits: its writes are made inside `commit()`
# (pytest-django's django_capture_on_commit_callbacks(execute=True)), which runs the hooks a
# commit would run, the versions' bumps among them.


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_an_anonymous_reader_gets_the_page_from_the_cache_with_one_query(make_htx, commit):
    with commit():
        make_htx("HTX Chè Mỹ Phương")
    first, rendering = _page(Client(), "/danh-ba/")
    again, cached = _page(Client(), "/danh-ba/")
    assert cached == 1  # the versions of what the page shows
    assert rendering > 5
    assert _without_tokens(first) == _without_tokens(again)
    assert "HTX Chè Mỹ Phương" in again


def test_a_published_change_shows_on_the_next_view(commit):
    with commit():
        _article("Hội nghị tổng kết")
    assert "Hội nghị tổng kết" in _page(Client(), "/tin-tuc/")[0]
    article = Article.objects.get()
    article.title = "Hội nghị sơ kết sáu tháng"
    with commit():
        article.save()
    page = _page(Client(), "/tin-tuc/")[0]
    assert "Hội nghị sơ kết sáu tháng" in page
    assert "Hội nghị tổng kết" not in page


def test_a_bulk_write_of_the_registry_shows_on_the_next_view(make_htx, commit):
    with commit():
        htx = make_htx("HTX Rau Sạch Nà Phặc")
    assert "HTX Rau Sạch Nà Phặc" in _page(Client(), "/danh-ba/")[0]
    with commit():
        # no model signal: core.changes reports the update
        type(htx).objects.filter(pk=htx.pk).update(name="HTX Rau An Toàn Nà Phặc")
    assert "HTX Rau An Toàn Nà Phặc" in _page(Client(), "/danh-ba/")[0]


def test_each_reader_gets_his_own_working_csrf_token():
    pages = [Client(enforce_csrf_checks=True) for _ in range(2)]
    tokens = []
    for client in pages:
        _page(client)
        html, _ = _page(client)  # from the cache
        token = re.search(r'"X-CSRFToken": "([^"]+)"', html).group(1)
        assert "@@hoptac-hole" not in html
        tokens.append(token)
        response = client.post("/lien-he/", {"name": "An", "message": "x"}, HTTP_X_CSRFTOKEN=token)
        assert response.status_code != 403, response.content.decode()[:2000]
    assert tokens[0] != tokens[1]


def test_languages_are_cached_apart():
    vietnamese = _page(Client(), "/so-do-trang/")[0]
    english = _page(Client(), "/en/so-do-trang/")[0]
    assert 'lang="vi"' in _page(Client(), "/so-do-trang/")[0]
    assert 'lang="en"' in _page(Client(), "/en/so-do-trang/")[0]
    assert vietnamese != english


def test_a_signed_in_officer_never_gets_the_anonymous_page(province_officer):
    anonymous, _ = _page(Client())
    officer = Client()
    officer.force_login(province_officer)
    mine, queries = _page(officer)
    assert queries > 1
    assert province_officer.username in mine or "Nguyễn Thị Thu" in mine
    assert "Nguyễn Thị Thu" not in anonymous


def test_the_visitor_statistics_count_every_new_visit_on_cached_pages():
    VisitDay.objects.create(day=timezone.localdate(), visits=41)
    for expected in (42, 43, 44):
        response = Client().get("/so-do-trang/", HTTP_USER_AGENT=BROWSER)
        assert response.status_code == 200
        shown = _page(Client(), "/so-do-trang/")[0]
        assert f'data-testid="visits-today">{expected}<' in shown


@override_settings(HOPTAC_FRAGMENT_CACHE=False)
def test_switched_off_every_view_renders():
    _page(Client())
    assert _page(Client())[1] > 5


def test_a_fresh_seen_note_spares_the_counter_and_a_forged_one_does_not():
    client = Client()
    client.get("/so-do-trang/", HTTP_USER_AGENT=BROWSER)  # the first view: counted, noted
    assert SEEN_COOKIE in client.cookies
    with CaptureQueriesContext(connection) as queries:
        client.get("/so-do-trang/", HTTP_USER_AGENT=BROWSER)
    counting = [
        q["sql"]
        for q in queries
        if "counted_on" in q["sql"] or q["sql"].startswith(("INSERT", "UPDATE"))
    ]
    assert counting == [], "a page view of a session seen a moment ago reached the counter"

    stranger = Client()
    stranger.cookies[COOKIE] = "another-visitor-token-0001"
    stranger.cookies[SEEN_COOKIE] = client.cookies[SEEN_COOKIE].value  # not his note
    stranger.get("/so-do-trang/", HTTP_USER_AGENT=BROWSER)
    assert VisitDay.objects.get(day=timezone.localdate()).visits == 2


def test_a_seen_note_holds_for_its_session_its_day_and_a_minute():
    now = timezone.now()
    note = visits.seen_hint(token="t" * 20, now=now)
    assert visits.seen_recently(token="t" * 20, hint=note, now=now + timedelta(seconds=30))
    assert not visits.seen_recently(token="u" * 20, hint=note, now=now)
    later = now + timedelta(seconds=visits.TOUCH_SECONDS + 1)
    assert not visits.seen_recently(token="t" * 20, hint=note, now=later)
    assert not visits.seen_recently(token="t" * 20, hint=note, now=now + timedelta(days=1))
    day, seconds, signature = note.split(".")
    forged = f"{day}.{int(seconds) + 30}.{signature}"
    assert not visits.seen_recently(token="t" * 20, hint=forged, now=now + timedelta(seconds=40))


def _without_tokens(html: str) -> str:
    """The page less its CSRF tokens (masked anew on every response)."""
    return re.sub(r"\b[A-Za-z0-9]{64}\b", "", html)


def test_a_page_with_a_real_csrf_token_is_never_stored(settings):
    """Without the hole (here the context processor is missing), the page holds the reader's
    own token: it is served to him and not kept for the next reader."""
    engine = settings.TEMPLATES[0]
    processors = [p for p in engine["OPTIONS"]["context_processors"] if "page_holes" not in p]
    settings.TEMPLATES = [
        {**engine, "OPTIONS": {**engine["OPTIONS"], "context_processors": processors}}
    ]
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    _page(first)
    html, queries = _page(second)
    assert queries > 1  # rendered again, not read from the cache
    token = re.search(r'"X-CSRFToken": "([^"]+)"', html).group(1)
    response = second.post("/lien-he/", {"name": "An", "message": "x"}, HTTP_X_CSRFTOKEN=token)
    assert response.status_code != 403
