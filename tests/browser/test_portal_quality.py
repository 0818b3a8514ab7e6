"""Quality of the public portal: the home page's first load stays under 100 KB transferred
(images excluded), axe-core finds no accessibility violation (of any impact), and the
pages are readable without JavaScript.

How the size is measured: Playwright records every response of a fresh tab's first load of
"/"; each body is counted as production sends it: the HTML page as Django renders it
(uncompressed: no GZipMiddleware), and each static file as whitenoise serves it in production,
i.e. its gzip variant (whitenoise.compress.Compressor, level 9) when whitenoise would keep one.
The figures are written to test-artifacts/portal-home-size.json; axe's results to
test-artifacts/portal-axe.json.
"""

import json
from pathlib import Path

import pytest

from tests.browser.fixtures import ARTIFACTS

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
BUDGET = 100 * 1000  # bytes
BROWSER_AGENT = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/140.0.0.0 Safari/537.36"
)


def _world():
    """A published HTX with a certified product, and a published article."""
    from hoptac.areas.models import AdminUnit
    from hoptac.market import services as market
    from hoptac.portal.choices import ArticleStatus
    from hoptac.portal.models import Article
    from hoptac.registry import services as registry

    commune = AdminUnit.objects.get(era="legacy", code="01927")
    htx = registry.cooperative_create(
        by=None, name="HTX Chè Mỹ Phương", tax_code="4799000011", sector="nong_nghiep",
        sub_sector="trong_trot", commune_legacy=commune, is_published=True,
        model_cooperative=True, phone="0209 3811 222", latitude=commune.latitude,
        longitude=commune.longitude,
    )  # fmt: skip
    tea = market.product_save(
        by=None, cooperative=htx, name="Chè Shan tuyết Mỹ Phương", category="tea", unit="kg"
    )
    market.certification_save(by=None, product=tea, kind="ocop", stars=4, year=2019)
    article = Article.objects.create(
        title="Phấn đấu đến năm 2020 có trên 40% hợp tác xã hoạt động hiệu quả",
        slug="phan-dau-2020-chat-luong", summary="Tỉnh Bắc Kạn phấn đấu có 200 hợp tác xã.",
        body="<p>Đến hết tháng 4/2019, tỉnh Bắc Kạn có 167 hợp tác xã.</p>",
        status=ArticleStatus.PUBLISHED,
    )  # fmt: skip
    return [article, htx]


def _production_size(url: str, body: bytes, content_type: str) -> int:
    """The bytes production sends for this body (see the module docstring)."""
    from whitenoise.compress import Compressor

    if "/static/" not in url:
        return len(body)
    path = url.split("?")[0]
    compressor = Compressor(quiet=True)
    if not compressor.should_compress(path):
        return len(body)
    gzipped = compressor.compress_gzip(body)
    return (
        len(gzipped)
        if compressor.is_compressed_effectively("gzip", path, len(body), gzipped)
        else len(body)
    )


def test_home_first_load_is_under_100_kb_without_images(browser, site_url, committed):
    committed(_world)
    context = browser.new_context(base_url=site_url, locale="vi-VN")
    page = context.new_page()
    responses = []
    page.on("response", lambda response: responses.append(response))
    page.goto("/", wait_until="networkidle")
    rows = []
    for response in responses:
        request = response.request
        if request.resource_type in ("image", "media", "font") or response.status >= 300:
            continue
        body = response.body()
        rows.append(
            {
                "url": response.url.removeprefix(site_url),
                "type": request.resource_type,
                "bytes": len(body),
                "transferred": _production_size(
                    response.url, body, response.headers.get("content-type", "")
                ),
            }
        )
    context.close()
    total = sum(row["transferred"] for row in rows)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "portal-home-size.json").write_text(
        json.dumps({"total_transferred": total, "budget": BUDGET, "responses": rows}, indent=1)
    )
    assert any(row["type"] == "document" for row in rows)
    assert any(row["url"].endswith(".css") for row in rows)
    assert total < BUDGET, rows


PAGES = [
    "/",
    "/en/",
    "/tim-kiem/?q=chè",
    "/danh-ba/",
    "/san-pham/",
    "/ban-do/",
    "/tin-tuc/",
    "/tin-tuc/phan-dau-2020-chat-luong/",
    "/gop-y/",
    "/lien-he/",
    "/so-do-trang/",
]


def test_portal_pages_have_no_accessibility_violations(browser, site_url, committed):
    if not AXE.exists():
        pytest.fail(f"axe-core not found at {AXE}: run `npm ci`.")
    htx = committed(_world)[1]
    pages = [*PAGES, f"/danh-ba/{htx.pk}/", f"/san-pham/{htx.products.get().pk}/"]
    context = browser.new_context(base_url=site_url, locale="vi-VN")
    page = context.new_page()
    report = {}
    for url in pages:
        page.goto(url)
        if url == "/ban-do/":
            page.locator(".hoptac-map-ready").wait_for()
        # Evaluated through the DevTools protocol: an added <script> would be inline code,
        # which the site's CSP refuses.
        page.evaluate(AXE.read_text(encoding="utf-8"))
        result = page.evaluate(
            "() => axe.run(document, {resultTypes: ['violations']})"
            ".then(r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
            " nodes: v.nodes.map(n => n.target.join(' '))})))"
        )
        report[url] = result
    context.close()
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "portal-axe.json").write_text(json.dumps(report, indent=1, ensure_ascii=False))
    assert {url: found for url, found in report.items() if found} == {}  # none, of any impact


def test_pages_read_and_work_without_javascript(browser, site_url, committed):
    committed(_world)
    context = browser.new_context(
        base_url=site_url, locale="vi-VN", java_script_enabled=False, user_agent=BROWSER_AGENT
    )
    page = context.new_page()
    try:
        page.goto("/")
        assert page.get_by_test_id("home-chart").is_visible()
        page.get_by_label("Tìm hợp tác xã, sản phẩm và tin tức").fill("che my phuong")
        page.get_by_role("button", name="Tìm kiếm").click()
        assert "HTX Chè Mỹ Phương" in page.get_by_test_id("found-cooperatives").inner_text()
        page.goto("/ban-do/?sector=nong_nghiep")
        page.get_by_test_id("map-table").get_by_text("Huyện Ba Bể").click()  # <details>
        assert "HTX Chè Mỹ Phương" in page.get_by_test_id("map-table").inner_text()
        assert "Bản đồ cần JavaScript" in page.content()  # in <noscript>
        page.goto("/san-pham/?stars=4")
        assert "Chè Shan tuyết Mỹ Phương" in page.get_by_test_id("products").inner_text()
        page.goto("/lien-he/")
        page.get_by_label("Họ và tên").fill("Hà Thị Mai")
        page.get_by_label("Email hoặc điện thoại").fill("mai@example.vn")
        page.get_by_label("Tiêu đề").fill("Hỏi về hồ sơ thành lập HTX")
        page.get_by_label("Nội dung").fill("Xin hướng dẫn hồ sơ.")
        page.get_by_role("button", name="Gửi", exact=True).click()
        assert "Cảm ơn bạn" in page.get_by_role("status").inner_text()
    finally:
        context.close()
        committed(_leftovers)


def _leftovers():
    from hoptac.portal.models import Message, VisitDay, Visitor

    return [*Message.objects.all(), *VisitDay.objects.all(), *Visitor.objects.all()]
