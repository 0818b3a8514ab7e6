"""The browser harness sees Content-Security-Policy violations (tests/browser/fixtures.py), and
the site's own policy refuses inline code: a page served with the site's header that holds an
inline script and an event handler is reported, and neither runs."""

import pytest
from playwright.sync_api import expect

from tests.browser.fixtures import CSP_VIOLATIONS

pytestmark = pytest.mark.browser

PROBE = """<!DOCTYPE html><html><head><title>probe</title></head><body>
<script>document.title = "inline script ran";</script>
<button type="button" onclick="document.title = 'handler ran'">probe</button>
</body></html>"""


def _violations(page, *wanted: str) -> list[str]:
    """The reports so far, once one naming each of `wanted` arrived (they come asynchronously)."""
    for _ in range(50):
        if all(any(w in v for v in CSP_VIOLATIONS) for w in wanted):
            break
        page.wait_for_timeout(100)
    return list(CSP_VIOLATIONS)


def test_the_sites_policy_refuses_inline_code_and_the_harness_reports_it(page):
    policy = page.request.get("/").headers["content-security-policy"]
    assert "script-src 'self'" in policy
    page.route(
        "**/csp-probe/",
        lambda route: route.fulfill(
            status=200,
            content_type="text/html",
            headers={"Content-Security-Policy": policy},
            body=PROBE,
        ),
    )
    page.goto("/csp-probe/")
    page.get_by_role("button", name="probe").click()
    expect(page).to_have_title("probe")  # neither the script nor the handler ran
    found = _violations(page, "script-src-elem refused inline", "script-src-attr refused inline")
    CSP_VIOLATIONS.clear()  # expected here: the teardown check must not fail this test
    assert any("script-src-elem refused inline" in v for v in found), found
    assert any("script-src-attr refused inline" in v for v in found), found


def test_htmx_runs_without_eval(page):
    page.goto("/")
    assert page.evaluate("htmx.config.allowEval") is False
    assert page.evaluate("htmx.config.includeIndicatorStyles") is True
