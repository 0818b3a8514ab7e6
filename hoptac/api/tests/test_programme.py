"""Plans with their targets' progress, support grants (list and record), products and the
portal's public directory through the API, as each role, in and out of scope."""

from __future__ import annotations

import json

import pytest

from hoptac.areas.models import AdminUnit
from hoptac.market.tests.factories import CertificationFactory, ProductFactory
from hoptac.plans.tests.factories import district_plan
from hoptac.registry.models import Cooperative
from hoptac.registry.tests.factories import CooperativeFactory, legacy_unit
from hoptac.support.models import SupportGrant
from hoptac.support.tests.factories import GrantFactory, PolicyFactory

pytestmark = pytest.mark.django_db


def body(response):
    return json.loads(response.content)


def ids(response):
    return sorted(row["id"] for row in body(response)["items"])


# --- plans ------------------------------------------------------------------------------------


@pytest.fixture
def plan(cho_don):
    """Nghị quyết 01-NQ/HU of Huyện ủy Chợ Đồn: at least 40 HTX by 31/12/2020."""
    return district_plan(cho_don)


@pytest.mark.parametrize(
    ("actor", "status"),
    [
        ("admin", 200),
        ("province_officer", 200),
        ("district_officer", 200),
        ("commune_officer", 404),
        ("outsider", 404),
        ("manager", 404),
    ],
)
def test_a_plan_is_seen_in_its_area_only(request, token_for, plan, actor, status):
    api = token_for(request.getfixturevalue(actor), "read")
    assert api.get(f"/api/v1/plans/{plan.pk}").status_code == status
    assert ids(api.get("/api/v1/plans")) == ([plan.pk] if status == 200 else [])


def test_a_plan_has_its_targets_progress_on_a_date(token_for, district_officer, plan, alpha, bravo):
    response = token_for(district_officer, "read").get(f"/api/v1/plans/{plan.pk}?date=2020-06-30")
    assert response.status_code == 200, response.content
    data = body(response)
    assert data["number"] == "01-NQ/HU"
    assert data["date"] == "2020-06-30"
    (target,) = data["targets"]
    assert target["indicator"] == "so_htx"
    assert target["value"] == 40
    assert target["milestones"] == {"2019": 35}
    assert target["current"] == 2  # Alpha and Bravo, both in Chợ Đồn
    assert target["progress"] == 5  # 2 of 40
    assert target["outcome"]


# --- support grants ---------------------------------------------------------------------------


@pytest.fixture
def grants(alpha, bravo, delta):
    hanoi = PolicyFactory(area=AdminUnit.objects.get(era="legacy", code="01"))  # Hà Nội's own
    return {
        "alpha": GrantFactory(cooperative=alpha),
        "bravo": GrantFactory(cooperative=bravo),
        "delta": GrantFactory(cooperative=delta, policy=hanoi),
    }


@pytest.mark.parametrize(
    ("actor", "seen"),
    [
        ("admin", ["alpha", "bravo", "delta"]),
        ("province_officer", ["alpha", "bravo"]),
        ("commune_officer", ["alpha"]),
        ("outsider", ["bravo"]),
        ("current_officer", ["alpha", "bravo"]),
        ("manager", ["alpha"]),
    ],
)
def test_the_grants_list_shows_what_the_role_sees(request, token_for, grants, actor, seen):
    response = token_for(request.getfixturevalue(actor), "read").get("/api/v1/grants")
    assert ids(response) == sorted(grants[name].pk for name in seen)


def test_the_grants_list_takes_the_pages_filters(token_for, admin, grants, bac_kan):
    api = token_for(admin, "read")
    assert len(body(api.get(f"/api/v1/grants?area={bac_kan.pk}"))["items"]) == 2
    assert body(api.get("/api/v1/grants?year=2018"))["items"] == []
    assert api.get("/api/v1/grants?source=nonsense").status_code == 400


def new_grant(cooperative, policy, **extra):
    return {
        "cooperative": cooperative.pk,
        "policy": policy.pk,
        "granted_on": "2020-03-01",
        "source": "province",
        "amount": 15_000_000,
        **extra,
    }


def test_an_officer_records_support_for_an_htx_of_his_area(token_for, commune_officer, alpha):
    policy = PolicyFactory()
    response = token_for(commune_officer).send("POST", "/api/v1/grants", new_grant(alpha, policy))
    assert response.status_code == 201, response.content
    grant = SupportGrant.objects.get(pk=body(response)["id"])
    assert grant.amount == 15_000_000
    assert grant.created_by == commune_officer
    assert grant.history.first().history_user == commune_officer


def test_recording_support_is_refused_outside_or_to_the_manager(
    token_for, outsider, manager, commune_officer, alpha
):
    policy = PolicyFactory()
    sent = new_grant(alpha, policy)
    assert token_for(outsider).send("POST", "/api/v1/grants", sent).status_code == 404
    assert token_for(manager).send("POST", "/api/v1/grants", sent).status_code == 403
    assert (
        token_for(commune_officer, "read").send("POST", "/api/v1/grants", sent).status_code == 403
    )
    bad = token_for(commune_officer).send("POST", "/api/v1/grants", {**sent, "amount": None})
    assert bad.status_code == 422
    assert [e["field"] for e in body(bad)["errors"]] == ["amount"]
    assert not SupportGrant.objects.exists()


# --- products ---------------------------------------------------------------------------------


@pytest.fixture
def products(alpha, bravo, delta):
    made = {c.name: ProductFactory(cooperative=c) for c in (alpha, bravo, delta)}
    CertificationFactory(product=made["HTX Alpha"])
    return made


@pytest.mark.parametrize(
    ("actor", "seen"),
    [
        ("admin", ["HTX Alpha", "HTX Bravo", "HTX Delta"]),
        ("district_officer", ["HTX Alpha", "HTX Bravo"]),
        ("commune_officer", ["HTX Alpha"]),
        ("outsider", ["HTX Bravo"]),
        ("manager", ["HTX Alpha"]),
    ],
)
def test_products_as_each_role(request, token_for, products, actor, seen):
    api = token_for(request.getfixturevalue(actor), "read")
    assert ids(api.get("/api/v1/products")) == sorted(products[n].pk for n in seen)
    alpha_product = products["HTX Alpha"]
    expected = 200 if "HTX Alpha" in seen else 404
    response = api.get(f"/api/v1/products/{alpha_product.pk}")
    assert response.status_code == expected
    if expected == 200:
        assert body(response)["certifications"][0]["kind"] == "vietgap"


def test_products_filter_by_certification(token_for, admin, products):
    response = token_for(admin, "read").get("/api/v1/products?certification=vietgap")
    assert ids(response) == [products["HTX Alpha"].pk]


# --- the portal's directory -------------------------------------------------------------------


def test_the_directory_is_public_published_only_and_public_fields_only(client):
    CooperativeFactory(name="HTX Công Khai", is_published=True, phone="0209 111")
    shown = Cooperative.objects.get(name="HTX Công Khai")
    CooperativeFactory(name="HTX Ẩn", is_published=False)
    CooperativeFactory(name="HTX Hà Nội", is_published=True, commune_legacy=legacy_unit("00001"))
    response = client.get("/api/v1/portal/directory")
    assert response.status_code == 200
    (row,) = body(response)["items"]
    assert row["id"] == shown.pk
    assert row["name"] == "HTX Công Khai"
    assert row["phone"] == "0209 111"
    assert "version" not in row  # not a field the portal publishes
    assert client.get("/api/v1/portal/directory?fields=version").status_code == 400


def test_the_directory_is_rate_limited_per_address(client, settings, fresh_rate_limits):
    settings.HOPTAC_API_PUBLIC_RATE = "3/m"
    answers = [client.get("/api/v1/portal/directory").status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
