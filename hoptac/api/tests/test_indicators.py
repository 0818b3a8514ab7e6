"""Indicators through the API: the JSON of `manage.py indicators`, for the caller's own area
or one inside his scope (404 outside; the HTX manager has no area)."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db

URL = "/api/v1/indicators"


def body(response):
    return json.loads(response.content)


def test_the_answer_is_the_commands_json(token_for, province_officer, alpha, bravo, bac_kan):
    out = StringIO()
    call_command("indicators", "--area", "06", "--date", "2025-05-01", stdout=out)
    response = token_for(province_officer, "read").get(f"{URL}?area={bac_kan.pk}&date=2025-05-01")
    assert response.status_code == 200, response.content
    assert body(response) == json.loads(out.getvalue())
    assert body(response)["indicators"]["so_htx"]["value"] == 2


def test_without_an_area_the_callers_own(token_for, commune_officer, alpha, bravo):
    data = body(token_for(commune_officer, "read").get(f"{URL}?date=2025-05-01&code=so_htx"))
    assert data["area"]["code"] == "02062"
    assert list(data["indicators"]) == ["so_htx"]
    assert data["indicators"]["so_htx"]["value"] == 1


@pytest.mark.parametrize(
    ("actor", "status"),
    [
        ("admin", 200),
        ("province_officer", 200),
        ("district_officer", 200),
        ("commune_officer", 404),
        ("outsider", 404),
        ("current_officer", 404),  # the other tree: as the pages (Scope.covers_unit)
        ("manager", 404),
    ],
)
def test_an_area_outside_the_scope_is_404(request, token_for, actor, status, cho_don, alpha):
    user = request.getfixturevalue(actor)
    response = token_for(user, "read").get(f"{URL}?area={cho_don.pk}&code=so_htx")
    assert response.status_code == status


def test_the_2025_tree_officer_asks_his_province(token_for, current_officer, thai_nguyen, alpha):
    response = token_for(current_officer, "read").get(f"{URL}?area={thai_nguyen.pk}&code=so_htx")
    assert response.status_code == 200
    assert body(response)["indicators"]["so_htx"]["value"] == 1


def test_an_unknown_code_is_400_and_anonymous_401(token_for, admin, client):
    assert token_for(admin, "read").get(f"{URL}?code=nonsense").status_code == 400
    assert client.get(URL).status_code == 401
