"""News: the editor (sanitised rich text), drafts, list and detail, and the seed articles."""

import io
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied

from hoptac.portal import demo, services
from hoptac.portal.choices import ArticleStatus
from hoptac.portal.models import Article, Category
from hoptac.registry.tests.factories import legacy_unit

pytestmark = pytest.mark.django_db
SEEDS = Path(settings.BASE_DIR).parent / "shared" / "seeds"


@pytest.fixture
def article(province_officer):
    return services.article_save(
        by=province_officer,
        province=legacy_unit("06"),
        title="Hội nghị tổng kết kinh tế tập thể",
        summary="Tóm tắt.",
        body="<p>Nội dung</p>",
        status=ArticleStatus.PUBLISHED,
    )


def test_officer_writes_an_article_and_the_body_is_sanitised(client, province_officer):
    category = Category.objects.create(name="Kinh tế tập thể", slug="kinh-te-tap-the")
    client.force_login(province_officer)
    response = client.post(
        "/quan-ly-cong/tin-tuc/them/",
        {
            "title": "Hợp tác xã kiểu mới",
            "summary": "Tóm tắt",
            "body": '<p onclick="x()">Đoạn một</p><script>alert(1)</script>',
            "author_name": "Thu Cúc",
            "categories": [category.pk],
            "tags_text": "hợp tác xã, Bắc Kạn, hợp tác xã",
            "status": "published",
        },
    )
    assert response.status_code == 302
    article = Article.objects.get(title="Hợp tác xã kiểu mới")
    assert article.body == "<p>Đoạn một</p>"
    assert article.slug == "hop-tac-xa-kieu-moi"
    assert article.published_at is not None
    assert sorted(t.name for t in article.tags.all()) == ["Bắc Kạn", "hợp tác xã"]
    assert article.updated_by == province_officer
    page = client.get("/tin-tuc/hop-tac-xa-kieu-moi/").content.decode()
    assert "<p>Đoạn một</p>" in page
    assert "alert(1)" not in page


def test_a_draft_is_hidden_from_the_public_but_not_from_its_editor(client, province_officer):
    draft = services.article_save(
        by=province_officer, province=legacy_unit("06"), title="Bản nháp", body="<p>x</p>"
    )
    assert draft.status == ArticleStatus.DRAFT
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert "Bản nháp" not in client.get("/tin-tuc/").content.decode()
    client.force_login(province_officer)
    assert client.get(draft.get_absolute_url()).status_code == 200


def test_only_officers_of_the_province_edit_news(client, commune_officer, outsider, article):
    with pytest.raises(PermissionDenied):
        services.article_save(by=commune_officer, province=legacy_unit("06"), title="x")
    client.force_login(outsider)
    assert client.get("/quan-ly-cong/tin-tuc/").status_code == 403
    assert client.get(f"/quan-ly-cong/tin-tuc/{article.pk}/").status_code == 403


def test_anonymous_users_are_sent_to_sign_in_for_the_editor(client):
    response = client.get("/quan-ly-cong/tin-tuc/them/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_list_filters_by_category_and_tag(client, province_officer, article):
    category = Category.objects.create(name="Chính sách", slug="chinh-sach")
    services.article_save(
        by=province_officer,
        province=legacy_unit("06"),
        article=article,
        categories=[category],
        tags=services.tags_from_text("OCOP"),
    )
    assert article.title in client.get("/tin-tuc/?category=chinh-sach").content.decode()
    assert article.title not in client.get("/tin-tuc/?category=khac").content.decode()
    assert article.title in client.get("/tin-tuc/?tag=ocop").content.decode()


def test_article_page_has_opengraph_meta(client, article):
    html = client.get(article.get_absolute_url()).content.decode()
    assert '<meta property="og:type" content="article">' in html
    assert f'<meta property="og:title" content="{article.title}">' in html
    assert 'hreflang="en" href="http://testserver/en/tin-tuc/' in html


def test_demo_loads_the_two_seed_articles_first_and_once():
    demo.load(io.StringIO())
    demo.load(io.StringIO())
    first, second = Article.objects.order_by("pk")[:2]
    assert Article.objects.count() == 2
    assert first.title == "Tiếp tục củng cố, phát triển và nâng cao hiệu quả hoạt động Hợp tác xã"
    assert first.author_name == "An Trường"
    assert first.published_at is None
    assert second.title == "Phấn đấu đến năm 2020 có trên 40% hợp tác xã hoạt động hiệu quả"
    assert second.author_name == "Thu Cúc"
    assert second.published_at.isoformat() == "2019-05-13T09:43:08+00:00"
    assert "Skip" not in second.body
    assert '<p class="image-caption">Mô hình nuôi gà' in second.body


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the shared seed documents are not beside the repo")
def test_the_data_file_keeps_the_seed_text_unchanged():
    """Each piece of the data file is a verbatim piece of its seed; together with the stripped
    chrome lines they make up the whole seed (only spacing is left over)."""
    data = json.loads(demo.DATA.read_text(encoding="utf-8"))["articles"]
    for item in data:
        seed = (SEEDS / item["seed"]).read_text(encoding="utf-8")
        kept = [item["title"], item["summary"], item["author_name"]]
        kept += [p["text"] for p in item["body"]] + (
            [item["dateline"]] if "dateline" in item else []
        )
        rest = seed
        for piece in sorted(kept + item["stripped"], key=len, reverse=True):
            assert piece in rest
            rest = rest.replace(piece, "", 1)
        assert rest.strip(" \n\xa0") == ""
        assert not any("Skip" in piece or "Thống kê truy cập" in piece for piece in kept)


def test_editor_pages_open_for_an_officer_of_the_province(client, province_officer, article):
    client.force_login(province_officer)
    hub = client.get("/quan-ly-cong/").content.decode()
    assert "Quản lý cổng thông tin" in hub
    form = client.get("/quan-ly-cong/tin-tuc/them/").content.decode()
    assert 'name="body"' in form
    assert 'name="tags_text"' in form
    edit = client.get(f"/quan-ly-cong/tin-tuc/{article.pk}/").content.decode()
    assert "Hội nghị tổng kết kinh tế tập thể" in edit
    listing = client.get("/quan-ly-cong/tin-tuc/").content.decode()
    assert f'href="/quan-ly-cong/tin-tuc/{article.pk}/"' in listing
