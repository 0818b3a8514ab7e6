"""The API's docs page (/api/v1/docs) runs Swagger UI in Chromium from the site's own static
files: it renders the schema's operations, under the site's CSP (no violation: the harness
fails the test on one), and not one request leaves the site's host."""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_the_docs_page_loads_without_any_other_host(page, site_url):
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto("/api/v1/docs")
    expect(page.locator(".swagger-ui .information-container")).to_contain_text("hoptac API")
    expect(page.locator(".opblock-tag-section").first).to_be_visible()
    expect(page.get_by_text("/api/v1/cooperatives", exact=True).first).to_be_visible()
    page.wait_for_load_state("networkidle")
    ours = urlsplit(site_url).netloc
    elsewhere = [
        url
        for url in requested
        if urlsplit(url).scheme in ("http", "https") and urlsplit(url).netloc != ours
    ]
    assert elsewhere == []
    assert any(url.endswith("/api/v1/openapi.json") for url in requested)
    assert any("/static/vendor/swagger-ui/swagger-ui-bundle.js" in url for url in requested)
