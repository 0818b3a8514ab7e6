"""The public directory, profiles, product catalogue, search, map and home figures."""

import re

import pytest
from django.test import override_settings

from hoptac.portal import selectors, services
from hoptac.portal.choices import FieldGroup
from hoptac.registry.choices import Kind, Sector, SubSector
from hoptac.registry.tests.factories import legacy_unit

pytestmark = pytest.mark.django_db


def _names(html: str) -> list[str]:
    return re.findall(r'href="/danh-ba/\d+/">([^<]+)</a>', html)


def test_directory_lists_only_published_htx_of_the_province(client, tea_htx, hidden_htx, make_htx):
    make_htx("HTX Hà Nội", commune="00001")  # Phường Phúc Xá, Hà Nội: another province
    html = client.get("/danh-ba/").content.decode()
    assert "HTX Chè Mỹ Phương" in _names(html)
    assert "HTX Chè Ẩn Danh" not in html
    assert "HTX Hà Nội" not in html


def test_unpublished_or_foreign_profile_answers_404(client, hidden_htx, make_htx):
    foreign = make_htx("HTX Hà Nội", commune="00001")
    assert client.get(f"/danh-ba/{hidden_htx.pk}/").status_code == 404
    assert client.get(f"/danh-ba/{foreign.pk}/").status_code == 404


def test_an_officer_sees_the_public_directory_too(client, province_officer, hidden_htx, tea_htx):
    client.force_login(province_officer)
    assert "HTX Chè Ẩn Danh" not in client.get("/danh-ba/").content.decode()
    assert client.get(f"/danh-ba/{hidden_htx.pk}/").status_code == 404


def test_search_ignores_diacritics(client, tea_htx, make_htx):
    make_htx("HTX Miến dong Cao Phong")
    assert _names(client.get("/danh-ba/?q=che my phuong").content.decode()) == ["HTX Chè Mỹ Phương"]
    assert _names(client.get("/danh-ba/?q=CHÈ").content.decode()) == ["HTX Chè Mỹ Phương"]


def test_directory_filters_by_area_and_sector(client, tea_htx, make_htx):
    make_htx(
        "HTX Vận tải Chợ Đồn",
        sector=Sector.NON_AGRICULTURAL,
        sub_sector=SubSector.TRANSPORT,
    )
    ba_be = legacy_unit("061")
    assert _names(client.get(f"/danh-ba/?area={ba_be.pk}").content.decode()) == [
        "HTX Chè Mỹ Phương"
    ]
    html = client.get("/danh-ba/?sector=phi_nong_nghiep").content.decode()
    assert _names(html) == ["HTX Vận tải Chợ Đồn"]


def test_directory_filters_by_product(client, tea, make_htx):
    make_htx("HTX Không sản phẩm")
    assert _names(client.get("/danh-ba/?product=tea").content.decode()) == ["HTX Chè Mỹ Phương"]


def test_profile_shows_products_certifications_and_contact(client, tea):
    html = client.get(f"/danh-ba/{tea.cooperative_id}/").content.decode()
    assert "Chè Shan tuyết Mỹ Phương" in html
    assert "VietGAP 2018" in html
    assert "★★★★" in html
    assert "0209 111" in html


def test_profile_hides_the_groups_the_province_does_not_publish(client, tea, province_officer):
    services.publication_update(
        by=province_officer,
        province=legacy_unit("06"),
        choices={FieldGroup.CONTACT: False, FieldGroup.PRODUCTS: False},
    )
    html = client.get(f"/danh-ba/{tea.cooperative_id}/").content.decode()
    assert "0209 111" not in html
    assert "Chè Shan tuyết Mỹ Phương" not in html
    assert client.get(f"/san-pham/{tea.pk}/").status_code == 404


def test_ratings_are_public_only_when_the_province_says_so(tea_htx, province_officer):
    province = legacy_unit("06")
    profile = selectors.profile(province=province, cooperative=tea_htx)
    assert FieldGroup.RATINGS not in profile.groups
    assert profile.ratings == []
    services.publication_update(
        by=province_officer, province=province, choices={FieldGroup.RATINGS: True}
    )
    assert FieldGroup.RATINGS in selectors.profile(province=province, cooperative=tea_htx).groups


def test_publication_settings_are_for_officers_of_the_province(client, outsider, current_officer):
    for user in (outsider, current_officer):
        client.force_login(user)
        assert client.get("/quan-ly-cong/cong-khai/").status_code == 403


def test_province_officer_changes_what_is_public(client, province_officer, tea):
    client.force_login(province_officer)
    page = client.get("/quan-ly-cong/cong-khai/").content.decode()
    assert 'name="ratings"' in page
    data = {group: "on" for group in FieldGroup.values if group != FieldGroup.CONTACT}
    response = client.post("/quan-ly-cong/cong-khai/", data)
    assert response.status_code == 302
    assert selectors.public_groups(province=legacy_unit("06")) == frozenset(data)


def test_catalogue_filters_by_stars_certification_and_area(client, tea, tea_htx):
    from hoptac.market import services as market

    market.product_save(by=None, cooperative=tea_htx, name="Chè xanh", category="tea")

    def names(url):
        return re.findall(r'href="/san-pham/\d+/">([^<]+)</a>', client.get(url).content.decode())

    assert names("/san-pham/") == ["Chè Shan tuyết Mỹ Phương", "Chè xanh"]
    assert names("/san-pham/?stars=4") == ["Chè Shan tuyết Mỹ Phương"]
    assert names("/san-pham/?stars=5") == []
    assert names("/san-pham/?certification=vietgap") == ["Chè Shan tuyết Mỹ Phương"]
    assert names(f"/san-pham/?area={legacy_unit('064').pk}") == []
    assert names("/san-pham/?q=che xanh") == ["Chè xanh"]


def test_products_of_unpublished_htx_are_hidden(client, hidden_htx):
    from hoptac.market import services as market

    product = market.product_save(by=None, cooperative=hidden_htx, name="Chè ẩn", category="tea")
    assert "Chè ẩn" not in client.get("/san-pham/").content.decode()
    assert client.get(f"/san-pham/{product.pk}/").status_code == 404


def test_product_page_names_its_htx_and_certifications(client, tea):
    html = client.get(f"/san-pham/{tea.pk}/").content.decode()
    assert f'href="/danh-ba/{tea.cooperative_id}/"' in html
    assert "OCOP 4★ (2019)" in html


def test_search_finds_htx_products_and_news(client, tea, hidden_htx):
    html = client.get("/tim-kiem/?q=chè").content.decode()
    assert "HTX Chè Mỹ Phương" in html
    assert "Chè Shan tuyết Mỹ Phương" in html
    assert "HTX Chè Ẩn Danh" not in html
    assert "Không tìm thấy" in client.get("/tim-kiem/?q=xyzzy").content.decode()


def test_home_shows_the_province_figures_chart_and_model_htx(client, tea_htx, make_htx):
    make_htx("HTX Dịch vụ", sector=Sector.NON_AGRICULTURAL, sub_sector=SubSector.TRADE,
             members_count=12)  # fmt: skip
    make_htx("HTX Ẩn", published=False, members_count=8)
    make_htx("Liên hiệp HTX Bắc Kạn", kind=Kind.UNION)
    html = client.get("/").content.decode()
    figures = selectors.headline(province=legacy_unit("06"))
    assert (figures.cooperatives, figures.unions, figures.members) == (3, 1, 20)
    assert (figures.agricultural, figures.non_agricultural) == (2, 1)
    assert 'data-testid="figure-cooperatives">3<' in html
    assert 'data-testid="home-chart"' in html
    assert "Huyện Chợ Đồn" in html
    featured = re.search(r'data-testid="featured">(.*?)</ul>', html, re.S).group(1)
    assert "HTX Chè Mỹ Phương" in featured
    assert "HTX Dịch vụ" not in featured


def test_home_chart_bars_are_proportional():
    from types import SimpleNamespace

    rows = [
        selectors.AreaRow(SimpleNamespace(name="A"), 10, 5),
        selectors.AreaRow(SimpleNamespace(name="B"), 3, 0),
    ]
    chart = selectors.bar_chart(rows)
    first, second = chart["bars"]
    assert first["agri_width"] + first["other_width"] == selectors.CHART_BAR_WIDTH
    assert second["agri_width"] == 60.0
    assert second["other_x"] == selectors.CHART_LABEL_WIDTH + 60.0


@override_settings(HOPTAC_PORTAL_PROVINCE="2025:19")
def test_the_province_is_a_setting(client, make_htx):
    make_htx("HTX Bắc Kạn cũ")  # placed in the old tree, and (by succession) in Thái Nguyên
    html = client.get("/").content.decode()
    assert "Tỉnh Thái Nguyên" in html
    assert selectors.portal_province().code == "19"


def test_map_page_lists_htx_by_area_and_embeds_the_points(client, tea_htx, hidden_htx):
    html = client.get("/ban-do/").content.decode()
    assert 'data-testid="portal-map"' in html
    assert "HTX Chè Mỹ Phương" in html
    assert "HTX Chè Ẩn Danh" not in html
    spec = selectors.map_spec(
        province=legacy_unit("06"),
        cooperatives=selectors.directory(province=legacy_unit("06")),
    )
    assert [p["url"] for p in spec["points"]] == [f"/danh-ba/{tea_htx.pk}/"]
    assert spec["tiles"] == ""
    assert sum(c["total"] for c in spec["communes"]) == 1


def test_map_filters_by_sector(client, tea_htx):
    html = client.get("/ban-do/?sector=phi_nong_nghiep").content.decode()
    assert "HTX Chè Mỹ Phương" not in html
