"""Reads of units: search without diacritics, and old units mapped to today's."""

import pytest

from hoptac.accounts import selectors as account_selectors
from hoptac.areas import selectors
from hoptac.areas.models import AdminUnit

pytestmark = pytest.mark.django_db


def unit(era: str, code: str) -> AdminUnit:
    return AdminUnit.objects.get(era=era, code=code)


@pytest.mark.parametrize("query", ["cho don", "Chợ Đồn", "CHO  DON"])
def test_search_finds_the_district_first_then_its_communes(query):
    found = list(selectors.unit_search(AdminUnit.objects.filter(era="legacy"), query)[:25])
    assert found[0].full_name == "Huyện Chợ Đồn, Tỉnh Bắc Kạn"
    communes = [u for u in found if u.parent_id == found[0].pk]
    assert len(communes) == 20
    assert found[1:21] == communes  # before any unit merely containing both words


def test_search_by_code_prefix():
    found = list(selectors.unit_search(AdminUnit.objects.filter(era="legacy"), "02062"))
    assert [u.full_name for u in found] == ["Xã Lương Bằng, Huyện Chợ Đồn, Tỉnh Bắc Kạn"]


def test_province_links_in_both_directions(bac_kan, cho_don, thai_nguyen):
    links = selectors.province_links([bac_kan, cho_don, thai_nguyen])
    assert links[bac_kan.pk] == [thai_nguyen]
    assert links[cho_don.pk] == [thai_nguyen]
    assert {p.code for p in links[thai_nguyen.pk]} == {"06", "19"}  # Bắc Kạn, Thái Nguyên


def test_unit_list_is_cut_to_the_officer_area(province_officer, district_officer):
    assert {
        u.path[:9] for u in account_selectors.unit_list(user=province_officer, era="legacy")
    } == {"legacy/06"}
    assert account_selectors.unit_list(user=district_officer, era="legacy").count() == 21
    assert not account_selectors.unit_list(user=district_officer, era="2025").exists()
