"""The quick search of HTX in the header (#16 item 7): the selector (scope, diacritics, code,
representative, limit) and the view (who gets it, the fragment, the page, its queries)."""

from datetime import date

import pytest
from django.urls import reverse

from hoptac.registry import selectors
from hoptac.registry.tests.factories import CooperativeFactory, legacy_unit

pytestmark = pytest.mark.django_db

URL = reverse("registry:cooperative_quick_search")


def names(found):
    return [c.name for c in found]


@pytest.fixture
def htx(db):
    """Three HTX of Chợ Đồn (Bắc Kạn) and one of Ba Bể, and one outside Chợ Đồn's province."""
    return {
        "cao_phong": CooperativeFactory(
            name="HTX Cao Phong", commune_legacy=legacy_unit("02047"),
            representative_name="Lục Văn Phong", tax_code="4700000201",
        ),
        "my_phuong": CooperativeFactory(
            name="Hợp tác xã Chè Mỹ Phương", commune_legacy=legacy_unit("02062"),
            representative_name="Hoàng Thị Mai", tax_code="4700000202",
        ),
        "tan_cuong": CooperativeFactory(
            name="HTX Chè Bằng Lãng", commune_legacy=legacy_unit("02020"), tax_code="4700000203",
        ),
        "ba_be": CooperativeFactory(
            name="HTX Chè Ba Bể", commune_legacy=legacy_unit("01927"), tax_code="4700000204",
        ),
        "ha_giang": CooperativeFactory(
            name="HTX Chè Shan Tuyết", commune_legacy=legacy_unit("00688"),
            representative_name="Lục Văn Phong", tax_code="0200000205",
        ),
    }  # fmt: skip


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("hop tac xa che", ["HTX Chè Bằng Lãng", "Hợp tác xã Chè Mỹ Phương"]),
        ("HỢP TÁC XÃ CHÈ", ["HTX Chè Bằng Lãng", "Hợp tác xã Chè Mỹ Phương"]),
        ("che my phuong", ["Hợp tác xã Chè Mỹ Phương"]),
        ("4700000201", ["HTX Cao Phong"]),  # the registration (tax) code
        ("47000002", ["HTX Cao Phong", "HTX Chè Bằng Lãng", "Hợp tác xã Chè Mỹ Phương"]),
        ("luc van phong", ["HTX Cao Phong"]),  # the representative; Hà Giang's is outside
        ("hoang thi mai", ["Hợp tác xã Chè Mỹ Phương"]),
        ("shan tuyet", []),  # outside the district
        ("0200000205", []),
        ("che ba be", []),  # Ba Bể is another district of the province
    ],
)
def test_finds_within_scope_without_diacritics(htx, district_officer, query, expected):
    assert names(selectors.cooperative_quick_search(user=district_officer, query=query)) == (
        expected
    )


def test_the_whole_country_for_the_administrator_sorted_by_name(htx, admin):
    found = selectors.cooperative_quick_search(user=admin, query="che")
    assert names(found) == [
        "HTX Chè Ba Bể",
        "HTX Chè Bằng Lãng",
        "HTX Chè Shan Tuyết",
        "Hợp tác xã Chè Mỹ Phương",
    ]  # as the list sorts them (by name)
    listed = selectors.cooperative_list(user=admin, filters={"q": "che"})
    assert names(found) == names(listed)


def test_the_same_search_as_the_list(htx, province_officer):
    for query in ("che", "luc van phong", "4700000203", "bang lang"):
        found = selectors.cooperative_quick_search(user=province_officer, query=query)
        listed = selectors.cooperative_list(user=province_officer, filters={"q": query})
        assert names(found) == names(listed), query


def test_no_one_out_of_scope_nor_anything_for_managers_and_the_public(htx, outsider, make_user):
    from django.contrib.auth.models import AnonymousUser

    assert selectors.cooperative_quick_search(user=outsider, query="htx") == []
    assert selectors.cooperative_quick_search(user=AnonymousUser(), query="htx") == []
    manager = make_user("htx.caophong", "coop_manager", legacy_unit("02047"))
    htx["cao_phong"].managers.add(manager)
    assert names(selectors.cooperative_quick_search(user=manager, query="htx")) == [
        "HTX Cao Phong"
    ]  # the selector is scoped; the view refuses managers anyway (test below)


def test_limit_plus_one_tells_there_are_more(admin):
    commune = legacy_unit("02062")
    for i in range(12):
        CooperativeFactory(name=f"HTX Rau sạch {i:02d}", commune_legacy=commune)
    found = selectors.cooperative_quick_search(user=admin, query="rau sach")
    assert len(found) == selectors.QUICK_SEARCH_LIMIT + 1
    assert names(found)[:2] == ["HTX Rau sạch 00", "HTX Rau sạch 01"]


@pytest.mark.parametrize("query", ["", "   ", "a", "đ", "!!"])
def test_too_short_a_query_finds_nothing(htx, admin, query):
    assert selectors.cooperative_quick_search(user=admin, query=query) == []


# --- the view ---------------------------------------------------------------------------


def test_public_is_sent_to_sign_in(client):
    response = client.get(URL, {"q": "che"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_htx_manager_is_refused(client, htx, make_user):
    manager = make_user("htx.caophong", "coop_manager", legacy_unit("02047"))
    htx["cao_phong"].managers.add(manager)
    client.force_login(manager)
    assert client.get(URL, {"q": "cao phong"}, headers={"HX-Request": "true"}).status_code == 403
    page = client.get(reverse("registry:cooperative_list"))
    assert b"data-quick-search" not in page.content  # no box in his header


def test_fragment_lists_options_with_name_code_commune_representative(
    client, htx, district_officer
):
    client.force_login(district_officer)
    response = client.get(URL, {"q": "Lục Văn Phong"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html  # only the combobox's list
    assert 'role="listbox"' in html
    assert html.count('role="option"') == 1
    cooperative = htx["cao_phong"]
    assert f'data-href="{cooperative.get_absolute_url()}"' in html
    for fact in (
        "HTX Cao Phong",
        "4700000201",
        cooperative.commune_legacy.name,
        cooperative.commune.name,
        "Lục Văn Phong",
    ):
        assert fact in html
    assert "Shan Tuyết" not in html


def test_fragment_says_when_nothing_matches_and_links_to_all_results(client, admin):
    commune = legacy_unit("02062")
    for i in range(12):
        CooperativeFactory(name=f"HTX Rau sạch {i:02d}", commune_legacy=commune)
    client.force_login(admin)
    response = client.get(URL, {"q": "rau sach"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.count('role="option"') == selectors.QUICK_SEARCH_LIMIT
    assert f'href="{reverse("registry:cooperative_list")}?q=rau+sach"' in html
    none = client.get(URL, {"q": "khong co dau"}, headers={"HX-Request": "true"})
    assert "Không có HTX nào trong địa bàn của bạn khớp" in none.content.decode()
    assert 'role="option"' not in none.content.decode()


def test_without_htmx_it_is_a_page_of_links(client, htx, province_officer):
    client.force_login(province_officer)
    response = client.get(URL, {"q": "hop tac xa che"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" in html
    assert f'href="{htx["my_phuong"].get_absolute_url()}"' in html
    assert "Shan Tuyết" not in html


def test_officer_header_has_the_box_pointing_to_the_list_without_javascript(
    client, district_officer
):
    client.force_login(district_officer)
    html = client.get(reverse("registry:cooperative_list")).content.decode()
    assert "data-quick-search" in html
    assert f'action="{reverse("registry:cooperative_list")}"' in html
    assert 'role="combobox"' in html
    assert 'hx-trigger="input changed delay:250ms"' in html
    assert "js/quick_search.js" in html


def test_fragment_query_ceiling(client, admin, django_assert_max_num_queries):
    communes = [legacy_unit(code) for code in ("02062", "02047", "02020")]
    for i in range(20):
        CooperativeFactory(
            name=f"HTX Chè {i:02d}", commune_legacy=communes[i % 3], founded_on=date(2020, 1, 1)
        )
    client.force_login(admin)
    client.get(URL, {"q": "che"}, headers={"HX-Request": "true"})  # sessions, caches warm
    # session, user, the search (with its communes joined); the rest is the site's shell
    with django_assert_max_num_queries(4):
        response = client.get(URL, {"q": "che"}, headers={"HX-Request": "true"})
    assert response.content.decode().count('role="option"') == selectors.QUICK_SEARCH_LIMIT
