"""Browser harness: a live server on a free loopback port, and Debian's Chromium driven by
Playwright's Python package (`npx playwright install` cannot work offline, so the browser
is the system's /usr/bin/chromium, set by HOPTAC_CHROMIUM).

Browser tests do not use the `db` fixture: the live server runs in another thread (and on
PostgreSQL, another connection), so what it must see is committed by `committed` and
removed again after the test.

Every page a browser test opens runs under the site's Content-Security-Policy, and a test fails
(at teardown) when any of its pages reported a violation: a `securitypolicyviolation` event, a
CSP message in Chromium's console, or htmx refusing to evaluate an attribute (`allowEval` is
off). Each browser context is watched, whether made by the `page` fixture or by the test.
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

# Violations reported by the pages of the running test (_no_csp_violations checks them).
CSP_VIOLATIONS: list[str] = []
CSP_WATCH_SCRIPT = """(() => {
  const report = (text) => {
    if (window.__hoptacCspReport) { window.__hoptacCspReport(location.href + ": " + text); }
  };
  document.addEventListener("securitypolicyviolation", (e) => report(
    `${e.effectiveDirective} refused ${e.blockedURI || "inline"} at ` +
    `${e.sourceFile || "?"}:${e.lineNumber}:${e.columnNumber} ${e.sample || ""}`), true);
  document.addEventListener("htmx:evalDisallowedError", (e) => report(
    "htmx needed eval for " + (e.target.outerHTML || "").slice(0, 200)), true);
})();"""


def watch_csp(context) -> None:
    """Report the CSP violations of every page of a browser context into CSP_VIOLATIONS."""

    def on_report(text: str) -> None:
        CSP_VIOLATIONS.append(text)

    def on_console(message) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            CSP_VIOLATIONS.append(f"console: {message.text}")

    context.expose_function("__hoptacCspReport", on_report)
    context.add_init_script(script=CSP_WATCH_SCRIPT)
    context.on("console", on_console)


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
        new_context, new_page = browser.new_context, browser.new_page

        def watched_context(*args, **kwargs):
            context = new_context(*args, **kwargs)
            watch_csp(context)
            return context

        def watched_page(*args, **kwargs):
            page = new_page(*args, **kwargs)
            watch_csp(page.context)  # applies from the page's first navigation on
            return page

        browser.new_context, browser.new_page = watched_context, watched_page
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def _no_csp_violations(request) -> Iterator[None]:
    """Fails a browser test whose pages reported a Content-Security-Policy violation."""
    CSP_VIOLATIONS.clear()
    yield
    if "browser" in request.fixturenames and CSP_VIOLATIONS:
        found = "\n".join(dict.fromkeys(CSP_VIOLATIONS))
        CSP_VIOLATIONS.clear()
        pytest.fail(f"Content-Security-Policy violations:\n{found}")


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
