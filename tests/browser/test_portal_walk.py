"""A citizen walks the public portal: home → search "chè" → HTX profile → product → map →
feedback sent; an officer answers it; the answer is published. Screenshots of each step go to
test-artifacts/portal-*.png."""

import pytest

from conftest import TEST_PASSWORD

pytestmark = pytest.mark.browser

# A desktop browser: the portal does not count HeadlessChrome (a crawler's user agent) as a
# visitor, so the citizen's tab says what a person's browser says.
CITIZEN_AGENT = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/140.0.0.0 Safari/537.36"
)
SUBJECT = "Mua chè Shan tuyết số lượng lớn"
ANSWER = "HTX Chè Mỹ Phương nhận đơn hàng lớn; vui lòng gọi số điện thoại trên trang của HTX."


def _world():
    """Two published HTX of Bắc Kạn (one a tea maker with a certified tea), an article and a
    provincial officer."""
    from hoptac.accounts.models import User
    from hoptac.areas.models import AdminUnit
    from hoptac.market import services as market
    from hoptac.portal.choices import ArticleStatus
    from hoptac.portal.models import Article
    from hoptac.registry import services as registry

    def unit(code):
        return AdminUnit.objects.get(era="legacy", code=code)

    my_phuong = unit("01927")
    tea_htx = registry.cooperative_create(
        by=None, name="HTX Chè Mỹ Phương", tax_code="4799000001", sector="nong_nghiep",
        sub_sector="trong_trot", commune_legacy=my_phuong, is_published=True,
        model_cooperative=True, phone="0209 3811 222", representative_name="Hoàng Thị Thu",
        representative_title="Giám đốc", latitude=my_phuong.latitude,
        longitude=my_phuong.longitude, business_lines="Trồng, chế biến và tiêu thụ chè",
    )  # fmt: skip
    other = registry.cooperative_create(
        by=None, name="HTX Miến dong Cao Phong", tax_code="4799000002", sector="nong_nghiep",
        sub_sector="trong_trot", commune_legacy=unit("02047"), is_published=True,
    )  # fmt: skip
    tea = market.product_save(
        by=None, cooperative=tea_htx, name="Chè Shan tuyết Mỹ Phương", category="tea",
        unit="kg", season="Tháng 3 – 11",
    )  # fmt: skip
    market.certification_save(by=None, product=tea, kind="ocop", stars=4, year=2019)
    market.certification_save(by=None, product=tea, kind="vietgap", year=2018)
    article = Article.objects.create(
        title="Phấn đấu đến năm 2020 có trên 40% hợp tác xã hoạt động hiệu quả",
        slug="phan-dau-den-nam-2020", summary="Tỉnh Bắc Kạn phấn đấu có 200 hợp tác xã.",
        body="<p>Đến hết tháng 4/2019, tỉnh Bắc Kạn có 167 hợp tác xã.</p>",
        status=ArticleStatus.PUBLISHED, search_text="phan dau 2020 hop tac xa",
    )  # fmt: skip
    officer = User(
        username="portal.officer", full_name="Nguyễn Thị Thu", role="province_officer",
        area=unit("06"),
    )  # fmt: skip
    officer.set_password(TEST_PASSWORD)
    officer.save()
    return [officer, article, tea_htx, other]


def _leftovers():
    """What the walk itself wrote: the message and the visit counts."""
    from hoptac.portal.models import Message, VisitDay, Visitor

    return [*Message.objects.all(), *VisitDay.objects.all(), *Visitor.objects.all()]


def test_citizen_finds_tea_sends_feedback_and_reads_the_published_answer(
    browser, site_url, page, committed
):
    from playwright.sync_api import expect

    committed(_world)
    context = browser.new_context(
        base_url=site_url,
        locale="vi-VN",
        user_agent=CITIZEN_AGENT,
        viewport={"width": 1280, "height": 900},
    )
    citizen = context.new_page()
    try:
        _walk(citizen, page, expect)
    finally:
        context.close()
        committed(_leftovers)


def _shot(tab, name):
    from tests.browser.fixtures import ARTIFACTS

    ARTIFACTS.mkdir(exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def _walk(citizen, officer, expect):
    # Home: the province's figures, the chart, news and model HTX; a search box.
    citizen.goto("/")
    expect(citizen.get_by_test_id("figure-cooperatives")).not_to_have_text("0")
    expect(citizen.get_by_test_id("home-chart")).to_be_visible()
    expect(citizen.get_by_test_id("featured")).to_contain_text("HTX Chè Mỹ Phương")
    _shot(citizen, "portal-1-home")

    citizen.get_by_label("Tìm hợp tác xã, sản phẩm và tin tức").fill("chè")
    citizen.get_by_role("button", name="Tìm kiếm").click()
    expect(citizen.get_by_test_id("found-products")).to_contain_text("Chè Shan tuyết Mỹ Phương")
    found = citizen.get_by_test_id("found-cooperatives")
    expect(found).to_contain_text("HTX Chè Mỹ Phương")
    expect(found).not_to_contain_text("HTX Miến dong Cao Phong")
    _shot(citizen, "portal-2-search")

    found.get_by_role("link", name="HTX Chè Mỹ Phương").click()
    expect(citizen.get_by_test_id("profile-name")).to_have_text("HTX Chè Mỹ Phương")
    expect(citizen.get_by_test_id("profile-contact")).to_contain_text("0209 3811 222")
    _shot(citizen, "portal-3-profile")

    citizen.get_by_test_id("profile-products").get_by_role(
        "link", name="Chè Shan tuyết Mỹ Phương"
    ).click()
    expect(citizen.get_by_test_id("product-name")).to_have_text("Chè Shan tuyết Mỹ Phương")
    expect(citizen.get_by_test_id("certifications")).to_contain_text("OCOP 4★ (2019)")
    _shot(citizen, "portal-4-product")

    citizen.get_by_role("link", name="Hợp tác xã trên bản đồ của tỉnh").click()
    expect(citizen.locator(".hoptac-map-ready")).to_be_visible()  # Leaflet drew it, no tiles
    assert citizen.locator(".leaflet-tile").count() == 0
    expect(citizen.get_by_test_id("map-count")).to_contain_text("2 hợp tác xã")
    _shot(citizen, "portal-5-map")
    table = citizen.get_by_test_id("map-table")
    table.get_by_text("Huyện Ba Bể").click()  # open the district
    table.get_by_role("link", name="HTX Chè Mỹ Phương").click()
    expect(citizen.get_by_test_id("profile-name")).to_have_text("HTX Chè Mỹ Phương")

    # Feedback: the form, sent; the question waits for an officer.
    citizen.get_by_role("link", name="Góp ý", exact=True).first.click()
    citizen.get_by_label("Họ và tên").fill("Nông Văn Dân")
    citizen.get_by_label("Email hoặc điện thoại").fill("0912 345 678")
    citizen.get_by_label("Tiêu đề").fill(SUBJECT)
    citizen.get_by_label("Nội dung").fill("HTX có nhận đơn hàng 500 kg chè mỗi tháng không?")
    citizen.get_by_role("button", name="Gửi", exact=True).click()
    expect(citizen.get_by_role("status")).to_contain_text("Cảm ơn bạn")
    expect(citizen.get_by_test_id("published-questions")).not_to_contain_text(SUBJECT)
    expect(citizen.get_by_test_id("visits-today")).not_to_have_text("0")
    _shot(citizen, "portal-6-feedback-sent")

    # An officer of the province answers and publishes it.
    officer.goto("/accounts/login/?next=/quan-ly-cong/thu/")
    officer.get_by_label("Tên đăng nhập").fill("portal.officer")
    officer.get_by_label("Mật khẩu").fill(TEST_PASSWORD)
    officer.get_by_role("button", name="Đăng nhập").click()
    officer.get_by_test_id("queue").get_by_role("link", name=SUBJECT).click()
    officer.get_by_label("Trả lời", exact=True).fill(ANSWER)
    officer.get_by_label("Công khai câu hỏi cùng câu trả lời này trên trang Góp ý").check()
    officer.get_by_role("button", name="Lưu câu trả lời").click()
    expect(officer.get_by_role("status")).to_contain_text("Đã lưu câu trả lời")
    expect(officer.get_by_test_id("message-status")).to_have_text("Đã trả lời và công khai")
    _shot(officer, "portal-7-officer-answered")

    # The citizen reads the published answer.
    citizen.reload()
    published = citizen.get_by_test_id("published-questions")
    expect(published).to_contain_text(SUBJECT)
    expect(published).to_contain_text(ANSWER)
    expect(published).not_to_contain_text("0912 345 678")
    published.scroll_into_view_if_needed()
    _shot(citizen, "portal-8-answer-published")
