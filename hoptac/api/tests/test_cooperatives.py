"""Cooperatives through the API as each role, in and out of scope: list (the page's filters,
cursor pages, ?fields=), detail with ETag, create, update with If-Match (428, 412), status
change, members, history; writes recorded in the history with their author."""

from __future__ import annotations

import json
import time

import pytest

from hoptac.registry import services as registry_services
from hoptac.registry.models import Cooperative
from hoptac.registry.tests.factories import CooperativeFactory

pytestmark = pytest.mark.django_db

LIST = "/api/v1/cooperatives"


def names(response):
    return sorted(row["name"] for row in json.loads(response.content)["items"])


def body(response):
    return json.loads(response.content)


# --- reading, as each role ------------------------------------------------------------------


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
def test_the_list_shows_what_the_role_sees_on_the_page(
    request, token_for, actor, seen, alpha, bravo, delta
):
    user = request.getfixturevalue(actor)
    assert names(token_for(user, "read").get(LIST)) == seen


@pytest.mark.parametrize(
    ("actor", "status"),
    [
        ("admin", 200),
        ("commune_officer", 200),
        ("manager", 200),
        ("outsider", 404),
        ("current_officer", 200),
    ],
)
def test_the_detail_is_404_outside_the_area(request, token_for, alpha, actor, status):
    user = request.getfixturevalue(actor)
    response = token_for(user, "read").get(f"{LIST}/{alpha.pk}")
    assert response.status_code == status
    if status == 404:
        assert response["Content-Type"].startswith("application/problem+json")
    else:
        assert response["ETag"] == f'"{alpha.pk}-{alpha.version}"'
        assert body(response)["tax_code"] == alpha.tax_code


def test_members_and_history_are_404_outside_the_area(token_for, outsider, alpha):
    api = token_for(outsider, "read")
    assert api.get(f"{LIST}/{alpha.pk}/members").status_code == 404
    assert api.get(f"{LIST}/{alpha.pk}/history").status_code == 404


def test_the_list_takes_the_pages_filters(token_for, admin, alpha, bravo, delta, bac_kan):
    api = token_for(admin, "read")
    assert names(api.get(f"{LIST}?area={bac_kan.pk}")) == ["HTX Alpha", "HTX Bravo"]
    assert names(api.get(f"{LIST}?q=bravo")) == ["HTX Bravo"]
    assert names(api.get(f"{LIST}?status=da_giai_the")) == []


def test_a_bad_filter_is_400_naming_it(token_for, admin, alpha):
    response = token_for(admin, "read").get(f"{LIST}?kind=nonsense")
    assert response.status_code == 400
    assert [e["field"] for e in body(response)["errors"]] == ["kind"]


def test_an_area_outside_the_officers_is_refused_not_widened(token_for, commune_officer, delta):
    response = token_for(commune_officer, "read").get(f"{LIST}?area={delta.province_legacy_id}")
    assert response.status_code == 400
    assert "HTX Delta" not in response.content.decode()


def test_cursor_pages_walk_every_row_once_in_order(token_for, admin):
    for n in range(7):
        CooperativeFactory(name=f"HTX Trang {n % 3}")  # equal names: ties broken by id
    api = token_for(admin, "read")
    seen, url = [], f"{LIST}?limit=3&fields=id,name"
    while url:
        page = body(api.get(url))
        seen += [(row["name"], row["id"]) for row in page["items"]]
        assert set(page["items"][0]) == {"id", "name"}
        url = page["next"] and page["next"].replace("http://testserver", "")
    assert seen == sorted(seen)
    assert len(seen) == len({pk for _, pk in seen}) == 7


@pytest.mark.parametrize("sort", ["-founded_on", "founded_on", "-members_count", "-name"])
def test_cursor_pages_follow_every_sort_with_empty_values_last(token_for, admin, sort):
    from datetime import date

    for n in range(5):
        CooperativeFactory(
            founded_on=date(2010 + n % 2, 1, 1) if n != 2 else None,
            members_count=None if n == 4 else n,
        )
    api = token_for(admin, "read")
    whole = [row["id"] for row in body(api.get(f"{LIST}?sort={sort}&limit=500"))["items"]]
    walked, url = [], f"{LIST}?sort={sort}&limit=2"
    while url:
        page = body(api.get(url))
        walked += [row["id"] for row in page["items"]]
        url = page["next"] and page["next"].replace("http://testserver", "")
    assert walked == whole
    assert len(whole) == 5


def test_cursor_pages_walk_descending_ties_without_the_sort_key_in_the_fields(token_for, admin):
    for n in range(5):
        CooperativeFactory(name=f"HTX Trang {n % 2}")
    api = token_for(admin, "read")
    seen, url = [], f"{LIST}?sort=-name&limit=2&fields=tax_code"
    while url:
        page = body(api.get(url))
        assert all(set(row) == {"tax_code"} for row in page["items"])  # no name, no id
        seen += [row["tax_code"] for row in page["items"]]
        url = page["next"] and page["next"].replace("http://testserver", "")
    expected = Cooperative.objects.order_by("-name", "pk").values_list("tax_code", flat=True)
    assert seen == list(expected)  # ties by id, ascending


def test_the_list_answers_what_its_schema_would_write(token_for, admin):
    """The list is written without ninja's validation: the same JSON, value for value, as
    validating it against CooperativePage and rendering it with ninja's renderer gives
    (dates, times with milliseconds and "Z", money as a whole number, units as ids)."""
    from datetime import UTC, date, datetime
    from decimal import Decimal

    from django.core.serializers.json import DjangoJSONEncoder
    from ninja.renderers import JSONRenderer

    from hoptac.api.routers.cooperatives import LIST_FIELDS, CooperativePage

    CooperativeFactory(
        tax_code="4711111111",
        charter_capital=Decimal("1500000"),
        latitude=22.125,
        founded_on=date(2019, 5, 2),
    )
    made = Cooperative.objects.get(tax_code="4711111111")
    whole_second = datetime(2020, 1, 2, 3, 4, 5, tzinfo=UTC)
    Cooperative.objects.filter(pk=made.pk).update(created_at=whole_second)
    made.refresh_from_db()
    response = token_for(admin, "read").get(f"{LIST}?limit=1")
    assert response["Content-Type"] == "application/json; charset=utf-8"
    answer = json.loads(response.content)
    row = answer["items"][0]
    assert list(row) == list(LIST_FIELDS)
    assert (row["id"], row["charter_capital"], row["founded_on"]) == (
        made.pk,
        1500000,
        "2019-05-02",
    )
    assert row["created_at"] == "2020-01-02T03:04:05Z"
    assert row["updated_at"] == DjangoJSONEncoder().default(made.updated_at)  # "….123Z"
    validated = CooperativePage.model_validate(answer).model_dump(exclude_unset=True)
    written = JSONRenderer().render(None, validated, response_status=200)  # type: ignore[arg-type]
    assert answer == json.loads(written)


def test_a_page_of_the_list_costs_the_same_few_queries(
    token_for, admin, django_assert_max_num_queries
):
    CooperativeFactory.create_batch(12)
    api = token_for(admin, "read")
    api.get(f"{LIST}?limit=5")  # the token is read once, then cached
    with django_assert_max_num_queries(2):  # the filter form's area, the page
        page = body(api.get(f"{LIST}?limit=5"))
    assert len(page["items"]) == 5


def test_a_forged_cursor_is_400(token_for, admin):
    response = token_for(admin, "read").get(f"{LIST}?cursor=abc")
    assert response.status_code == 400


def test_unknown_fields_are_400(token_for, admin):
    response = token_for(admin, "read").get(f"{LIST}?fields=name,password")
    assert response.status_code == 400
    assert body(response)["errors"][0]["message"] == "password"


def test_limit_above_500_is_refused(token_for, admin):
    assert token_for(admin, "read").get(f"{LIST}?limit=501").status_code == 422


# --- writing --------------------------------------------------------------------------------


def new_htx(place):
    return {
        "kind": "hop_tac_xa",
        "name": "HTX Mới qua API",
        "sector": "nong_nghiep",
        "sub_sector": "trong_trot",
        "founded_on": "2020-01-02",
        "tax_code": "4712345678",
        "place": place.pk,
    }


def test_an_officer_creates_an_htx_in_his_area_recorded_with_its_author(
    token_for, commune_officer, luong_bang
):
    response = token_for(commune_officer).send("POST", LIST, new_htx(luong_bang))
    assert response.status_code == 201, response.content
    created = Cooperative.objects.get(tax_code="4712345678")
    assert response["Location"].endswith(f"/api/v1/cooperatives/{created.pk}")
    assert created.history.first().history_user == commune_officer
    assert created.status_changes.get().by == commune_officer


def test_creating_outside_the_area_is_refused_naming_the_place(
    token_for, commune_officer, nghia_ta
):
    response = token_for(commune_officer).send("POST", LIST, new_htx(nghia_ta))
    assert response.status_code == 422
    assert [e["field"] for e in body(response)["errors"]] == ["place"]
    assert not Cooperative.objects.filter(tax_code="4712345678").exists()


def test_invalid_input_names_each_field_in_vietnamese(token_for, commune_officer, luong_bang):
    data = {**new_htx(luong_bang), "tax_code": "12", "name": ""}
    response = token_for(commune_officer).send("POST", LIST, data)
    assert response.status_code == 422
    errors = {e["field"]: e["message"] for e in body(response)["errors"]}
    assert set(errors) == {"tax_code", "name"}
    assert errors["tax_code"].startswith("Mã")  # the field's Vietnamese label


def test_a_read_token_may_not_write(token_for, commune_officer, luong_bang):
    response = token_for(commune_officer, "read").send("POST", LIST, new_htx(luong_bang))
    assert response.status_code == 403


def test_an_htx_manager_may_not_create(token_for, manager, luong_bang):
    assert token_for(manager).send("POST", LIST, new_htx(luong_bang)).status_code == 403


def test_an_unknown_member_in_the_body_is_422(token_for, commune_officer, luong_bang):
    data = {**new_htx(luong_bang), "password": "x"}
    assert token_for(commune_officer).send("POST", LIST, data).status_code == 422


def test_update_needs_if_match(token_for, commune_officer, alpha):
    response = token_for(commune_officer).send("PATCH", f"{LIST}/{alpha.pk}", {"phone": "0209"})
    assert response.status_code == 428


def test_update_with_the_etag_changes_only_what_is_sent(token_for, commune_officer, alpha):
    api = token_for(commune_officer)
    etag = api.get(f"{LIST}/{alpha.pk}")["ETag"]
    response = api.send("PATCH", f"{LIST}/{alpha.pk}", {"phone": "0209 3888"}, HTTP_IF_MATCH=etag)
    assert response.status_code == 200, response.content
    alpha.refresh_from_db()
    assert alpha.phone == "0209 3888"
    assert alpha.name == "HTX Alpha"
    assert response["ETag"] == f'"{alpha.pk}-{alpha.version}"' != etag
    assert alpha.history.first().history_user == commune_officer


def test_a_stale_etag_is_412_with_the_fields_changed_meanwhile(
    token_for, commune_officer, admin, alpha
):
    api = token_for(commune_officer)
    etag = api.get(f"{LIST}/{alpha.pk}")["ETag"]
    registry_services.cooperative_update(
        cooperative=alpha, by=admin, version=alpha.version, representative_name="Người khác"
    )
    response = api.send("PATCH", f"{LIST}/{alpha.pk}", {"phone": "1"}, HTTP_IF_MATCH=etag)
    assert response.status_code == 412
    problem = body(response)
    assert [c["field"] for c in problem["changes"]] == ["representative_name"]
    assert problem["changes"][0]["new"] == "Người khác"
    alpha.refresh_from_db()
    assert alpha.phone == ""


def test_update_outside_the_area_is_404(token_for, outsider, alpha):
    response = token_for(outsider).send(
        "PATCH", f"{LIST}/{alpha.pk}", {"phone": "1"}, HTTP_IF_MATCH=f'"{alpha.pk}-1"'
    )
    assert response.status_code == 404


def test_the_manager_updates_his_contact_but_not_the_legal_facts(token_for, manager, alpha):
    api = token_for(manager)
    etag = api.get(f"{LIST}/{alpha.pk}")["ETag"]
    refused = api.send(
        "PATCH", f"{LIST}/{alpha.pk}", {"tax_code": "4799999999"}, HTTP_IF_MATCH=etag
    )
    assert refused.status_code == 403
    done = api.send("PATCH", f"{LIST}/{alpha.pk}", {"phone": "0911"}, HTTP_IF_MATCH=etag)
    assert done.status_code == 200


def test_an_officer_records_a_status_change(token_for, commune_officer, alpha):
    api = token_for(commune_officer)
    data = {"status": "tam_ngung_kinh_doanh", "effective_on": "2020-05-01"}
    response = api.send("POST", f"{LIST}/{alpha.pk}/status", data)
    assert response.status_code == 201, response.content
    alpha.refresh_from_db()
    assert alpha.status == "tam_ngung_kinh_doanh"
    history = body(api.get(f"{LIST}/{alpha.pk}/history"))
    assert [s["status"] for s in history["statuses"]][-1] == "tam_ngung_kinh_doanh"


def test_a_status_change_the_state_machine_refuses_is_422(token_for, commune_officer, alpha):
    data = {"status": "tam_ngung_kinh_doanh", "effective_on": "2099-01-01"}
    response = token_for(commune_officer).send("POST", f"{LIST}/{alpha.pk}/status", data)
    assert response.status_code == 422


def test_the_manager_may_not_change_the_status(token_for, manager, alpha):
    data = {"status": "tam_ngung_kinh_doanh", "effective_on": "2020-05-01"}
    assert token_for(manager).send("POST", f"{LIST}/{alpha.pk}/status", data).status_code == 403


def test_members_are_listed(token_for, commune_officer, alpha):
    registry_services.member_add(cooperative=alpha, by=None, name="Nông Văn Dền")
    items = body(token_for(commune_officer, "read").get(f"{LIST}/{alpha.pk}/members"))["items"]
    assert [m["name"] for m in items] == ["Nông Văn Dền"]


# --- the session -----------------------------------------------------------------------------


def test_the_session_reads_and_writes_with_csrf(client, commune_officer, alpha):
    from django.test import Client

    client.force_login(commune_officer)
    assert client.get(LIST).status_code == 200
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(commune_officer)
    data = {"status": "tam_ngung_kinh_doanh", "effective_on": "2020-05-01"}
    refused = strict.post(f"{LIST}/{alpha.pk}/status", data, content_type="application/json")
    assert refused.status_code == 403
    strict.get("/khoa-api/")  # sets the CSRF cookie
    token = strict.cookies["csrftoken"].value
    done = strict.post(
        f"{LIST}/{alpha.pk}/status", data, content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert done.status_code == 201, done.content


# --- throttling ------------------------------------------------------------------------------


def test_a_block_of_calls_costs_one_write_of_the_shared_counter(
    settings, fresh_rate_limits, token_for, admin
):
    """1200 a minute: a process claims 60 calls at once, and the 61st claims the next block;
    a second process (its memory forgotten) shares the same counter."""
    import time_machine
    from django.core.cache import caches

    from hoptac.api.throttling import forget_leases

    settings.HOPTAC_API_RATE = "1200/m"
    api = token_for(admin, "read")
    with time_machine.travel("2026-12-03 10:00:05Z", tick=False):
        key = f"api-throttle:t{api.issued.token.pk}:60:{int(time.time() // 60)}"
        counter = caches[settings.RATELIMIT_USE_CACHE]
        assert api.get(f"{LIST}?limit=1").status_code == 200
        assert counter.get(key) == 60
        for _ in range(59):
            api.get(f"{LIST}?limit=1")
        assert counter.get(key) == 60  # the block is used up, nothing written meanwhile
        api.get(f"{LIST}?limit=1")
        assert counter.get(key) == 120  # the next block
        forget_leases()  # as another process
        api.get(f"{LIST}?limit=1")
        assert counter.get(key) == 180


def test_too_many_calls_are_429(settings, fresh_rate_limits, token_for, admin):
    settings.HOPTAC_API_RATE = "3/m"
    api = token_for(admin, "read")
    statuses = [api.get(LIST).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = api.get(LIST)
    assert response["Content-Type"].startswith("application/problem+json")
    assert int(response["Retry-After"]) >= 1
