"""Ratings through the API as each role, in and out of scope (list, read: 404 outside), and
/ratings/evaluate: the `rate` command's input and output, nothing stored."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from hoptac.ratings.models import Rating
from hoptac.ratings.tests.factories import RatingFactory

pytestmark = pytest.mark.django_db

LIST = "/api/v1/ratings"
EXAMPLES = Path(__file__).resolve().parents[3] / "docs" / "examples"


def body(response):
    return json.loads(response.content)


@pytest.fixture
def ratings(alpha, bravo, delta):
    return {c.name: RatingFactory(cooperative=c) for c in (alpha, bravo, delta)}


@pytest.mark.parametrize(
    ("actor", "seen"),
    [
        ("admin", ["HTX Alpha", "HTX Bravo", "HTX Delta"]),
        ("province_officer", ["HTX Alpha", "HTX Bravo"]),
        ("district_officer", ["HTX Alpha", "HTX Bravo"]),
        ("commune_officer", ["HTX Alpha"]),
        ("outsider", ["HTX Bravo"]),
        ("current_officer", ["HTX Alpha", "HTX Bravo"]),
        ("manager", ["HTX Alpha"]),
    ],
)
def test_the_list_shows_the_ratings_the_role_sees(request, token_for, actor, seen, ratings):
    user = request.getfixturevalue(actor)
    items = body(token_for(user, "read").get(LIST))["items"]
    names = {r.pk: name for name, r in ratings.items()}
    assert sorted(names[row["id"]] for row in items) == seen


@pytest.mark.parametrize(
    ("actor", "status"),
    [("admin", 200), ("commune_officer", 200), ("manager", 200), ("outsider", 404)],
)
def test_a_rating_is_404_outside_the_area(request, token_for, ratings, actor, status):
    rating = ratings["HTX Alpha"]
    response = token_for(request.getfixturevalue(actor), "read").get(f"{LIST}/{rating.pk}")
    assert response.status_code == status
    if status == 200:
        data = body(response)
        assert data["rank"] == rating.rank
        assert data["rules_id"] == rating.rules_id
        assert data["points"] == rating.points


def test_the_list_filters_and_refuses_an_area_outside(
    token_for, admin, commune_officer, ratings, bac_kan
):
    api = token_for(admin, "read")
    assert len(body(api.get(f"{LIST}?area={bac_kan.pk}&year=2019"))["items"]) == 2
    assert body(api.get(f"{LIST}?year=2020"))["items"] == []
    assert api.get(f"{LIST}?status=nonsense").status_code == 400
    assert api.get(f"{LIST}?fields=id,rank").status_code == 200
    response = token_for(commune_officer, "read").get(f"{LIST}?area={bac_kan.pk}")
    assert response.status_code == 404


def test_anonymous_is_401(client, ratings):
    assert client.get(LIST).status_code == 401
    assert client.post(f"{LIST}/evaluate", "{}", content_type="application/json").status_code == 401


@pytest.mark.parametrize(
    ("rules", "example"), [("tt01-2020", "rate-input.json"), ("tt09-2017", "rate-input-tt09.json")]
)
def test_evaluate_answers_what_the_rate_command_prints_and_stores_nothing(
    token_for, commune_officer, rules, example
):
    path = EXAMPLES / example
    printed = io.StringIO()
    # a case in error is exit code 1 (CommandError), the others still printed
    with contextlib.suppress(CommandError):
        call_command("rate", rules=rules, input=str(path), stdout=printed)
    expected = json.loads(printed.getvalue())
    cases = json.loads(path.read_text(encoding="utf-8"))
    api = token_for(commune_officer, "read")  # reads nothing, writes nothing: a read token
    response = api.send("POST", f"{LIST}/evaluate", {"rules": rules, "cases": cases})
    assert response.status_code == 200, response.content
    data = body(response)
    assert data["results"] == expected
    assert data["failures"] == sum(1 for r in expected if "error" in r)
    assert not Rating.objects.exists()


def test_evaluate_keeps_decimals_exact_and_refuses_an_unknown_rule_set(token_for, admin):
    api = token_for(admin, "read")
    unknown = api.send("POST", f"{LIST}/evaluate", {"rules": "tt99-2030", "cases": []})
    assert unknown.status_code == 422
    assert body(unknown)["errors"][0]["field"] == "rules"
    bad = api.send("POST", f"{LIST}/evaluate", {"rules": "tt01-2020", "cases": [{"id": 1}]})
    assert bad.status_code == 200
    assert body(bad)["results"][0]["error"]
