"""Administrative units through the API: the units page's scope and filters, and `convert`
(public, rate-limited)."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.django_db

LUONG_BANG = "Xã Lương Bằng, Huyện Chợ Đồn, Tỉnh Bắc Kạn"


def body(response):
    return json.loads(response.content)


def test_an_officer_lists_the_units_of_his_area(token_for, district_officer, cho_don):
    page = body(token_for(district_officer, "read").get("/api/v1/areas?era=legacy&limit=500"))
    paths = [u["path"] for u in page["items"]]
    assert paths[0] == cho_don.path
    assert all(p.startswith(cho_don.path) for p in paths)


def test_the_units_page_filters_apply(token_for, admin, bac_kan):
    api = token_for(admin, "read")
    page = body(api.get(f"/api/v1/areas?era=legacy&within={bac_kan.pk}&level=2&fields=name"))
    assert "Huyện Chợ Đồn" in [u["name"] for u in page["items"]]
    assert all(set(u) == {"name"} for u in page["items"])
    assert body(api.get("/api/v1/areas?era=legacy&q=luong bang&level=3"))["items"]


def test_a_unit_outside_the_area_is_404(token_for, commune_officer, nghia_ta, luong_bang):
    api = token_for(commune_officer, "read")
    assert api.get(f"/api/v1/areas/{nghia_ta.pk}").status_code == 404
    unit = body(api.get(f"/api/v1/areas/{luong_bang.pk}"))
    assert unit["code"] == "02062"
    assert [s["code"] for s in unit["successors"]]


def test_an_htx_manager_sees_no_units(token_for, manager):
    assert body(token_for(manager, "read").get("/api/v1/areas"))["items"] == []


def test_convert_is_public_and_gives_the_commands_json(client):
    response = client.get("/api/v1/areas/convert", {"address": LUONG_BANG})
    assert response.status_code == 200
    data = body(response)
    assert data["old"]["commune"]["code"] == "02062"
    assert data["new"][0]["province"]["name"] == "Tỉnh Thái Nguyên"


def test_an_address_that_cannot_be_settled_is_422_with_candidates(client):
    response = client.get("/api/v1/areas/convert", {"address": "Xã Không Có, Tỉnh Bắc Kạn"})
    assert response.status_code == 422
    assert "candidates" in body(response)


def test_the_public_endpoint_is_rate_limited_per_address(settings, fresh_rate_limits, client):
    settings.HOPTAC_API_PUBLIC_RATE = "2/m"
    statuses = [
        client.get("/api/v1/areas/convert", {"address": LUONG_BANG}).status_code for _ in range(3)
    ]
    assert statuses == [200, 200, 429]


def test_a_bad_token_on_a_public_endpoint_is_still_401(client):
    response = client.get(
        "/api/v1/areas/convert", {"address": LUONG_BANG}, HTTP_AUTHORIZATION="Bearer nope"
    )
    assert response.status_code == 401
