"""The site shell: public pages in Vietnamese and English, header links, no outside assets,
search-engine meta, sitemap.xml and robots.txt."""

import re
from html.parser import HTMLParser

import pytest

pytestmark = pytest.mark.django_db

PAGES = ["/", "/gop-y/", "/so-do-trang/", "/lien-he/"]
HEADINGS = {
    "/gop-y/": ("Góp ý", "Feedback"),
    "/so-do-trang/": ("Sơ đồ trang", "Site map"),
    "/lien-he/": ("Liên hệ", "Contact"),
}
HEADER_LINKS = {
    "vi": [
        ("/", "Trang chủ"),
        ("/gop-y/", "Góp ý"),
        ("/so-do-trang/", "Sơ đồ trang"),
        ("/lien-he/", "Liên hệ"),
        ("/accounts/login/", "Đăng nhập"),
    ],
    "en": [
        ("/en/", "Home"),
        ("/en/gop-y/", "Feedback"),
        ("/en/so-do-trang/", "Site map"),
        ("/en/lien-he/", "Contact"),
        ("/en/accounts/login/", "Sign in"),
    ],
}
PREFIX = {"vi": "", "en": "/en"}
ASSET_URL = re.compile(r"""\b(?:src|href)\s*=\s*["']?\s*((?:https?:)?//[^"'\s>]*)""", re.I)


class _Page(HTMLParser):
    """The links of a page (href, text) and the text inside <main>."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self.main: list[str] = []
        self.lang = ""
        self._href: str | None = None
        self._text: list[str] = []
        self._in_main = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "html":
            self.lang = dict(attrs).get("lang") or ""
        elif tag == "a":
            self._href, self._text = dict(attrs).get("href") or "", []
        elif tag == "main":
            self._in_main = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._href is not None:
            self.links.append((self._href, " ".join("".join(self._text).split())))
            self._href = None
        elif tag == "main":
            self._in_main = False

    def handle_data(self, data: str) -> None:
        if self._href is not None:
            self._text.append(data)
        if self._in_main and data.strip():
            self.main.append(" ".join(data.split()))


def _parse(response) -> _Page:
    page = _Page()
    page.feed(response.content.decode())
    return page


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("path", PAGES)
def test_shell_page_answers_anonymous_users(client, path, language):
    response = client.get(PREFIX[language] + path)
    assert response.status_code == 200
    assert _parse(response).lang == language


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("path", PAGES)
def test_header_has_the_portal_links(client, path, language):
    links = _parse(client.get(PREFIX[language] + path)).links
    for link in HEADER_LINKS[language]:
        assert link in links


@pytest.mark.parametrize("path", HEADINGS)
def test_portal_pages_are_built_and_headed_in_both_languages(client, path):
    assert _parse(client.get(path)).main[0] == HEADINGS[path][0]
    assert _parse(client.get("/en" + path)).main[0] == HEADINGS[path][1]
    assert "Đang xây dựng" not in _parse(client.get(path)).main


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("path", PAGES)
def test_page_loads_nothing_from_another_host(client, path, language):
    html = client.get(PREFIX[language] + path).content.decode()
    own = "http://testserver/"  # the canonical and hreflang links name this site itself
    assert [url for url in ASSET_URL.findall(html) if not url.startswith(own)] == []
    assert 'src="/static/' in html


def test_page_assets_come_from_this_site(client):
    html = client.get("/").content.decode()
    assets = re.findall(r"""(?:src|href)="(/static/[^"]+)""", html)
    assert any("bootstrap" in asset for asset in assets)
    assert any("htmx" in asset for asset in assets)
    for asset in assets:
        assert client.get(asset).status_code == 200, asset


def test_asset_check_catches_a_cdn():
    html = '<script src="https://cdn.example.org/htmx.js"></script><link href=//cdn.x/a.css>'
    assert ASSET_URL.findall(html) == ["https://cdn.example.org/htmx.js", "//cdn.x/a.css"]


def _switch(client, page: str) -> tuple[str, str]:
    """What the page's language form posts: (language, next)."""
    html = client.get(page).content.decode()
    form = re.search(r'<form action="/i18n/setlang/" method="post".*?</form>', html, re.S)
    assert form is not None
    language = re.search(r'name="language" value="(\w+)"', form.group(0))
    next_url = re.search(r'name="next" type="hidden" value="([^"]*)"', form.group(0))
    assert language is not None
    assert next_url is not None
    return language.group(1), next_url.group(1)


def test_language_switch_leads_to_english_pages(client):
    language, next_url = _switch(client, "/gop-y/")
    assert language == "en"
    response = client.post("/i18n/setlang/", {"language": "en", "next": next_url}, follow=True)
    assert response.redirect_chain[-1][0] == "/en/gop-y/"
    page = _parse(response)
    assert page.lang == "en"
    assert page.main[0] == "Feedback"
    assert ("/en/lien-he/", "Contact") in page.links


def test_setlang_with_a_plain_vietnamese_next_gives_english(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/gop-y/"}, follow=True)
    assert response.redirect_chain[-1][0] == "/en/gop-y/"
    assert _parse(response).lang == "en"


def test_language_switch_leads_back_to_vietnamese_pages(client):
    language, next_url = _switch(client, "/en/lien-he/?q=1")
    assert (language, next_url) == ("vi", "/lien-he/?q=1")
    response = client.post("/i18n/setlang/", {"language": "vi", "next": next_url}, follow=True)
    assert response.redirect_chain[-1][0] == "/lien-he/?q=1"
    assert _parse(response).main[0] == "Liên hệ"


def test_public_home_describes_the_system(client):
    main = _parse(client.get("/")).main
    assert main[0] == "Phát triển hợp tác xã"
    assert any("hợp tác xã (HTX)" in text for text in main)
    assert not any(text.startswith("Xin chào") for text in main)


def test_home_shows_the_signed_in_officer_name_role_and_area(client, district_officer):
    client.force_login(district_officer)
    html = client.get("/").content.decode()
    main = _parse(client.get("/")).main
    assert "Xin chào, Hoàng Văn An" in main
    assert "Cán bộ cấp huyện" in main
    assert "Huyện Chợ Đồn, Tỉnh Bắc Kạn" in main
    assert "Đăng xuất" in html
    english = _parse(client.get("/en/")).main
    assert "Welcome, Hoàng Văn An" in english
    assert "District officer" in english


def test_home_shows_whole_country_for_the_administrator(client, admin):
    client.force_login(admin)
    assert "Toàn quốc" in _parse(client.get("/")).main


def test_pages_carry_canonical_alternates_and_opengraph(client):
    html = client.get("/gop-y/").content.decode()
    assert '<link rel="canonical" href="http://testserver/gop-y/">' in html
    assert '<link rel="alternate" hreflang="en" href="http://testserver/en/gop-y/">' in html
    assert '<link rel="alternate" hreflang="x-default" href="http://testserver/gop-y/">' in html
    assert '<meta property="og:locale" content="vi_VN">' in html
    english = client.get("/en/gop-y/").content.decode()
    assert '<meta property="og:locale" content="en_GB">' in english
    assert '<link rel="canonical" href="http://testserver/en/gop-y/">' in english


def test_sitemap_lists_public_pages_in_both_languages(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    xml = response.content.decode()
    assert "<loc>http://testserver/so-do-trang/</loc>" in xml
    assert "<loc>http://testserver/en/so-do-trang/</loc>" in xml
    assert 'hreflang="en" href="http://testserver/en/danh-ba/"' in xml
    assert "quan-ly-cong" not in xml


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_out_of_private_pages(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in text
    assert "Disallow: /accounts/" in text
    assert "Disallow: /quan-ly-cong/" in text


def test_site_map_page_links_every_public_section(client):
    links = [href for href, _text in _parse(client.get("/so-do-trang/")).links]
    for url in ("/danh-ba/", "/san-pham/", "/ban-do/", "/tin-tuc/", "/gop-y/", "/lien-he/",
                "/accounts/login/"):  # fmt: skip
        assert url in links
