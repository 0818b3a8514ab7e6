"""Browser harness: a live server on a free loopback port, and Debian's Chromium driven by
Playwright's Python package (`npx playwright install` cannot work offline, so the browser
is the system's /usr/bin/chromium, set by HOPTAC_CHROMIUM).

Browser tests do not use the `db` fixture: the live server runs in another thread (and on
PostgreSQL, another connection), so what it must see is committed by `committed` and
removed again after the test.
"""

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("HOPTAC_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent.parent.parent / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def site_url(django_db_setup, django_db_blocker) -> Iterator[str]:
    """The base URL of a live hoptac server over the test database, for the whole run."""
    from pytest_django.live_server_helper import LiveServer

    with django_db_blocker.unblock():
        server = LiveServer("127.0.0.1:0")
        yield server.url
        server.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=20_000)  # as the page's default: the 2-core machine may be busy

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make test`, which installs it.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, site_url) -> Iterator[object]:
    """A fresh browser tab (own cookies) whose relative URLs go to the live server."""
    context = browser.new_context(
        base_url=site_url, locale="vi-VN", viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(20_000)  # the 2-core CI machine may be busy
    yield page
    context.close()


@pytest.fixture
def committed(django_db_blocker) -> Iterator[Callable[..., object]]:
    """`committed(fn)` runs fn() outside any test transaction (so the live server sees its
    rows) and deletes the objects it returns after the test."""
    created: list[object] = []

    def run(fn: Callable[[], object]) -> object:
        with django_db_blocker.unblock():
            result = fn()
        created.extend(result if isinstance(result, list | tuple) else [result])
        return result

    yield run
    with django_db_blocker.unblock():
        for obj in reversed(created):
            obj.delete()


@pytest.fixture
def screenshot(page) -> Callable[[str], Path]:
    """Save a full-page screenshot under test-artifacts/ and return its path."""

    def take(name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
