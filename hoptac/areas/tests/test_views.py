"""The units page and the area picker's endpoints, for every actor."""

import json
import re

import pytest
from django import forms
from django.urls import reverse

from hoptac.accounts.access import scope_of
from hoptac.areas.choices import Level
from hoptac.areas.forms import AreaField
from hoptac.areas.models import AdminUnit

pytestmark = pytest.mark.django_db

UNITS = reverse("areas:unit_list")
PICKER = reverse("areas:picker")
SEARCH = reverse("areas:picker_search")
CONFIG = {"name": "area", "id": "id_area", "levels": "1,2,3", "era": "", "root": ""}
HX = {"HTTP_HX_REQUEST": "true"}


def found(response) -> int:
    return response.context["page"].paginator.count


def hidden_value(response, name: str = "area") -> str:
    match = re.search(
        rf'<input type="hidden" name="{name}" id="[^"]+" value="([^"]*)"', response.text
    )
    assert match, response.text[:500]
    return match.group(1)


# --- the units page -------------------------------------------------------------------------------


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(UNITS)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_admin_browses_both_trees(client, admin):
    client.force_login(admin)
    legacy = client.get(UNITS)
    assert found(legacy) == 63 + 696 + 10035
    assert [era for era, _ in legacy.context["eras"]] == ["legacy", "2025"]
    assert found(client.get(UNITS, {"era": "2025"})) == 34 + 3321


def test_province_officer_sees_his_province_only(client, province_officer, bac_kan):
    client.force_login(province_officer)
    response = client.get(UNITS, {"era": "2025"})  # not his tree: falls back to his own
    assert response.context["era"] == "legacy"
    assert found(response) == AdminUnit.objects.filter(path__startswith=bac_kan.path).count()
    assert all(u.path.startswith("legacy/06") for u in response.context["page"])


def test_district_officer_sees_his_district_and_its_communes(client, district_officer):
    client.force_login(district_officer)
    assert found(client.get(UNITS)) == 21


def test_commune_officer_sees_his_commune_and_what_it_became(client, commune_officer):
    client.force_login(commune_officer)
    response = client.get(UNITS)
    assert [u.code for u in response.context["page"]] == ["02062"]
    assert "Xã Nghĩa Tá</a> (02071), Tỉnh Thái Nguyên" in response.text


def test_outsider_does_not_see_the_other_commune(client, outsider):
    client.force_login(outsider)
    response = client.get(UNITS, {"q": "luong bang"})
    assert found(response) == 0


def test_current_officer_sees_2025_communes_with_their_old_communes(client, current_officer):
    client.force_login(current_officer)
    response = client.get(UNITS, {"q": "02071"})
    assert response.context["era"] == "2025"
    assert [u.full_name for u in response.context["page"]] == ["Xã Nghĩa Tá, Tỉnh Thái Nguyên"]
    assert "Xã Lương Bằng</a> (02062)" in response.text


def test_search_without_diacritics_ranks_the_unit_named_first(client, admin):
    client.force_login(admin)
    page = client.get(UNITS, {"q": "cho don"}).context["page"]
    assert page[0].full_name == "Huyện Chợ Đồn, Tỉnh Bắc Kạn"
    assert page[1].parent_id == page[0].pk


def test_within_filter_keeps_a_subtree(client, admin, cho_don):
    client.force_login(admin)
    response = client.get(UNITS, {"within": cho_don.pk, "level": Level.COMMUNE})
    assert found(response) == 20
    assert hidden_value(response, "within") == str(cho_don.pk)


def test_htmx_request_gets_the_results_partial_only(client, admin):
    client.force_login(admin)
    response = client.get(UNITS, {"q": "cho don"}, **HX)
    assert response.text.lstrip().startswith('<div id="results"')
    assert "<html" not in response.text


@pytest.mark.parametrize(
    "params",
    [
        {"era": "legacy"},
        {"era": "legacy", "page": 40},
        {"era": "2025"},
        {"era": "2025", "page": 60},
        {"q": "bac"},
        {"within": "bac_kan"},
    ],
    ids=str,
)
def test_page_query_count_is_flat(client, admin, bac_kan, params, django_assert_max_num_queries):
    client.force_login(admin)
    if params.get("within"):
        params = {"within": bac_kan.pk}
    # 50 rows each, with parents and successors; one for the menu's count of ended jobs
    with django_assert_max_num_queries(17):
        assert found(client.get(UNITS, params)) > 50


# --- the picker endpoints -------------------------------------------------------------------------


def test_picker_needs_sign_in(client):
    for url in (PICKER, SEARCH):
        response = client.get(url, CONFIG)
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]


def test_picker_search_of_commune_officer_finds_only_his_commune(client, commune_officer):
    client.force_login(commune_officer)
    response = client.get(SEARCH, {**CONFIG, "q": "xa"}, **HX)
    assert response.status_code == 200
    assert re.findall(r">([^<]+) <span", response.text) == [
        "Xã Lương Bằng, Huyện Chợ Đồn, Tỉnh Bắc Kạn"
    ]


def test_picker_of_commune_officer_stands_on_his_commune(client, commune_officer, luong_bang):
    client.force_login(commune_officer)
    response = client.get(PICKER, CONFIG, **HX)
    assert hidden_value(response) == str(luong_bang.pk)
    assert "Tỉnh Bắc Kạn › Huyện Chợ Đồn › Xã Lương Bằng" in response.text


def test_picking_outside_the_scope_is_404(client, commune_officer, nghia_ta, thai_nguyen):
    client.force_login(commune_officer)
    assert client.get(PICKER, {**CONFIG, "pick": nghia_ta.pk}, **HX).status_code == 404
    assert client.get(PICKER, {**CONFIG, "pick": thai_nguyen.pk}, **HX).status_code == 404


def test_malformed_picker_query_is_404(client, admin):
    client.force_login(admin)
    assert client.get(PICKER, {**CONFIG, "levels": "9"}, **HX).status_code == 404
    assert client.get(PICKER, {**CONFIG, "pick": "x"}, **HX).status_code == 404


def test_admin_picks_a_district_and_gets_the_chain_with_its_communes(client, admin, cho_don):
    client.force_login(admin)
    response = client.get(PICKER, {**CONFIG, "pick": cho_don.pk, "focus": "1"}, **HX)
    assert hidden_value(response) == str(cho_don.pk)
    assert f'<option value="{cho_don.pk}" selected>Huyện Chợ Đồn</option>' in response.text
    step = re.search(r'id="id_area-level3".*?</select>', response.text, re.S).group(0)
    assert step.count("<option") == 1 + 20  # "choose" and Chợ Đồn's 20 communes
    assert re.search(r'id="id_area-level2"[^>]*autofocus', response.text)
    trigger = json.loads(response["HX-Trigger-After-Settle"])
    assert trigger == {"area-picked": {"target": "#id_area-picker"}}


def test_picker_keeps_unlocalized_pks(client, admin):
    client.force_login(admin)
    commune = AdminUnit.objects.filter(pk__gte=1000).first()
    response = client.get(PICKER, {**CONFIG, "pick": commune.pk}, **HX)
    assert hidden_value(response) == str(commune.pk)
    assert f'value="{commune.pk}" selected' in response.text


def test_picker_only_for_communes_leaves_the_value_empty_on_a_district(client, admin, cho_don):
    client.force_login(admin)
    response = client.get(PICKER, {**CONFIG, "levels": "3", "pick": cho_don.pk}, **HX)
    assert hidden_value(response) == ""
    assert "Hãy chọn tiếp tới đơn vị đúng cấp cần chọn." in response.text


def test_admin_without_era_chooses_the_tree_first(client, admin):
    client.force_login(admin)
    response = client.get(PICKER, CONFIG, **HX)
    assert 'name="tree"' in response.text
    response = client.get(PICKER, {**CONFIG, "tree": "2025"}, **HX)
    assert "Tỉnh Thái Nguyên</option>" in response.text
    assert "Huyện/quận" not in response.text  # no district step in the 2025 tree


def test_picker_without_htmx_is_a_whole_page(client, admin, cho_don):
    client.force_login(admin)
    response = client.get(PICKER, {**CONFIG, "pick": cho_don.pk})
    assert response.status_code == 200
    assert "<html" in response.text
    assert hidden_value(response) == str(cho_don.pk)


# --- the field in a form --------------------------------------------------------------------------


class PlaceForm(forms.Form):
    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"] = AreaField(
            levels=(Level.COMMUNE,), units=scope_of(user).units(AdminUnit.objects.all())
        )


def test_area_field_renders_the_picker_at_the_officer_area(district_officer, cho_don):
    html = str(PlaceForm(user=district_officer)["area"])
    assert 'name="area"' in html
    assert "Tỉnh Bắc Kạn › Huyện Chợ Đồn" in html
    assert "Xã Lương Bằng</option>" in html
    assert "Tỉnh Cao Bằng" not in html


def test_area_field_accepts_a_commune_in_scope_and_refuses_others(
    district_officer, luong_bang, cho_don, thai_nguyen
):
    assert PlaceForm({"area": luong_bang.pk}, user=district_officer).is_valid()
    for other in (cho_don, thai_nguyen):  # a district; a unit outside the scope
        form = PlaceForm({"area": other.pk}, user=district_officer)
        assert not form.is_valid()
        assert form.errors["area"] == ["Hãy chọn một đơn vị hành chính trong danh sách."]
