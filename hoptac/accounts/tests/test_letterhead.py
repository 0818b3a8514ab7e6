"""The letterhead page of an area (who issues and signs its documents, Nghị định 30/2020/NĐ-CP):
its officers set it, others get 404, the defaults fill an unset form, and bad input is named
in Vietnamese."""

import pytest
from django.urls import reverse

from hoptac.areas import letterheads
from hoptac.areas.models import Letterhead

pytestmark = pytest.mark.django_db

VALUES = {
    "parent_body": "UBND TỈNH BẮC KẠN",
    "issuing_body": "SỞ TÀI CHÍNH",
    "symbol": "STC",
    "place": "Bắc Kạn",
    "signer_authority": "KT. GIÁM ĐỐC",
    "signer_title": "PHÓ GIÁM ĐỐC",
    "signer_name": "Hoàng Văn Ký",
    "recipients": "Bộ Tài chính\nUBND tỉnh\nLưu: VT, KTTH",
}


def url(unit):
    return reverse("areas:letterhead_edit", args=[unit.pk])


def test_unset_area_shows_its_defaults(client, province_officer, bac_kan):
    client.force_login(province_officer)
    page = client.get(url(bac_kan)).content.decode()
    assert 'value="UBND TỈNH BẮC KẠN"' in page
    assert 'value="SỞ TÀI CHÍNH"' in page
    assert not Letterhead.objects.exists()  # a GET writes nothing


def test_officer_saves_and_the_documents_use_it(client, province_officer, bac_kan):
    client.force_login(province_officer)
    response = client.post(url(bac_kan), VALUES)
    assert response.status_code == 302
    issuer = letterheads.issuer_for(bac_kan)
    assert issuer.signer_name == "Hoàng Văn Ký"
    assert issuer.recipients == ("Bộ Tài chính", "UBND tỉnh", "Lưu: VT, KTTH")
    assert issuer.signer_authority == ("KT. GIÁM ĐỐC",)
    client.post(url(bac_kan), {**VALUES, "signer_name": "Lý Thị Mai"})
    assert Letterhead.objects.get(area=bac_kan).signer_name == "Lý Thị Mai"
    assert Letterhead.objects.count() == 1


def test_provincial_officer_sets_a_commune_of_his_province(client, province_officer, luong_bang):
    client.force_login(province_officer)
    assert client.get(url(luong_bang)).status_code == 200


def test_others_get_404_and_change_nothing(client, outsider, commune_officer, bac_kan, make_user):
    manager = make_user("htx9", "coop_manager", bac_kan)
    for user in (outsider, commune_officer, manager):
        client.force_login(user)
        assert client.get(url(bac_kan)).status_code == 404
        assert client.post(url(bac_kan), VALUES).status_code == 404
    assert not Letterhead.objects.exists()


def test_missing_issuing_body_is_named_in_vietnamese(client, province_officer, bac_kan):
    client.force_login(province_officer)
    page = client.post(url(bac_kan), {**VALUES, "issuing_body": " "}).content.decode()
    assert "cơ quan ban hành" in page.lower()
    assert "Trường này là bắt buộc." in page
    assert not Letterhead.objects.exists()


def test_defaults_without_settings(bac_kan, nghia_ta):
    assert letterheads.issuer_for(bac_kan).issuing_body == "SỞ TÀI CHÍNH"
    commune = letterheads.issuer_for(nghia_ta)
    assert commune.issuing_body == "ỦY BAN NHÂN DÂN XÃ NGHĨA TÁ"
    assert commune.recipients == ("Sở Tài chính tỉnh Bắc Kạn", "Lưu: VT")  # old tree
    assert letterheads.issuer_for(None).issuing_body == "BỘ TÀI CHÍNH"
