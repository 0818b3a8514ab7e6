"""The portal's pure rules: no database."""

from datetime import date

import pytest

from hoptac.portal import rules
from hoptac.portal.choices import FieldGroup

CHROME = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/140.0.0.0 Safari/537.36"
)
BOTS = [
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "coccocbot-web/1.0 (+http://help.coccoc.com/searchengine)",
    "facebookexternalhit/1.1",
    "curl/8.5.0",
    "python-requests/2.32.3",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/140.0",
    "",
    None,
]


@pytest.mark.parametrize("agent", BOTS)
def test_crawlers_and_scripts_are_bots(agent):
    assert rules.is_bot(agent)


@pytest.mark.parametrize(
    "agent",
    [
        CHROME,
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:131.0) Gecko/20100101 Firefox/131.0",
        "Mozilla/5.0 (Linux; Android 14; CUBOT_X19) AppleWebKit/537.36 Chrome/140 Mobile",
    ],
)
def test_browsers_are_not_bots(agent):
    assert not rules.is_bot(agent)


@pytest.mark.parametrize(
    ("day", "monday"),
    [
        (date(2026, 11, 22), date(2026, 11, 16)),  # a Sunday
        (date(2026, 11, 16), date(2026, 11, 16)),  # a Monday
        (date(2026, 1, 1), date(2025, 12, 29)),  # across the year's end
    ],
)
def test_the_week_starts_on_monday(day, monday):
    assert rules.week_start(day) == monday


def test_visitor_hash_is_salted_and_hides_the_token():
    token = "abcdefghijklmnopqrstuvwx"
    one = rules.visitor_hash("secret-1", token)
    assert one == rules.visitor_hash("secret-1", token)
    assert one != rules.visitor_hash("secret-2", token)
    assert token not in one
    assert len(one) == 40


def test_address_key_never_contains_the_address():
    key = rules.address_key("secret", "203.0.113.7")
    assert "203.0.113.7" not in key
    assert key != rules.address_key("secret", "203.0.113.8")


def test_sanitiser_removes_scripts_handlers_and_javascript_urls():
    dirty = (
        '<h2 onclick="x()">Tin</h2><script>alert(1)</script><style>p{}</style>'
        '<p class="lead evil">Đoạn <a href="javascript:alert(1)">a</a> '
        '<a href="https://backan.gov.vn/">b</a></p><img src="/m/a.jpg" onerror="y()" alt="ảnh">'
        '<iframe src="https://x.example"></iframe><table><tr><td>1</td></tr></table>'
    )
    clean = rules.sanitize_html(dirty)
    assert "script" not in clean
    assert "alert" not in clean
    assert "onclick" not in clean
    assert "onerror" not in clean
    assert "iframe" not in clean
    assert "p{}" not in clean
    assert '<p class="lead">' in clean
    assert '<a href="https://backan.gov.vn/" rel="noopener noreferrer nofollow">b</a>' in clean
    assert '<img src="/m/a.jpg" alt="ảnh">' in clean
    assert "<h2>Tin</h2>" in clean
    assert "<td>1</td>" in clean


def test_slug_is_folded_and_unique():
    title = "Phấn đấu đến năm 2020 có trên 40% hợp tác xã"
    assert rules.slug_for(title) == "phan-dau-den-nam-2020-co-tren-40-hop-tac-xa"
    taken = ["phan-dau-den-nam-2020-co-tren-40-hop-tac-xa"]
    assert rules.slug_for(title, taken) == "phan-dau-den-nam-2020-co-tren-40-hop-tac-xa-2"
    assert rules.slug_for("Đường đi") == "duong-di"
    assert rules.slug_for("!!!") == "bai-viet"


@pytest.mark.parametrize(
    "title",
    ["  --Hội nghị: “HTX” 2024!! __x__ ", "Đ_đ  a—b", "a_b-_c", "x" * 120, "Tin 1/7/2025 (mới)"],
)
def test_slug_is_what_django_slugify_makes_of_the_folded_title(title):
    """The rules spell out slugify so as to import no Django; they must agree with it."""
    from django.utils.text import slugify

    from hoptac.core.text import fold

    assert rules.slug_for(title) == (slugify(fold(title))[:80].strip("-") or "bai-viet")


MB = 1024 * 1024


@pytest.mark.parametrize(
    ("name", "size", "head", "problem"),
    [
        ("don.pdf", 2 * MB, b"%PDF-1.7", None),
        ("anh.JPG", 100, b"\xff\xd8\xff\xe0", None),
        ("anh.png", 100, b"\x89PNG\r\n\x1a\n....", None),
        ("bang.xlsx", 100, b"PK\x03\x04", None),
        ("virus.exe", 100, b"MZ", "type"),
        ("khong-duoi", 100, b"%PDF-", "type"),
        ("lon.pdf", 5 * MB + 1, b"%PDF-", "size"),
        ("rong.pdf", 0, b"", "empty"),
        ("gia.pdf", 100, b"MZ\x90\x00", "content"),
    ],
)
def test_attachment_rules(name, size, head, problem):
    found = rules.attachment_problem(name, size, head, max_bytes=5 * MB)
    assert (found.code if found else None) == problem


def test_ratings_are_public_only_when_chosen():
    assert FieldGroup.RATINGS not in rules.public_groups(None)
    assert FieldGroup.CONTACT in rules.public_groups(None)
    chosen = rules.public_groups({FieldGroup.RATINGS: True, FieldGroup.CONTACT: False})
    assert FieldGroup.RATINGS in chosen
    assert FieldGroup.CONTACT not in chosen


def test_public_fields_follow_the_groups():
    fields = rules.public_fields({FieldGroup.CONTACT})
    assert {"name", "phone", "email", "street"} <= fields
    assert "representative_name" not in fields
    assert "tax_code" not in fields


@pytest.mark.parametrize(
    ("value", "parsed"), [("legacy:06", ("legacy", "06")), ("2025:19", ("2025", "19"))]
)
def test_province_setting(value, parsed):
    assert rules.parse_unit_setting(value) == parsed


@pytest.mark.parametrize("value", ["06", "old:06", "legacy:", ""])
def test_bad_province_setting_is_refused(value):
    with pytest.raises(ValueError, match="expected"):
        rules.parse_unit_setting(value)


def test_a_bad_province_setting_fails_the_system_check(settings):
    from hoptac.portal.checks import check_portal_province

    settings.HOPTAC_PORTAL_PROVINCE = "06"
    assert [error.id for error in check_portal_province(None)] == ["portal.E001"]
    settings.HOPTAC_PORTAL_PROVINCE = "2025:19"
    assert check_portal_province(None) == []
